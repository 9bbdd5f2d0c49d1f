package dev.crucible.jobs.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.PreferencePair;
import dev.crucible.data.RunLayout;
import dev.crucible.data.TrainingStep;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.parquet.PartWriter;
import dev.crucible.data.parquet.PreferencePairCodec;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.AvailableMemory;
import dev.crucible.trainer.train.DpoObjective;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.MetricsSink;
import dev.crucible.trainer.train.Objective;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.Packer;
import dev.crucible.trainer.train.PolicyTraining;
import dev.crucible.trainer.train.PreferencePairs;
import dev.crucible.trainer.train.SequenceScores;
import dev.crucible.trainer.train.SftObjective;
import dev.crucible.trainer.train.StepPlan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** One {@code crucible train sft|dpo} run: data from the trajectory tables, the model, the loop, the summary. */
public final class TrainRun {
  private final TrainConfig config;
  private final boolean resume;
  private final Configuration conf;
  private final MeterRegistry registry;
  private final Consumer<String> progress;

  /**
   * @param resume carry on from the latest checkpoint in the output directory
   * @param progress receives the progress lines
   */
  public TrainRun(TrainConfig config, boolean resume, Configuration conf, MeterRegistry registry, Consumer<String> progress) {
    this.config = config;
    this.resume = resume;
    this.conf = conf;
    this.registry = registry;
    this.progress = progress;
  }

  /**
   * What a run did.
   *
   * @param truncated sequences cut to the sequence length
   * @param pairs DPO pairs; 0 for SFT
   */
  public record Summary(String stage, Path finalCheckpoint, int episodes, int sequences, int rows, int truncated, int pairs,
      List<TrainingStep> steps) {

    public String describe() {
      TrainingStep first = steps.get(0);
      TrainingStep last = steps.get(steps.size() - 1);
      String text = String.format("%s: %d episodes, %d sequences, %d rows (%d truncated)%s; steps %d, loss %.4f -> %.4f; final checkpoint %s",
          stage, episodes, sequences, rows, truncated, pairs > 0 ? ", " + pairs + " pairs" : "", last.step(), first.loss(), last.loss(),
          finalCheckpoint);
      if (last.rewardAccuracy() != null) {
        text += String.format("; reward accuracy %.2f, margin %.3f", last.rewardAccuracy(), last.rewardMargin());
      }
      return text;
    }
  }

  /** Trains {@code stage} ({@code sft} or {@code dpo}) on the runs' trajectories, read and tokenized with {@code spark}. */
  public Summary run(String stage, SparkSession spark) {
    ArrayNode tools = ToolBox.standard(new SimpleMeterRegistry()).schemas();
    try (ChatTokenizer tokenizer = config.checkpoint() == null ? ChatTokenizer.builtIn() : ChatTokenizer.load(config.checkpoint());
        NDManager manager = NDManager.newBaseManager()) {
      // SFT learns each assistant turn in a context window as the policy sees it; DPO scores whole episodes.
      int windowTokens = stage.equals("sft") ? config.settings().sequenceLength() + 1 : 0;
      List<EncodedEpisode> episodes = TrajectorySequences.read(spark, config.runs(), tokenizer.json(), tools, windowTokens);
      progress.accept(stage + ": read " + episodes.size() + " episodes from " + config.runs());
      Qwen2Config modelConfig = config.checkpoint() == null
          ? config.randomModel().config(tokenizer.vocabularySize()) : Qwen2Config.read(config.checkpoint());
      // A DPO pass scores the chosen and the rejected sequence of each pair.
      int rows = stage.equals("dpo") ? 2 * config.settings().batchSize() : config.settings().batchSize();
      MemoryPlan.Step step = new MemoryPlan.Step(modelConfig, config.settings().lora(), MemoryPlan.Precision.F32,
          MemoryPlan.Head.LOG_PROBS, rows, false);
      TrainingMemory.check(stage, step, config.settings().sequenceLength(), AvailableMemory.on(manager.getDevice()),
          AvailableMemory.describe(manager.getDevice()), progress);
      try (Qwen2Model model = config.checkpoint() == null
              ? Qwen2Model.random(modelConfig, config.modelSeed(), manager)
              : Qwen2Model.load(config.checkpoint(), manager);
          PolicyTraining training = new PolicyTraining(model, tokenizer, config.settings(), config.output(),
              config.checkpoint() == null ? "random" : config.checkpoint().toString())) {
        progress.accept(String.format("%s: model of %,d parameters, context %d, on %s", stage, model.config().parameterCount(),
            model.config().maxPositionEmbeddings(), manager.getDevice()));
        return stage.equals("sft") ? sft(episodes, model, training) : dpo(episodes, model, training);
      }
    }
  }

