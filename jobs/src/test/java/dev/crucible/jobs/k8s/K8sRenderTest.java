package dev.crucible.jobs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.jobs.CrucibleCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code crucible k8s render} end to end: its files build with kustomize and pass every check k8s/ passes. */
class K8sRenderTest {
  @TempDir Path temp;

  @Test
  void rendersTheBasesOwnRunAsTheBaseIs() throws Exception {
    List<ObjectNode> rendered = render(0, "--config", "../k8s/base/run.yaml", "--out", temp.toString());
    ManifestChecks.assertValid(rendered);
    ObjectNode application = ManifestChecks.applications(rendered).get(0);
    assertThat(application.path("metadata").path("name").asText()).isEqualTo("crucible-pipeline-cluster");
    ObjectNode base = ManifestChecks.applications(KustomizeBuild.build(KustomizeBuild.K8S.resolve("base"))).get(0);
    assertThat(application.path("spec")).as("the base is what render makes of its run.yaml").isEqualTo(base.path("spec"));
    JsonNode configMap = rendered.stream().filter(object -> object.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
    assertThat(configMap.path("data").path("run.yaml").asText()).isEqualTo(Files.readString(KustomizeBuild.K8S.resolve("base/run.yaml")));
  }

  @Test
  void rendersATrainingOnAGpuDriverWithItsMetricsAndExecutorsSizedForItsSandboxes() throws Exception {
    List<ObjectNode> rendered = render(0, "--config", "../examples/grpo-local.yaml", "--job", "grpo", "--out", temp.toString(),
        "--image", "registry.example/crucible:1", "--namespace", "research");
    ManifestChecks.assertValid(rendered);
    ObjectNode application = ManifestChecks.applications(rendered).get(0);
    ManifestChecks.assertGpuDriver(application);
    JsonNode spec = application.path("spec");
    assertThat(spec.path("image").asText()).isEqualTo("registry.example/crucible:1");
    assertThat(spec.path("arguments").toString()).isEqualTo("[\"grpo\",\"--config\",\"/etc/crucible/run.yaml\",\"--metrics-port\",\"9464\"]");
    assertThat(spec.path("driver").path("labels").path(ManifestRenderer.METRICS_LABEL).asText()).isEqualTo("true");
    assertThat(spec.path("executor").path("cores").asInt()).as("one core per sandbox (rollout.max_workers: 2)").isEqualTo(2);
    JsonNode dind = spec.path("executor").path("template").path("spec").path("initContainers").path(0);
    assertThat(dind.path("resources").toString()).isEqualTo("{\"requests\":{\"cpu\":\"2\",\"memory\":\"5Gi\"},\"limits\":{\"memory\":\"5Gi\"}}");
    assertThat(rendered).allSatisfy(object -> assertThat(object.path("metadata").path("namespace").asText()).isEqualTo("research"));
    assertThat(rendered).filteredOn(object -> object.path("kind").asText().equals("RoleBinding"))
        .allSatisfy(binding -> assertThat(binding.path("subjects").path(0).path("namespace").asText()).isEqualTo("research"));
  }

  @Test
  void rendersRootlessDockerWithoutAPrivilegedContainer() throws Exception {
    List<ObjectNode> rendered = render(0, "--config", "../examples/train-sft.yaml", "--job", "sft", "--rootless", "--out", temp.toString());
    ManifestChecks.assertValid(rendered);
    ObjectNode application = ManifestChecks.applications(rendered).get(0);
    assertThat(ManifestChecks.anyPrivileged(application)).isFalse();
    assertThat(application.path("spec").path("arguments").path(0).asText()).isEqualTo("sft");
  }

  @Test
  void writesEverythingToStandardOutputWithoutOut() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = CrucibleCommand.commandLine();
    command.setOut(new PrintWriter(out));
    assertThat(command.execute("k8s", "render", "--config", "../k8s/base/run.yaml")).isZero();
    List<JsonNode> documents = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
        .readValues(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().createParser(out.toString()), JsonNode.class).readAll();
    assertThat(documents).extracting(document -> document.path("kind").asText())
        .containsExactly("ConfigMap", "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "SparkApplication", "Service", "ServiceMonitor",
            "Kustomization");
  }

  @Test
  void aConfigThatWouldRunLocallyFailsNamingItsFileAndField() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine command = CrucibleCommand.commandLine();
    command.setErr(new PrintWriter(err));
    assertThat(command.execute("k8s", "render", "--config", "../examples/local.yaml", "--out", temp.toString())).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString()).isEqualTo("error: ../examples/local.yaml:20: field 'spark.master': remove it on Kubernetes: spark-submit "
        + "sets the master, and 'local[*]' would run every task in the driver pod\n");
    try (Stream<Path> written = Files.list(temp)) {
      assertThat(written).as("nothing written").isEmpty();
    }
    Path bad = temp.resolve("bad.yaml");
    Files.writeString(bad, "output: s3a://b/runs/x\ntasks: s3a://b/tasks.parquet\nrollout: {max_workers: 0}\nrl: {iteratons: 2}\n");
    err.getBuffer().setLength(0);
    assertThat(command.execute("k8s", "render", "--config", bad.toString(), "--job", "ppo")).isEqualTo(CrucibleCommand.EXIT_FAILURE);
    assertThat(err.toString()).contains(bad + ":3: field 'rollout.max_workers': must be at least 1, got 0")
        .contains(bad + ":4: field 'rl.iteratons'").doesNotContain("field 'tasks'");
    assertThat(command.execute("k8s", "render", "--config", bad.toString(), "--job", "train-ppo")).isEqualTo(CrucibleCommand.EXIT_USAGE);
  }

  /** Runs {@code crucible} with {@code args}, expecting {@code exit}; then builds the folder it wrote as kustomize would. */
  private List<ObjectNode> render(int exit, String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = CrucibleCommand.commandLine();
    command.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("k8s", "render"));
    all.addAll(List.of(args));
    assertThat(command.execute(all.toArray(String[]::new))).as("%s", err).isEqualTo(exit);
    return KustomizeBuild.build(temp);
  }
}
