package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxFactory;
import java.util.function.Consumer;

/** Starts containers of rows' own prebuilt images ({@link ImageContainer}) with one set of limits. */
@FunctionalInterface
public interface ImageContainers {

  /**
   * A started container of {@code image} serving {@code taskId} in {@code runId}.
   *
   * @param log receives what the harness logs while it starts the container
   */
  ImageContainer start(String image, String runId, String taskId, Consumer<String> log);

  /** Containers for {@code choice} (its runtime) under {@code limits}; the process backend has none to give. */
  static ImageContainers of(SandboxChoice choice, ImageLimits limits) {
    if (choice.backend() != SandboxFactory.Backend.DOCKER) {
      return (image, runId, taskId, log) -> {
        throw new SandboxException(
            SandboxException.Kind.IMAGE_NOT_FOUND, "task '" + taskId + "' runs in its own image " + image + ", which needs the docker backend");
      };
    }
    DockerClient client = DockerClients.fromEnvironment();
    return (image, runId, taskId, log) -> ImageContainer.start(client, image, runId, taskId, limits, choice.runtime(), log);
  }
}
