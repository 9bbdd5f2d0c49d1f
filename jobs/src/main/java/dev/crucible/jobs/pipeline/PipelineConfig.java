package dev.crucible.jobs.pipeline;

import dev.crucible.data.HintLevel;
import dev.crucible.jobs.config.SandboxSection;
import dev.crucible.jobs.config.YamlSection;
import dev.crucible.rollout.sandbox.SandboxChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of a pipeline run, from YAML. Keys (defaults in brackets):
 *
 * <pre>
 * run_id: local                # required; the run directory is runs_dir/run_id
 * runs_dir: runs               # [runs] any Hadoop path
 * overwrite: false             # [false] true: start again, replacing the run directory; false: a rerun resumes
 * tasks: examples/tasks/sample.jsonl   # a task file (SWE-bench JSONL or Parquet), or:
 * generate:                    # tasks generated from repositories by the task factory
 *   repositories: [examples/repos/textkit]   # required in this section
 *   tasks_per_repository: 10   # [10] at least 1
 *   seed: 0                    # [0]
 *   hint: none                 # [none] none, file, function, line or fix: what problem statements give away
 *   hints: [fix, line, none]   # or levels taken in turn, task by task: a mix of easy and hard tasks
 *   held_out: 0                # [0] of each repository's tasks, held out to RUN/tasks/held-out.parquet
 * sandbox:                     # the sandboxes of every stage
 *   backend: docker            # [docker] docker, or process (no isolation; opt-in)
 *   runtime: runsc             # [the daemon's default] a Docker runtime, for example runsc (gVisor)
 *   warm_pool: 0               # [0] Docker containers each executor keeps started ahead
 * spark:
 *   master: local[*]           # [unset: taken from spark-submit, else local[*]]
 *   conf: {key: value}         # [empty] extra Spark settings
 * rollout:                     # the real episodes; without this section, the synthetic sample run
 *   policy: scripted           # required in this section
 *   scaffold: single           # [single]
 *   mode: standard             # [standard] fast, standard or deep
 *   samples: 2                 # [1] episodes per task
 *   max_workers: 2             # [2] episodes at once per executor
 *   episode_timeout: 1800      # [1800] seconds one episode may run before grading
 *   seed: 0                    # [0]
 * sft: {...}                   # [none] the YAML 'crucible train sft --config' takes; absent keys filled in:
 *                              #   output: RUN/sft, data.runs: [RUN]
 * dpo: {...}                   # [none] as 'crucible train dpo' takes; output: RUN/dpo, data.runs: [RUN],
 *                              #   model.checkpoint: RUN/sft/final (with an sft section)
 * grpo: {...}                  # [none] as 'crucible train grpo' takes (rollout.mode: auto with a meta section
 *                              #   for MRT); output: RUN/grpo, tasks and repositories: RUN's, sandbox: the
 *                              #   pipeline's, model.checkpoint: the last of RUN/dpo/final, RUN/sft/final
 * held_out:                    # [none] every stage's model, and the rollout's policy, on the held-out tasks
 *   tasks: FILE                # [RUN/tasks/held-out.parquet, from generate.held_out]
 *   samples: 1                 # [1] episodes per task and model
 *   temperature: 0             # [0] greedy
 *   mode: fast                 # [fast]
 *   max_workers: 2             # [2]
 *   episode_timeout: 600       # [600] seconds
 * report:
 *   price_per_hour: 0          # [0] what an hour of the cluster costs, for the report's cost per resolved task
 * sample_run:
 *   iterations: 2              # [1]  at least 1
 *   samples_per_task: 4        # [4]  at least 1
 *   turns: 30                  # [30] at least 2
 *   observation_bytes: 2000    # [2000] at least 0
 *   seed: 7                    # [7]
 * </pre>
 *
 * @param runId the run's name, also its directory name
 * @param runsDirectory where run directories live
 * @param overwrite whether an existing run directory may be replaced
 * @param tasks the task file, or {@code null} when tasks are generated
 * @param generate how to generate tasks, or {@code null} when they come from a file
 * @param sandbox the sandboxes of every stage
 * @param sparkMaster the Spark master URL, or {@code null} to take spark-submit's
 * @param sparkConf extra Spark settings
 * @param rollout settings of the rollout stage, or {@code null} to write the synthetic sample run
 * @param sampleRun settings of the synthetic sample run
 * @param training the training stages' sections as written (sft, dpo, grpo; each absent when not run)
 * @param heldOut the held-out evaluation of every stage, or {@code null} for none
 * @param pricePerHour what an hour of the machines costs, for the report; 0 for unknown
 * @param source the config file, or {@code null} for settings made in code
 */
