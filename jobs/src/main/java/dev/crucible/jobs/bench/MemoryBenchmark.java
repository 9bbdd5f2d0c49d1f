package dev.crucible.jobs.bench;

import ai.djl.ndarray.NDManager;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.train.MemoryPlan;
import dev.crucible.trainer.train.OptimizerStep;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory plan against what real SFT steps of the same shape use: the process's peak resident memory
 * over two optimizer steps (the first makes the gradients and moments) less its resident memory before
 * them, when the model's weights are already loaded; so it is compared with the plan less the weights.
 * Linux only: it reads {@code /proc/self/status} and resets the peak through {@code /proc/self/clear_refs}.
 */
public final class MemoryBenchmark {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final Qwen2Config config;
  private final int batch;
  private final PrintStream log;

  public MemoryBenchmark(int hidden, int layers, int heads, int kvHeads, int sequence, int batch, PrintStream log) {
    this.config = TrainBenchmark.benchModel(hidden, layers, heads, kvHeads, sequence);
    this.batch = batch;
    this.log = log;
  }

  /** The figures, as one JSON line. */
  public record Result(Qwen2Config config, int batch, long plannedBytes, long measuredBytes) {
    public String toJson() {
      return String.format(Locale.ROOT,
          "{\"benchmark\":\"memory\",\"parameters\":%d,\"layers\":%d,\"hidden\":%d,\"heads\":%d,\"kv_heads\":%d,\"batch\":%d,"
              + "\"sequence\":%d,\"planned_gib\":%.3f,\"measured_gib\":%.3f,\"measured_over_planned\":%.3f}",
          config.parameterCount(), config.numHiddenLayers(), config.hiddenSize(), config.numAttentionHeads(), config.numKeyValueHeads(),
          batch, config.maxPositionEmbeddings(), plannedBytes / GIB, measuredBytes / GIB, (double) measuredBytes / plannedBytes);
    }
  }

  private static final double GIB = 1L << 30;

  public Result run(Path scratch) {
    int sequence = config.maxPositionEmbeddings();
    MemoryPlan plan = MemoryPlan.of(new MemoryPlan.Step(config, null, MemoryPlan.Precision.F32, MemoryPlan.Head.LOG_PROBS, batch, false),
        sequence);
    plan.describe().forEach(line -> log.println("bench memory: " + line));
    try (NDManager manager = NDManager.newBaseManager(); Qwen2Model model = Qwen2Model.random(config, 0, manager);
        AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.01, manager)) {
      OptimizerStep loop = TrainBenchmark.sftLoop(model, optimizer, TrainBenchmark.randomRows(config.vocabSize(), batch * 2, sequence),
          batch, 2, scratch);
      long before = statusBytes("VmRSS");
      resetPeak();
      loop.take(1);
      loop.take(2);
      long measured = statusBytes("VmHWM") - before;
      log.printf(Locale.ROOT, "bench memory: two steps of %dx%d tokens peaked %.3f GiB above the %.3f GiB resident before them%n",
          batch, sequence, measured / GIB, before / GIB);
      return new Result(config, batch, plan.totalBytes() - plan.weightBytes(), measured);
    }
  }

  /** A size in {@code /proc/self/status} (given there in kB). */
  static long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
        }
      }
      throw new IllegalStateException(STATUS + " has no " + field);
    } catch (IOException e) {
      throw new UncheckedIOException("bench memory reads " + STATUS + " (Linux only)", e);
    }
  }

  /** Makes VmHWM start again from the current resident size (Linux 4.0 and later). */
  private static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      throw new UncheckedIOException("bench memory resets the peak through /proc/self/clear_refs (Linux 4.0 or later)", e);
    }
  }
}
