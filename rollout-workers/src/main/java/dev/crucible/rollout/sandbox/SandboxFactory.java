package dev.crucible.rollout.sandbox;

import com.github.dockerjava.api.DockerClient;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.process.ProcessSandbox;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Makes sandboxes of one backend; chosen by name so jobs and configs can say which. */
@FunctionalInterface
public interface SandboxFactory {

  Sandbox create(SandboxSpec spec);

  /** The backends by name. */
  enum Backend {
    /** Docker when a daemon answers, the process fallback otherwise. */
    AUTO,
    DOCKER,
    PROCESS;

    public static Backend named(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown sandbox backend '" + name + "'; known: "
                + Arrays.stream(values()).map(b -> b.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
      }
    }
  }

  /** A factory for {@code backend}; {@code DOCKER} fails at once when no daemon answers. */
  static SandboxFactory of(Backend backend) {
    return switch (backend) {
      case PROCESS -> ProcessSandbox::create;
      case DOCKER -> {
        DockerClient client = DockerClients.fromEnvironment();
        DockerClients.requireDaemon(client);
        yield spec -> DockerSandbox.create(client, spec);
      }
      case AUTO -> {
        DockerClient client = DockerClients.fromEnvironment();
        yield DockerClients.daemonAvailable(client) ? spec -> DockerSandbox.create(client, spec) : ProcessSandbox::create;
      }
    };
  }
}