public record PipelineConfig(
    String runId,
    String runsDirectory,
    boolean overwrite,
    String tasks,
    Generate generate,
    SandboxChoice sandbox,
    String sparkMaster,
    Map<String, String> sparkConf,
    Rollout rollout,
    SampleRun sampleRun,
    Map<PipelineStage, Map<String, Object>> training,
    HeldOut heldOut,
    double pricePerHour,
    Path source) {

  /** The stages whose section is the YAML of their own command. */
  public static final List<PipelineStage> TRAINING = List.of(PipelineStage.SFT, PipelineStage.DPO, PipelineStage.GRPO);

  public PipelineConfig {
    sparkConf = Map.copyOf(sparkConf);
    java.util.EnumMap<PipelineStage, Map<String, Object>> ordered = new java.util.EnumMap<>(PipelineStage.class);
    ordered.putAll(training);
    training = java.util.Collections.unmodifiableMap(ordered); // In stage order: settings() must read the same in every JVM.
  }

  /**
   * The held-out evaluation: {@code samples} episodes per task of each model at {@code temperature} in
   * {@code mode}; {@code tasks} {@code null} for the generated split.
   */
  public record HeldOut(String tasks, int samples, double temperature, String mode, int maxWorkers, java.time.Duration episodeTimeout) {}

  /**
   * Settings of the sample stage, which writes synthetic trajectories (policy version
   * {@code synthetic}) until real rollouts exist.
   *
   * @param iterations iterations to write, at least 1
   * @param samplesPerTask episodes per task and iteration, at least 1
   * @param turns turns per episode, at least 2
   * @param observationBytes bytes per tool observation, at least 0
   * @param seed generator seed
   */
  public record SampleRun(int iterations, int samplesPerTask, int turns, int observationBytes, long seed) {}

  /**
   * Settings of the rollout stage: real episodes in sandboxes, graded.
   *
   * @param policy policy name
   * @param scaffold scaffold name
   * @param mode {@code fast}, {@code standard} or {@code deep}
   * @param samples episodes per task, at least 1
   * @param maxWorkers episodes at once per executor, at least 1
   * @param seed varies seeded policies
   * @param episodeTimeout the wall-clock budget of one episode, grading not included
   */
  public record Rollout(
      String policy, String scaffold, String mode, int samples, int maxWorkers, long seed, java.time.Duration episodeTimeout) {}

  /**
   * Settings of the task factory stage.
   *
   * @param repositories Python repositories with pytest suites
   * @param tasksPerRepository most tasks from each, at least 1
   * @param seed fixes which bugs are planted
   * @param hints what each problem statement gives away, level by level in turn
   * @param heldOut tasks of each repository kept out of training, below {@code tasksPerRepository}
   */
  public record Generate(List<String> repositories, int tasksPerRepository, long seed, List<HintLevel> hints, int heldOut) {
    public Generate {
      repositories = List.copyOf(repositories);
    }
  }

  /** Everything that decides what the run computes, as text (not where it runs, nor the report's price): a resumed run must have the same. */
  public String settings() {
    return new PipelineConfig(runId, runsDirectory, false, tasks, generate, sandbox, null, Map.of(), rollout, sampleRun, training,
        heldOut, 0, null).toString();
  }

  /** The run directory, {@code runs_dir/run_id}. */
  public String runDirectory() {
    return runsDirectory.endsWith("/") ? runsDirectory + runId : runsDirectory + "/" + runId;
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws dev.crucible.data.InvalidInputException listing every bad key, with its line
   */
  public static PipelineConfig load(Path file) {
    YamlSection root = YamlSection.load(file);
    String runId = root.requiredString("run_id");
    if (runId != null && !runId.matches("[A-Za-z0-9._-]+")) {
      root.reject("run_id", "use only letters, digits, '.', '_' and '-', got '" + runId + "'");
    }
    String runsDirectory = root.string("runs_dir", "runs");
    boolean overwrite = root.bool("overwrite", false);
    String tasks = root.string("tasks", null);
    Generate generate = null;
    boolean generating = root.has("generate");
    YamlSection section = root.section("generate");
    if (generating) {
      List<String> repositories = section.stringList("repositories");
      if (repositories.isEmpty()) {
        section.reject("repositories", "give at least one repository to generate tasks from");
      }
      int perRepository = section.integer("tasks_per_repository", 10, 1);
      List<HintLevel> hints = new ArrayList<>();
      try {
        hints.add(HintLevel.fromTableName(section.string("hint", HintLevel.NONE.tableName())));
      } catch (IllegalArgumentException e) {
        section.reject("hint", e.getMessage());
      }
      if (section.has("hints")) {
        if (section.has("hint")) {
          section.reject("hints", "give hint (one level) or hints (levels taken in turn), not both");
        }
        hints.clear();
        for (String level : section.stringList("hints")) {
          try {
            hints.add(HintLevel.fromTableName(level));
          } catch (IllegalArgumentException e) {
            section.reject("hints", e.getMessage());
          }
        }
        if (hints.isEmpty()) {
          section.reject("hints", "give at least one hint level");
          hints.add(HintLevel.NONE);
        }
      }
      int heldOut = section.integer("held_out", 0, 0);
      if (heldOut >= perRepository) {
        section.reject("held_out", "must be below tasks_per_repository (" + perRepository + "), got " + heldOut);
      }
      generate = new Generate(repositories, perRepository, section.longValue("seed", 0L), hints, heldOut);
    }
    section.finish();
    if ((tasks == null) == (generate == null)) {
      root.reject("tasks", "give either a task file (tasks) or a generate section, not both and not neither");
    }

    SandboxChoice sandbox = SandboxSection.read(root.section("sandbox"));

    YamlSection spark = root.section("spark");
    String master = spark.string("master", null);
    Map<String, String> sparkConf = spark.stringMap("conf");
    spark.finish();

    Rollout rollout = null;
    boolean rolling = root.has("rollout");
    YamlSection rolloutSection = root.section("rollout");
    if (rolling) {
      rollout =
          new Rollout(
              rolloutSection.requiredString("policy"), rolloutSection.string("scaffold", "single"),
              rolloutSection.string("mode", "standard"), rolloutSection.integer("samples", 1, 1),
              rolloutSection.integer("max_workers", 2, 1), rolloutSection.longValue("seed", 0L),
              java.time.Duration.ofSeconds(rolloutSection.integer("episode_timeout", 1800, 1)));
      rolloutSection.check("policy", () -> dev.crucible.rollout.agent.PolicyFactory.named(rolloutSection.string("policy", ""), 0));
      rolloutSection.check("scaffold", () -> dev.crucible.rollout.agent.Scaffold.named(rolloutSection.string("scaffold", "single")));
      rolloutSection.check("mode", () -> dev.crucible.rollout.agent.Modes.DEFAULT.named(rolloutSection.string("mode", "standard")));
    }
    rolloutSection.finish();

    YamlSection sample = root.section("sample_run");
    SampleRun sampleRun =
        new SampleRun(
            sample.integer("iterations", 1, 1),
            sample.integer("samples_per_task", 4, 1),
            sample.integer("turns", 30, 2),
            sample.integer("observation_bytes", 2000, 0),
            sample.longValue("seed", 7L));
    sample.finish();

    Map<PipelineStage, Map<String, Object>> training = new java.util.EnumMap<>(PipelineStage.class);
    Map<String, Object> raw = rawSections(file);
    for (PipelineStage stage : TRAINING) {
      root.section(stage.configName()); // Its keys are its command's, checked when the stage starts.
      if (root.has(stage.configName())) {
        if (rollout == null) {
          root.reject(stage.configName(), "trains on the rollout stage's episodes: add a rollout section");
        }
        Object written = raw.get(stage.configName());
        training.put(stage, written instanceof Map<?, ?> map ? stringKeys(map) : new java.util.LinkedHashMap<>());
      }
    }

    HeldOut heldOut = null;
    boolean evaluating = root.has("held_out");
    YamlSection heldOutSection = root.section("held_out");
    if (evaluating) {
      String heldOutTasks = heldOutSection.string("tasks", null);
      if (rollout == null) {
        root.reject("held_out", "needs a rollout section: its policy is evaluated too, and its scaffold used");
      }
      if (heldOutTasks == null && (generate == null || generate.heldOut() == 0)) {
        root.reject("held_out", "needs held-out tasks: held_out.tasks, or generate.held_out above 0");
      }
      heldOut = new HeldOut(heldOutTasks, heldOutSection.integer("samples", 1, 1), heldOutSection.decimal("temperature", 0, 0, 10),
          heldOutSection.string("mode", "fast"), heldOutSection.integer("max_workers", 2, 1),
          java.time.Duration.ofSeconds(heldOutSection.integer("episode_timeout", 600, 1)));
      heldOutSection.check("mode", () -> dev.crucible.rollout.agent.Modes.DEFAULT.named(heldOutSection.string("mode", "fast")));
    }
    heldOutSection.finish();

    YamlSection report = root.section("report");
    double pricePerHour = report.decimal("price_per_hour", 0, 0, 1e9);
    report.finish();
    root.finish();
    root.problems().throwIfAny();
    return new PipelineConfig(runId, runsDirectory, overwrite, tasks, generate, sandbox, master, sparkConf, rollout, sampleRun, training,
        heldOut, pricePerHour, file);
  }

  /** The file as plain maps and lists, for the sections passed on whole to their commands. */
  private static Map<String, Object> rawSections(Path file) {
    try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file)) {
      Object root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
          .load(reader);
      return root instanceof Map<?, ?> map ? stringKeys(map) : Map.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(String.valueOf(key), value));
    return copy;
  }

}
