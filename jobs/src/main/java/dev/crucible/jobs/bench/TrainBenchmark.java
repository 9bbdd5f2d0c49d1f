package dev.crucible.jobs.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.crucible.trainer.model.Qwen2Config;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.LearningRateSchedule;
import dev.crucible.trainer.train.MetricsSink;
import dev.crucible.trainer.train.OptimizerStep;
import dev.crucible.trainer.train.PackedRow;
import dev.crucible.trainer.train.SftObjective;
import dev.crucible.trainer.train.StepPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;

/**
 * Training throughput of a fixed model against the engine's own matmul rate, measured in the same run:
 * the model's achieved FLOP/s (6 N + 12 L d T per token, N counting the output head but not the embedding
 * lookup) over two denominators. The first is the best of a few square 2048² float32 matmuls, the machine's
 * peak. The second is fairer to a small model: the median rate of exactly the GEMMs one training step runs,
 * in the model's own shapes ({@link #modelShapedGemmFlops}), which is what a trainer with no overhead
 * beyond its matrix products would reach.
 */
public final class TrainBenchmark {
  private final int hidden;
  private final int layers;
  private final int sequence;
  private final int batch;
  private final int steps;
  private final PrintStream log;

  public TrainBenchmark(int hidden, int layers, int sequence, int batch, int steps, PrintStream log) {
    this.hidden = hidden;
    this.layers = layers;
    this.sequence = sequence;
    this.batch = batch;
    this.steps = steps;
    this.log = log;
  }

  /** The figures, as one JSON line. */
  public record Result(Qwen2Config config, int batch, int sequence, double tokensPerSecond, double modelFlops, double matmulFlops,
      double shapedFlops) {
    public String toJson() {
      return String.format(Locale.ROOT,
          "{\"benchmark\":\"train\",\"parameters\":%d,\"layers\":%d,\"hidden\":%d,\"batch\":%d,\"sequence\":%d,\"threads\":%d,"
              + "\"tokens_per_second\":%.0f,\"model_gflops\":%.1f,\"matmul_gflops\":%.1f,\"ratio\":%.3f,"
              + "\"shaped_gemm_gflops\":%.1f,\"shaped_ratio\":%.3f}",
          config.parameterCount(), config.numHiddenLayers(), config.hiddenSize(), batch, sequence,
          Runtime.getRuntime().availableProcessors(), tokensPerSecond, modelFlops / 1e9, matmulFlops / 1e9, modelFlops / matmulFlops,
          shapedFlops / 1e9, modelFlops / shapedFlops);
    }
  }

