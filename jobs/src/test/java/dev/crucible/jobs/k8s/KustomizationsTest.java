package dev.crucible.jobs.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every kustomization under k8s/ builds, and what it builds is valid Kubernetes that runs the code as it is. */
class KustomizationsTest {
  @Test
  void everyFolderBuildsIntoValidObjectsThatRunTheCode() throws Exception {
    assertThat(KustomizeBuild.buildable().stream().map(folder -> KustomizeBuild.K8S.relativize(folder).toString()))
        .contains("base", "overlays/dind", "overlays/rootless", "overlays/rollout", "overlays/evaluate", "overlays/train-grpo",
            "overlays/cron", "overlays/kueue", "kueue");
    for (Path folder : KustomizeBuild.buildable()) {
      ManifestChecks.assertValid(KustomizeBuild.build(folder));
    }
  }

  @Test
  void everyApplicationAndTheDockerfileUseTheOneImageName() {
    for (Path folder : KustomizeBuild.buildable()) {
      assertThat(ManifestChecks.applications(KustomizeBuild.build(folder)))
          .allSatisfy(application -> assertThat(application.path("spec").path("image").asText()).as("%s", folder).isEqualTo(K8sImage.DEFAULT));
    }
    assertThat(KustomizeBuild.text(KustomizeBuild.K8S.resolve("image/Dockerfile")))
        .contains("docker build -f k8s/image/Dockerfile -t " + K8sImage.DEFAULT + " .");
  }

  @Test
  void everyYamlFileUnderK8sIsAKustomizationAResourceAPatchOrARunConfig() throws Exception {
    try (Stream<Path> files = Files.walk(KustomizeBuild.K8S)) {
      for (Path file : files.filter(file -> file.toString().endsWith(".yaml")).toList()) {
        for (JsonNode document : KustomizeBuild.read(file)) {
          if (file.getFileName().toString().equals("run.yaml") || document.isArray()
              || document.path("apiVersion").asText().startsWith("kustomize.config.k8s.io/")) {
            continue; // Run configs are checked by their parser, patches and kustomizations by building them.
          }
          assertThat(KubernetesModel.problems(document)).as("%s", file).isEmpty();
        }
      }
    }
  }

  @Test
  void theRunConfigsParseAsTheirJobReadsThem() {
    assertThat(ClusterRun.read(ClusterJob.PIPELINE, KustomizeBuild.K8S.resolve("base/run.yaml")).sandboxesPerExecutor()).isEqualTo(2);
    assertThat(ClusterRun.read(ClusterJob.GRPO, KustomizeBuild.K8S.resolve("overlays/train-grpo/run.yaml")).name()).isEqualTo("grpo-cluster");
  }

  @Test
  void theVariantsPlaceDockerAndTheDriverAsTheySay() {
    ObjectNode dind = application("overlays/dind");
    assertThat(ManifestChecks.container(KubernetesModel.read(dind.path("spec").path("executor").path("template"),
        io.fabric8.kubernetes.api.model.PodTemplateSpec.class).getSpec().getInitContainers(), "dind").getSecurityContext().getPrivileged())
        .isTrue();
    assertThat(ManifestChecks.anyPrivileged(application("overlays/rootless"))).as("rootless has a privileged container").isFalse();
    ManifestChecks.assertGpuDriver(application("overlays/train-grpo"));
    assertThat(application("overlays/kueue").path("metadata").path("labels").path("kueue.x-k8s.io/queue-name").asText()).isEqualTo("crucible");
    assertThat(application("overlays/rollout").path("spec").path("driver").path("labels").path(ManifestRenderer.METRICS_LABEL).asText())
        .isEqualTo("true");
  }

  @Test
  void aMisspelledFieldFailsTheChecks() {
    ObjectNode application = application("base");
    ObjectNode executor = (ObjectNode) application.path("spec").path("executor");
    executor.set("instance", executor.remove("instances"));
    ObjectNode container = (ObjectNode) executor.path("template").path("spec").path("containers").path(0);
    container.set("volumeMount", container.remove("env"));
    assertThat(KubernetesModel.problems(application)).containsExactlyInAnyOrder(
        "sparkoperator.k8s.io/v1beta2/SparkApplication crucible-pipeline.spec.executor.instance: unknown field",
        "sparkoperator.k8s.io/v1beta2/SparkApplication crucible-pipeline executor template.spec.containers[0]: unknown fields [volumeMount]");
    ObjectNode service = (ObjectNode) KustomizeBuild.build(KustomizeBuild.K8S.resolve("base")).stream()
        .filter(object -> object.path("kind").asText().equals("Service")).findFirst().orElseThrow();
    ((ObjectNode) service.path("spec")).put("selektor", "x");
    assertThat(KubernetesModel.problems(service)).containsExactly("v1/Service crucible-metrics.spec: unknown fields [selektor]");
  }

  /** kubectl's own kustomize, where installed, builds the same objects as {@link KustomizeBuild}. */
  @Test
  void kubectlKustomizeBuildsTheSameObjects() throws Exception {
    assumeThat(Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl"))))
        .as("kubectl on PATH").isTrue();
    for (Path folder : KustomizeBuild.buildable()) {
      Process process = new ProcessBuilder("kubectl", "kustomize", folder.toString()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("kubectl kustomize %s: %s", folder, output).isZero();
      List<JsonNode> built = new YAMLMapper().readValues(new YAMLMapper().createParser(output), JsonNode.class).readAll();
      assertThat(byName(built)).as("%s", folder).isEqualTo(byName(List.copyOf(KustomizeBuild.build(folder))));
    }
  }

  private static Map<String, JsonNode> byName(List<? extends JsonNode> objects) {
    return objects.stream().collect(Collectors.toMap(
        object -> object.path("kind").asText() + "/" + object.path("metadata").path("name").asText(), object -> object));
  }

  private static ObjectNode application(String folder) {
    return ManifestChecks.applications(KustomizeBuild.build(KustomizeBuild.K8S.resolve(folder))).get(0);
  }
}
