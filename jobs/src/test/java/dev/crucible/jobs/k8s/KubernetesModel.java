package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects read into fabric8's typed model, with every field the model does not know reported (fabric8
 * keeps them in {@code additionalProperties} rather than failing), and custom resources checked against their
 * vendored CRD ({@link CrdSchema}), their metadata and pod templates against the typed model too.
 */
final class KubernetesModel {
  /**
   * Jackson 2, the project's: fabric8 8's own (de)serializers are Jackson 3's, which needs newer annotations than
   * the project's Jackson pins, and Jackson 2 reads the model through the annotations the two share. It reads
   * quantities from strings only, so the manifests quote them.
   */
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The built-in kinds the manifests use. */
  private static final Map<String, Class<?>> TYPED = Map.of(
      "v1/ConfigMap", ConfigMap.class, "v1/Service", Service.class, "v1/ServiceAccount", ServiceAccount.class,
      "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
      "rbac.authorization.k8s.io/v1/Role", Role.class, "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
      "batch/v1/CronJob", CronJob.class);

  private KubernetesModel() {}

  /** Every problem of one object: an unknown kind, a field its model or CRD does not have, a wrong type. */
  static List<String> problems(JsonNode document) {
    String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    String name = key + " " + document.path("metadata").path("name").asText();
    List<String> found = new ArrayList<>();
    Class<?> type = TYPED.get(key);
    if (type != null) {
      unknownFields(read(document, type), name, found);
      return found;
    }
    var schema = CrdSchema.of(document.path("apiVersion").asText(), document.path("kind").asText());
    if (schema.isEmpty()) {
      return List.of(name + ": neither a typed kind nor one of the vendored CRDs");
    }
    // GenericKubernetesResource's own mapper is Jackson 3's (see JSON); its metadata is an ObjectMeta.
    unknownFields(read(document.path("metadata"), ObjectMeta.class), name + " metadata", found);
    CrdSchema.violations(document, schema.get()).forEach(violation -> found.add(name + violation));
    for (String role : List.of("driver", "executor")) {
      JsonNode template = document.path("spec").path(role).path("template");
      if (!template.isMissingNode()) {
        unknownFields(read(template, PodTemplateSpec.class), name + " " + role + " template", found);
      }
    }
    return found;
  }

  static <T> T read(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Walks the model's getters and reports every non-empty additionalProperties, with where. */
  private static void unknownFields(Object model, String where, List<String> found) {
    walk(model, where, found, new IdentityHashMap<>());
  }

  private static void walk(Object value, String where, List<String> found, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, true) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, where + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, where + "." + key, found, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Object field;
      try {
        field = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(getter.toString(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          found.add(where + ": unknown fields " + unknown.keySet());
        }
      } else {
        walk(field, where + "." + getter.getName().substring(3, 4).toLowerCase() + getter.getName().substring(4), found, seen);
      }
    }
  }
}
