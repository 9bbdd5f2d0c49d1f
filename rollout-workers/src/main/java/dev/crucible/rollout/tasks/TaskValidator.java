package dev.crucible.rollout.tasks;

import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.Parallel;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import dev.crucible.rollout.evaluation.EvaluationResult;
import dev.crucible.rollout.evaluation.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Checks tasks by running them, through the same grading code as {@code crucible evaluate}: the gold
 * patch must resolve the task, and the code at the base commit, with no patch, must not.
 */
public final class TaskValidator {
  /** How one task fared. */
  public record Verdict(String instanceId, EvaluationOutcome gold, EvaluationOutcome unpatched, String detail) {
    public boolean valid() {
      return gold == EvaluationOutcome.RESOLVED && unpatched == EvaluationOutcome.UNRESOLVED;
    }
  }

  private final Evaluator evaluator;
  private final int workers;

  public TaskValidator(Evaluator evaluator, int workers) {
    this.evaluator = evaluator;
    this.workers = workers;
  }

  /** Validates every task, several at once; verdicts come back in task order. */
  public List<Verdict> validate(List<TaskInstance> tasks, Function<TaskInstance, Path> repositoryOf) {
    return Parallel.map(tasks, workers, task -> validate(task, repositoryOf.apply(task)));
  }

  private Verdict validate(TaskInstance task, Path repository) {
    EvaluationResult gold = evaluator.evaluate(task, repository, task.patch(), 0, 0);
    EvaluationResult unpatched = evaluator.evaluateWithoutPatch(task, repository);
    String detail = "";
    if (gold.outcome() != EvaluationOutcome.RESOLVED) {
      detail = "gold patch: " + (gold.reason() != null ? gold.reason() : failures(gold));
    } else if (unpatched.outcome() != EvaluationOutcome.UNRESOLVED) {
      detail = "without a patch: " + (unpatched.reason() != null ? unpatched.reason() : "already resolved");
    }
    return new Verdict(task.instanceId(), gold.outcome(), unpatched.outcome(), detail);
  }

  private static String failures(EvaluationResult result) {
    if (result.tests() == null) {
      return result.outcome().reportName();
    }
    List<String> failing = new java.util.ArrayList<>(result.tests().failToPassFailure());
    failing.addAll(result.tests().passToPassFailure());
    return "failing " + failing;
  }
}
