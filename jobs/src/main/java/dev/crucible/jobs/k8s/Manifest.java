package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One file {@code k8s render} writes: its name and its YAML documents.
 *
 * @param file the file name, such as {@code spark-application.yaml}
 * @param documents the Kubernetes objects (or the kustomization) it holds
 */
public record Manifest(String file, List<ObjectNode> documents) {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build();

  public Manifest {
    documents = List.copyOf(documents);
  }

  /** The documents as YAML, separated by {@code ---}. */
  public String yaml() {
    StringBuilder text = new StringBuilder();
    for (ObjectNode document : documents) {
      if (!text.isEmpty()) {
        text.append("---\n");
      }
      try {
        text.append(YAML.writeValueAsString(document));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }
}
