package dev.crucible.jobs;

import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.train.AvailableMemory;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crucible plan}. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the memory one training step needs (weights, gradients, optimizer moments, activations) for a model's",
      "config.json, without reading its weights, and the longest sequence that fits in the given memory. Training runs",
      "print the same plan before they load a weight and refuse to start when it does not fit."
    })
final class PlanCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "PATH", description = "A checkpoint directory, or its config.json.")
  Path model;

  @Option(names = "--lora-rank", defaultValue = "0", description = "Train LoRA adapters of this rank; 0 trains the whole model (default: ${DEFAULT-VALUE}).")
  int loraRank;

  @Option(names = "--lora-targets", split = ",", defaultValue = "q_proj,v_proj", description = "The projections LoRA adapts (default: ${DEFAULT-VALUE}).")
  List<String> loraTargets;

  @Option(names = "--batch-size", defaultValue = "1", description = "Sequences per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--sequence-length", description = "Tokens per sequence (default: the model's context, max_position_embeddings).")
  Integer sequenceLength;

  @Option(names = "--precision", defaultValue = "F32",
      description = "F32 (this build: everything float32) or BF16_MIXED (bfloat16 compute, float32 master weights) (default: ${DEFAULT-VALUE}).")
  MemoryPlan.Precision precision;

  @Option(names = "--reference", description = "Count a frozen copy of the weights for a KL penalty to a reference.")
  boolean reference;

  @Option(names = "--head", defaultValue = "LOG_PROBS",
      description = "LOG_PROBS (SFT, DPO: two vocabulary-sized arrays per position) or POLICY_GRADIENT (an RL step: six) (default: ${DEFAULT-VALUE}).")
  MemoryPlan.Head head;

  @Option(names = "--memory-gib", description = "The memory to plan for, in GiB, for example 80 for one 80 GB GPU (default: what this host leaves beside the JVM heap).")
  Double memoryGib;

  @Override
  public void run() {
    Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
    Qwen2Config config = Qwen2Config.read(dir);
    TrainSettings.Lora lora = loraRank > 0 ? new TrainSettings.Lora(loraRank, 2.0 * loraRank, loraTargets) : null;
    int length = sequenceLength != null ? sequenceLength : config.maxPositionEmbeddings();
    long available = memoryGib != null ? (long) (memoryGib * (1L << 30)) : AvailableMemory.hostBytes();
    MemoryPlan.Step step = new MemoryPlan.Step(config, lora, precision, head, batchSize, reference);
    MemoryPlan plan = MemoryPlan.of(step, length);
    java.io.PrintWriter out = spec.commandLine().getOut();
    plan.describe().forEach(out::println);
    int longest = MemoryPlan.longestSequence(step, available);
    out.printf("available      %s: %s; the longest sequence that fits at batch size %d is %,d tokens%n",
        MemoryPlan.gib(available), plan.fits(available) ? "fits" : "does not fit", batchSize, longest);
  }
}
