package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * A structural check of a custom resource against its CRD's openAPIV3Schema, as the API server prunes and
 * validates: types, properties, required, enum, pattern, additionalProperties, items,
 * x-kubernetes-preserve-unknown-fields and x-kubernetes-int-or-string. The CRDs are vendored under
 * src/test/resources/dev/crucible/jobs/k8s/crds (their README says from where).
 */
final class CrdSchema {
  /** The vendored CRDs, by file. */
  static final List<String> FILES = List.of(
      "sparkoperator.k8s.io_sparkapplications.yaml", "monitoring.coreos.com_servicemonitors.yaml",
      "kueue.x-k8s.io_clusterqueues.yaml", "kueue.x-k8s.io_localqueues.yaml", "kueue.x-k8s.io_resourceflavors.yaml");

  private static final List<JsonNode> CRDS = FILES.stream().map(CrdSchema::load).toList();

  private CrdSchema() {}

  /** The schema of {@code apiVersion}/{@code kind}, when a vendored CRD defines it. */
  static Optional<JsonNode> of(String apiVersion, String kind) {
    for (JsonNode crd : CRDS) {
      JsonNode spec = crd.path("spec");
      if (!spec.path("names").path("kind").asText().equals(kind)) {
        continue;
      }
      for (JsonNode version : spec.path("versions")) {
        if ((spec.path("group").asText() + "/" + version.path("name").asText()).equals(apiVersion)) {
          return Optional.of(version.path("schema").path("openAPIV3Schema"));
        }
      }
    }
    return Optional.empty();
  }

  /** Every place where {@code value} departs from {@code schema}, as JSON paths with what is wrong. */
  static List<String> violations(JsonNode value, JsonNode schema) {
    List<String> found = new ArrayList<>();
    check(value, schema, "", found);
    return found;
  }

  private static void check(JsonNode value, JsonNode schema, String path, List<String> found) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        found.add(path + ": expected an integer or a string, got " + value);
      }
      return;
    }
    String type = schema.path("type").asText(null);
    if (type != null && !hasType(value, type)) {
      found.add(path + ": expected " + type + ", got " + value.getNodeType().name().toLowerCase());
      return;
    }
    if (schema.has("enum") && StreamSupport.stream(schema.path("enum").spliterator(), false).noneMatch(value::equals)) {
      found.add(path + ": " + value + " is not one of " + schema.path("enum"));
    }
    if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText()).find()) {
      found.add(path + ": '" + value.asText() + "' does not match " + schema.path("pattern").asText());
    }
    if (value.isObject()) {
      schema.path("required").forEach(required -> {
        if (!value.has(required.asText())) {
          found.add(path + ": lacks the required field " + required.asText());
        }
      });
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      // Metadata is validated by the API server itself; CRDs declare it as a bare object.
      boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean() || additional.asBoolean(false)
          || path.equals(".metadata");
      value.properties().forEach(field -> {
        String at = path + "." + field.getKey();
        if (properties.has(field.getKey())) {
          check(field.getValue(), properties.path(field.getKey()), at, found);
        } else if (additional.isObject()) {
          check(field.getValue(), additional, at, found);
        } else if (!open) {
          found.add(at + ": unknown field");
        }
      });
    }
    if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), schema.path("items"), path + "[" + i + "]", found);
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> throw new IllegalArgumentException("a schema type this check does not know: " + type);
    };
  }

  private static JsonNode load(String file) {
    try (InputStream in = CrdSchema.class.getResourceAsStream("crds/" + file)) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(file, e);
    }
  }
}
