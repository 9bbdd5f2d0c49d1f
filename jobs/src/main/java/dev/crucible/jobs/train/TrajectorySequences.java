package dev.crucible.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.parquet.TrajectoryStore;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.ContextWindows;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.Conversations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads the trajectory tables of some runs with Spark and tokenizes every episode on the executors:
 * one row per episode (copies left by retried tasks dropped), each conversation rendered with the chat
 * template and the tools the agent was offered, cut into context windows when asked.
 */
public final class TrajectorySequences {
  private TrajectorySequences() {}

  /**
   * @param windowTokens when positive, a conversation longer than this is cut into windows of the head
   *     and consecutive turns ({@link ContextWindows#windows}), as a model of that context sees it in use;
   *     0 keeps each conversation whole
   */
  public static List<EncodedEpisode> read(SparkSession spark, List<Path> runs, String tokenizerJson, ArrayNode tools, int windowTokens) {
    List<String> tables = new ArrayList<>();
    for (Path run : runs) {
      Path table = run.resolve(TrajectoryStore.TRAJECTORIES);
      if (!Files.isDirectory(table)) {
        throw new IllegalArgumentException("run " + run + " has no trajectory table (" + table + ")");
      }
      tables.add(table.toString());
    }
    // Each table on its own, then the union: Spark refuses one read over several partitioned roots.
    Dataset<Row> all = null;
    for (String table : tables) {
      Dataset<Row> one = spark.read().parquet(table).select("episode_id", "run_id", "iteration", "task_id", "outcome", "resolved", "reward", "turns");
      all = all == null ? one : all.unionByName(one);
    }
    Dataset<Row> episodes = all.dropDuplicates("episode_id").orderBy(functions.col("episode_id"));
    Broadcast<String> tokenizer = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizerJson);
    String toolsJson = tools.toString();
    return episodes.javaRDD().mapPartitions((Iterator<Row> rows) -> encode(rows, tokenizer.value(), toolsJson, windowTokens)).collect();
  }

  private static Iterator<EncodedEpisode> encode(Iterator<Row> rows, String tokenizerJson, String toolsJson, int windowTokens)
      throws Exception {
    List<EncodedEpisode> encoded = new ArrayList<>();
    ArrayNode tools = (ArrayNode) new ObjectMapper().readTree(toolsJson);
    try (ChatTokenizer tokenizer = ChatTokenizer.of(tokenizerJson)) {
      ChatTemplate template = new ChatTemplate(tokenizer);
      while (rows.hasNext()) {
        Row row = rows.next();
        List<Message> messages = new ArrayList<>();
        for (Row turn : row.<Row>getList(row.fieldIndex("turns"))) {
          messages.add(Conversations.message(turn.getAs("role"), turn.getAs("content"), turn.getAs("tool_name"),
              turn.getAs("tool_arguments"), turn.getAs("observation")));
        }
        List<long[]> ids = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        for (List<Message> conversation : Conversations.split(messages)) {
          List<ChatTemplate.Tokens> pieces = windowTokens > 0
              ? ContextWindows.windows(template, conversation, tools, windowTokens)
              : List.of(template.conversation(conversation, tools));
          for (ChatTemplate.Tokens tokens : pieces) {
            ids.add(tokens.ids());
            masks.add(tokens.assistant());
          }
        }
        Boolean resolved = row.getAs("resolved");
        encoded.add(new EncodedEpisode(row.getAs("episode_id"), row.getAs("run_id"), row.<Integer>getAs("iteration"),
            row.getAs("task_id"), row.getAs("outcome"), Boolean.TRUE.equals(resolved), row.getAs("reward"), ids, masks));
      }
    }
    return encoded.iterator();
  }
}
