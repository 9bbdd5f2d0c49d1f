package dev.crucible.jobs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The part of {@code kustomize build} that k8s/ uses (resources, components, JSON patches with targets, the
 * namespace, configMapGenerator with files), for machines without kustomize; every entry it follows must exist and
 * every patch must hit a resource. {@link KustomizationsTest} holds it to kubectl's kustomize where that is
 * installed.
 */
final class KustomizeBuild {
  /** The repository's k8s folder, from the jobs module. */
  static final Path K8S = Path.of("..", "k8s");

  private static final YAMLMapper YAML = new YAMLMapper();

  private KustomizeBuild() {}

  /** Every folder of k8s/ that kustomize can build (not the components, which only overlays use). */
  static List<Path> buildable() {
    return kustomizations().stream().filter(file -> !read(file).get(0).path("kind").asText().equals("Component")).map(Path::getParent).toList();
  }

  static List<Path> kustomizations() {
    try (Stream<Path> files = Files.walk(K8S)) {
      return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects {@code kustomize build folder} prints. */
  static List<ObjectNode> build(Path folder) {
    ObjectNode kustomization = (ObjectNode) read(folder.resolve("kustomization.yaml")).get(0);
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode entry : kustomization.path("resources")) {
      Path resource = folder.resolve(entry.asText()).normalize();
      assertThat(resource).as("resource of %s", folder).exists();
      if (Files.isDirectory(resource)) {
        objects.addAll(build(resource));
      } else {
        read(resource).forEach(document -> objects.add((ObjectNode) document));
      }
    }
    for (JsonNode generator : kustomization.path("configMapGenerator")) {
      ObjectNode configMap = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
      configMap.putObject("metadata").put("name", generator.path("name").asText());
      ObjectNode data = configMap.putObject("data");
      for (JsonNode file : generator.path("files")) {
        data.put(file.asText(), text(folder.resolve(file.asText())));
      }
      if (generator.path("behavior").asText().equals("replace")) {
        ObjectNode replaced = objects.stream().filter(object -> same(object, configMap)).findFirst()
            .orElseThrow(() -> new AssertionError(folder + " replaces a ConfigMap it does not have"));
        replaced.set("data", data);
      } else {
        objects.add(configMap);
      }
    }
    for (JsonNode component : kustomization.path("components")) {
      Path componentFolder = folder.resolve(component.asText()).normalize();
      ObjectNode componentFile = (ObjectNode) read(componentFolder.resolve("kustomization.yaml")).get(0);
      assertThat(componentFile.path("kind").asText()).as(component.asText()).isEqualTo("Component");
      patch(componentFolder, componentFile, objects);
    }
    patch(folder, kustomization, objects);
    if (kustomization.has("namespace")) {
      String namespace = kustomization.path("namespace").asText();
      for (ObjectNode object : objects) {
        ((ObjectNode) object.path("metadata")).put("namespace", namespace);
        object.path("subjects").forEach(subject -> ((ObjectNode) subject).put("namespace", namespace));
      }
    }
    return objects;
  }

  private static void patch(Path folder, ObjectNode kustomization, List<ObjectNode> objects) {
    for (JsonNode patch : kustomization.path("patches")) {
      Path file = folder.resolve(patch.path("path").asText());
      JsonNode operations = read(file).get(0);
      assertThat(operations.isArray()).as("%s is a JSON patch (the only kind this build applies)", file).isTrue();
      JsonNode target = patch.path("target");
      List<ObjectNode> hits = objects.stream().filter(object -> matches(object, target)).toList();
      assertThat(hits).as("the resources %s patches", file).isNotEmpty();
      hits.forEach(object -> JsonPatch.apply(object, (ArrayNode) operations));
    }
  }

  private static boolean matches(ObjectNode object, JsonNode target) {
    String apiVersion = object.path("apiVersion").asText();
    return (!target.has("kind") || target.path("kind").asText().equals(object.path("kind").asText()))
        && (!target.has("name") || target.path("name").asText().equals(object.path("metadata").path("name").asText()))
        && (!target.has("group") || apiVersion.startsWith(target.path("group").asText() + "/"));
  }

  private static boolean same(JsonNode a, JsonNode b) {
    return a.path("kind").equals(b.path("kind")) && a.path("metadata").path("name").equals(b.path("metadata").path("name"));
  }

  /** The YAML documents of {@code file}. */
  static List<JsonNode> read(Path file) {
    try (MappingIterator<JsonNode> documents = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
      return documents.readAll().stream().filter(document -> !document.isMissingNode() && !document.isNull()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
