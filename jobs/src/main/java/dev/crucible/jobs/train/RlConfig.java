package dev.crucible.jobs.train;

import dev.crucible.data.io.InputFiles;
import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.jobs.config.ModesSection;
import dev.crucible.jobs.config.SandboxSection;
import dev.crucible.jobs.config.YamlSection;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.agent.Scaffold;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.search.EmbeddingsEndpoint;
import dev.crucible.trainer.meta.MetaController;
import dev.crucible.trainer.rl.Aggregation;
import dev.crucible.trainer.rl.PolicyLosses;
import dev.crucible.trainer.rl.Shaping;
import dev.crucible.trainer.train.TrainSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;

/**
 * A {@code crucible train grpo|rloo|ppo} config, validated whole before anything starts (every bad or unknown
 * key reported with its line):
 *
 * <pre>
 * output: runs/grpo-local         # the RL run's directory; its name is the run id
 * model: {checkpoint: DIR}        # or random: {...} as in train sft
 * tasks: runs/local/tasks/tasks.parquet
 * repositories: runs/local/tasks/repos   # [the tasks file's folder/repos]
 * sandbox: {backend: docker, runtime: runsc, warm_pool: 0}   # [0] containers started ahead per executor
 * rollout: {samples: 4, scaffold: single, mode: fast,   # mode: a mode's name, or auto (see meta)
 *           max_workers: 2, temperature: 1.0, episode_timeout: 1800, seed: 0,
 *           tasks_per_iteration: 0,      # [0: every task] else a batch drawn afresh each iteration
 *           progress_gradings: 0,        # [0: none] edit boundaries graded per episode for progress rewards
 *           embeddings: URL#MODEL,       # [none: BM25 alone] search_code also ranks by this /v1/embeddings endpoint's vectors
 *           server: URL}                 # [none: in-process djl] an OpenAI-compatible server (crucible serve) each
 *                                        # policy version is published to and sampled from, at temperature 1
 * rl: {iterations: 10, epochs: 1, minibatch: 8, normalize_std: true, clip_low: 0.2, clip_high: 0.28, dual_clip: 3,
 *      kl_beta: 0.02, entropy: 0, importance_cap: 2, aggregation: token_mean,
 *      gamma: 1, lambda: 0.95, value_coefficient: 0.5, value_clip: 0.2,   # PPO's
 *      kl_in_reward: false,          # PPO: kl_beta * k1 per token in the reward instead of k3 in the loss
 *      progress_alpha: 0,            # GRPO, RLOO: each turn's tokens also get alpha * its shaping reward (rollout.progress_gradings)
 *      shaping: progress}            # [progress] MRT's progress per turn, or milestones: the fixed bonuses
 * training: {sequence_length: 4096, batch_size: 2, learning_rate: 1e-5, weight_decay: 0, max_grad_norm: 1, seed: 0}
 * lora: {rank: 8, alpha: 16, targets: [q_proj, v_proj]}   # [none: the whole model trains] adapters on a frozen base;
 *                                 # each policy version is then an adapter, published to a server as one
 * reward: {correctness: 1, coverage: 0.2, tokens: 0.0001, lint: 0.05,   # the weights of each episode's reward
 *          progress: 0, milestones: 0}   # its shaping terms: progress rewards, the fixed milestone bonuses
 * modes:                         # [fast 10, standard 30, deep 100 steps, every tool] budgets, guidance, tools
 *   fast: {max_steps: 4, tools: [view_file, str_replace_editor, run_tests, submit]}
 * meta:                          # [none] with rollout.mode: auto, MRT's meta-controller picks each episode's mode
 *   lambda: 0.001                 # the price of a token: it learns from reward - lambda * tokens
 *   hidden: 16, learning_rate: 0.03, epochs: 1, entropy: 0.03, baseline_coefficient: 0.5, seed: 0
 *   embedding: true               # [true] the statement's embedding from the start model's hidden states as features
 * async: {max_staleness: 0}       # [0: on-policy] 1: iteration i+1's rollout runs on policy i while i trains
 * evaluation:                     # [none] held-out tasks, never trained on
 *   tasks: runs/local/tasks/held-out.parquet
 *   repositories: DIR             # [the tasks file's folder/repos]
 *   every: 1                      # [1] evaluate policy i when i % every == 0, and the last policy
 *   samples: 1                    # [1] episodes per task
 *   temperature: 0                # [0] greedy; above 0, sampled with top-p 1
 * </pre>
 *
 * @param evaluation the held-out evaluation, or {@code null} for none
 * @param rewardWeights the weights of the reward module's total, for the rollouts and the held-out evaluation alike
 * @param lora the adapters trained on the frozen start model, or {@code null} to train the whole model
 * @param modes the modes episodes may run in ({@link ModesSection})
 * @param meta the meta-controller that chooses each episode's mode when {@code rollout.mode} is {@code auto};
 *     {@code null} otherwise
 * @param maxStaleness how many versions older than the policy being trained the policy that sampled its
 *     rollout may be: 0 is on-policy; from 1 on, each rollout runs while the previous iteration trains
 */
