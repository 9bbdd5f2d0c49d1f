package dev.crucible.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.JsonRow;
import dev.crucible.data.parquet.ParquetTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * One row of SWE-smith's published trajectories ({@code instance_id}, {@code messages}, {@code resolved},
 * {@code model}, {@code patch}), as Crucible turns: each message a turn of its role, a {@code tool}
 * message a user turn. The actions sit in the assistant's text, so they stay text.
 *
 * @param instanceId the task
 * @param model the model that acted ({@code unknown} when not given)
 * @param turns the conversation, without token ids
 * @param patch the submitted patch, empty when none
 * @param resolved whether the published row says the patch resolved the task
 */
public record SweSmithTrajectory(String instanceId, String model, List<Turn> turns, String patch, boolean resolved) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Every row of {@code path}: a {@code .jsonl} file, or Parquet (a file, or a folder of shards).
   *
   * @throws InvalidInputException naming every row and field that is not a trajectory
   */
  public static List<SweSmithTrajectory> read(Path path, Configuration conf) {
    if (path.getName().endsWith(".jsonl")) {
      return JsonLines.read(path, conf, SweSmithTrajectory::decode, null, null);
    }
    InputFiles.require(path, conf, InputFiles.Kind.FILE_OR_DIRECTORY);
    List<SweSmithTrajectory> rows = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    Configuration read = ParquetTable.foreignListsAsArrays(conf);
    for (Path file : ParquetTable.files(path, conf)) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, read)).withDataModel(GenericData.get()).withConf(read).build()) {
        GenericRecord record;
        long row = 0;
        while ((record = reader.read()) != null) {
          row++;
          try {
            rows.add(decode(JsonLines.row(MAPPER.readTree(GenericData.get().toString(record)))));
          } catch (IllegalArgumentException | FieldValueException e) {
            problems.add(InputProblem.ofRow(file.toString(), row, e));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return rows;
  }

  static SweSmithTrajectory decode(JsonRow row) {
    JsonNode messages = row.value("messages");
    if (messages != null && messages.isTextual()) {
      try {
        messages = MAPPER.readTree(messages.asText());
      } catch (IOException e) {
        throw new FieldValueException("messages", "a string that is not JSON: " + e.getMessage());
      }
    }
    if (messages == null || !messages.isArray()) {
      throw new FieldValueException("messages", "a list of {role, content} messages, or a string holding one");
    }
    List<Turn> turns = new ArrayList<>();
    for (JsonNode message : messages) {
      String role = message.path("role").asText("");
      String content = ImportedMessages.text(message.get("content"));
      String turnRole = switch (role) {
        case "system", "user", "assistant" -> role;
        case "tool" -> "user";
        default -> throw new FieldValueException("messages", "message " + turns.size() + " has the unknown role '" + role + "'");
      };
      turns.add(ImportedMessages.turn(turns.size(), turnRole, content, null, null, null));
    }
    JsonNode resolved = row.value("resolved");
    if (resolved == null || !resolved.isBoolean()) {
      throw new FieldValueException("resolved", "a boolean");
    }
    String model = row.optionalString("model");
    String patch = row.optionalString("patch");
    return new SweSmithTrajectory(row.requiredString("instance_id"), model == null || model.isBlank() ? "unknown" : model, turns,
        patch == null ? "" : patch, resolved.asBoolean());
  }
}