  private Summary sft(List<EncodedEpisode> episodes, Qwen2Model model, PolicyTraining training) {
    List<EncodedEpisode> used = episodes.stream().filter(e -> e.resolved() || !config.onlyResolved()).toList();
    List<ChatTemplate.Tokens> sequences = new ArrayList<>();
    used.forEach(e -> sequences.addAll(e.sequences()));
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("no episode to learn from in " + config.runs()
          + (config.onlyResolved() ? " (data.only_resolved is true and none is resolved)" : ""));
    }
    Packer packer = new Packer(config.settings().sequenceLength());
    List<PackedRow> rows = packer.pack(sequences);
    progress.accept(String.format("sft: %d episodes, %d sequences (context windows) packed into %d rows of %d (%d truncated)", used.size(),
        sequences.size(), rows.size(), config.settings().sequenceLength(), packer.truncated()));
    if (packer.withoutTargets() > 0) {
      progress.accept(String.format("sft: %d of the sequences are cut before their first assistant token and left out; raise"
          + " training.sequence_length (%d) to learn from them", packer.withoutTargets(), config.settings().sequenceLength()));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("every sequence is cut before its first assistant token at training.sequence_length "
          + config.settings().sequenceLength() + "; raise it");
    }
    StepPlan plan = plan(rows.size());
    Objective objective = new SftObjective(model, rows, plan, config.settings().batchSize());
    Path result = training.run(runId(), "sft", objective, plan, fingerprint(rows), resume, registry, conf, progress);
    return new Summary("sft", result, used.size(), sequences.size(), rows.size(), packer.truncated(), 0, steps("sft"));
  }

  private Summary dpo(List<EncodedEpisode> episodes, Qwen2Model model, PolicyTraining training) {
    Map<String, EncodedEpisode> byId = new HashMap<>();
    episodes.forEach(e -> byId.put(e.episodeId(), e));
    List<PreferencePair> pairs = PreferencePairs.build(
        episodes.stream().map(e -> new PreferencePairs.Candidate(e.episodeId(), e.iteration(), e.taskId(), e.pairingReward())).toList(),
        runId(), config.dpo().minRewardGap(), config.dpo().maxPairsPerTask());
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("no preference pair in " + config.runs() + ": no two graded episodes of a task differ by "
          + "dpo.min_reward_gap " + config.dpo().minRewardGap());
    }
    Packer packer = new Packer(config.settings().sequenceLength());
    List<PackedRow> chosen = new ArrayList<>();
    List<PackedRow> rejected = new ArrayList<>();
    List<PreferencePair> distinct = new ArrayList<>();
    for (PreferencePair pair : pairs) {
      // An episode's sequences side by side in one row, none attending to another: a later phase never
      // saw an earlier one's tokens.
      PackedRow chosenRow = packer.together(byId.get(pair.chosenEpisodeId()).sequences());
      PackedRow rejectedRow = packer.together(byId.get(pair.rejectedEpisodeId()).sequences());
      if (!chosenRow.sameAs(rejectedRow)) { // Episodes that differ only past the cut: their log-ratio terms cancel, no gradient.
        chosen.add(chosenRow);
        rejected.add(rejectedRow);
        distinct.add(pair);
      }
    }
    if (distinct.size() < pairs.size()) {
      progress.accept(String.format("dpo: %d of the %d pairs are the same within training.sequence_length (%d) and are left out; raise it"
          + " to learn from them", pairs.size() - distinct.size(), pairs.size(), config.settings().sequenceLength()));
    }
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException("every preference pair is the same within training.sequence_length "
          + config.settings().sequenceLength() + ": the episodes differ only past it; raise it");
    }
    pairs = distinct;
    progress.accept("dpo: " + pairs.size() + " pairs from " + episodes.size() + " episodes; scoring them under the reference model");
    double[] referenceChosen = SequenceScores.of(model, chosen, config.settings().batchSize());
    double[] referenceRejected = SequenceScores.of(model, rejected, config.settings().batchSize());
    List<DpoObjective.ScoredPair> scored = new ArrayList<>();
    List<PreferencePair> stored = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair pair = pairs.get(i);
      scored.add(new DpoObjective.ScoredPair(chosen.get(i), rejected.get(i), referenceChosen[i], referenceRejected[i]));
      stored.add(new PreferencePair(pair.pairId(), pair.runId(), pair.iteration(), pair.taskId(), pair.chosenEpisodeId(),
          pair.rejectedEpisodeId(), pair.chosenReward(), pair.rejectedReward(), referenceChosen[i], referenceRejected[i]));
    }
    writePairs(stored);
    StepPlan plan = plan(pairs.size());
    Objective objective = new DpoObjective(model, scored, plan, config.settings().batchSize(), config.dpo().beta());
    List<PackedRow> all = new ArrayList<>(chosen);
    all.addAll(rejected);
    Path result = training.run(runId(), "dpo", objective, plan, fingerprint(all), resume, registry, conf, progress);
    return new Summary("dpo", result, episodes.size(), all.size(), all.size(), packer.truncated(), pairs.size(), steps("dpo"));
  }

  /** The output directory's name. */
  private String runId() {
    return config.output().getFileName().toString();
  }

  private StepPlan plan(int items) {
    return StepPlan.of(items, config.settings().itemsPerStep(), config.settings().epochs(), config.settings().maxSteps(), config.settings().seed());
  }

  private void writePairs(List<PreferencePair> pairs) {
    ParquetTable<PreferencePair> table = new ParquetTable<>(
        HadoopFiles.local(config.output().resolve(RunLayout.PREFERENCE_PAIRS)), PreferencePairCodec.INSTANCE,
        conf, ParquetTable.Duplicates.REJECT);
    try (PartWriter<PreferencePair> writer = table.openNamedPart("", "pairs", pair -> true)) {
      pairs.forEach(writer::write);
      writer.commit();
    }
  }

  private static String fingerprint(List<PackedRow> rows) {
    long hash = 17;
    for (PackedRow row : rows) {
      hash = hash * 31 + Arrays.hashCode(row.inputs());
      hash = hash * 31 + Arrays.hashCode(row.lossMask());
    }
    return Long.toHexString(hash);
  }

  private List<TrainingStep> steps(String stage) {
    return MetricsSink.read(RunLayout.local(config.output()).metrics(), conf, stage).stream()
        .sorted(Comparator.comparingInt(TrainingStep::step)).toList();
  }
}
