package dev.crucible.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.SandboxChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each training stage's section, with the run's paths filled in where it leaves them out, and nowhere else. */
class StageConfigsTest {
  @TempDir Path temp;

  private PipelineConfig config(String training) throws IOException {
    Path file = temp.resolve("pipeline.yaml");
    Files.writeString(file, "run_id: r\ntasks: t.jsonl\nrollout: {policy: scripted}\nsandbox: {backend: docker, runtime: runsc}\n" + training);
    return PipelineConfig.load(file);
  }

  @Test
  void eachStageStartsFromTheModelTheStageBeforeLeftAndTrainsOnTheRunsEpisodes() throws IOException {
    PipelineConfig config = config("sft: {training: {max_steps: 3}}\ndpo: {}\ngrpo: {rl: {iterations: 2}}\n");
    Path run = temp.resolve("runs/r");
    assertThat(StageConfigs.effective(PipelineStage.SFT, config.training().get(PipelineStage.SFT), run, config)).isEqualTo(Map.of(
        "training", Map.of("max_steps", 3), "output", run.resolve("sft").toString(), "data", Map.of("runs", List.of(run.toString()))));
    assertThat(StageConfigs.effective(PipelineStage.DPO, config.training().get(PipelineStage.DPO), run, config)).isEqualTo(Map.of(
        "output", run.resolve("dpo").toString(), "data", Map.of("runs", List.of(run.toString())),
        "model", Map.of("checkpoint", run.resolve("sft/final").toString())));
    assertThat(StageConfigs.effective(PipelineStage.GRPO, config.training().get(PipelineStage.GRPO), run, config)).isEqualTo(Map.of(
        "rl", Map.of("iterations", 2), "output", run.resolve("grpo").toString(), "model", Map.of("checkpoint", run.resolve("dpo/final").toString()),
        "tasks", run.resolve("tasks/tasks.parquet").toString(), "repositories", run.resolve("tasks/repos").toString(),
        "sandbox", Map.of("backend", "docker", "runtime", "runsc", "warm_pool", 0)));
    assertThat(config.sandbox()).isEqualTo(new SandboxChoice(dev.crucible.rollout.sandbox.SandboxFactory.Backend.DOCKER, "runsc", 0));
  }

  @Test
  void whatASectionSaysIsKeptAndTheNextStageFollowsItsOutput() throws IOException {
    PipelineConfig config = config("sft: {output: elsewhere/sft}\ngrpo: {model: {random: {layers: 1}}, tasks: mine.parquet, data: 7}\n");
    Path run = temp.resolve("runs/r");
    Path sft = Path.of("").toAbsolutePath().resolve("elsewhere/sft");
    assertThat(StageConfigs.finalModel(PipelineStage.SFT, config, run)).isEqualTo(sft.resolve("final"));
    Map<String, Object> grpo = StageConfigs.effective(PipelineStage.GRPO, config.training().get(PipelineStage.GRPO), run, config);
    assertThat(grpo).containsEntry("model", Map.of("random", Map.of("layers", 1))).containsEntry("tasks", "mine.parquet")
        .as("a mistake stays for the command to report with its line").containsEntry("data", 7);
    Path written = StageConfigs.write(PipelineStage.GRPO, grpo, run, config.source());
    assertThat(written).isEqualTo(run.resolve("pipeline/grpo.yaml"));
    assertThat(Files.readString(written)).startsWith("# The grpo section of " + config.source()).contains("tasks: mine.parquet\n");
  }
}
