package dev.crucible.rollout.tasks;

import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trials in {@code workers} sandboxes on this machine, each reused for the candidates of one repository.
 * Not for concurrent use by several generators.
 */
public final class LocalTrialRunner implements TrialRunner, AutoCloseable {
  private final SandboxFactory sandboxes;
  private final int workers;
  private final ExecutorService pool;
  /** Each thread's sandbox, the mutator's path in it, and the repository it was made for. */
  private record Slot(TrialContext context, Sandbox sandbox, String mutator) {}

  private final ThreadLocal<Slot> slot = new ThreadLocal<>();
  private final List<Sandbox> opened = Collections.synchronizedList(new ArrayList<>());

  public LocalTrialRunner(SandboxFactory sandboxes, int workers) {
    this.sandboxes = sandboxes;
    this.workers = workers;
    this.pool = Executors.newFixedThreadPool(workers);
  }

  @Override
  public int batchSize() {
    return workers * 4;
  }

  @Override
  public List<TrialResult> run(TrialContext context, List<MutationCandidate> batch) {
    List<Future<TrialResult>> trials = new ArrayList<>();
    for (MutationCandidate candidate : batch) {
      trials.add(
          pool.submit(
              () -> {
                Slot current = slot.get();
                if (current == null || !current.context().equals(context)) {
                  if (current != null) {
                    current.sandbox().close();
                    opened.remove(current.sandbox());
                  }
                  Sandbox created = sandboxes.create(context.sandboxSpec());
                  opened.add(created);
                  current = new Slot(context, created, CandidateTrial.installMutator(created));
                  slot.set(current);
                }
                return CandidateTrial.run(current.sandbox(), current.mutator(), candidate, context);
              }));
    }
    List<TrialResult> results = new ArrayList<>();
    try {
      for (Future<TrialResult> trial : trials) {
        results.add(trial.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }

  /** Closes the sandboxes and stops the threads. */
  @Override
  public void close() {
    pool.shutdownNow();
    opened.forEach(Sandbox::close);
  }
}
