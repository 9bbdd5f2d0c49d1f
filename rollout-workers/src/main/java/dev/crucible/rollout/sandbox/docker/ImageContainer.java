package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.OpenSandboxes;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxLabels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A container of a row's own prebuilt image (SWE-bench 5's {@code image}), made as the official
 * harness makes it: the image's own environment and working directory, commands run as
 * root in {@code /testbed}, the image pulled when the daemon lacks it. Unlike there: the network is off
 * unless {@link ImageLimits#network()} asks for it, memory, CPU and process limits hold, no capability
 * is added (the harness adds {@code SYS_ADMIN} for browser sandboxes), privileges cannot be gained, the
 * container keeps no log and carries the sandbox labels, so the sweeper removes it when its JVM dies.
 * The image's file system stays writable, as the eval scripts expect: it has no disk quota.
 *
 * <p>What runs in it is trusted as the official harness trusts it: the patch's code runs as root and
 * the log it prints is graded. Crucible's own evaluation ({@link dev.crucible.rollout.evaluation.Evaluator}
 * on a {@code test_cmd}) is the hardened one.
 */
public final class ImageContainer implements AutoCloseable {
  /** Where SWE-bench images hold the repository. */
  public static final String TESTBED = "/testbed";
  private static final String ROOT = "root";
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);
  /** Most bytes of one command's output kept: a larger test log is an error, never graded cut short. */
  private static final int OUTPUT_LIMIT = 64 << 20;
  /** Runs argument 2 onwards for at most argument 1 seconds, stderr into stdout as the harness's one stream. */
  private static final String TIMED = "s=$1; shift; exec timeout -k 10 \"$s\" \"$@\" 2>&1";

  private final DockerClient client;
  private final String containerId;
  private final DockerExec docker;
  private boolean closed;

  /**
   * What a command printed (stdout and stderr as one stream, in order) and how it ended.
   *
   * @param timedOut it ran past its timeout and was stopped
   */
  public record Run(int exitCode, String output, boolean timedOut, long millis) {}

  private ImageContainer(DockerClient client, String containerId) {
    this.client = client;
    this.containerId = containerId;
    this.docker = new DockerExec(client, containerId);
  }

  /**
   * Starts a container of {@code image}, pulling the image first when the daemon lacks it.
   *
   * @param runtime the Docker runtime, or {@code null} for the daemon's default
   * @param log receives what the harness would log: the pull, the container's id
   * @throws SandboxException {@code IMAGE_NOT_FOUND} when every pull failed, {@code DAEMON_UNAVAILABLE}
   *     when no container could be made
   */
  public static ImageContainer start(
      DockerClient client, String image, String runId, String taskId, ImageLimits limits, String runtime, Consumer<String> log) {
    requireImage(client, image, limits.pullAttempts(), log);
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(limits.network() ? "bridge" : "none")
            .withMemory(limits.memoryBytes())
            .withMemorySwap(limits.memoryBytes())
            .withNanoCPUs((long) (limits.cpus() * 1e9))
            .withPidsLimit((long) limits.pidsLimit())
            .withPrivileged(false)
            .withInit(true)
            .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
            .withSecurityOpts(List.of("no-new-privileges"))
            .withCapDrop(Capability.NET_RAW, Capability.MKNOD, Capability.AUDIT_WRITE, Capability.SETFCAP);
    if (runtime != null) {
      host.withRuntime(runtime);
    }
    String id;
    try {
      id = client.createContainerCmd(image)
          .withCmd("tail", "-f", "/dev/null")
          .withUser(ROOT)
          .withLabels(SandboxLabels.of(runId, taskId))
          .withNetworkDisabled(!limits.network())
          .withHostConfig(host)
          .exec()
          .getId();
    } catch (RuntimeException e) {
      throw new SandboxException(Kind.DAEMON_UNAVAILABLE, "cannot create a container of " + image + " (" + DockerClients.rootMessage(e) + ")", e);
    }
    ImageContainer container = new ImageContainer(client, id);
    OpenSandboxes.opened(container);
    try {
      client.startContainerCmd(id).exec();
      Run check = container.run(List.of("/bin/bash", "-c", "test -d " + TESTBED), null, Duration.ofMinutes(1));
      if (check.exitCode() != 0) {
        throw new SandboxException(
            Kind.IMAGE_NOT_FOUND, "image " + image + " cannot run its eval script: it needs /bin/bash, timeout (coreutils) and "
                + TESTBED + " (exit " + check.exitCode() + ": " + check.output().strip() + ")");
      }
      log.accept("Container for " + taskId + " started: " + id);
      return container;
    } catch (RuntimeException e) {
      container.close();
      throw e instanceof SandboxException sandboxError ? sandboxError
          : new SandboxException(Kind.DAEMON_UNAVAILABLE, "cannot start a container of " + image + " (" + DockerClients.rootMessage(e) + ")", e);
    }
  }

  /** Pulls {@code image} unless the daemon has it, up to {@code attempts} times, waiting 2, 4, 8… s between. */
  static void requireImage(DockerClient client, String image, int attempts, Consumer<String> log) {
    try {
      client.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException e) {
      log.accept("Image not found locally, attempting to pull...");
    }
    RuntimeException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        if (!client.pullImageCmd(image).exec(new PullImageResultCallback()).awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the pull took longer than " + PULL_TIMEOUT.toMinutes() + " min");
        }
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException(Kind.INTERNAL, "interrupted while pulling " + image, e);
      } catch (RuntimeException e) {
        last = e;
        log.accept("Pull " + attempt + " of " + attempts + " failed: " + DockerClients.rootMessage(e));
      }
      if (attempt < attempts) {
        try {
          Thread.sleep(1000L << attempt); // Back off before asking the registry again.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SandboxException(Kind.INTERNAL, "interrupted while pulling " + image, e);
        }
      }
    }
    throw new SandboxException(
        Kind.IMAGE_NOT_FOUND, "image " + image + " is not on the daemon and " + attempts + " pulls failed (" + DockerClients.rootMessage(last) + ")",
        last);
  }

  /** The container's id. */
  public String containerId() {
    return containerId;
  }

  /** Writes {@code content} to the absolute {@code path}, as root, making its folder. */
  public void write(String path, byte[] content) {
    requireOpen();
    DockerExec.Result written;
    try {
      written = docker.run(
          ROOT, "/", List.of(), List.of("/bin/sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && head -c " + content.length + " > \"$1\"", "crucible", path),
          DockerExec.input(content), 64 * 1024, STEP_TIMEOUT);
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SandboxException(Kind.CONTAINER_GONE, "cannot write " + path + " in container " + containerId + " (" + DockerClients.rootMessage(e) + ")", e);
    }
    if (!written.succeeded()) {
      throw new SandboxException(Kind.INTERNAL, "cannot write " + path + " in container " + containerId + ": " + written.stderr().text().strip());
    }
  }

  /**
   * Runs {@code argv} as root in {@code workdir} (null: the image's own), for at most {@code timeout},
   * stopped past it as the harness stops the eval script (a TERM, then a KILL 10 s later).
   *
   * @throws SandboxException {@code OUTPUT_TOO_LARGE} past 64 MiB of output, which is never graded cut short
   */
  public Run run(List<String> argv, String workdir, Duration timeout) {
    requireOpen();
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", TIMED, "crucible", String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0)));
    command.addAll(argv);
    DockerExec.Result run;
    try {
      run = docker.run(ROOT, workdir, List.of(), command, null, OUTPUT_LIMIT, timeout.plusSeconds(10));
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SandboxException(Kind.CONTAINER_GONE, "cannot run " + argv + " in container " + containerId + " (" + DockerClients.rootMessage(e) + ")", e);
    }
    if (run.stdout().truncated()) {
      throw new SandboxException(Kind.OUTPUT_TOO_LARGE, argv + " printed " + run.stdout().totalBytes() + " bytes; at most " + OUTPUT_LIMIT + " are kept");
    }
    boolean timedOut = (run.exitCode() == 124 || run.exitCode() == 137) && run.millis() >= timeout.toMillis();
    // As the harness decodes: a stray byte that is not UTF-8 becomes U+FFFD.
    return new Run(run.exitCode(), new String(run.stdout().bytes(), StandardCharsets.UTF_8), timedOut, run.millis());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OpenSandboxes.closed(this);
    DockerClients.removeContainer(client, containerId);
  }

  private void requireOpen() {
    if (closed) {
      throw new SandboxException(Kind.CONTAINER_GONE, "container " + containerId + " is closed");
    }
  }
}
