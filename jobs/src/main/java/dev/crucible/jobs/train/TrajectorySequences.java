package dev.crucible.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.RunLayout;
import dev.crucible.data.Turn;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.ContextWindows;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import dev.crucible.trainer.train.Conversations;
import dev.crucible.trainer.train.TokenSequences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads the trajectory tables of some runs with Spark and turns every episode into training sequences on
 * the executors, one row per episode (copies left by retried tasks dropped). An episode whose assistant
 * turns recorded their sampling (a model's, schema version 3) is rebuilt from its stored token ids
 * ({@link TokenSequences}): exactly what the policy read and wrote, never re-tokenized. Other episodes
 * (scripted experts, older tables) have only text: each conversation is rendered with the chat template
 * and the tools the agent was offered, cut into context windows when asked.
 */
public final class TrajectorySequences {
  private TrajectorySequences() {}

  /**
   * @param windowTokens when positive, a conversation longer than this is cut into windows of the head
   *     and consecutive turns ({@link ContextWindows#windows}), as a model of that context sees it in use;
   *     0 keeps each conversation whole
   */
  public static List<EncodedEpisode> read(
      SparkSession spark, List<org.apache.hadoop.fs.Path> runs, String tokenizerJson, ArrayNode tools, int windowTokens) {
    List<String> tables = new ArrayList<>();
    for (org.apache.hadoop.fs.Path run : runs) {
      org.apache.hadoop.fs.Path table = new RunLayout(run).trajectories();
      if (!isDirectory(table, spark.sparkContext().hadoopConfiguration())) {
        throw new IllegalArgumentException("run " + run + " has no trajectory table (" + table + ")");
      }
      tables.add(table.toString());
    }
    // Each table on its own, then the union: Spark refuses one read over several partitioned roots.
    Dataset<Row> all = null;
    for (String table : tables) {
      // mergeSchema: parts of schema versions before 3 have no turns.sampling.
      Dataset<Row> one = spark.read().option("mergeSchema", "true").parquet(table).select("episode_id", "run_id", "iteration", "task_id", "outcome", "resolved", "reward", "turns");
      all = all == null ? one : all.unionByName(one, true);
    }
    Dataset<Row> episodes = all.dropDuplicates("episode_id").orderBy(functions.col("episode_id"));
    Broadcast<String> tokenizer = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizerJson);
    String toolsJson = tools.toString();
    return episodes.javaRDD().mapPartitions((Iterator<Row> rows) -> encode(rows, tokenizer.value(), toolsJson, windowTokens)).collect();
  }

  private static boolean isDirectory(org.apache.hadoop.fs.Path path, org.apache.hadoop.conf.Configuration conf) {
    try {
      return HadoopFiles.fileSystem(path, conf).getFileStatus(path).isDirectory();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + path, e);
    }
  }

  private static Iterator<EncodedEpisode> encode(Iterator<Row> rows, String tokenizerJson, String toolsJson, int windowTokens)
      throws Exception {
    List<EncodedEpisode> encoded = new ArrayList<>();
    ArrayNode tools = (ArrayNode) new ObjectMapper().readTree(toolsJson);
    try (ChatTokenizer tokenizer = ChatTokenizer.of(tokenizerJson)) {
      ChatTemplate template = new ChatTemplate(tokenizer);
      while (rows.hasNext()) {
        Row row = rows.next();
        List<Row> turnRows = row.getList(row.fieldIndex("turns"));
        List<long[]> ids = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        List<Turn> sampled = sampledTurns(turnRows);
        if (TokenSequences.recorded(sampled)) {
          for (TokenSequences.Sequence sequence : TokenSequences.of(row.getAs("episode_id"), sampled)) {
            ids.add(sequence.ids());
            masks.add(sequence.sampled());
          }
          encoded.add(episode(row, ids, masks));
          continue;
        }
        List<Message> messages = new ArrayList<>();
        for (Row turn : turnRows) {
          messages.add(Conversations.message(turn.getAs("role"), turn.getAs("content"), turn.getAs("tool_name"),
              turn.getAs("tool_arguments"), turn.getAs("observation")));
        }
        for (List<Message> conversation : Conversations.split(messages)) {
          List<ChatTemplate.Tokens> pieces = windowTokens > 0
              ? ContextWindows.windows(template, conversation, tools, windowTokens)
              : List.of(template.conversation(conversation, tools));
          for (ChatTemplate.Tokens tokens : pieces) {
            ids.add(tokens.ids());
            masks.add(tokens.assistant());
          }
        }
        encoded.add(episode(row, ids, masks));
      }
    }
    return encoded.iterator();
  }

  private static EncodedEpisode episode(Row row, List<long[]> ids, List<boolean[]> masks) {
    Boolean resolved = row.getAs("resolved");
    return new EncodedEpisode(row.getAs("episode_id"), row.getAs("run_id"), row.<Integer>getAs("iteration"),
        row.getAs("task_id"), row.getAs("outcome"), Boolean.TRUE.equals(resolved), row.getAs("reward"), ids, masks);
  }

  /** The turns' token ids and sampling contexts (text left out: it is not trained on from here). */
  private static List<Turn> sampledTurns(List<Row> turnRows) {
    List<Turn> turns = new ArrayList<>(turnRows.size());
    for (Row turn : turnRows) {
      boolean hasSampling = Arrays.asList(turn.schema().fieldNames()).contains("sampling");
      Row sampling = hasSampling ? turn.getAs("sampling") : null;
      turns.add(new Turn(turn.<Integer>getAs("index"), turn.getAs("role"), null, "", null, null, null,
          turn.getList(turn.fieldIndex("token_ids")), turn.getList(turn.fieldIndex("logprobs")), 0, 0, 0,
          sampling == null ? null : new Turn.Sampling(sampling.getList(sampling.fieldIndex("prompt_token_ids")),
              sampling.getAs("extends_previous"), sampling.getAs("truncated"), sampling.getAs("temperature"),
              sampling.getAs("top_p"), sampling.getAs("tools_json"))));
    }
    return turns;
  }
}
