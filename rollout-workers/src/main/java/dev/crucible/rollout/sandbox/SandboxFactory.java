package dev.crucible.rollout.sandbox;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.SandboxSweeper;
import dev.crucible.rollout.sandbox.docker.WarmSandboxPool;
import dev.crucible.rollout.sandbox.process.ProcessSandbox;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Makes sandboxes of one backend; chosen by name so jobs and configs can say which. */
@FunctionalInterface
public interface SandboxFactory {

  Sandbox create(SandboxSpec spec);

  /**
   * The backends by name. There is no automatic choice: a missing Docker daemon is an error, never a
   * silent fall back to the far weaker process sandbox, which must be asked for by name.
   */
  enum Backend {
    /** A container per sandbox (the default). */
    DOCKER,
    /** A directory on the host; no isolation worth the name (see {@link ProcessSandbox}). */
    PROCESS;

    public static Backend named(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown sandbox backend '" + name + "'; known: " + names());
      }
    }

    /** The backends' names, for messages and help. */
    public static String names() {
      return Arrays.stream(values()).map(Backend::tableName).collect(Collectors.joining(", "));
    }

    public String tableName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A factory for {@code choice}, a {@link WarmSandboxPool} when it asks for one. For Docker it first removes the sandboxes on this host whose JVM
   * died ({@link SandboxSweeper}): every process that makes sandboxes, driver or executor, sweeps its
   * own host when it starts to.
   *
   * @throws SandboxException {@code DAEMON_UNAVAILABLE} at once for Docker when no daemon answers
   */
  static SandboxFactory of(SandboxChoice choice) {
    return switch (choice.backend()) {
      case PROCESS -> ProcessSandbox::create;
      case DOCKER -> {
        DockerClient client = DockerClients.fromEnvironment();
        SandboxSweeper.Sweep sweep = new SandboxSweeper(client).sweep(null);
        if (!sweep.removed().isEmpty()) {
          System.getLogger(SandboxFactory.class.getName())
              .log(System.Logger.Level.INFO, "removed " + sweep.removed().size() + " orphaned sandbox containers on this host");
        }
        yield choice.warmPool() > 0
            ? new WarmSandboxPool(client, choice.runtime(), choice.warmPool())
            : spec -> DockerSandbox.create(client, spec.withRuntime(choice.runtime()));
      }
    };
  }
}