public record RlConfig(
    Path output, MirroredDirectory sharedOutput, Path checkpoint, TrainConfig.RandomModel randomModel, long modelSeed,
    org.apache.hadoop.fs.Path tasks, org.apache.hadoop.fs.Path repositories,
    SandboxChoice sandbox, Rollout rollout, Rl rl, Training training, TrainSettings.Lora lora, Evaluation evaluation,
    RewardWeights rewardWeights, int maxStaleness, Modes modes, Meta meta) {

  /**
   * The policy version that samples iteration {@code iteration}'s rollout. Rollouts run at most one
   * iteration ahead of training, so under any staleness bound from 1 on it is the previous version: the
   * newest one saved when the rollout starts.
   */
  public int rolloutPolicy(int iteration) {
    return maxStaleness == 0 ? iteration : Math.max(0, iteration - 1);
  }

  /** The policies' held-out evaluation: {@code samples} episodes per task at {@code temperature} (0: greedy). */
  public record Evaluation(org.apache.hadoop.fs.Path tasks, org.apache.hadoop.fs.Path repositories, int every, int samples, double temperature) {}

  /**
   * How each iteration's episodes are sampled: {@code samples} per task, at {@code temperature} with top-p 1,
   * on {@code tasksPerIteration} tasks drawn by the seed and the iteration (0: every task), in-process on
   * the executors or by the OpenAI-compatible {@code server} (its base URL, ending in {@code /v1}; {@code null} for none),
   * with {@code progressGradings} edit boundaries per episode graded for progress rewards, and search_code's dense
   * vectors from {@code embeddings} ({@code null}: BM25 alone).
   */
  public record Rollout(int samples, String scaffold, String mode, int maxWorkers, double temperature, Duration episodeTimeout, long seed,
      int tasksPerIteration, String server, int progressGradings, EmbeddingsEndpoint embeddings) {}

  /**
   * The update: advantages, the loss and its terms. {@code gamma}, {@code lambda}, {@code valueCoefficient}
   * and {@code valueClip} are PPO's (GAE and the value head's clipped loss), as is {@code klInReward} (the
   * KL to the reference as {@code klBeta * k1} in each token's reward, not k3 in the loss); {@code normalizeStd} divides
   * GRPO's advantages by the group's standard deviation, and whitens PPO's over the batch; {@code progressAlpha}
   * weighs each turn's shaping reward in its tokens' advantage (MRT's dense credit, {@link
   * dev.crucible.trainer.rl.ProgressCredit}), {@code shaping} says which: MRT's progress or the plan's milestones.
   */
  public record Rl(int iterations, int epochs, int minibatch, boolean normalizeStd, PolicyLosses.Clip clip, double klBeta,
      double entropy, double importanceCap, Aggregation aggregation, double gamma, double lambda, double valueCoefficient,
      double valueClip, boolean klInReward, double progressAlpha, Shaping shaping) {}

  /**
   * MRT's meta-controller: {@code settings} of its network and update, {@code lambda} the price of a token
   * in its return, {@code embedding} whether the start model's hidden states embed each statement as features.
   */
  public record Meta(double lambda, MetaController.Settings settings, boolean embedding) {}

  /** The optimizer (AdamW at a constant rate) and the rows. */
  public record Training(int sequenceLength, int batchSize, double learningRate, double weightDecay, double maxGradNorm,
      double beta1, double beta2, double epsilon, long seed) {}

  public static RlConfig load(Path file) {
    Configuration conf = new Configuration();
    YamlSection root = YamlSection.load(file);
    String output = root.requiredString("output");
    YamlSection model = root.section("model");
    String checkpoint = model.string("checkpoint", null);
    Path checkpointDirectory = null;
    YamlSection random = model.section("random");
    TrainConfig.RandomModel randomModel = null;
    if (checkpoint == null) {
      randomModel = TrainConfig.RandomModel.read(random);
    } else {
      checkpointDirectory = SharedStorage.checkpoint(model, "checkpoint", checkpoint, conf);
    }
    long modelSeed = random.longValue("seed", 0);
    random.finish();
    model.finish();

    String tasksText = root.requiredString("tasks");
    org.apache.hadoop.fs.Path tasks =
        tasksText == null ? null : SharedStorage.input(root, "tasks", tasksText, InputFiles.Kind.FILE_OR_DIRECTORY, conf);
    org.apache.hadoop.fs.Path repositories = tasks == null ? null : repositories(root, tasks, conf);

    Evaluation evaluation = null;
    if (root.has("evaluation")) {
      YamlSection evaluationSection = root.section("evaluation");
      String heldOutText = evaluationSection.requiredString("tasks");
      int every = evaluationSection.integer("every", 1, 1);
      int samples = evaluationSection.integer("samples", 1, 1);
      double temperature = evaluationSection.decimal("temperature", 0, 0, 10);
      if (heldOutText != null) {
        org.apache.hadoop.fs.Path heldOut = SharedStorage.input(evaluationSection, "tasks", heldOutText, InputFiles.Kind.FILE_OR_DIRECTORY, conf);
        evaluation = new Evaluation(heldOut, repositories(evaluationSection, heldOut, conf), every, samples, temperature);
      }
      evaluationSection.finish();
    }

    SandboxChoice sandbox = SandboxSection.read(root.section("sandbox"));

    YamlSection rolloutSection = root.section("rollout");
    Rollout rollout = new Rollout(rolloutSection.integer("samples", 4, 2), rolloutSection.string("scaffold", "single"),
        rolloutSection.string("mode", "fast"), rolloutSection.integer("max_workers", 2, 1),
        rolloutSection.decimal("temperature", 1.0, 0.01, 10), Duration.ofSeconds(rolloutSection.integer("episode_timeout", 1800, 1)),
        rolloutSection.longValue("seed", 0), rolloutSection.integer("tasks_per_iteration", 0, 0), rolloutSection.string("server", null),
        rolloutSection.integer("progress_gradings", 0, 0), embeddings(rolloutSection));
    if (rollout.server() != null && rollout.temperature() != 1.0) {
      rolloutSection.reject("temperature", "must be 1 with a server: its policy samples at temperature 1, top-p 1, not " + rollout.temperature());
    }
    if (rollout.server() != null && !rollout.server().matches("https?://\\S+")) {
      rolloutSection.reject("server", "must be an http(s) base URL such as http://127.0.0.1:8000/v1, not '" + rollout.server() + "'");
    }
    rolloutSection.check("scaffold", () -> Scaffold.named(rollout.scaffold()));
    Modes modes = ModesSection.read(root.section("modes"));
    boolean auto = rollout.mode().equals(Modes.AUTO);
    if (!auto) {
      rolloutSection.check("mode", () -> modes.named(rollout.mode()));
    } else if (!root.has("meta")) {
      rolloutSection.reject("mode", "auto needs a meta section: the meta-controller that chooses each episode's mode");
    }
    rolloutSection.finish();
    Meta meta = null;
    if (root.has("meta")) {
      YamlSection metaSection = root.section("meta");
      try {
        meta = new Meta(metaSection.decimal("lambda", 0.001, 0, 1),
            new MetaController.Settings(metaSection.integer("hidden", 16, 1), metaSection.decimal("learning_rate", 0.03, 1e-9, 10),
                metaSection.integer("epochs", 1, 1), metaSection.decimal("entropy", 0.03, 0, 10),
                metaSection.decimal("baseline_coefficient", 0.5, 0, 100), metaSection.longValue("seed", 0)),
            metaSection.bool("embedding", true));
      } catch (IllegalArgumentException e) {
        metaSection.reject("learning_rate", e.getMessage());
      }
      if (!auto) {
        metaSection.reject("lambda", "a meta section needs rollout.mode: auto, so the meta-controller chooses the modes");
      }
      if (modes.size() < 2) {
        metaSection.reject("lambda", "the meta-controller needs at least two modes to choose from");
      }
      metaSection.finish();
    }

    YamlSection rlSection = root.section("rl");
    PolicyLosses.Clip clip = null;
    try {
      clip = new PolicyLosses.Clip(rlSection.decimal("clip_low", 0.2, 0, 0.99), rlSection.decimal("clip_high", 0.28, 0, 10),
          rlSection.decimal("dual_clip", 0, 0, 1e6));
    } catch (IllegalArgumentException e) {
      rlSection.reject("dual_clip", e.getMessage());
    }
    Aggregation aggregation = Aggregation.TOKEN_MEAN;
    String aggregationName = rlSection.string("aggregation", Aggregation.TOKEN_MEAN.configName());
    try {
      aggregation = Aggregation.named(aggregationName);
    } catch (IllegalArgumentException e) {
      rlSection.reject("aggregation", e.getMessage());
    }
    Shaping shaping = Shaping.PROGRESS;
    try {
      shaping = Shaping.named(rlSection.string("shaping", Shaping.PROGRESS.configName()));
    } catch (IllegalArgumentException e) {
      rlSection.reject("shaping", e.getMessage());
    }
    Rl rl = new Rl(rlSection.integer("iterations", 10, 1), rlSection.integer("epochs", 1, 1), rlSection.integer("minibatch", 8, 1),
        rlSection.bool("normalize_std", true), clip, rlSection.decimal("kl_beta", 0.02, 0, 100), rlSection.decimal("entropy", 0, 0, 10),
        rlSection.decimal("importance_cap", 2.0, 1, 1e6), aggregation, rlSection.decimal("gamma", 1.0, 0, 1),
        rlSection.decimal("lambda", 0.95, 0, 1), rlSection.decimal("value_coefficient", 0.5, 0, 100), rlSection.decimal("value_clip", 0.2, 0, 1e6),
        rlSection.bool("kl_in_reward", false), rlSection.decimal("progress_alpha", 0, 0, 100), shaping);
    rlSection.finish();

    YamlSection trainingSection = root.section("training");
    Training training = new Training(trainingSection.integer("sequence_length", 4096, 16), trainingSection.integer("batch_size", 2, 1),
        trainingSection.decimal("learning_rate", 1e-5, 0, 10), trainingSection.decimal("weight_decay", 0, 0, 1),
        trainingSection.decimal("max_grad_norm", 1.0, 0, 1e9), trainingSection.decimal("beta1", 0.9, 0, 0.999999),
        trainingSection.decimal("beta2", 0.95, 0, 0.999999), trainingSection.decimal("epsilon", 1e-8, 0, 1),
        trainingSection.longValue("seed", 0));
    trainingSection.finish();
    TrainSettings.Lora lora = TrainConfig.lora(root);
    RewardWeights rewardWeights = rewardWeights(root.section("reward"));
    YamlSection asyncSection = root.section("async");
    int maxStaleness = asyncSection.integer("max_staleness", 0, 0);
    asyncSection.finish();
    root.finish();
    root.problems().throwIfAny();
    SharedStorage.Output outputDirectory = SharedStorage.output(output);
    return new RlConfig(outputDirectory.local(), outputDirectory.shared(), checkpointDirectory, randomModel,
        modelSeed, tasks, repositories, sandbox, rollout, rl, training, lora, evaluation, rewardWeights, maxStaleness, modes, meta);
  }

  /** The {@code reward} section: each weight at most 1000, any left out at its default. */
  private static RewardWeights rewardWeights(YamlSection section) {
    RewardWeights defaults = RewardWeights.defaults();
    RewardWeights weights = new RewardWeights(section.decimal("correctness", defaults.correctness(), 0, 1000),
        section.decimal("coverage", defaults.coverage(), 0, 1000), section.decimal("tokens", defaults.tokens(), 0, 1000),
        section.decimal("lint", defaults.lint(), 0, 1000), section.decimal("progress", defaults.progress(), 0, 1000),
        section.decimal("milestones", defaults.milestones(), 0, 1000));
    section.finish();
    return weights;
  }

  /** The section's {@code repositories}, by default the folder {@code repos} beside its tasks file. */
  private static org.apache.hadoop.fs.Path repositories(YamlSection section, org.apache.hadoop.fs.Path tasks, Configuration conf) {
    String text = section.string("repositories", null);
    return text == null ? new org.apache.hadoop.fs.Path(tasks.getParent(), "repos")
        : SharedStorage.input(section, "repositories", text, InputFiles.Kind.DIRECTORY, conf);
  }

  private static EmbeddingsEndpoint embeddings(YamlSection rollout) {
    String spec = rollout.string("embeddings", null);
    try {
      return spec == null ? null : EmbeddingsEndpoint.parse(spec);
    } catch (IllegalArgumentException e) {
      rollout.reject("embeddings", e.getMessage());
      return null;
    }
  }
}
