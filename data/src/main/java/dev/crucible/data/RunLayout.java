package dev.crucible.data;

import org.apache.hadoop.fs.Path;

/**
 * Every path of a run directory, on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}):
 *
 * <pre>
 * RUN/tasks/tasks.parquet            the tasks the run works on (held-out.parquet: those it only evaluates)
 * RUN/tasks/repos/owner__name.bundle each task repository as a git bundle (owner__name/: a git directory, local runs only)
 * RUN/trajectories/iteration=I/      one row per episode          RUN/preference_pairs/iteration=I/
 * RUN/metrics/stage=S/               training steps               RUN/metrics/iteration=I.prom  rollout metrics
 * RUN/iterations/stage=S/            one row per RL iteration     RUN/rollouts/                 the RL loop's episodes
 * RUN/rollouts/batches/iteration-NNNNNN.parquet  the tasks an RL iteration drew
 * RUN/policies/iteration-NNNNNN/  RUN/held-out/  RUN/batches/  RUN/base/   the RL loop's policies, held-out episodes,
 *                                  dumped token batches, the frozen base of its adapters
 * RUN/mode_decisions/  RUN/modes-report.json  RUN/meta/  RUN/oracle/MODE/   mode evaluation and the meta-controller
 * RUN/checkpoints/step-NNNNNN/  RUN/final/   checkpoints
 * RUN/pipeline/                      the pipeline's config, stage configs and ledger
 * RUN/STAGE/                         a pipeline stage's own run directory
 * RUN/report.html
 * </pre>
 *
 * <p>The run id is the directory's name. No other class spells these names.
 */
public record RunLayout(Path root) {
  public static final String TASKS_FOLDER = "tasks";
  public static final String TRAJECTORIES = "trajectories";
  public static final String PREFERENCE_PAIRS = "preference_pairs";
  public static final String METRICS = "metrics";
  public static final String ITERATIONS = "iterations";
  public static final String ROLLOUTS = "rollouts";
  public static final String MODE_DECISIONS = "mode_decisions";
  public static final String MODES_REPORT = "modes-report.json";
  public static final String META = "meta";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String POLICIES = "policies";
  public static final String HELD_OUT = "held-out";
  public static final String BATCHES = "batches";
  /** With LoRA on a random start model: the frozen base the adapters apply to. */
  public static final String BASE = "base";
  public static final String FINAL = "final";
  public static final String PIPELINE = "pipeline";
  public static final String REPORT = "report.html";

  public RunLayout {
    if (root == null) {
      throw new IllegalArgumentException("a run layout needs a run directory");
    }
  }

  /** The layout of a local run directory. */
  public static RunLayout local(java.nio.file.Path root) {
    return new RunLayout(dev.crucible.data.io.HadoopFiles.local(root));
  }

  public String runId() {
    return root.getName();
  }

  public Path tasks() {
    return new Path(tasksFolder(), "tasks.parquet");
  }

  public Path heldOutTasks() {
    return new Path(tasksFolder(), "held-out.parquet");
  }

  /** The folder of the tasks' repositories: a git bundle (or, locally, a git directory) per repository. */
  public Path repositories() {
    return new Path(tasksFolder(), "repos");
  }

  public Path tasksFolder() {
    return new Path(root, TASKS_FOLDER);
  }

  public Path trajectories() {
    return new Path(root, TRAJECTORIES);
  }

  public Path preferencePairs() {
    return new Path(root, PREFERENCE_PAIRS);
  }

  /** The training-steps table, partitioned by stage. */
  public Path metrics() {
    return new Path(root, METRICS);
  }

  /** A rollout's final metrics in the Prometheus text format. */
  public Path rolloutMetrics(int iteration) {
    return new Path(metrics(), dev.crucible.data.parquet.TrajectoryStore.iterationPartition(iteration) + ".prom");
  }

  public Path iterations() {
    return new Path(root, ITERATIONS);
  }

  /** The RL loop's own run directory of episodes. */
  public RunLayout rollouts() {
    return new RunLayout(new Path(root, ROLLOUTS));
  }

  /** The tasks an RL iteration's rollout drew from the run's tasks. */
  public Path iterationTasks(int iteration) {
    return new Path(new Path(root, BATCHES), String.format("iteration-%06d.parquet", iteration));
  }

  public Path modeDecisions() {
    return new Path(root, MODE_DECISIONS);
  }

  public Path modesReport() {
    return new Path(root, MODES_REPORT);
  }

  /** The meta-controller's saved state. */
  public Path meta() {
    return new Path(root, META);
  }

  /** The run directory of the oracle's episodes in one mode. */
  public RunLayout oracle(String mode) {
    return new RunLayout(new Path(new Path(root, "oracle"), mode));
  }

  public Path checkpoints() {
    return new Path(root, CHECKPOINTS);
  }

  /** The checkpoint a training run ends with. */
  public Path finalCheckpoint() {
    return new Path(root, FINAL);
  }

  public Path pipeline() {
    return new Path(root, PIPELINE);
  }

  /** A pipeline stage's own run directory. */
  public RunLayout stage(String name) {
    return new RunLayout(new Path(root, name));
  }

  public Path report() {
    return new Path(root, REPORT);
  }
}
