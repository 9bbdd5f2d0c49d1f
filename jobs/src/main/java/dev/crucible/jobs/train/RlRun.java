package dev.crucible.jobs.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.Outcome;
import dev.crucible.data.RlIteration;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Spread;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.meta.AutoModes;
import dev.crucible.jobs.meta.TaskFeatures;
import dev.crucible.jobs.rollout.ModeAssignment;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.io.WeightFiles;
import dev.crucible.trainer.lora.LoraAdapters;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.LearningRateSchedule;
import dev.crucible.trainer.rl.Algorithm;
import dev.crucible.trainer.rl.Groups;
import dev.crucible.trainer.rl.PolicyGradientObjective;
import dev.crucible.trainer.rl.PpoTargets;
import dev.crucible.trainer.rl.ProgressCredit;
import dev.crucible.trainer.rl.ValueHead;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.AvailableMemory;
import dev.crucible.trainer.train.Checkpoints;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.MetricsSink;
import dev.crucible.trainer.train.OptimizerStep;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.StepPlan;
import dev.crucible.trainer.train.TokenLogprobs;
import dev.crucible.trainer.train.TokenSequences;
import dev.crucible.trainer.train.TrainSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code crucible train grpo|rloo|ppo} run: on-policy iterations. Iteration {@code i} rolls out policy
 * {@code OUT/policies/iteration-i} on every task × {@code samples} through the rollout job (episodes in
 * {@code OUT/rollouts}), turns the rewards into group advantages, updates the policy for the configured
 * epochs of minibatches on the stored token ids, and writes {@code OUT/policies/iteration-(i+1)} with the
 * optimizer's state; the next iteration's executors load it. An iteration starts from the files of its
 * policy, so a run killed anywhere and resumed reaches the same parameters as one never stopped, and an
 * iteration whose episodes are stored is never rolled out again.
 *
 * <p>Each iteration's figures are a row of {@code OUT/iterations} ({@link RlIteration}); each optimizer
 * step's a row of {@code OUT/metrics}. With an evaluation section, policy {@code i} also runs on the
 * held-out tasks (every {@code every} iterations, and the last policy), into {@code OUT/held-out}.
 *
 * <p>With LoRA, the start model is a frozen base and each policy is an adapter on it ({@link TrainablePolicy}).
 */
public final class RlRun {
  public static final String POLICIES = RunLayout.POLICIES;
  static final String ROLLOUTS = RunLayout.ROLLOUTS;
  static final String HELD_OUT = RunLayout.HELD_OUT;
  static final String ITERATIONS = RunLayout.ITERATIONS;
  static final String BATCHES = RunLayout.BATCHES;
  /** With LoRA and a random start model: the frozen base the adapters apply to. */
  static final String BASE = RunLayout.BASE;
  private static final String OPTIMIZER_FILE = "optimizer.safetensors";
  /** The Spark job group of a rollout running ahead of training, cancelled when the run fails. */
  private static final String AHEAD_JOBS = "crucible-rollout-ahead";

  private final RlConfig config;
  private final Algorithm algorithm;
  private final boolean resume;
  private final int dumpBatches;
  private final Configuration conf;
  private final MeterRegistry registry;
  private final Consumer<String> progress;
  private final PrintStream rolloutProgress;
  /** Where policy versions are published, or {@code null} when rollouts generate in-process. */
  private final PolicyPublisher publisher;

  /** @param dumpBatches how many of the run's first optimizer steps write their tokens to {@code OUT/batches} */
  public RlRun(RlConfig config, Algorithm algorithm, boolean resume, int dumpBatches, Configuration conf, MeterRegistry registry,
      PrintStream progress) {
    requireCompatible(config, algorithm);
    this.config = config;
    this.algorithm = algorithm;
    this.resume = resume;
    this.dumpBatches = dumpBatches;
    this.conf = conf;
    this.registry = registry;
    this.progress = progress::println;
    this.rolloutProgress = progress;
    this.publisher = config.rollout().server() == null ? null
        : new PolicyPublisher(config.rollout().server(), config.lora() == null ? PolicyPublisher.Weights.CHECKPOINT : PolicyPublisher.Weights.LORA_ADAPTER);
  }

