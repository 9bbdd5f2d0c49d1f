package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftTrainingTest {
  private static NDManager manager;
  private static ChatTokenizer tokenizer;
  private static List<PackedRow> rows;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
    tokenizer = TinyModels.tokenizer();
    rows = new Packer(320).pack(TrainingRuns.conversations(tokenizer));
  }

  @AfterAll
  static void stop() {
    tokenizer.close();
    manager.close();
  }

  private static Qwen2Model fresh() {
    return Qwen2Model.random(TinyModels.config(tokenizer.vocabularySize()), 3, manager);
  }

  private static Path train(Qwen2Model model, TrainSettings settings, Path out, boolean resume, Objective objective,
      SimpleMeterRegistry registry, List<String> log) {
    StepPlan plan = StepPlan.of(rows.size(), settings.itemsPerStep(), settings.epochs(), settings.maxSteps(), settings.seed());
    try (PolicyTraining training = new PolicyTraining(model, tokenizer, settings, out, "random")) {
      Objective used = objective != null ? objective : new SftObjective(model, rows, plan, settings.batchSize());
      return training.run("run-1", "sft", used, plan, "rows", resume, registry, new Configuration(), log::add);
    }
  }

  @Test
  void lossFallsAndEveryStepLandsInTheMetricsTable(@TempDir Path out) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> log = new ArrayList<>();
    try (Qwen2Model model = fresh()) {
      Path result = train(model, TrainingRuns.settings(30, 10, null), out, false, null, registry, log);
      assertThat(result).isEqualTo(out.resolve("final"));
      assertThat(result.resolve("model.safetensors")).exists();
      assertThat(result.resolve("tokenizer.json")).exists();
    }
    List<TrainingStep> steps = MetricsSink.read(dev.crucible.data.io.HadoopFiles.local(out.resolve("metrics")), new Configuration(), "sft");
    assertThat(steps).extracting(TrainingStep::step).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
    steps = steps.stream().sorted(java.util.Comparator.comparingInt(TrainingStep::step)).toList();
    assertThat(steps.get(29).loss()).isLessThan(steps.get(0).loss() * 0.5);
    assertThat(steps.get(0).learningRate()).isCloseTo(5e-3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(steps).allSatisfy(s -> assertThat(s.gradNorm()).isPositive());
    assertThat(steps).allSatisfy(s -> assertThat(s.tokens()).isPositive());
    assertThat(registry.get("crucible.train.tokens").counter().count()).isEqualTo(steps.stream().mapToLong(TrainingStep::tokens).sum());
    assertThat(out.resolve("checkpoints/step-000010/optimizer.safetensors")).exists();
    assertThat(out.resolve("checkpoints/step-000030/trainer_state.json")).exists();
    assertThat(log).anyMatch(line -> line.startsWith("sft step 30/30 loss "));
  }

  @Test
  void aResumedRunReachesTheSameParametersAsAnUninterruptedOne(@TempDir Path straight, @TempDir Path interrupted) {
    TrainSettings settings = TrainingRuns.settings(8, 3, null);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> log = new ArrayList<>();
    Map<String, float[]> expected = new java.util.HashMap<>();
    try (Qwen2Model model = fresh()) {
      train(model, settings, straight, false, null, registry, log);
      model.parameters().forEach((name, array) -> expected.put(name, array.toFloatArray()));
    }
    try (Qwen2Model model = fresh()) {
      StepPlan plan = StepPlan.of(rows.size(), settings.itemsPerStep(), 1, 8, settings.seed());
      SftObjective real = new SftObjective(model, rows, plan, settings.batchSize());
      Objective crashing = step -> {
        if (step == 5) {
          throw new IllegalStateException("simulated crash at step 5");
        }
        return real.accumulate(step);
      };
      assertThatThrownBy(() -> train(model, settings, interrupted, false, crashing, registry, log)).hasMessageContaining("simulated crash");
    }
    assertThat(interrupted.resolve("checkpoints/step-000003")).exists();
    assertThat(interrupted.resolve("checkpoints/step-000006")).doesNotExist();
    try (Qwen2Model model = fresh()) {
      assertThatThrownBy(() -> train(model, settings, interrupted, false, null, registry, log)).hasMessageContaining("pass --resume");
      train(model, settings, interrupted, true, null, registry, log);
      assertThat(log).contains("sft resuming after step 3 from " + interrupted.resolve("checkpoints/step-000003"));
      for (Map.Entry<String, NDArray> entry : model.parameters().entrySet()) {
        assertThat(maxDifference(entry.getValue().toFloatArray(), expected.get(entry.getKey()))).as(entry.getKey()).isZero();
      }
    }
    List<TrainingStep> steps = MetricsSink.read(dev.crucible.data.io.HadoopFiles.local(interrupted.resolve("metrics")), new Configuration(), "sft");
    assertThat(steps).extracting(TrainingStep::step).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void refusesToResumeWithOtherSettings(@TempDir Path out) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> log = new ArrayList<>();
    try (Qwen2Model model = fresh()) {
      train(model, TrainingRuns.settings(3, 3, null), out, false, null, registry, log);
    }
    try (Qwen2Model model = fresh()) {
      assertThatThrownBy(() -> train(model, TrainingRuns.settings(6, 3, null), out, true, null, registry, log))
          .hasMessageContaining("was made with other settings or data");
    }
  }

  @Test
  void loraTrainsOnlyTheAdaptersAndMergesThemIntoTheExport(@TempDir Path out) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> log = new ArrayList<>();
    Map<String, float[]> before = new java.util.HashMap<>();
    try (Qwen2Model model = fresh()) {
      model.parameters().forEach((name, array) -> before.put(name, array.toFloatArray()));
      TrainSettings settings = TrainingRuns.settings(12, 6, new TrainSettings.Lora(4, 8, List.of("q_proj", "v_proj")));
      Path result = train(model, settings, out, false, null, registry, log);
      assertThat(out.resolve("checkpoints/step-000006/adapter_model.safetensors")).exists();
      assertThat(Files.readString(out.resolve("checkpoints/step-000006/adapter_config.json"))).contains("\"r\" : 4", "q_proj");
      try (NDManager m = manager.newSubManager(); Qwen2Model merged = Qwen2Model.load(result, m)) {
        for (Map.Entry<String, NDArray> entry : merged.parameters().entrySet()) {
          boolean adapted = entry.getKey().endsWith("q_proj.weight") || entry.getKey().endsWith("v_proj.weight");
          if (adapted) {
            assertThat(maxDifference(entry.getValue().toFloatArray(), before.get(entry.getKey()))).as(entry.getKey()).isGreaterThan(1e-5);
          } else {
            assertThat(maxDifference(entry.getValue().toFloatArray(), before.get(entry.getKey()))).as(entry.getKey()).isZero();
          }
        }
      }
    }
    List<TrainingStep> steps = MetricsSink.read(dev.crucible.data.io.HadoopFiles.local(out.resolve("metrics")), new Configuration(), "sft");
    steps = steps.stream().sorted(java.util.Comparator.comparingInt(TrainingStep::step)).toList();
    assertThat(steps.get(11).loss()).isLessThan(steps.get(0).loss());
  }

  private static double maxDifference(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
