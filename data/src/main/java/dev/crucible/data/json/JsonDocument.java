package dev.crucible.data.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.io.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a {@code .json} file of rows: a list of objects, or an object whose values are the rows (as
 * SWE-agent writes predictions), each problem reported with the line its row starts on, all at once.
 */
public final class JsonDocument {
  private JsonDocument() {}

  /** Whether an object of rows (keyed by anything) is accepted besides a list of them. */
  public enum Shape {
    LIST,
    LIST_OR_OBJECT
  }

  /**
   * Decodes every row of {@code path} with {@code decoder}, requiring the value of {@code keyField}
   * (as {@code key} extracts it) to be unique unless {@code key} is null.
   *
   * @throws InvalidInputException listing every row that is not an object, fails to decode or repeats
   *     a key, or naming the file when it is not JSON of the expected shape, missing or unreadable
   */
  public static <T> List<T> read(
      Path path, Configuration conf, Function<JsonRow, T> decoder, Shape shape, String keyField, Function<T, String> key) {
    String source = path.toString();
    List<T> rows = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    Map<String, Long> firstLineOfKey = new HashMap<>();
    try (BufferedReader reader = InputFiles.openText(path, conf);
        JsonParser parser = JsonLines.MAPPER.createParser(reader)) {
      JsonToken top = parser.nextToken();
      boolean list = top == JsonToken.START_ARRAY;
      if (!list && !(top == JsonToken.START_OBJECT && shape == Shape.LIST_OR_OBJECT)) {
        throw new InvalidInputException(
            new InputProblem(source, 1, null,
                shape == Shape.LIST ? "expected a JSON list of rows" : "expected a JSON list of rows or an object of rows"));
      }
      JsonToken end = list ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
      for (JsonToken token = parser.nextToken(); token != end; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          token = parser.nextToken();
        }
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode node = parser.readValueAsTree();
        try {
          if (!(node instanceof ObjectNode object)) {
            throw new FieldValueException(null, "expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
          }
          T row = decoder.apply(new JsonRow(object));
          Long firstLine = key == null ? null : firstLineOfKey.putIfAbsent(key.apply(row), line);
          if (firstLine != null) {
            problems.add(new InputProblem(source, line, keyField, "duplicate '" + key.apply(row) + "', first seen on line " + firstLine));
          }
          rows.add(row);
        } catch (IllegalArgumentException | NullPointerException | FieldValueException e) {
          problems.add(InputProblem.ofRow(source, line, e));
        }
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidInputException(new InputProblem(source, line, null, "malformed JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return rows;
  }
}