  /** Refuses settings the algorithm cannot honour, before anything starts. */
  public static void requireCompatible(RlConfig config, Algorithm algorithm) {
    if (config.rl().klInReward() && !algorithm.usesValueHead()) {
      throw new IllegalArgumentException("rl.kl_in_reward is PPO's (a per-token reward needs per-token advantages); "
          + algorithm.configName() + " takes the KL as k3 in the loss");
    }
    if (config.rl().progressAlpha() > 0 && algorithm.usesValueHead()) {
      throw new IllegalArgumentException("rl.progress_alpha is GRPO's and RLOO's for now; PPO does not yet put progress into its per-token rewards");
    }
    if (config.rl().progressAlpha() > 0 && config.rollout().progressGradings() == 0) {
      throw new IllegalArgumentException("rl.progress_alpha needs progress or milestones to credit: set rollout.progress_gradings above 0");
    }
  }

  /**
   * The iterations run by this call (none when every iteration was already done), the last policy, and
   * its held-out figures ({@code null} without an evaluation section).
   */
  public record Summary(List<RlIteration> iterations, Path lastPolicy, RlIteration.Episodes lastHeldOut) {}

  public Summary run(SparkSession spark) {
    Checkpoints policies = new Checkpoints(config.output().resolve(POLICIES), "iteration");
    Optional<Checkpoints.Saved> latest = policies.latest();
    if (latest.isPresent() && !resume) {
      throw new IllegalStateException(config.output() + " already holds policies (latest " + latest.get().dir().getFileName()
          + "); pass --resume to continue from it, or choose another output directory");
    }
    checkMemory();
    if (latest.isEmpty()) {
      writeStartPolicy(policies);
    }
    int first = policies.latest().orElseThrow().step();
    if (first > 0) {
      progress.accept(stage() + ": resuming at iteration " + first + " from " + policies.dir(first));
    }
    RunLayout layout = RunLayout.local(config.output());
    MetricsSink metrics = new MetricsSink(layout.metrics(), conf, stage(), registry);
    IterationSink iterations = new IterationSink(layout.iterations(), conf, stage(), registry);
    try (AutoModes auto = config.meta() == null ? null : autoModes(first)) {
      List<RlIteration> done = iterations(spark, first, policies, metrics, iterations, auto);
      int last = Math.max(first, config.rl().iterations());
      RlIteration.Episodes lastHeldOut = null;
      if (config.evaluation() != null) {
        lastHeldOut = evaluate(spark, last, policies.dir(last), auto);
        iterations.recordHeldOut(lastHeldOut);
        progress.accept(String.format("%s policy %d held out: %s", stage(), last, lastHeldOut.describe()));
      }
      return new Summary(done, policies.dir(last), lastHeldOut);
    }
  }

  /**
   * In {@code auto} mode, the meta-controller that chooses iteration {@code first}'s modes, over the
   * features of the training and held-out tasks (with the start model's embedding of each statement when
   * configured).
   */
  private AutoModes autoModes(int first) {
    RlConfig.Meta meta = config.meta();
    Path embedding = embeddingModel(config);
    TaskFeatures.Table features = TaskFeatures.of(SweBenchTasks.read(config.tasks(), conf), config.repositories(), embedding);
    if (config.evaluation() != null) {
      features = features.plus(TaskFeatures.of(SweBenchTasks.read(config.evaluation().tasks(), conf),
          config.evaluation().repositories(), embedding));
    }
    return AutoModes.open(config.output(), first, config.modes().names(), features, meta.settings(), meta.lambda(), config.rollout().seed(),
        conf, line -> progress.accept(stage() + " " + line));
  }

  /** Who chooses iteration {@code iteration}'s modes: the config's mode, or in auto mode the meta-controller. */
  private ModeAssignment modeAssignment(int iteration, AutoModes auto) {
    return auto == null ? ModeAssignment.fixed(config.rollout().mode()) : auto.assignment(iteration);
  }

