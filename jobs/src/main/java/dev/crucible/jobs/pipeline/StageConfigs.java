package dev.crucible.jobs.pipeline;

import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A training stage's section of the pipeline config is the YAML its own command takes; this fills in the
 * run's paths where the section leaves them out and writes the result to {@code RUN/pipeline/<stage>.yaml},
 * which the stage then loads exactly as {@code crucible train <stage> --config} would (and which reruns
 * the stage alone).
 */
final class StageConfigs {
  private StageConfigs() {}

  /** A training stage's output directory: its section's {@code output} (relative to where crucible runs), else {@code RUN/<stage>}. */
  static Path output(PipelineStage stage, PipelineConfig config, Path run) {
    Object output = config.training().getOrDefault(stage, Map.of()).get("output");
    return output == null ? run.resolve(stage.configName()) : Path.of("").toAbsolutePath().resolve(output.toString()).normalize();
  }

  /** Where SFT or DPO leaves its model. */
  static Path finalModel(PipelineStage stage, PipelineConfig config, Path run) {
    return HadoopFiles.localFile(RunLayout.local(output(stage, config, run)).finalCheckpoint());
  }

  /** {@code section} with the run's defaults filled in; the section itself is not changed. */
  static Map<String, Object> effective(PipelineStage stage, Map<String, Object> section, Path run, PipelineConfig config) {
    Map<String, Object> effective = deepCopy(section);
    effective.put("output", output(stage, config, run).toString());
    switch (stage) {
      case SFT -> nested(effective, "data").putIfAbsent("runs", List.of(run.toString()));
      case DPO -> {
        nested(effective, "data").putIfAbsent("runs", List.of(run.toString()));
        if (!effective.containsKey("model") && config.training().containsKey(PipelineStage.SFT)) {
          nested(effective, "model").put("checkpoint", finalModel(PipelineStage.SFT, config, run).toString());
        }
      }
      case GRPO -> {
        if (!effective.containsKey("model")) {
          for (PipelineStage before : List.of(PipelineStage.DPO, PipelineStage.SFT)) {
            if (config.training().containsKey(before)) {
              nested(effective, "model").put("checkpoint", finalModel(before, config, run).toString());
              break;
            }
          }
        }
        RunLayout layout = RunLayout.local(run);
        effective.putIfAbsent("tasks", HadoopFiles.localFile(layout.tasks()).toString());
        effective.putIfAbsent("repositories", HadoopFiles.localFile(layout.repositories()).toString());
        effective.putIfAbsent("sandbox", sandbox(config.sandbox()));
      }
      default -> throw new IllegalArgumentException(stage + " has no command config");
    }
    return effective;
  }

  /** Where a training stage's effective config is written: {@code RUN/pipeline/<stage>.yaml}. */
  static Path file(PipelineStage stage, Path run) {
    return HadoopFiles.localFile(RunLayout.local(run).pipeline()).resolve(stage.configName() + ".yaml");
  }

  /** Writes {@code effective} to {@link #file}; returns the file. */
  static Path write(PipelineStage stage, Map<String, Object> effective, Path run, Path source) {
    Path file = file(stage, run);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    String header = "# The " + stage.configName() + " section of " + source + " with the run's paths filled in, as written by\n"
        + "# crucible pipeline. The same stage alone: crucible train " + stage.configName() + " --config " + file + " --resume\n";
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, header + new Yaml(options).dump(effective));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Map<String, Object> sandbox(SandboxChoice sandbox) {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("backend", sandbox.backend().name().toLowerCase(Locale.ROOT));
    if (sandbox.runtime() != null) {
      section.put("runtime", sandbox.runtime());
    }
    section.put("warm_pool", sandbox.warmPool());
    return section;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value instanceof Map<?, ?>) {
      return (Map<String, Object>) value;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    if (value == null) {
      map.put(key, created);
    } // else a mistake the stage's command reports with its line; filling it in would hide it
    return created;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> inner ? deepCopy((Map<String, Object>) inner) : value));
    return copy;
  }
}
