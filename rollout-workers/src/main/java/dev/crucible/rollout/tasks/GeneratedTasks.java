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
 * which SWE-bench readers ignore and researchers can query.
 */
public final class GeneratedTasks {
  private GeneratedTasks() {}

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
