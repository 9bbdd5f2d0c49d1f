package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.ExecStartCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.crucible.rollout.sandbox.BoundedOutput;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code docker exec} in a sandbox container: the argument vector runs as the given user, with
 * optional input on stdin, and both output streams are kept in bounded buffers.
 *
 * <p>Docker does not pass the end of stdin on to the process, so a command that reads stdin must stop
 * on its own: after a byte count it was told ({@code head -c N}) or at the end of a tar archive.
 */
final class DockerExec {
  /** Root inside the container: only the platform's own commands run as root, never the agent's. */
  static final String ROOT = "0:0";
  /** How long past a command's own timeout we wait for Docker to report it before calling Docker stuck. */
  private static final Duration GRACE = Duration.ofSeconds(15);

  /** What the command did; {@code stdout} holds every byte when fewer than the limit were written. */
  record Result(int exitCode, BoundedOutput stdout, BoundedOutput stderr, long millis) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private final DockerClient client;
  private final String containerId;

  DockerExec(DockerClient client, String containerId) {
    this.client = client;
    this.containerId = containerId;
  }

  /**
   * Runs {@code argv} as {@code user} in {@code workdir}. The command must end by itself within
   * {@code deadline}; past it (plus a grace) Docker itself is considered stuck.
   *
   * @param stdin input for the command, or {@code null} for none
   * @throws SandboxException {@code UNRESPONSIVE} when the command does not end in time though Docker
   *     and the container answer, {@code DAEMON_UNAVAILABLE} when they do not; docker-java's own failures
   *     are passed to the caller to classify
   */
  Result run(String user, String workdir, List<String> env, List<String> argv, InputStream stdin, int outputLimit, Duration deadline) {
    long start = System.nanoTime();
    Collector output = new Collector(outputLimit);
    ExecCreateCmd create =
        client.execCreateCmd(containerId)
            .withUser(user)
            .withWorkingDir(workdir)
            .withEnv(env)
            .withCmd(argv.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withAttachStdin(stdin != null);
    String execId = create.exec().getId();
    ExecStartCmd startCmd = client.execStartCmd(execId);
    if (stdin != null) {
      startCmd.withStdIn(stdin);
    }
    try {
      startCmd.exec(output);
      if (!output.awaitCompletion(deadline.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
        SandboxException stuck = stuck("a command did not end " + GRACE.toSeconds() + " s past its timeout");
        try {
          output.close();
        } catch (IOException closeError) {
          stuck.addSuppressed(closeError);
        }
        throw stuck;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Kind.INTERNAL, "interrupted while running a command", e);
    }
    Long exitCode = client.inspectExecCmd(execId).exec().getExitCodeLong();
    return new Result(exitCode == null ? -1 : exitCode.intValue(), output.stdout, output.stderr, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Why a command is stuck: Docker does not answer (the infrastructure's), or the container's state
   * tells ({@link ContainerEnd}).
   */
  private SandboxException stuck(String late) {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      return new SandboxException(Kind.DAEMON_UNAVAILABLE, late + " and Docker no longer answers", e);
    }
    return ContainerEnd.classify(client, containerId, late, null);
  }

  /** Input of known bytes. */
  static InputStream input(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  /** Collects stdout and stderr frames into bounded buffers. */
  private static final class Collector extends ResultCallback.Adapter<Frame> {
    final BoundedOutput stdout;
    final BoundedOutput stderr;

    Collector(int limit) {
      stdout = new BoundedOutput(limit);
      stderr = new BoundedOutput(limit);
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (frame.getStreamType() == StreamType.STDERR) {
        stderr.write(payload);
      } else {
        stdout.write(payload);
      }
    }
  }
}
