package dev.crucible.jobs.train;

import dev.crucible.data.io.MirroredDirectory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Keeps a training's shared output directory up to date with the mirror it writes: brings down what the
 * shared directory holds before the training starts (so a resumed run finds its checkpoints on any host),
 * publishes what is new every {@code every} while it runs, and everything when it ends.
 */
public final class OutputPublisher implements AutoCloseable {
  private final MirroredDirectory output;
  private final Configuration conf;
  private final Consumer<String> progress;
  private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "crucible-output-publisher");
    thread.setDaemon(true);
    return thread;
  });

  private OutputPublisher(MirroredDirectory output, Configuration conf, Consumer<String> progress) {
    this.output = output;
    this.conf = conf;
    this.progress = progress;
  }

  /** Pulls {@code output}'s shared directory into its mirror, then publishes the mirror every {@code every}. */
  public static OutputPublisher start(MirroredDirectory output, Configuration conf, Duration every, Consumer<String> progress) {
    OutputPublisher publisher = new OutputPublisher(output, conf, progress);
    int pulled = output.pull(conf);
    progress.accept("output: " + output.shared() + " worked on in " + output.local() + (pulled > 0 ? " (" + pulled + " files brought down)" : ""));
    publisher.schedule.scheduleWithFixedDelay(publisher::publish, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return publisher;
  }

  private void publish() {
    try {
      output.push(conf);
    } catch (RuntimeException e) {
      // The next round, or the final one at close, tries again; that one fails the run.
      progress.accept("output: cannot publish to " + output.shared() + " yet: " + e.getMessage());
    }
  }

  /** Stops the rounds and publishes everything the mirror holds. */
  @Override
  public void close() {
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int pushed = output.push(conf);
    progress.accept("output: " + pushed + " files published to " + output.shared());
  }
}
