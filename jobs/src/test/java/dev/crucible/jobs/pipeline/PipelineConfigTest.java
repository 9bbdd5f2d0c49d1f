package dev.crucible.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import dev.crucible.data.InvalidInputException;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  @TempDir Path temp;

  @Test
  void loadsTheEmbeddedDefault() {
    PipelineConfig config = PipelineConfig.load(Path.of("../examples/local.yaml"));
    assertThat(config.runId()).isEqualTo("local");
    assertThat(config.runDirectory()).isEqualTo("runs/local");
    assertThat(config.overwrite()).as("a rerun resumes").isFalse();
    assertThat(config.tasks()).isNull();
    assertThat(config.generate()).isEqualTo(new PipelineConfig.Generate(List.of("examples/repos/textkit", "examples/repos/datakit"), 4, 0L,
        List.of(HintLevel.FIX, HintLevel.LINE, HintLevel.NONE), 1));
    assertThat(config.sandbox()).isEqualTo(SandboxChoice.docker());
    assertThat(config.sparkMaster()).isEqualTo("local[*]");
    assertThat(config.rollout()).isEqualTo(new PipelineConfig.Rollout("scripted", "single", "standard", 2, 2, 0L, java.time.Duration.ofMinutes(30)));
    assertThat(config.training().keySet()).containsExactly(PipelineStage.SFT, PipelineStage.DPO, PipelineStage.GRPO);
    assertThat(config.training().get(PipelineStage.GRPO)).containsKeys("rollout", "meta", "rl", "training");
    assertThat(config.heldOut()).isEqualTo(new PipelineConfig.HeldOut(null, 1, 0.0, "fast", 2, java.time.Duration.ofMinutes(10)));
    assertThat(config.pricePerHour()).isEqualTo(0.10);
  }

  @Test
  void trainingSectionsPassOnWholeButNeedEpisodesAndTheHeldOutStageNeedsHeldOutTasks() throws IOException {
    Path file = write("run_id: r\ntasks: t.jsonl\nsft:\n  anything: [the, train, command, checks, it]\nheld_out:\n  samples: 0\n");
    assertThat(catchInvalid(file).problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ":4: field 'sft': trains on the rollout stage's episodes: add a rollout section",
            file + ":6: field 'held_out': needs a rollout section: its policy is evaluated too, and its scaffold used",
            file + ":6: field 'held_out': needs held-out tasks: held_out.tasks, or generate.held_out above 0",
            file + ":6: field 'held_out.samples': must be at least 1, got 0");
    PipelineConfig config = PipelineConfig.load(write("run_id: r\ntasks: t.jsonl\nrollout: {policy: scripted}\n"
        + "dpo: {dpo: {beta: 0.2}, training: {max_steps: 3}}\n"));
    assertThat(config.training()).containsOnlyKeys(PipelineStage.DPO);
    assertThat(config.training().get(PipelineStage.DPO)).isEqualTo(java.util.Map.of("dpo", java.util.Map.of("beta", 0.2),
        "training", java.util.Map.of("max_steps", 3)));
  }

  @Test
  void theSettingsOfARunIgnoreWhereItRunsAndTheReportsPrice() throws IOException {
    String base = "run_id: r\ntasks: t.jsonl\nrollout: {policy: scripted}\nsft: {training: {max_steps: 3}}\n";
    String settings = PipelineConfig.load(write(base)).settings();
    assertThat(PipelineConfig.load(write("# a comment\n" + base + "spark: {master: 'local[2]'}\nreport: {price_per_hour: 2}\n")).settings())
        .isEqualTo(settings);
    assertThat(PipelineConfig.load(write(base.replace("max_steps: 3", "max_steps: 4"))).settings()).isNotEqualTo(settings);
  }

  @Test
  void namesABadHintLevelAndAHeldOutShareThatLeavesNothingToTrainOn() throws IOException {
    Path file = write("run_id: r\ngenerate:\n  repositories: [a]\n  tasks_per_repository: 2\n  hint: everything\n  held_out: 2\n");
    assertThat(catchInvalid(file).problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ":5: field 'generate.hint': unknown hint level 'everything'; known: none, file, function, line, fix",
            file + ":6: field 'generate.held_out': must be below tasks_per_repository (2), got 2");
  }

  @Test
  void hintsMixLevelsTaskByTaskAndExcludeASingleHint() throws IOException {
    PipelineConfig mixed = PipelineConfig.load(write("run_id: r\ngenerate:\n  repositories: [a]\n  hints: [fix, line, none]\n"));
    assertThat(mixed.generate().hints()).containsExactly(HintLevel.FIX, HintLevel.LINE, HintLevel.NONE);
    Path both = write("run_id: r\ngenerate:\n  repositories: [a]\n  hint: fix\n  hints: [fix, all]\n");
    assertThat(catchInvalid(both).problems())
        .extracting(Object::toString)
        .containsExactly(
            both + ":5: field 'generate.hints': give hint (one level) or hints (levels taken in turn), not both",
            both + ":5: field 'generate.hints': unknown hint level 'all'; known: none, file, function, line, fix");
  }

  @Test
  void appliesDefaultsForAbsentKeys() throws IOException {
    PipelineConfig config = PipelineConfig.load(write("run_id: r\ntasks: t.jsonl\n"));
    assertThat(config.runsDirectory()).isEqualTo("runs");
    assertThat(config.overwrite()).isFalse();
    assertThat(config.sparkMaster()).isNull();
    assertThat(config.sampleRun())
        .isEqualTo(new PipelineConfig.SampleRun(1, 4, 30, 2000, 7L));
  }

  @Test
  void reportsEveryBadKeyWithItsLine() throws IOException {
    Path file =
        write(
            "run_id: has spaces\n"
                + "tasks: t.jsonl\n"
                + "overwrite: maybe\n"
                + "sample_run:\n"
                + "  iterations: 0\n"
                + "  turns: many\n"
                + "  sampels_per_task: 3\n");
    InvalidInputException error = catchInvalid(file);
    assertThat(error.problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ":1: field 'run_id': use only letters, digits, '.', '_' and '-', got 'has spaces'",
            file + ":3: field 'overwrite': expected true or false, got 'maybe'",
            file + ":5: field 'sample_run.iterations': must be at least 1, got 0",
            file + ":6: field 'sample_run.turns': expected an integer, got 'many'",
            file + ":7: field 'sample_run.sampels_per_task': unknown key; known keys here: "
                + "iterations, samples_per_task, turns, observation_bytes, seed");
  }

  @Test
  void namesMissingRequiredKeys() throws IOException {
    Path file = write("runs_dir: out\n");
    assertThat(catchInvalid(file).problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ": field 'run_id': required; give a non-empty value",
            file + ": field 'tasks': give either a task file (tasks) or a generate section, not both and not neither");
  }

  @Test
  void needsExactlyOneSourceOfTasks() throws IOException {
    Path neither = write("run_id: r\n");
    assertThat(catchInvalid(neither).getMessage())
        .isEqualTo(neither + ": field 'tasks': give either a task file (tasks) or a generate section, not both and not neither");
    Path badGenerate = write("run_id: r\ngenerate:\n  repositories: []\nsandbox:\n  backend: vm\n");
    assertThat(catchInvalid(badGenerate).problems())
        .extracting(Object::toString)
        .containsExactly(
            badGenerate + ":3: field 'generate.repositories': give at least one repository to generate tasks from",
            badGenerate + ":5: field 'sandbox.backend': unknown sandbox backend 'vm'; known: docker, process");
    Path processWithRuntime = write("run_id: r\ntasks: t.jsonl\nsandbox:\n  backend: process\n  runtime: runsc\n");
    assertThat(catchInvalid(processWithRuntime).problems())
        .extracting(Object::toString)
        .containsExactly(processWithRuntime + ":5: field 'sandbox.runtime': a runtime (runsc) applies only to the docker backend");
  }

  @Test
  void namesAnUnknownPolicyScaffoldAndMode() throws IOException {
    Path file = write("run_id: r\ntasks: t.jsonl\nrollout:\n  policy: oracle\n  scaffold: swarm\n  mode: slow\n");
    assertThat(catchInvalid(file).problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ":4: field 'rollout.policy': unknown policy 'oracle'; known: scripted, openai:<base-url>[#model], djl:<checkpoint>[#temperature], redteam:<attack> (a test tool)",
            file + ":5: field 'rollout.scaffold': unknown scaffold 'swarm'; known: single, phased",
            file + ":6: field 'rollout.mode': unknown mode 'slow'; known: fast, standard, deep");
  }

  @Test
  void rejectsAFileThatIsNotAMapping() throws IOException {
    Path file = write("- just\n- a list\n");
    assertThat(catchInvalid(file).getMessage())
        .isEqualTo(file + ":1: the config must be a mapping of keys to values");
  }

  private Path write(String yaml) throws IOException {
    Path file = temp.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static InvalidInputException catchInvalid(Path file) {
    try {
      PipelineConfig.load(file);
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("expected " + file + " to be rejected");
  }
}