  public Result run(Path scratch) {
    Qwen2Config config = benchModel(hidden, layers, Math.max(1, hidden / 64), Math.max(1, hidden / 64), sequence);
    double matmul = matmulFlops(2048, 5);
    log.printf(Locale.ROOT, "bench train: matmul 2048x2048 float32: %.1f GFLOP/s%n", matmul / 1e9);
    double shaped = modelShapedGemmFlops(config, batch, sequence, 7);
    log.printf(Locale.ROOT, "bench train: the step's GEMMs in the model's shapes: %.1f GFLOP/s (median)%n", shaped / 1e9);
    try (NDManager manager = NDManager.newBaseManager(); Qwen2Model model = Qwen2Model.random(config, 0, manager);
        AdamW optimizer = new AdamW(0.9, 0.95, 1e-8, 0.01, manager)) {
      int warmup = 2;
      OptimizerStep loop = sftLoop(model, optimizer, randomRows(config.vocabSize(), batch * 4, sequence), batch, warmup + steps, scratch);
      for (int step = 1; step <= warmup; step++) {
        loop.take(step);
      }
      long tokens = 0;
      long started = System.nanoTime();
      for (int step = warmup + 1; step <= warmup + steps; step++) {
        tokens += loop.take(step).tokens();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double tokensPerSecond = tokens / seconds;
      // Tied embeddings: the one vocabulary matrix counts once, as the head's matmul (the lookup is free).
      double flopsPerToken = 6.0 * config.parameterCount() + 12.0 * layers * hidden * sequence;
      log.printf(Locale.ROOT, "bench train: %d steps of %dx%d tokens, %.0f tokens/s%n", steps, batch, sequence, tokensPerSecond);
      return new Result(config, batch, sequence, tokensPerSecond, tokensPerSecond * flopsPerToken, matmul, shaped);
    }
  }

  /** FLOP/s of {@code n x n} float32 matmuls on the engine: the best of {@code rounds} timed ones after one warm-up. */
  static double matmulFlops(int n, int rounds) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(n, n));
      NDArray b = manager.randomNormal(new Shape(n, n));
      a.matMul(b).close();
      double best = 0;
      for (int i = 0; i < rounds; i++) {
        long started = System.nanoTime();
        try (NDArray product = a.matMul(b)) {
          product.getFloat(0, 0); // Forces the computation.
        }
        best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - started) / 1e9));
      }
      return best;
    }
  }

  /**
   * FLOP/s of the GEMMs one training step of {@code batch} rows of {@code sequence} tokens runs, in the
   * model's shapes: for each projection X Wᵀ, and the backward pass's dY W and dYᵀ X; for attention, Q Kᵀ
   * and P V per head and their four backward products; one layer is timed and counted for all of them (they
   * are alike), the head once. The median of {@code rounds} timed rounds after one warm-up.
   */
  static double modelShapedGemmFlops(Qwen2Config config, int batch, int sequence, int rounds) {
    long tokens = (long) batch * sequence;
    long h = config.hiddenSize();
    long kv = (long) config.numKeyValueHeads() * config.headDim();
    long ffn = config.intermediateSize();
    long heads = (long) batch * config.numAttentionHeads();
    long size = config.headDim();
    try (NDManager manager = NDManager.newBaseManager()) {
      Gemms layer = new Gemms();
      for (long[] projection : new long[][] {{h, h}, {h, kv}, {h, kv}, {h, h}, {h, ffn}, {h, ffn}, {ffn, h}}) {
        layer.linear(manager, tokens, projection[0], projection[1]);
      }
      NDArray rowsBySize = manager.randomNormal(new Shape(heads, sequence, size));
      NDArray sizeByRows = manager.randomNormal(new Shape(heads, size, sequence));
      NDArray square = manager.randomNormal(new Shape(heads, sequence, sequence));
      // Q Kᵀ forward and dO Vᵀ backward are [T, d] by [d, T]; P V forward and Pᵀ dO, dS K, dSᵀ Q backward
      // are [T, T] by [T, d].
      for (int i = 0; i < 2; i++) {
        layer.add(rowsBySize, sizeByRows, 2.0 * heads * sequence * sequence * size);
      }
      for (int i = 0; i < 4; i++) {
        layer.add(square, rowsBySize, 2.0 * heads * sequence * sequence * size);
      }
      Gemms head = new Gemms();
      head.linear(manager, tokens, h, config.vocabSize());
      layer.time();
      head.time();
      double[] rates = new double[rounds];
      int layers = config.numHiddenLayers();
      for (int round = 0; round < rounds; round++) {
        rates[round] = (layers * layer.flops + head.flops) / (layers * layer.time() + head.time());
      }
      java.util.Arrays.sort(rates);
      return rates[rounds / 2];
    }
  }

  /** A list of matrix products and the FLOPs they do. */
  private static final class Gemms {
    private final List<NDArray[]> operands = new ArrayList<>();
    private double flops;

    /** X Wᵀ forward, dY W and dYᵀ X backward, for {@code tokens} rows through an {@code in} to {@code out} projection. */
    void linear(NDManager manager, long tokens, long in, long out) {
      NDArray x = manager.randomNormal(new Shape(tokens, in));
      add(x, manager.randomNormal(new Shape(in, out)), 2.0 * tokens * in * out);
      add(manager.randomNormal(new Shape(tokens, out)), manager.randomNormal(new Shape(out, in)), 2.0 * tokens * in * out);
      add(manager.randomNormal(new Shape(out, tokens)), x, 2.0 * tokens * in * out);
    }

    void add(NDArray left, NDArray right, double productFlops) {
      operands.add(new NDArray[] {left, right});
      flops += productFlops;
    }

    /** Seconds to run every product once. */
    double time() {
      long started = System.nanoTime();
      for (NDArray[] pair : operands) {
        try (NDArray product = pair[0].matMul(pair[1])) {
          product.getFloat(new long[product.getShape().dimension()]); // Forces the computation.
        }
      }
      return (System.nanoTime() - started) / 1e9;
    }
  }

  /**
   * The random model the training benchmarks run: the built-in tokenizer's vocabulary of 1,431, an MLP
   * of 8/3 the hidden size, a tied head, and a context of {@code sequence}.
   */
  static Qwen2Config benchModel(int hidden, int layers, int heads, int kvHeads, int sequence) {
    return new Qwen2Config(1431, hidden, hidden * 8 / 3, layers, heads, kvHeads, sequence, 1e-6, 10000, true, 0, 0);
  }

  /** The real SFT loop (forward, backward, clipping, AdamW) over {@code rows}, {@code batch} a step, for {@code steps} steps. */
  static OptimizerStep sftLoop(Qwen2Model model, AdamW optimizer, List<PackedRow> rows, int batch, int steps, Path scratch) {
    StepPlan plan = StepPlan.of(rows.size(), batch, 1, steps, 0);
    return new OptimizerStep(new OptimizerStep.Settings("bench", "sft", plan.totalSteps(), 1.0),
        new SftObjective(model, rows, plan, batch), model.parameters(), optimizer, new LearningRateSchedule(1e-4, 0, plan.totalSteps(), 0.1),
        new MetricsSink(dev.crucible.data.io.HadoopFiles.local(scratch.resolve("metrics")), new Configuration(), "sft", new SimpleMeterRegistry()));
  }

  /** {@code count} rows of {@code sequence} random tokens, every target counted. */
  static List<PackedRow> randomRows(int vocabulary, int count, int sequence) {
    SplittableRandom random = new SplittableRandom(0);
    List<PackedRow> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      long[] inputs = new long[sequence];
      long[] targets = new long[sequence];
      boolean[] mask = new boolean[sequence];
      int[] segments = new int[sequence];
      long[] positions = new long[sequence];
      for (int t = 0; t < sequence; t++) {
        inputs[t] = random.nextInt(vocabulary);
        targets[t] = random.nextInt(vocabulary);
        mask[t] = true;
        segments[t] = 1;
        positions[t] = t;
      }
      rows.add(new PackedRow(inputs, targets, mask, segments, positions));
    }
    Engine.getInstance(); // Loads the engine before timing.
    return rows;
  }
}
