package dev.crucible.jobs.bench;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sandbox life-cycle latency: create-to-ready, a trivial exec round trip, and close, for N sandboxes
 * at concurrency C, against the same work through the {@code docker} command line ({@code docker run
 * -d} with the same limits, {@code docker exec}, {@code docker rm -f}) as the baseline. The two kinds
 * of work alternate in one pool, so both see the same machine load.
 *
 * <p>Our "ready" is more than the CLI's: the workdir exists and holds an initialized git repository.
 */
public final class SandboxBenchmark {
  private final DockerClient client;
  private final int count;
  private final int concurrency;
  private final String image;
  private final PrintStream progress;

  public SandboxBenchmark(DockerClient client, int count, int concurrency, String image, PrintStream progress) {
    this.client = client;
    this.count = count;
    this.concurrency = concurrency;
    this.image = image;
    this.progress = progress;
  }

  /** Milliseconds of the three phases of one sandbox's life. */
  record Sample(boolean cli, double createMillis, double execMillis, double closeMillis) {}

  /** Percentiles of both sides, and the CLI's p50 over ours (above 1: we are faster). */
  public record Result(
      int n, int concurrency, Percentiles create, Percentiles exec, Percentiles close,
      Percentiles cliCreate, Percentiles cliExec, Percentiles cliClose) {

    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"benchmark\":\"sandbox\",\"n\":%d,\"concurrency\":%d,"
              + "\"create_p50_ms\":%.1f,\"create_p95_ms\":%.1f,\"exec_p50_ms\":%.1f,\"exec_p95_ms\":%.1f,"
              + "\"close_p50_ms\":%.1f,\"close_p95_ms\":%.1f,"
              + "\"cli_create_p50_ms\":%.1f,\"cli_create_p95_ms\":%.1f,\"cli_exec_p50_ms\":%.1f,\"cli_exec_p95_ms\":%.1f,"
              + "\"cli_close_p50_ms\":%.1f,\"cli_close_p95_ms\":%.1f,"
              + "\"create_ratio\":%.2f,\"exec_ratio\":%.2f,\"close_ratio\":%.2f}",
          n, concurrency, create.p50(), create.p95(), exec.p50(), exec.p95(), close.p50(), close.p95(),
          cliCreate.p50(), cliCreate.p95(), cliExec.p50(), cliExec.p95(), cliClose.p50(), cliClose.p95(),
          cliCreate.p50() / create.p50(), cliExec.p50() / exec.p50(), cliClose.p50() / close.p50());
    }
  }

  /** The 50th and 95th percentiles (nearest rank) of a list of milliseconds. */
  public record Percentiles(double p50, double p95) {
    static Percentiles of(List<Double> values) {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return new Percentiles(rank(sorted, 0.50), rank(sorted, 0.95));
    }

    private static double rank(List<Double> sorted, double quantile) {
      int index = (int) Math.ceil(quantile * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
  }

  public Result run() {
    SandboxSpec spec = SandboxSpec.builder().image(image).memoryBytes(512L << 20).pidsLimit(256).runId("bench").taskId("bench").build();
    progress.printf("bench sandbox: warming up%n");
    ours(spec);
    cli(spec);
    List<Sample> samples = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<Sample>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(() -> ours(spec)));
        futures.add(pool.submit(() -> cli(spec)));
      }
      for (Future<Sample> future : futures) {
        samples.add(future.get());
        if (samples.size() % 10 == 0) {
          progress.printf("bench sandbox: %d/%d sandboxes%n", samples.size(), futures.size());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a sandbox failed during the benchmark: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Result(
        count, concurrency,
        percentiles(samples, false, Sample::createMillis), percentiles(samples, false, Sample::execMillis),
        percentiles(samples, false, Sample::closeMillis), percentiles(samples, true, Sample::createMillis),
        percentiles(samples, true, Sample::execMillis), percentiles(samples, true, Sample::closeMillis));
  }

  private Sample ours(SandboxSpec spec) {
    long start = System.nanoTime();
    DockerSandbox sandbox = DockerSandbox.create(client, spec);
    long ready = System.nanoTime();
    try {
      if (sandbox.exec("true", java.time.Duration.ofSeconds(30)).exitCode() != 0) {
        throw new IllegalStateException("'true' failed in a sandbox");
      }
    } finally {
      long executed = System.nanoTime();
      sandbox.close();
      long closed = System.nanoTime();
      return new Sample(false, millis(start, ready), millis(ready, executed), millis(executed, closed));
    }
  }

  private Sample cli(SandboxSpec spec) {
    long start = System.nanoTime();
    String id =
        docker(
                "run", "-d", "--network", "none", "--memory", String.valueOf(spec.memoryBytes()),
                "--memory-swap", String.valueOf(spec.memoryBytes()), "--cpus", String.valueOf(spec.cpus()),
                "--pids-limit", String.valueOf(spec.pidsLimit()), "--init", "--security-opt", "no-new-privileges",
                "--label", "dev.crucible.bench=true", spec.image(), "sleep", "infinity")
            .strip();
    long ready = System.nanoTime();
    docker("exec", id, "true");
    long executed = System.nanoTime();
    docker("rm", "-f", id);
    long closed = System.nanoTime();
    return new Sample(true, millis(start, ready), millis(ready, executed), millis(executed, closed));
  }

  private static String docker(String... arguments) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("docker " + arguments[0] + " failed: " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the docker command line", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Percentiles percentiles(List<Sample> samples, boolean cli, java.util.function.ToDoubleFunction<Sample> phase) {
    return Percentiles.of(samples.stream().filter(s -> s.cli() == cli).map(s -> phase.applyAsDouble(s)).toList());
  }

  private static double millis(long from, long to) {
    return (to - from) / 1e6;
  }
}
