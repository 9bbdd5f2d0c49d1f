package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.rollout.sandbox.RepositorySetup;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Containers started before they are asked for: up to {@code size} per shape (image, limits and
 * runtime), started in the background, with an empty workdir. A request takes one of its shape and only
 * copies its repository in, so an episode skips the container's creation and start (about half a second
 * here, {@code bench sandbox}). A container serves one sandbox and is removed with it: never reset and
 * reused, since an agent can leave processes and files anywhere it may write, not only in the
 * repository. The pool's containers are tracked and labelled like any other: removed when the pool
 * closes, when the JVM exits, or by the sweeper after a kill.
 */
public final class WarmSandboxPool implements SandboxFactory, AutoCloseable {
  private final DockerClient client;
  private final String runtime;
  private final int size;
  private final Map<SandboxSpec, Deque<DockerSandbox>> ready = new HashMap<>();
  private final Map<SandboxSpec, Integer> starting = new HashMap<>();
  private final ExecutorService starter;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private boolean closed;

  /** @param runtime the Docker runtime of every container, or {@code null} for the daemon's default */
  public WarmSandboxPool(DockerClient client, String runtime, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a warm pool holds at least one container, not " + size);
    }
    this.client = client;
    this.runtime = runtime;
    this.size = size;
    this.starter = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "crucible-warm-sandboxes");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Requests served from the pool, and requests that found none of their shape ready. */
  public record Counters(long hits, long misses) {}

  public Counters counters() {
    return new Counters(hits.get(), misses.get());
  }

  @Override
  public Sandbox create(SandboxSpec request) {
    SandboxSpec spec = request.withRuntime(runtime);
    if (spec.imageTree() != null) {
      return DockerSandbox.create(client, spec); // Its files come from the container before it starts: none can wait warm.
    }
    String commit = RepositorySetup.baseCommit(spec);
    SandboxSpec shape = shape(spec);
    DockerSandbox sandbox = take(shape);
    if (sandbox == null) {
      misses.incrementAndGet();
      sandbox = DockerSandbox.start(client, shape);
    } else {
      hits.incrementAndGet();
    }
    sandbox.fill(spec, commit);
    return sandbox;
  }

  /**
   * Fills the pool for {@code spec}'s shape, starting what it lacks in the caller's thread and waiting
   * for the starts already under way, so the next {@code size} requests of that shape find their
   * containers ready (a job can warm the pool before its first episode).
   */
  public void warm(SandboxSpec spec) {
    SandboxSpec shape = shape(spec.withRuntime(runtime));
    int lacking;
    synchronized (this) {
      lacking = size - ready.computeIfAbsent(shape, s -> new ArrayDeque<>()).size() - starting.getOrDefault(shape, 0);
      starting.merge(shape, Math.max(0, lacking), Integer::sum);
    }
    for (int i = 0; i < lacking; i++) {
      startOne(shape);
    }
    synchronized (this) {
      while (starting.getOrDefault(shape, 0) > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** What a container is made from: the request without its run and task (its labels name the pool instead). */
  private static SandboxSpec shape(SandboxSpec spec) {
    return SandboxSpec.builder().image(spec.image()).memoryBytes(spec.memoryBytes()).diskBytes(spec.diskBytes()).cpus(spec.cpus())
        .pidsLimit(spec.pidsLimit()).outputLimitBytes(spec.outputLimitBytes()).runId("warm-pool").taskId("warm-pool")
        .gitRepository(false).build().withRuntime(spec.runtime());
  }

  /** A ready container of {@code shape}, or {@code null}; either way the pool starts what it lacks. */
  private synchronized DockerSandbox take(SandboxSpec shape) {
    if (closed) {
      throw new IllegalStateException("the warm sandbox pool is closed");
    }
    Deque<DockerSandbox> queue = ready.computeIfAbsent(shape, s -> new ArrayDeque<>());
    DockerSandbox sandbox = queue.pollFirst();
    int lacking = size - queue.size() - starting.getOrDefault(shape, 0);
    for (int i = 0; i < lacking; i++) {
      starting.merge(shape, 1, Integer::sum);
      starter.execute(() -> startOne(shape));
    }
    return sandbox;
  }

  private void startOne(SandboxSpec shape) {
    DockerSandbox sandbox = null;
    try {
      sandbox = DockerSandbox.start(client, shape);
    } catch (RuntimeException e) { // A request that finds none starts its own, and meets the error itself.
      System.getLogger(WarmSandboxPool.class.getName()).log(System.Logger.Level.WARNING, "cannot start a warm sandbox", e);
    }
    boolean keep;
    synchronized (this) {
      starting.merge(shape, -1, Integer::sum);
      keep = sandbox != null && !closed;
      if (keep) {
        ready.get(shape).addLast(sandbox);
      }
      notifyAll();
    }
    if (!keep && sandbox != null) {
      sandbox.close();
    }
  }

  /** Removes every container still waiting, after the ones being started. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    starter.shutdown();
    try {
      starter.awaitTermination(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      ready.values().forEach(queue -> queue.forEach(DockerSandbox::close));
      ready.clear();
    }
  }
}
