package dev.crucible.rollout.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.crucible.rollout.images.ImageBuilder;
import dev.crucible.rollout.images.ImageRecipe;
import dev.crucible.rollout.sandbox.SandboxLabels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests against the real Docker daemon: makes sure the daemon answers and the sandbox image
 * exists (building it once when missing), and fails any test that leaves a sandbox container of this
 * JVM behind, after removing it. Containers of other processes (another test run, a job beside it)
 * are not the test's and are left alone.
 *
 * <p>Without a daemon the tests are skipped, unless {@code CRUCIBLE_REQUIRE_DOCKER} is set (as
 * {@code scripts/test} and CI set it), in which case they fail.
 */
public final class DockerTestSupport implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final DockerClient CLIENT = DockerClients.fromEnvironment();
  private static volatile boolean imageReady;

  /** gVisor's runtime name, as scripts/test registers it with the daemon. */
  public static final String GVISOR = "runsc";

  public static DockerClient client() {
    return CLIENT;
  }

  /**
   * Skips the test when the daemon does not know {@code runtime}, or fails it under
   * {@code CRUCIBLE_REQUIRE_DOCKER} (scripts/test registers gVisor, so CI runs these tests).
   */
  public static void requireRuntime(String runtime) {
    Map<String, ?> runtimes = CLIENT.infoCmd().exec().getRuntimes();
    boolean known = runtimes != null && runtimes.containsKey(runtime);
    if (System.getenv("CRUCIBLE_REQUIRE_DOCKER") != null) {
      assertThat(known).as("the Docker daemon knows the runtime " + runtime + " (scripts/test registers it)").isTrue();
    } else {
      Assumptions.assumeTrue(known, "the Docker daemon does not know the runtime " + runtime);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean available = DockerClients.daemonAvailable(CLIENT);
    if (System.getenv("CRUCIBLE_REQUIRE_DOCKER") != null) {
      DockerClients.requireDaemon(CLIENT);
    } else {
      Assumptions.assumeTrue(available, "no Docker daemon (set CRUCIBLE_REQUIRE_DOCKER to fail instead)");
    }
    synchronized (DockerTestSupport.class) {
      if (!imageReady) {
        new ImageBuilder(CLIENT, System.err).ensure(ImageRecipe.python(), false, ImageBuilder.Method.DEBOOTSTRAP, null);
        imageReady = true;
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    store(context).put("before", sandboxIds());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Set<String> before = (Set<String>) store(context).get("before");
    Set<String> leaked = sandboxIds();
    leaked.removeAll(before);
    leaked.forEach(id -> CLIENT.removeContainerCmd(id).withForce(true).exec());
    assertThat(leaked).as("sandbox containers left behind by the test").isEmpty();
  }

  private static Set<String> sandboxIds() {
    List<Container> containers =
        CLIENT.listContainersCmd().withShowAll(true)
            .withLabelFilter(Map.of(SandboxLabels.SANDBOX, "true", SandboxLabels.OWNER, SandboxLabels.currentOwner())).exec();
    Set<String> ids = new HashSet<>();
    containers.forEach(c -> ids.add(c.getId()));
    return ids;
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(ExtensionContext.Namespace.create(DockerTestSupport.class, context.getUniqueId()));
  }
}
