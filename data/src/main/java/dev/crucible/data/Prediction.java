package dev.crucible.data;

/**
 * One row of a SWE-bench predictions file: the patch a model proposes for a task.
 *
 * @param instanceId the task it answers
 * @param modelNameOrPath the model that produced it
 * @param modelPatch the proposed unified diff; empty when the model produced none
 */
public record Prediction(String instanceId, String modelNameOrPath, String modelPatch) {

  public Prediction {
    Checks.requirePathSafe(instanceId, "instance_id");
    modelNameOrPath = modelNameOrPath == null ? "" : modelNameOrPath;
    Checks.requirePathSafe(modelFolder(modelNameOrPath), "model_name_or_path");
    modelPatch = modelPatch == null ? "" : modelPatch;
  }

  /** {@code model_name_or_path} as a folder name, as the SWE-bench harness makes it: slashes become {@code __}. */
  public static String modelFolder(String modelNameOrPath) {
    String folder = modelNameOrPath.replace("/", "__");
    return folder.isEmpty() ? "unnamed-model" : folder;
  }

  /** True when the model produced no patch at all (SWE-bench counts these apart). */
  public boolean isEmptyPatch() {
    return modelPatch.isBlank();
  }
}
