package dev.crucible.jobs.bench;

import dev.crucible.data.Outcome;
import dev.crucible.data.Trajectory;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.rollout.RolloutRun;
import dev.crucible.jobs.rollout.RolloutSettings;
import dev.crucible.reward.signals.RewardWeights;
import dev.crucible.rollout.Parallel;
import dev.crucible.rollout.agent.EpisodeRunner;
import dev.crucible.rollout.agent.Modes;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of {@code crucible rollout} with the scripted expert against the bare cost of the same
 * sandbox work: for each episode, the agent's sandbox (start, copy the tree in, list the layout, read
 * the file, apply the fix, run the tests, remove) and the grading sandbox (start, copy, apply, test,
 * remove), through the docker command line, at the same concurrency. Our side is the real Spark job (session started before timing, coverage and lint
 * off as the bare work has neither); it also runs the agent's other tool calls, keeps a git
 * repository in the agent's sandbox, parses and grades, and writes the trajectories.
 */
public final class RolloutBenchmark {
  /** What the expert looks at before editing, done bare: the layout and the file. */
  private static final List<String> AGENT_EXPLORATION = List.of("find . -maxdepth 6 -name .git -prune -o -print", "cat textops/words.py");

  private final int episodes;
  private final int workers;
  private final int warmPool;
  private final Path workDirectory;
  private final PrintStream progress;

  /** @param warmPool containers kept started ahead ({@link SandboxChoice#warmPool}) */
  public RolloutBenchmark(int episodes, int workers, int warmPool, Path workDirectory, PrintStream progress) {
    this.episodes = episodes;
    this.workers = workers;
    this.warmPool = warmPool;
    this.workDirectory = workDirectory;
    this.progress = progress;
  }

  /** Runs both sides and returns the JSON line of their figures. */
  public String run(SparkSession spark) throws IOException {
    SampleTask sample = SampleTask.create(workDirectory.resolve("repos/bench__textops"));
    org.apache.hadoop.fs.Path tasksFile = new org.apache.hadoop.fs.Path(workDirectory.resolve("tasks.jsonl").toString());
    SweBenchTasks.write(tasksFile, new Configuration(), List.of(sample.task("bench__textops-1", "bench/textops")));
    Path patch = workDirectory.resolve("gold.patch");
    Files.writeString(patch, sample.goldPatch());
    String base = sample.task("x", "bench/textops").baseCommit();

    progress.printf("bench rollout: warming up both sides%n");
    rollout(spark, "warm-up", Math.min(2, episodes));
    EvaluateBenchmark.bare(sample, base, patch);

    progress.printf("bench rollout: %d scripted episodes through crucible rollout%n", episodes);
    long start = System.nanoTime();
    List<Trajectory> trajectories = rollout(spark, "bench", episodes);
    double oursSeconds = (System.nanoTime() - start) / 1e9;
    long resolved = trajectories.stream().filter(t -> t.outcome() == Outcome.RESOLVED).count();
    if (resolved != episodes) {
      throw new IllegalStateException("only " + resolved + " of " + episodes + " scripted episodes resolved");
    }

    progress.printf("bench rollout: the same sandbox work through the docker command line%n");
    start = System.nanoTime();
    Parallel.map(Collections.nCopies(episodes, base), workers, commit -> {
      EvaluateBenchmark.bare(sample, commit, patch, AGENT_EXPLORATION);
      return EvaluateBenchmark.bare(sample, commit, patch);
    });
    double bareSeconds = (System.nanoTime() - start) / 1e9;
    return new Throughput("rollout", "episodes", "episodes_per_min", episodes, workers, warmPool, oursSeconds, bareSeconds).toJson();
  }

  private List<Trajectory> rollout(SparkSession spark, String run, int count) {
    RolloutSettings settings =
        new RolloutSettings(
            workDirectory.resolve("runs/" + run).toString(), 0, "scripted", "single", "standard", Modes.DEFAULT, count, workers,
            new SandboxChoice(SandboxFactory.Backend.DOCKER, null, warmPool), 0, 1,
            EpisodeRunner.DEFAULT_EPISODE_TIMEOUT, -1, false, RewardWeights.defaults(), 0);
    return new RolloutRun(settings, progress).run(spark, new org.apache.hadoop.fs.Path(workDirectory.resolve("tasks.jsonl").toString()),
        HadoopFiles.local(workDirectory.resolve("repos")));
  }
}
