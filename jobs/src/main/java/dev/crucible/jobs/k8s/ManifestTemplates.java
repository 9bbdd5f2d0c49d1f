package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's k8s/base and k8s/components as the jar carries them (under {@code k8s/}), read through their
 * kustomization files: the one source of the manifests, for kustomize and for {@code k8s render} alike.
 */
final class ManifestTemplates {
  private static final YAMLMapper YAML = new YAMLMapper();

  private ManifestTemplates() {}

  /** k8s/base/kustomization.yaml. */
  static ObjectNode baseKustomization() {
    return documents("base/kustomization.yaml").get(0);
  }

  /** The documents of a file of k8s/base that its kustomization lists. */
  static List<ObjectNode> base(String file) {
    return documents("base/" + file);
  }

  /** The JSON patch of the component k8s/components/{@code name}, as its kustomization names it. */
  static ArrayNode componentPatch(String name) {
    String file = documents("components/" + name + "/kustomization.yaml").get(0).path("patches").path(0).path("path").asText();
    JsonNode patch = read("components/" + name + "/" + file).get(0);
    if (!(patch instanceof ArrayNode operations)) {
      throw new IllegalStateException("k8s/components/" + name + "/" + file + " is not a JSON patch");
    }
    return operations;
  }

  private static List<ObjectNode> documents(String path) {
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode document : read(path)) {
      objects.add((ObjectNode) document);
    }
    return objects;
  }

  private static List<JsonNode> read(String path) {
    try (InputStream in = ManifestTemplates.class.getResourceAsStream("/k8s/" + path)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks k8s/" + path + " (built without the repository's k8s folder?)");
      }
      List<JsonNode> documents = new ArrayList<>();
      try (MappingIterator<JsonNode> iterator = YAML.readValues(YAML.createParser(in), JsonNode.class)) {
        iterator.forEachRemaining(document -> {
          if (!document.isMissingNode() && !document.isNull()) {
            documents.add(document);
          }
        });
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read k8s/" + path + " from the jar", e);
    }
  }
}
