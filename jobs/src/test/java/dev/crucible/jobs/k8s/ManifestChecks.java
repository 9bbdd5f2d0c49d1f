package dev.crucible.jobs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.jobs.CrucibleCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The checks every set of manifests passes, those under k8s/ and those {@code k8s render} writes. */
final class ManifestChecks {
  private ManifestChecks() {}

  /** Every object typed or schema-valid, and every SparkApplication true to the code. */
  static void assertValid(List<ObjectNode> objects) throws Exception {
    List<String> problems = new ArrayList<>();
    objects.forEach(object -> problems.addAll(KubernetesModel.problems(object)));
    assertThat(problems).as("fields the Kubernetes model or the CRDs do not have").isEmpty();
    for (ObjectNode application : applications(objects)) {
      assertRunsTheCode(application);
      assertExecutorsGetDocker(application);
    }
  }

  static List<ObjectNode> applications(List<ObjectNode> objects) {
    return objects.stream().filter(object -> object.path("kind").asText().equals("SparkApplication")).toList();
  }

  /** The main class exists with a main method, the image is the one constant, the arguments parse as the job's options. */
  static void assertRunsTheCode(ObjectNode application) throws Exception {
    JsonNode spec = application.path("spec");
    Class<?> mainClass = Class.forName(spec.path("mainClass").asText());
    Method main = mainClass.getMethod("main", String[].class);
    assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())).as("%s.main", mainClass).isTrue();
    assertThat(spec.path("mainApplicationFile").asText()).isEqualTo("local:///opt/crucible/crucible-cluster.jar");
    assertThat(spec.path("sparkVersion").asText()).isEqualTo(sparkVersion());
    List<String> arguments = new ArrayList<>();
    // Each *Job runs the crucible subcommand its name says (RolloutJob: rollout) on its arguments.
    arguments.add(mainClass.getSimpleName().replaceFirst("Job$", "").toLowerCase(Locale.ROOT));
    spec.path("arguments").forEach(argument -> arguments.add(argument.asText()));
    CrucibleCommand.commandLine().parseArgs(arguments.toArray(String[]::new));
    for (String role : List.of("driver", "executor")) {
      assertThat(List.of(spec.path(role).path("javaOptions").asText().split("\\s+")))
          .as("%s java options: Spark's module flags on Java 17", role).containsAll(List.of(pomProperty("spark.jvm.opens").split("\\s+")));
    }
  }

  /**
   * The executor pod template: Docker in a sidecar (privileged only there, never the executor), its storage an
   * emptyDir with a size limit, the sandbox image loaded by an init container, DOCKER_HOST set for docker-java.
   */
  static void assertExecutorsGetDocker(ObjectNode application) {
    PodTemplateSpec executor = KubernetesModel.read(application.path("spec").path("executor").path("template"), PodTemplateSpec.class);
    Container dind = container(executor.getSpec().getInitContainers(), ManifestRenderer.DOCKER_SIDECAR);
    assertThat(dind.getRestartPolicy()).as("dind is a native sidecar").isEqualTo("Always");
    assertThat(container(executor.getSpec().getInitContainers(), "sandbox-image").getCommand()).isNotEmpty();
    Container sparkExecutor = container(executor.getSpec().getContainers(), "spark-kubernetes-executor");
    assertThat(sparkExecutor.getSecurityContext().getPrivileged()).isFalse();
    assertThat(sparkExecutor.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(sparkExecutor.getEnv()).anyMatch(env -> env.getName().equals("DOCKER_HOST") && !env.getValue().isEmpty());
    assertThat(executor.getSpec().getVolumes()).filteredOn(volume -> volume.getName().equals(ManifestRenderer.DOCKER_STORAGE))
        .singleElement().satisfies(volume -> assertThat(volume.getEmptyDir().getSizeLimit()).isNotNull());
    PodTemplateSpec driver = KubernetesModel.read(application.path("spec").path("driver").path("template"), PodTemplateSpec.class);
    assertThat(Stream.of(executor, driver).flatMap(pod -> Stream.concat(pod.getSpec().getContainers().stream(),
            pod.getSpec().getInitContainers().stream()))
        .filter(container -> container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged()))
        .map(Container::getName)).as("privileged containers").isSubsetOf(ManifestRenderer.DOCKER_SIDECAR);
  }

  /** Whether any container of the application's pods is privileged. */
  static boolean anyPrivileged(ObjectNode application) {
    return Stream.of("driver", "executor")
        .map(role -> KubernetesModel.read(application.path("spec").path(role).path("template"), PodTemplateSpec.class))
        .flatMap(pod -> Stream.concat(pod.getSpec().getContainers().stream(), pod.getSpec().getInitContainers().stream()))
        .anyMatch(container -> container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged()));
  }

  /** The driver on a GPU node with one GPU. */
  static void assertGpuDriver(ObjectNode application) {
    PodTemplateSpec driver = KubernetesModel.read(application.path("spec").path("driver").path("template"), PodTemplateSpec.class);
    assertThat(container(driver.getSpec().getContainers(), "spark-kubernetes-driver").getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(driver.getSpec().getNodeSelector()).isNotEmpty();
    assertThat(driver.getSpec().getTolerations()).anyMatch(toleration -> toleration.getKey().equals("nvidia.com/gpu"));
  }

  static Container container(List<Container> containers, String name) {
    return containers.stream().filter(container -> container.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + containers.stream().map(Container::getName).toList()));
  }

  static String sparkVersion() {
    return pomProperty("spark.version");
  }

  /** A property of the root pom, where the versions and Spark's JVM flags are written once. */
  static String pomProperty(String name) {
    try {
      String pom = Files.readString(Path.of("..", "pom.xml"));
      int start = pom.indexOf("<" + name + ">") + name.length() + 2;
      return pom.substring(start, pom.indexOf("</" + name + ">", start)).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
