package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.crucible.rollout.sandbox.SandboxLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes sandbox containers that nobody will close: those whose owning JVM on this host is gone
 * (killed with SIGKILL, crashed), and, when asked, any sandbox older than a maximum age whatever its
 * owner. Runs from {@code crucible sandbox gc} and at the start of every rollout.
 */
public final class SandboxSweeper {
  private final DockerClient client;

  public SandboxSweeper(DockerClient client) {
    this.client = client;
  }

  /** What one sweep found and removed. */
  public record Sweep(int sandboxes, List<String> removed) {}

  /**
   * Removes orphaned sandboxes.
   *
   * @param maxAge also remove sandboxes older than this, whoever owns them; {@code null} for no age limit
   */
  public Sweep sweep(Duration maxAge) {
    DockerClients.requireDaemon(client);
    List<Container> sandboxes =
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(SandboxLabels.SANDBOX, "true")).exec();
    List<String> removed = new ArrayList<>();
    Instant now = Instant.now();
    for (Container container : sandboxes) {
      String owner = container.getLabels() == null ? null : container.getLabels().get(SandboxLabels.OWNER);
      boolean tooOld =
          maxAge != null && Instant.ofEpochSecond(container.getCreated()).plus(maxAge).isBefore(now);
      if (tooOld || SandboxLabels.ownerIsDeadHere(owner)) {
        try {
          client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
          removed.add(container.getId());
        } catch (NotFoundException e) {
          // Removed meanwhile by its owner.
        }
      }
    }
    return new Sweep(sandboxes.size(), removed);
  }
}
