package dev.crucible.jobs.evaluate;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import dev.crucible.reward.parsers.LogParsers;
import dev.crucible.rollout.repos.TaskRepositories;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Checks tasks and predictions against each other before any sandbox starts, and reports every problem
 * at once, each naming its instance: a prediction without a task, a task without {@code test_cmd} or
 * {@code image}, an unknown {@code log_parser}, a missing repository. A row with its own {@code image}
 * and {@code eval_script} needs neither a {@code test_cmd} nor a repository on the host. (Malformed lines are caught by
 * the readers.) Predictions may come from several models, each graded in its own folder, as in
 * SWE-bench.
 */
public final class EvaluationInputs {
  private EvaluationInputs() {}

  /**
   * The task of each prediction, in prediction order.
   *
   * @param repositories the folder of the tasks' repositories
   */
  public static Map<Prediction, TaskInstance> match(
      List<TaskInstance> tasks, String tasksSource, List<Prediction> predictions, String predictionsSource, TaskRepositories repositories,
      Configuration conf) {
    Map<String, TaskInstance> byId = new LinkedHashMap<>();
    tasks.forEach(task -> byId.put(task.instanceId(), task));
    List<InputProblem> problems = new ArrayList<>();
    Map<Prediction, TaskInstance> matched = new LinkedHashMap<>();
    for (Prediction prediction : predictions) {
      TaskInstance task = byId.get(prediction.instanceId());
      if (task == null) {
        problems.add(
            new InputProblem(predictionsSource, 0, "instance_id",
                "prediction for '" + prediction.instanceId() + "' has no task in " + tasksSource));
        continue;
      }
      matched.put(prediction, task);
      checkTask(task, tasksSource, repositories, conf, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return matched;
  }

  /**
   * Where the sandboxes take {@code task}'s code from: its repository's bundle or git directory, or null for a
   * row worked on in its own image.
   *
   * @throws IllegalStateException when the repository is missing (which {@link #match} and {@link #requireRunnable} report first)
   */
  public static String repositoryOf(TaskInstance task, TaskRepositories repositories, Configuration conf) {
    if (task.runsItsEvalScript()) {
      return null;
    }
    return repositories.locate(task.repo(), conf)
        .orElseThrow(() -> new IllegalStateException("no repository for " + task.instanceId() + ": " + repositories.expected(task.repo())))
        .toString();
  }

  /**
   * Checks that every task can run an agent's episode: it has a test command, an image, a known log
   * parser and a repository, or its own image and eval script (the agent then works in the image's
   * {@code /testbed}).
   *
   * @throws InvalidInputException naming every task with a problem
   */
  public static void requireRunnable(List<TaskInstance> tasks, String source, TaskRepositories repositories, Configuration conf) {
    List<InputProblem> problems = new ArrayList<>();
    tasks.forEach(task -> checkTask(task, source, repositories, conf, problems));
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }

  private static void checkTask(TaskInstance task, String source, TaskRepositories repositories, Configuration conf, List<InputProblem> problems) {
    // A row with its own image and eval script needs no test command or repository.
    boolean ownEnvironment = task.runsItsEvalScript();
    String id = "task '" + task.instanceId() + "'";
    if (!ownEnvironment && (task.testCmd() == null || task.testCmd().isBlank())) {
      problems.add(new InputProblem(source, 0, "test_cmd", id + " has no test_cmd, and no image with an eval_script"));
    }
    if (task.image() == null || task.image().isBlank()) {
      problems.add(new InputProblem(source, 0, "image", id + " has no image"));
    }
    if (task.logParser() == null) {
      problems.add(new InputProblem(source, 0, "log_parser", id + " has no log_parser"));
    } else {
      try {
        LogParsers.named(task.logParser());
      } catch (IllegalArgumentException e) {
        problems.add(new InputProblem(source, 0, "log_parser", id + ": " + e.getMessage()));
      }
    }
    if (!ownEnvironment && repositories.locate(task.repo(), conf).isEmpty()) {
      problems.add(new InputProblem(source, 0, "repo", id + ": no repository: expected the git bundle " + repositories.expected(task.repo())));
    }
  }
}
