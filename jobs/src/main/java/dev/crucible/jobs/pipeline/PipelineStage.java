package dev.crucible.jobs.pipeline;

/**
 * The pipeline's stages, in the order they run. Each writes under the run directory and is skipped on a
 * rerun once its {@link StageLedger} entry says it finished.
 */
public enum PipelineStage {
  /** Tasks from a file, or generated from repositories with a held-out split: {@code RUN/tasks/}. */
  TASKS("tasks"),
  /** Episodes of the configured (by default the scripted expert's) policy on the training tasks: {@code RUN/trajectories/}. */
  ROLLOUT("rollout"),
  /** Supervised fine-tuning on the rollout's resolved episodes: {@code RUN/sft/}. */
  SFT("sft"),
  /** DPO from the SFT model on pairs of the rollout's episodes: {@code RUN/dpo/}. */
  DPO("dpo"),
  /** GRPO iterations from the last model (with {@code rollout.mode: auto}, MRT's meta-controller too): {@code RUN/grpo/}. */
  GRPO("grpo"),
  /** Every stage's model, and the rollout's policy, on the held-out tasks: {@code RUN/held-out/<stage>/}. */
  HELD_OUT("held_out"),
  /**
   * With grpo in {@code auto} mode, its meta-controller and last policy against the oracle on the held-out tasks, as
   * {@code crucible eval modes} measures it: {@code RUN/modes/}.
   */
  MODES("modes"),
  /** {@code RUN/report.html}. */
  REPORT("report");

  private final String configName;

  PipelineStage(String configName) {
    this.configName = configName;
  }

  /** Its name in configs, logs and the ledger. */
  public String configName() {
    return configName;
  }
}
