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
    Checks.requireText(instanceId, "instanceId");
    modelNameOrPath = modelNameOrPath == null ? "" : modelNameOrPath;
    modelPatch = modelPatch == null ? "" : modelPatch;
  }

  /** True when the model produced no patch at all (SWE-bench counts these apart). */
  public boolean isEmptyPatch() {
    return modelPatch.isBlank();
  }
}
