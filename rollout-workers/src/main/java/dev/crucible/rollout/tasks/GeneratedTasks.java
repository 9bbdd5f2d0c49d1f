package dev.crucible.rollout.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.TaskJson;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes generated tasks as SWE-bench JSONL with the bug of each in extra fields
 * ({@code mutation_kind}, {@code mutation_file}, {@code mutation_function}, {@code mutation_line}),
 * which SWE-bench readers ignore and researchers can query. The hint level is the task's own
 * {@code hint_level} column.
 */
public final class GeneratedTasks {
  private GeneratedTasks() {}

  /** Tasks for training and tasks never trained on, to measure what training generalizes to. */
  public record Split(List<GeneratedTask> train, List<GeneratedTask> heldOut) {}

  /**
   * Holds out the last {@code heldOut} of {@code tasks}, or fewer when fewer were generated, so that at
   * least one is left to train on. The generator keeps bugs in an order the seed shuffled, so they are
   * a random choice that the same seed repeats at every hint level.
   */
  public static Split split(List<GeneratedTask> tasks, int heldOut) {
    if (heldOut < 0) {
      throw new IllegalArgumentException("cannot hold out " + heldOut + " tasks");
    }
    int held = Math.min(heldOut, Math.max(0, tasks.size() - 1));
    return new Split(List.copyOf(tasks.subList(0, tasks.size() - held)), List.copyOf(tasks.subList(tasks.size() - held, tasks.size())));
  }

  public static void write(Path file, Configuration conf, List<GeneratedTask> tasks) {
    JsonLines.write(file, conf, tasks, GeneratedTasks::encode);
  }

  private static ObjectNode encode(GeneratedTask generated) {
    ObjectNode node = TaskJson.encode(generated.task());
    node.put("mutation_kind", generated.mutation().kind());
    node.put("mutation_file", generated.mutation().file());
    node.put("mutation_function", generated.mutation().function());
    node.put("mutation_line", generated.mutation().line());
    return node;
  }
}
