package dev.crucible.jobs.inspect;

import dev.crucible.data.TaskInstance;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts of a task file: tasks per repository, test-list sizes, and how many say how to run them. */
public final class TaskSummary {
  private final List<TaskInstance> tasks;

  public TaskSummary(List<TaskInstance> tasks) {
    this.tasks = List.copyOf(tasks);
  }

  public String format() {
    Map<String, Integer> perRepo = new TreeMap<>();
    tasks.forEach(t -> perRepo.merge(t.repo(), 1, Integer::sum));
    long runnable = tasks.stream().filter(t -> t.image() != null && t.testCmd() != null && t.logParser() != null).count();
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "tasks: %d in %d repositories%n", tasks.size(), perRepo.size()));
    text.append(
        String.format(
            Locale.ROOT,
            "mean FAIL_TO_PASS: %.1f, mean PASS_TO_PASS: %.1f, with image+test_cmd+log_parser: %d%n",
            tasks.stream().mapToInt(t -> t.failToPass().size()).average().orElse(Double.NaN),
            tasks.stream().mapToInt(t -> t.passToPass().size()).average().orElse(Double.NaN),
            runnable));
    text.append(String.format(Locale.ROOT, "%-40s %6s%n", "repo", "tasks"));
    perRepo.forEach((repo, count) -> text.append(String.format(Locale.ROOT, "%-40s %6d%n", repo, count)));
    return text.toString();
  }
}
