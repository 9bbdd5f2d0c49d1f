package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxException;

/**
 * Why a sandbox's container failed a command, and so who is to blame. Its init runs as root, out of the
 * agent's reach, so:
 *
 * <ul>
 *   <li>still running while Docker answers, yet a command would not end: the agent's processes choke
 *       it ({@link Kind#UNRESPONSIVE});
 *   <li>stopped by the OOM killer: the memory the agent's processes and files held ({@link Kind#OUT_OF_MEMORY});
 *   <li>stopped with 137 or 143: a signal from outside, {@code docker kill} or {@code stop}, or a daemon
 *       restart, or gone altogether: the infrastructure's ({@link Kind#CONTAINER_GONE});
 *   <li>stopped otherwise: its runtime gave way under what the agent's processes did (gVisor's kernel
 *       dies of a fork bomb with status 2) ({@link Kind#CRASHED}).
 * </ul>
 */
final class ContainerEnd {
  private ContainerEnd() {}

  /** The failure, typed by the container's state; {@code message} says what failed. */
  static SandboxException classify(DockerClient client, String containerId, String message, Throwable cause) {
    InspectContainerResponse.ContainerState state;
    try {
      state = client.inspectContainerCmd(containerId).exec().getState();
    } catch (RuntimeException e) {
      SandboxException gone = new SandboxException(Kind.CONTAINER_GONE, message + "; the container is gone", cause);
      gone.addSuppressed(e);
      return gone;
    }
    if (Boolean.TRUE.equals(state.getRunning())) {
      return new SandboxException(Kind.UNRESPONSIVE, message + " while the container ran and Docker answered: the sandbox is choked", cause);
    }
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      return new SandboxException(Kind.OUT_OF_MEMORY, message + "; the OOM killer stopped the container", cause);
    }
    Long exit = state.getExitCodeLong();
    if (exit == null || exit == 0 || exit == 137 || exit == 143) {
      return new SandboxException(Kind.CONTAINER_GONE, message + "; the container was stopped from outside (exit " + exit + ")", cause);
    }
    String error = state.getError() == null || state.getError().isBlank() ? "" : ": " + state.getError();
    return new SandboxException(Kind.CRASHED, message + "; the container died under its processes (exit " + exit + error + ")", cause);
  }
}