  /**
   * Iterations {@code first} to the last. On-policy, each evaluates, rolls out, then trains. With a
   * staleness bound, iteration {@code i + 1}'s rollout (of policy {@code i}) runs on the Spark executors
   * while the driver trains iteration {@code i}.
   */
  private List<RlIteration> iterations(SparkSession spark, int first, Checkpoints policies, MetricsSink metrics, IterationSink iterations,
      AutoModes auto) {
    List<RlIteration> done = new ArrayList<>();
    ExecutorService ahead = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "crucible-rollout-ahead");
      thread.setDaemon(true);
      return thread;
    });
    try {
      CompletableFuture<List<Trajectory>> nextRollout = null;
      for (int iteration = first; iteration < config.rl().iterations(); iteration++) {
        long started = System.nanoTime();
        // A rollout running ahead ends before the evaluation starts: an executor holds one policy at a time.
        List<Trajectory> trajectories = nextRollout == null ? null : await(nextRollout);
        nextRollout = null;
        long waited = System.nanoTime();
        RlIteration.Episodes heldOut = evaluates(iteration) ? evaluate(spark, iteration, policies.dir(iteration), auto) : null;
        long evaluated = System.nanoTime();
        if (trajectories == null) {
          trajectories = rollout(spark, iteration, policies, auto);
        }
        if (auto != null) {
          auto.learn(iteration, trajectories); // Before the next rollout starts: it draws its modes from what this one taught.
        }
        double rolloutSeconds = (System.nanoTime() - evaluated + waited - started) / 1e9;
        if (config.maxStaleness() > 0 && iteration + 1 < config.rl().iterations()) {
          int next = iteration + 1;
          nextRollout = CompletableFuture.supplyAsync(() -> {
            spark.sparkContext().setJobGroup(AHEAD_JOBS, "the rollout of iteration " + next, true);
            return rollout(spark, next, policies, auto);
          }, ahead);
        }
        RlIteration result = iterate(iteration, trajectories, heldOut, (evaluated - waited) / 1e9, rolloutSeconds, policies, metrics,
            iterations);
        progress.accept(stage() + " " + result.describe());
        done.add(result);
      }
    } catch (RuntimeException | Error e) {
      spark.sparkContext().cancelJobGroup(AHEAD_JOBS); // A rollout running ahead would outlive the failed run.
      throw e;
    } finally {
      ahead.shutdownNow();
    }
    return done;
  }

  private String stage() {
    return algorithm.configName();
  }

  /** Prints the update's memory plan and refuses a run whose update cannot fit, before a rollout runs. */
  private void checkMemory() {
    Qwen2Config model;
    if (config.checkpoint() == null) {
      try (ChatTokenizer tokenizer = ChatTokenizer.builtIn()) {
        model = config.randomModel().config(tokenizer.vocabularySize());
      }
    } else {
      model = Qwen2Config.read(config.checkpoint());
    }
    MemoryPlan.Step step = new MemoryPlan.Step(model, config.lora(), MemoryPlan.Precision.F32, MemoryPlan.Head.POLICY_GRADIENT,
        config.training().batchSize(), config.rl().klBeta() > 0);
    Device device = Engine.getInstance().defaultDevice();
    TrainingMemory.check(stage(), step, config.training().sequenceLength(), AvailableMemory.on(device), AvailableMemory.describe(device),
        progress);
  }

  /**
   * Iteration 0's policy: the configured checkpoint, or random weights with the built-in tokenizer. With
   * LoRA, that model is the frozen base ({@link #adapterBase}) and policy 0 is a fresh adapter, which
   * changes nothing until it trains.
   */
  private void writeStartPolicy(Checkpoints policies) {
    try (ChatTokenizer tokenizer = config.checkpoint() == null ? ChatTokenizer.builtIn() : ChatTokenizer.load(config.checkpoint());
        NDManager manager = NDManager.newBaseManager();
        Qwen2Model model = config.checkpoint() == null
            ? Qwen2Model.random(config.randomModel().config(tokenizer.vocabularySize()), config.modelSeed(), manager)
            : Qwen2Model.load(config.checkpoint(), manager)) {
      Path base = adapterBase(config);
      if (base != null && config.checkpoint() == null) {
        model.save(base, WeightFiles.DEFAULT_MAX_SHARD_BYTES);
        tokenizer.save(base);
      }
      ObjectNode state = JsonNodeFactory.instance.objectNode();
      state.put("optimizer_steps", 0);
      state.put("global_step", 0);
      policies.save(0, state, dir -> {
        if (base == null) {
          model.save(dir, WeightFiles.DEFAULT_MAX_SHARD_BYTES);
        } else {
          TrainSettings.Lora lora = config.lora();
          try (LoraAdapters adapters = new LoraAdapters(model, lora.rank(), lora.alpha(), lora.targets(), config.training().seed())) {
            adapters.save(dir, base.toAbsolutePath().toString());
          }
        }
        tokenizer.save(dir);
        if (algorithm.usesValueHead()) {
          try (ValueHead head = ValueHead.zeros(model.config().hiddenSize(), manager)) {
            head.save(dir);
          }
        }
      });
    }
  }

  /**
   * With LoRA, the frozen checkpoint every policy's adapter applies to: the configured checkpoint, or
   * the random start model written to {@code OUT/base}; {@code null} when the whole model trains.
   */
  private static Path adapterBase(RlConfig config) {
    if (config.lora() == null) {
      return null;
    }
    return config.checkpoint() != null ? config.checkpoint() : config.output().resolve(BASE);
  }

  /**
   * The model whose hidden states embed each statement for the meta-controller's features ({@code meta.embedding}): the run's
   * start model (the LoRA base, the configured checkpoint, or policy 0); {@code null} without a meta section or that feature.
   */
  public static Path embeddingModel(RlConfig config) {
    if (config.meta() == null || !config.meta().embedding()) {
      return null;
    }
    Path base = adapterBase(config);
    return base != null ? base : config.checkpoint() != null ? config.checkpoint()
        : new Checkpoints(config.output().resolve(POLICIES), "iteration").dir(0);
  }

  /**
   * Policy {@code version} on the held-out tasks, into {@code OUT/held-out} as iteration {@code version}
   * (a resumed run keeps the episodes already there).
   */
  private RlIteration.Episodes evaluate(SparkSession spark, int version, Path policy, AutoModes auto) {
    RlConfig.Evaluation evaluation = config.evaluation();
    RolloutSettings settings =
        rolloutSettings(HELD_OUT, version, inProcess(policy, evaluation.temperature()), evaluation.samples(), config.rollout().seed());
    progress.accept(String.format("%s policy %d: held-out evaluation (%s)", stage(), version,
        evaluation.temperature() == 0 ? "greedy" : "temperature " + evaluation.temperature()));
    return RlIteration.Episodes.of(
        new RolloutRun(settings, rolloutProgress).run(spark, evaluation.tasks(), evaluation.repositories(),
            modeAssignment(version, auto)));
  }

  /**
   * Episodes of {@code policy} (a policy name, as {@code crucible rollout --policy} takes) into
   * {@code OUT/folder}, graded with the config's reward weights.
   */
  private RolloutSettings rolloutSettings(String folder, int iteration, String policy, int samples, long seed) {
    return new RolloutSettings(runLayout().stage(folder).root().toString(), iteration, policy,
        config.rollout().scaffold(), config.rollout().mode(), config.modes(), samples, config.rollout().maxWorkers(), config.sandbox(), seed, 3,
        config.rollout().episodeTimeout(), -1, true, config.rewardWeights(), folder.equals(ROLLOUTS) ? config.rollout().progressGradings() : 0,
        config.rollout().embeddings());
  }

  private boolean evaluates(int version) {
    return config.evaluation() != null && version % config.evaluation().every() == 0;
  }

  /** Iteration {@code iteration}'s rollout, by the policy {@link RlConfig#rolloutPolicy} names, into {@code OUT/rollouts}. */
  private List<Trajectory> rollout(SparkSession spark, int iteration, Checkpoints policies, AutoModes auto) {
    int version = config.rolloutPolicy(iteration);
    String policy = publisher == null
        ? inProcess(policies.dir(version), config.rollout().temperature())
        : published(version, policies);
    RolloutSettings rollout = rolloutSettings(ROLLOUTS, iteration, policy, config.rollout().samples(), config.rollout().seed() + iteration);
    return new RolloutRun(rollout, rolloutProgress).run(spark, iterationTasks(iteration), config.repositories(), modeAssignment(iteration, auto));
  }

  /**
   * Publishes policy {@code version} to the rollout server and withdraws the version before it, which
   * no later rollout samples; returns the policy that names it.
   */
  private String published(int version, Checkpoints policies) {
    String runId = config.output().getFileName().toString();
    String name = PolicyPublisher.name(runId, version);
    publisher.publish(name, policies.dir(version));
    if (version > 0) {
      publisher.withdraw(PolicyPublisher.name(runId, version - 1));
    }
    progress.accept(String.format("%s: policy %d served by %s as %s", stage(), version, config.rollout().server(), name));
    return "openai:" + config.rollout().server() + "#" + name;
  }

  /**
   * A checkpoint generating on the executors, sampled at {@code temperature} with top-p 1. With a shared output
   * the executors (on any host) fetch its published copy, so the mirror is published first.
   */
  private String inProcess(Path policy, double temperature) {
    if (config.sharedOutput() == null) {
      return dev.crucible.rollout.agent.PolicyFactory.inProcess(policy.toString(), temperature);
    }
    config.sharedOutput().push(conf);
    org.apache.hadoop.fs.Path published = new org.apache.hadoop.fs.Path(config.sharedOutput().shared(), config.output().relativize(policy).toString());
    return dev.crucible.rollout.agent.PolicyFactory.inProcess(published.toString(), temperature);
  }

  /**
   * The run directory the executors write episodes into: the shared output when there is one (executors may
   * run on other hosts than the driver's mirror), else the local output.
   */
  private RunLayout runLayout() {
    return config.sharedOutput() != null ? new RunLayout(config.sharedOutput().shared()) : RunLayout.local(config.output());
  }

  /** The result of a rollout running ahead; its failure is the run's. */
  private static List<Trajectory> await(CompletableFuture<List<Trajectory>> rollout) {
    try {
      return rollout.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Updates policy {@code iteration} on its rollout's episodes and saves policy {@code iteration + 1}.
   *
   * @param evaluationSeconds the held-out evaluation of policy {@code iteration} before it
   * @param rolloutSeconds the rollout, or under asynchronous RL the wait for it
   */
  private RlIteration iterate(int iteration, List<Trajectory> trajectories, RlIteration.Episodes heldOut, double evaluationSeconds,
      double rolloutSeconds, Checkpoints policies, MetricsSink metrics, IterationSink iterations) {
    Path policy = policies.dir(iteration);
    long rolledOut = System.nanoTime();
    Path base = adapterBase(config);
    try (NDManager manager = NDManager.newBaseManager();
        ChatTokenizer tokenizer = ChatTokenizer.load(policy);
        TrainablePolicy trainable = TrainablePolicy.load(policy, base, manager);
        ValueHead valueHead = algorithm.usesValueHead() ? ValueHead.load(policy, trainable.model().config().hiddenSize(), manager) : null;
        Qwen2Model reference = config.rl().klBeta() > 0 ? Qwen2Model.load(base != null ? base : policies.dir(0), manager) : null;
        AdamW optimizer = new AdamW(config.training().beta1(), config.training().beta2(), config.training().epsilon(),
            config.training().weightDecay(), manager)) {
      Checkpoints.Saved saved = policies.latest().filter(s -> s.step() == iteration).orElseThrow();
      long optimizerSteps = saved.state().path("optimizer_steps").asLong();
      int globalStep = saved.state().path("global_step").asInt();
      if (optimizerSteps > 0) {
        try (NDManager scratch = manager.newSubManager()) {
          optimizer.restore(SafeTensors.read(policy.resolve(OPTIMIZER_FILE), scratch), optimizerSteps);
        }
      }
      progress.accept(String.format("%s iteration %d: scoring %d episodes under the sampling policy%s", stage(), iteration,
          trajectories.size(), reference == null ? "" : " and the reference"));
      BatchDump dump = new BatchDump(HadoopFiles.local(config.output().resolve(BATCHES)), conf, globalStep, dumpBatches);
      Qwen2Model model = trainable.model();
      Update update = valueHead == null
          ? groupUpdate(trajectories, model, reference, iteration, dump)
          : ppoUpdate(trajectories, model, valueHead, reference, iteration, dump);
      int steps = 0;
      if (update.objective() != null) {
        progress.accept(String.format("%s iteration %d: %d sequences (%,d tokens, %,d sampled) in %d steps", stage(), iteration,
            update.batch().sequences(), update.batch().tokens(), update.batch().sampledTokens(), update.plan().totalSteps()));
        int offset = globalStep;
        Map<String, NDArray> parameters = new java.util.LinkedHashMap<>(trainable.parameters());
        if (valueHead != null) {
          parameters.putAll(valueHead.parameters());
        }
        // Steps are numbered across iterations in the metrics; the plan counts from 1 in each.
        OptimizerStep optimizerStep = new OptimizerStep(
            new OptimizerStep.Settings(config.output().getFileName().toString(), stage(), offset + update.plan().totalSteps(),
                config.training().maxGradNorm()),
            step -> update.objective().accumulate(step - offset), parameters, optimizer,
            new LearningRateSchedule(config.training().learningRate(), 0, offset + update.plan().totalSteps(), 1.0), metrics);
        for (int step = 1; step <= update.plan().totalSteps(); step++) {
          progress.accept(optimizerStep.describe(optimizerStep.take(offset + step)));
        }
        steps = update.plan().totalSteps();
        metrics.flush();
      }
      long trained = System.nanoTime();
      ObjectNode state = JsonNodeFactory.instance.objectNode();
      state.put("optimizer_steps", optimizer.steps());
      state.put("global_step", globalStep + steps);
      RlIteration.Episodes episodes = RlIteration.Episodes.of(trajectories);
      double trainSeconds = (trained - rolledOut) / 1e9;
      RlIteration[] row = new RlIteration[1];
      policies.save(iteration + 1, state, dir -> {
        trainable.save(dir);
        tokenizer.save(dir);
        if (valueHead != null) {
          valueHead.save(dir);
        }
        SafeTensors.write(dir.resolve(OPTIMIZER_FILE), optimizer.state());
        // Written before the policy is committed: a run killed in between redoes the iteration, and its
        // row replaces this one.
        row[0] = new RlIteration(config.output().getFileName().toString(), stage(), iteration, config.rolloutPolicy(iteration), episodes,
            update.groups(), update.batch(),
            new RlIteration.Timing(rolloutSeconds, evaluationSeconds, trainSeconds, (System.nanoTime() - trained) / 1e9), heldOut);
        iterations.record(row[0]);
      });
      return row[0];
    }
  }

  /**
   * What an iteration's update trains on.
   *
   * @param objective the update, or {@code null} when nothing carries an advantage
   * @param plan its steps, or {@code null} likewise
   */
  private record Update(PolicyGradientObjective objective, StepPlan plan, RlIteration.GroupCounts groups, RlIteration.Batch batch) {}

  /** @param klBeta the weight of k3 in the loss: 0 when the KL is in the reward */
  private PolicyGradientObjective.Settings objectiveSettings(double klBeta) {
    return new PolicyGradientObjective.Settings(config.rollout().temperature(), config.rl().clip(), klBeta, config.rl().entropy(),
        config.rl().importanceCap(), config.rl().aggregation(), config.training().batchSize());
  }

  private StepPlan plan(int rows, int iteration) {
    return StepPlan.of(rows, config.rl().minibatch(), config.rl().epochs(), 0, config.training().seed() * 1009 + iteration);
  }

  /**
   * GRPO and RLOO: each episode's group advantage on every token it sampled, plus {@code rl.progress_alpha}
   * times a turn's shaping reward ({@code rl.shaping}: its progress or its milestone bonus) on that turn's tokens.
   */
  private Update groupUpdate(List<Trajectory> trajectories, Qwen2Model model, Qwen2Model reference, int iteration, BatchDump dump) {
    Groups.Result groups = Groups.advantages(groups(trajectories), algorithm, config.rl().normalizeStd());
    RlIteration.GroupCounts counts = new RlIteration.GroupCounts(groups.groups(), groups.learning(), groups.unanimous(), groups.masked(),
        groups.renormalized());
    List<PolicyGradientObjective.Sample> samples = new ArrayList<>();
    List<Double> advantages = new ArrayList<>();
    for (Trajectory trajectory : trajectories) {
      Double advantage = groups.advantages().get(trajectory.episodeId());
      if (advantage != null) {
        advantages.add(advantage);
        Map<Integer, Double> shaping = config.rl().shaping().byTurn(trajectory);
        TokenSequences.of(trajectory).forEach(sequence -> samples.add(new PolicyGradientObjective.Sample(sequence,
            ProgressCredit.advantages(sequence, advantage, shaping, config.rl().progressAlpha()))));
      }
    }
    List<TokenSequences.Sequence> sequences = samples.stream().map(PolicyGradientObjective.Sample::sequence).toList();
    double[] values = advantages.stream().mapToDouble(Double::doubleValue).toArray();
    if (samples.isEmpty()) {
      return new Update(null, null, counts, batchFigures(sequences, values, 0));
    }
    StepPlan plan = plan(samples.size(), iteration);
    PolicyGradientObjective objective =
        new PolicyGradientObjective(model, reference, samples, config.training().sequenceLength(), plan, objectiveSettings(config.rl().klBeta()), dump);
    return new Update(objective, plan, counts, batchFigures(sequences, values, plan.totalSteps()));
  }

  /**
   * PPO: the value head scores every sampled token before the update, {@link PpoTargets} turns each
   * episode's reward (less {@code kl_beta * k1} per token with {@code kl_in_reward}) into per-token
   * advantages (GAE) and returns, and the objective fits both. Groups
   * are only counted: a task's group learns when any member was graded, and is masked when none was.
   */
  private Update ppoUpdate(List<Trajectory> trajectories, Qwen2Model model, ValueHead valueHead, Qwen2Model reference, int iteration,
      BatchDump dump) {
    List<List<Groups.Member>> groups = groups(trajectories);
    int graded = (int) groups.stream().filter(group -> group.stream().anyMatch(member -> member.reward() != null)).count();
    RlIteration.GroupCounts counts = new RlIteration.GroupCounts(groups.size(), graded, 0, groups.size() - graded, 0);
    Packer packer = new Packer(config.training().sequenceLength());
    List<TokenSequences.Sequence> sequences = new ArrayList<>();
    List<PackedRow> rows = new ArrayList<>();
    List<int[]> episodeRows = new ArrayList<>();
    List<Double> rewards = new ArrayList<>();
    for (Trajectory trajectory : trajectories) {
      if (trajectory.outcome() == Outcome.INFRA_ERROR || trajectory.reward() == null) {
        continue;
      }
      int first = rows.size();
      for (TokenSequences.Sequence sequence : TokenSequences.of(trajectory)) {
        sequences.add(sequence);
        rows.add(packer.single(sequence.tokens()));
      }
      episodeRows.add(new int[] {first, rows.size()});
      rewards.add(trajectory.reward().total());
    }
    if (rows.isEmpty()) {
      return new Update(null, null, counts, batchFigures(sequences, new double[0], 0));
    }
    PolicyGradientObjective.Scores old = PolicyGradientObjective.score(model, valueHead, rows, config.rollout().temperature(),
        config.training().batchSize());
    float[][] referenceLogprobs = reference == null ? null
        : TokenLogprobs.tempered(reference, rows, config.rollout().temperature(), config.training().batchSize());
    boolean klInReward = config.rl().klInReward() && reference != null;
    List<float[]> penalties = klInReward ? PpoTargets.klPenalties(java.util.Arrays.asList(old.logprobs()),
        java.util.Arrays.asList(referenceLogprobs), config.rl().klBeta()) : null;
    List<PpoTargets.Episode> episodes = new ArrayList<>();
    for (int e = 0; e < episodeRows.size(); e++) {
      int[] range = episodeRows.get(e);
      episodes.add(new PpoTargets.Episode(rows.subList(range[0], range[1]), java.util.Arrays.asList(old.values()).subList(range[0], range[1]),
          rewards.get(e), penalties == null ? null : penalties.subList(range[0], range[1])));
    }
    List<PpoTargets.Targets> targets = PpoTargets.of(episodes, config.rl().gamma(), config.rl().lambda(), config.rl().normalizeStd());
    List<PolicyGradientObjective.TokenSample> samples = new ArrayList<>();
    java.util.stream.DoubleStream.Builder advantages = java.util.stream.DoubleStream.builder();
    for (int e = 0; e < episodeRows.size(); e++) {
      int[] range = episodeRows.get(e);
      for (int r = range[0]; r < range[1]; r++) {
        float[] rowAdvantages = targets.get(e).advantages().get(r - range[0]);
        samples.add(new PolicyGradientObjective.TokenSample(sequences.get(r), rows.get(r), rowAdvantages, targets.get(e).returns().get(r - range[0])));
        for (int t = 0; t < rowAdvantages.length; t++) {
          if (rows.get(r).lossMask()[t]) {
            advantages.add(rowAdvantages[t]);
          }
        }
      }
    }
    StepPlan plan = plan(samples.size(), iteration);
    PolicyGradientObjective objective = PolicyGradientObjective.ppo(model, valueHead, referenceLogprobs, samples, old, plan,
        objectiveSettings(klInReward ? 0 : config.rl().klBeta()),
        new PolicyGradientObjective.ValueSettings(config.rl().valueCoefficient(), config.rl().valueClip()), dump);
    return new Update(objective, plan, counts, batchFigures(sequences, advantages.build().toArray(), plan.totalSteps()));
  }

  /**
   * The tasks file of iteration {@code iteration}: every task, or a batch of {@code tasks_per_iteration}
   * drawn by the rollout seed and the iteration, stored as {@code OUT/rollouts/batches/iteration-N.parquet}
   * (written again, the same, when the iteration is resumed).
   */
  private org.apache.hadoop.fs.Path iterationTasks(int iteration) {
    org.apache.hadoop.fs.Path all = config.tasks();
    int size = config.rollout().tasksPerIteration();
    if (size == 0) {
      return all;
    }
    List<TaskInstance> tasks = new ArrayList<>(SweBenchTasks.read(all, conf));
    if (size >= tasks.size()) {
      return all;
    }
    java.util.Collections.shuffle(tasks, new java.util.Random(config.rollout().seed() * 1_000_003L + iteration));
    org.apache.hadoop.fs.Path file = runLayout().rollouts().iterationTasks(iteration);
    SweBenchTasks.write(file, conf, tasks.subList(0, size));
    return file;
  }

  /** @param advantages per episode (GRPO, RLOO) or per sampled token (PPO) */
  private static RlIteration.Batch batchFigures(List<TokenSequences.Sequence> sequences, double[] advantages, int steps) {
    long tokens = 0;
    long sampled = 0;
    for (TokenSequences.Sequence sequence : sequences) {
      tokens += sequence.length();
      for (boolean counted : sequence.sampled()) {
        sampled += counted ? 1 : 0;
      }
    }
    Spread spread = Spread.of(advantages);
    return new RlIteration.Batch(sequences.size(), tokens, sampled, spread == null ? null : spread.mean(), spread == null ? null : spread.std(),
        steps);
  }

  /** The iteration's episodes by task, each group in sample order; an infrastructure failure is a member without a reward. */
  private static List<List<Groups.Member>> groups(List<Trajectory> trajectories) {
    Map<String, List<Trajectory>> byTask = trajectories.stream().collect(Collectors.groupingBy(Trajectory::taskId, TreeMap::new, Collectors.toList()));
    List<List<Groups.Member>> groups = new ArrayList<>();
    for (List<Trajectory> task : byTask.values()) {
      groups.add(task.stream().sorted(Comparator.comparingInt(Trajectory::sampleIndex))
          .map(t -> new Groups.Member(t.episodeId(), t.outcome() == Outcome.INFRA_ERROR || t.reward() == null ? null : t.reward().total()))
          .toList());
    }
    return groups;
  }
}
