package dev.crucible.jobs.train;

import dev.crucible.data.RunLayout;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.jobs.config.YamlSection;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A {@code crucible train} config, validated whole before anything starts: every bad or unknown key is
 * reported with its line.
 *
 * @param output the training run's directory (a shared one's mirror in the host cache); its name is the run id
 * @param sharedOutput the shared directory ({@code hdfs://}, {@code s3a://}) the mirror publishes to, or {@code null}
 * @param checkpoint the model to start from, or {@code null} for {@code randomModel}
 * @param randomModel the architecture of a model with random weights and the built-in tokenizer
 * @param modelSeed seeds those random weights
 * @param runs run directories whose trajectory tables are the data
 * @param onlyResolved SFT: learn only from resolved episodes
 * @param dpo DPO settings, or {@code null} for SFT
 */
public record TrainConfig(
    Path output,
    MirroredDirectory sharedOutput,
    Path checkpoint,
    RandomModel randomModel,
    long modelSeed,
    List<org.apache.hadoop.fs.Path> runs,
    boolean onlyResolved,
    Dpo dpo,
    TrainSettings settings) {

  /** Pairs are built from episodes of one task whose rewards differ by at least {@code minRewardGap}. */
  public record Dpo(double beta, double minRewardGap, int maxPairsPerTask) {}

  /** A Qwen2 architecture for random weights; its vocabulary is the tokenizer's. Defaults: the tiny model of the embedded default. */
  public record RandomModel(int hiddenSize, int intermediateSize, int layers, int heads, int kvHeads, int context,
      double ropeTheta, boolean tieEmbeddings) {

    public Qwen2Config config(int vocabularySize) {
      return new Qwen2Config(vocabularySize, hiddenSize, intermediateSize, layers, heads, kvHeads, context, 1e-6, ropeTheta,
          tieEmbeddings, 0, 0);
    }

    static RandomModel read(YamlSection random) {
      return new RandomModel(random.integer("hidden_size", 128, 8), random.integer("intermediate_size", 384, 8),
          random.integer("layers", 4, 1), random.integer("heads", 4, 1), random.integer("kv_heads", 2, 1),
          random.integer("context", 2048, 16), random.decimal("rope_theta", 10000.0, 1, 1e9), random.bool("tie_embeddings", true));
    }
  }

  public static TrainConfig load(Path file, String stage) {
    Configuration conf = new Configuration();
    YamlSection root = YamlSection.load(file);
    // Paths are relative to where crucible runs, as in pipeline configs, or URIs of any Hadoop file system.
    String output = root.requiredString("output");
    YamlSection model = root.section("model");
    String checkpoint = model.string("checkpoint", null);
    Path checkpointDirectory = null;
    YamlSection random = model.section("random");
    RandomModel randomModel = null;
    if (checkpoint == null) {
      randomModel = RandomModel.read(random);
      try {
        randomModel.config(1); // Checks the architecture now, before any data is read.
      } catch (IllegalArgumentException e) {
        model.reject("random", e.getMessage());
      }
    } else {
      checkpointDirectory = SharedStorage.checkpoint(model, "checkpoint", checkpoint, conf);
    }
    if (checkpoint != null && model.has("random")) {
      model.reject("random", "give either model.checkpoint or model.random, not both");
    }
    long modelSeed = random.longValue("seed", 0);
    random.finish();
    model.finish();

    YamlSection data = root.section("data");
    List<org.apache.hadoop.fs.Path> runs = data.stringList("runs").stream().map(HadoopFiles::userPath).toList();
    if (runs.isEmpty()) {
      data.reject("runs", "required; list the run directories whose trajectories to train on");
    }
    for (org.apache.hadoop.fs.Path run : runs) {
      SharedStorage.input(data, "runs", new RunLayout(run).trajectories().toString(), InputFiles.Kind.DIRECTORY, conf);
    }
    boolean onlyResolved = data.bool("only_resolved", true);
    data.finish();

    Dpo dpo = null;
    YamlSection dpoSection = root.section("dpo");
    if (stage.equals("dpo")) {
      dpo = new Dpo(dpoSection.decimal("beta", 0.1, 1e-6, 100), dpoSection.decimal("min_reward_gap", 0.5, 0, 1e9),
          dpoSection.integer("max_pairs_per_task", 4, 0));
    } else if (root.has("dpo")) {
      root.reject("dpo", "only 'crucible train dpo' reads this section");
    }
    dpoSection.finish();

    YamlSection training = root.section("training");
    int sequenceLength = training.integer("sequence_length", 1024, 16);
    TrainSettings.Lora lora = lora(root);
    TrainSettings settings = new TrainSettings(
        sequenceLength,
        training.integer("batch_size", 4, 1),
        training.integer("accumulation", 1, 1),
        training.integer("epochs", 1, 1),
        training.integer("max_steps", 0, 0),
        training.decimal("learning_rate", stage.equals("dpo") ? 5e-5 : 1e-3, 0, 10),
        training.integer("warmup_steps", 10, 0),
        training.decimal("min_learning_rate_ratio", 0.1, 0, 1),
        training.decimal("weight_decay", 0.01, 0, 1),
        training.decimal("max_grad_norm", 1.0, 0, 1e9),
        training.decimal("beta1", 0.9, 0, 0.999999),
        training.decimal("beta2", 0.95, 0, 0.999999),
        training.decimal("epsilon", 1e-8, 0, 1),
        training.longValue("seed", 0),
        training.integer("checkpoint_every", 50, 1),
        training.integer("log_every", 10, 1),
        lora);
    training.finish();
    root.finish();
    root.problems().throwIfAny();
    SharedStorage.Output outputDirectory = SharedStorage.output(output);
    return new TrainConfig(outputDirectory.local(), outputDirectory.shared(), checkpointDirectory,
        randomModel, modelSeed, runs, onlyResolved, dpo, settings);
  }

  /**
   * The {@code lora} section, {@code {rank: 8, alpha: 16, targets: [q_proj, v_proj]}}: adapters to train
   * instead of the whole model; {@code null} without one.
   */
  static TrainSettings.Lora lora(YamlSection root) {
    TrainSettings.Lora lora = null;
    YamlSection section = root.section("lora");
    if (root.has("lora")) {
      List<String> targets = section.stringList("targets");
      lora = new TrainSettings.Lora(section.integer("rank", 8, 1), section.decimal("alpha", 16, 1e-6, 1e6),
          targets.isEmpty() ? List.of("q_proj", "v_proj") : targets);
    }
    section.finish();
    return lora;
  }
}
