package dev.crucible.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Fills in k8s/base for one run: the config as the run ConfigMap, the SparkApplication running the job on it
 * (main class, arguments, image, executors and their Docker sidecar sized for the sandboxes), the GPU driver of
 * k8s/components/gpu-driver for training, k8s/components/rootless on request, everything in one namespace, and
 * a kustomization.yaml listing the files.
 */
public final class ManifestRenderer {
  /** Where the run ConfigMap is mounted in the driver (k8s/base/spark-application.yaml). */
  public static final String CONFIG_PATH = "/etc/crucible/run.yaml";
  /** The label of drivers whose metrics k8s/base/metrics.yaml's Service selects. */
  public static final String METRICS_LABEL = "crucible.dev/metrics";
  /** The Docker daemon's container in the executor pod template. */
  static final String DOCKER_SIDECAR = "dind";
  /** The volume holding the daemon's images and sandboxes. */
  static final String DOCKER_STORAGE = "docker-storage";

  /** Room on the daemon's volume for images: the Python sandbox image, or a few SWE-bench ones. */
  private static final long IMAGE_BYTES = 16L << 30;
  /** The daemon's own memory, beside its sandboxes'. */
  private static final long DAEMON_BYTES = 1L << 30;

  private final String image;
  private final String namespace;
  private final boolean rootless;

  /**
   * @param image the Crucible image, {@link K8sImage#DEFAULT} unless pushed elsewhere
   * @param namespace the namespace of every object; {@code null} for k8s/base's
   * @param rootless whether executors get rootless Docker (k8s/components/rootless) instead of a privileged daemon
   */
  public ManifestRenderer(String image, String namespace, boolean rootless) {
    this.image = Objects.requireNonNull(image, "image");
    this.namespace = namespace != null ? namespace : ManifestTemplates.baseKustomization().path("namespace").asText();
    this.rootless = rootless;
  }

  /** The files for {@code job} on {@code run}, whose config file reads {@code configText}. */
  public List<Manifest> render(ClusterJob job, ClusterRun run, String configText) {
    ObjectNode kustomization = ManifestTemplates.baseKustomization();
    List<Manifest> manifests = new ArrayList<>();
    manifests.add(new Manifest("run-config.yaml", List.of(configMap(kustomization.path("configMapGenerator").path(0), configText))));
    for (JsonNode resource : kustomization.path("resources")) {
      List<ObjectNode> documents = ManifestTemplates.base(resource.asText());
      for (ObjectNode document : documents) {
        ((ObjectNode) document.path("metadata")).put("namespace", namespace);
        if (document.path("kind").asText().equals("RoleBinding")) {
          document.path("subjects").forEach(subject -> ((ObjectNode) subject).put("namespace", namespace));
        }
        if (document.path("kind").asText().equals("SparkApplication")) {
          application(document, job, run);
        }
      }
      manifests.add(new Manifest(resource.asText(), documents));
    }
    ObjectNode listing = JsonNodeFactory.instance.objectNode();
    listing.put("apiVersion", kustomization.path("apiVersion").asText()).put("kind", "Kustomization");
    ArrayNode files = listing.putArray("resources");
    manifests.forEach(manifest -> files.add(manifest.file()));
    manifests.add(new Manifest("kustomization.yaml", List.of(listing)));
    return manifests;
  }

  /** The ConfigMap k8s/base's configMapGenerator makes, holding {@code configText}. */
  private ObjectNode configMap(JsonNode generator, String configText) {
    ObjectNode configMap = JsonNodeFactory.instance.objectNode();
    configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode metadata = configMap.putObject("metadata");
    metadata.put("name", generator.path("name").asText()).put("namespace", namespace);
    metadata.putObject("labels").put("app.kubernetes.io/name", "crucible");
    configMap.putObject("data").put(generator.path("files").path(0).asText(), configText);
    return configMap;
  }

  private void application(ObjectNode application, ClusterJob job, ClusterRun run) {
    ((ObjectNode) application.path("metadata")).put("name", applicationName(job, run));
    ObjectNode spec = (ObjectNode) application.path("spec");
    spec.put("image", image).put("mainClass", job.mainClass().getName());
    ArrayNode arguments = spec.putArray("arguments");
    job.arguments(CONFIG_PATH).forEach(arguments::add);
    if (rootless) {
      JsonPatch.apply(application, ManifestTemplates.componentPatch("rootless"));
    }
    if (job.trains()) {
      JsonPatch.apply(application, ManifestTemplates.componentPatch("gpu-driver"));
      ((ObjectNode) spec.path("driver").path("labels")).put(METRICS_LABEL, "true");
    }
    size((ObjectNode) spec.path("executor"), run);
  }

  /**
   * Executors as the config sizes them, one core per sandbox unless it says otherwise, and the Docker daemon
   * with the CPU, memory and disk of its sandboxes ({@link SandboxSpec}'s defaults each) plus its own.
   */
  private static void size(ObjectNode executor, ClusterRun run) {
    int sandboxes = Math.max(1, run.sandboxesPerExecutor());
    String instances = run.executorConf().get("spark.executor.instances");
    if (instances != null) {
      executor.put("instances", Integer.parseInt(instances));
    }
    executor.put("cores", Integer.parseInt(run.executorConf().getOrDefault("spark.executor.cores", String.valueOf(sandboxes))));
    String memory = run.executorConf().get("spark.executor.memory");
    if (memory != null) {
      executor.put("memory", memory);
    }
    SandboxSpec sandbox = SandboxSpec.builder().build();
    JsonNode pod = executor.path("template").path("spec");
    for (JsonNode container : pod.path("initContainers")) {
      if (container.path("name").asText().equals(DOCKER_SIDECAR)) {
        ObjectNode resources = ((ObjectNode) container).putObject("resources");
        String daemonMemory = bytes(sandboxes * sandbox.memoryBytes() + DAEMON_BYTES);
        resources.putObject("requests").put("cpu", cpus(sandboxes * sandbox.cpus())).put("memory", daemonMemory);
        resources.putObject("limits").put("memory", daemonMemory);
      }
    }
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("name").asText().equals(DOCKER_STORAGE)) {
        ((ObjectNode) volume.path("emptyDir")).put("sizeLimit", bytes(IMAGE_BYTES + sandboxes * sandbox.diskBytes()));
      }
    }
  }

  /** A DNS label: crucible-JOB-RUN, lower case, at most 56 characters so the driver pod's name fits in 63. */
  static String applicationName(ClusterJob job, ClusterRun run) {
    String name = ("crucible-" + job.configName() + "-" + run.name()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    name = name.length() > 56 ? name.substring(0, 56) : name;
    return name.replaceAll("-+$", "");
  }

  private static String cpus(double cpus) {
    return cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : (long) Math.ceil(cpus * 1000) + "m";
  }

  private static String bytes(long bytes) {
    return bytes % (1L << 30) == 0 ? (bytes >> 30) + "Gi" : (long) Math.ceil(bytes / (double) (1L << 20)) + "Mi";
  }
}
