package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.crucible.rollout.sandbox.SandboxException;
import java.time.Duration;

/** Docker clients with timeouts, so a dead or wedged daemon is an error rather than a hung thread. */
public final class DockerClients {
  /** Longest any single API call may take; commands are bounded separately by their own timeouts. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(15);

  private DockerClients() {}

  /** A client for {@code DOCKER_HOST}, or the local socket when it is unset. */
  public static DockerClient fromEnvironment() {
    return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  /** A client for {@code dockerHost}, for example {@code unix:///var/run/docker.sock}. */
  public static DockerClient connect(String dockerHost) {
    return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build());
  }

  private static DockerClient connect(DockerClientConfig config) {
    DockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(256)
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(RESPONSE_TIMEOUT)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * Checks that the daemon answers.
   *
   * @throws SandboxException of kind {@code DAEMON_UNAVAILABLE} when it does not
   */
  public static void requireDaemon(DockerClient client) {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new SandboxException(
          SandboxException.Kind.DAEMON_UNAVAILABLE,
          "the Docker daemon does not answer (" + rootMessage(e) + "); start it, or set DOCKER_HOST",
          e);
    }
  }

  /** Whether a daemon answers at all; for choosing a backend. */
  public static boolean daemonAvailable(DockerClient client) {
    try {
      requireDaemon(client);
      return true;
    } catch (SandboxException e) {
      return false;
    }
  }

  /**
   * Force-removes a container with its volumes. One already gone is the goal reached; any other failure
   * is logged and left to {@link SandboxSweeper}: removal runs on the way out of errors it must not mask.
   */
  static void removeContainer(DockerClient client, String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (RuntimeException e) {
      System.getLogger(DockerClients.class.getName())
          .log(System.Logger.Level.WARNING, "cannot remove container " + containerId + "; the sweeper will", e);
    }
  }

  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
