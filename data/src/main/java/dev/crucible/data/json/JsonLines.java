package dev.crucible.data.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.InputFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes JSON Lines files, one object per line. Blank lines are allowed and skipped.
 *
 * <p>Reading validates the whole file before returning anything: every malformed line and bad field
 * is collected, and one {@link InvalidInputException} lists them all with their line numbers.
 */
public final class JsonLines {
  static final ObjectMapper MAPPER = new ObjectMapper();
  /** Longest line read, in characters: room for a 16 MiB patch escaped in JSON, with its task. */
  static final int MAX_LINE_CHARACTERS = 64 << 20;

  /** One line of input: its text, or none when it ran past {@link #MAX_LINE_CHARACTERS}. */
  private record Line(String text) {
    boolean tooLong() {
      return text == null;
    }
  }

  private JsonLines() {}

  /**
   * Decodes every line of {@code path} with {@code decoder}, and requires the value of
   * {@code keyField} (as {@code key} extracts it) to be unique unless {@code key} is null.
   *
   * @throws InvalidInputException listing every line that is not a JSON object, fails to decode or
   *     repeats a key
   * @throws InvalidInputException naming the file when it is missing or cannot be opened
   * @throws UncheckedIOException when reading fails after the file was opened
   */
  public static <T> List<T> read(
      Path path,
      Configuration conf,
      Function<JsonRow, T> decoder,
      String keyField,
      Function<T, String> key) {
    String source = path.toString();
    List<T> rows = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    Map<String, Long> firstLineOfKey = new HashMap<>();
    try (BufferedReader reader = InputFiles.openText(path, conf)) {
      Line next;
      long lineNumber = 0;
      while ((next = boundedLine(reader)) != null) {
        lineNumber++;
        if (next.tooLong()) {
          problems.add(new InputProblem(source, lineNumber, null, "the line is longer than " + MAX_LINE_CHARACTERS + " characters"));
          continue;
        }
        String line = next.text();
        if (line.isBlank()) {
          continue;
        }
        try {
          T row = decoder.apply(new JsonRow(parseObject(line)));
          Long firstLine = key == null ? null : firstLineOfKey.putIfAbsent(key.apply(row), lineNumber);
          if (firstLine != null) {
            problems.add(
                new InputProblem(
                    source,
                    lineNumber,
                    keyField,
                    "duplicate '" + key.apply(row) + "', first seen on line " + firstLine));
          }
          rows.add(row);
        } catch (JsonProcessingException e) {
          problems.add(
              new InputProblem(source, lineNumber, null, "malformed JSON: " + e.getOriginalMessage()));
        } catch (IllegalArgumentException | NullPointerException | FieldValueException e) {
          problems.add(InputProblem.ofRow(source, lineNumber, e));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return rows;
  }

  /**
   * The next line without its end, or {@code null} at the end of the input. A line past
   * {@link #MAX_LINE_CHARACTERS} is skipped without being held, so one absurd line cannot exhaust the
   * memory of whoever reads the file.
   */
  private static Line boundedLine(BufferedReader reader) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    boolean tooLong = false;
    while ((c = reader.read()) >= 0 && c != '\n') {
      if (line.length() < MAX_LINE_CHARACTERS) {
        line.append((char) c);
      } else {
        tooLong = true;
      }
    }
    if (c < 0 && line.length() == 0 && !tooLong) {
      return null;
    }
    if (tooLong) {
      return new Line(null);
    }
    int end = line.length();
    return new Line(end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString());
  }

  /** Writes one object per line, atomically: a failed write leaves no partial file. */
  public static <T> void write(
      Path path, Configuration conf, List<T> rows, Function<T, ObjectNode> encoder) {
    try {
      HadoopFiles.writeAtomically(
          path,
          conf,
          out -> {
            BufferedWriter writer =
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (T row : rows) {
              writer.write(MAPPER.writeValueAsString(encoder.apply(row)));
              writer.write('\n');
            }
            writer.flush();
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** A row for decoding one object that did not come from a file, such as a task shipped to an executor. */
  public static JsonRow row(JsonNode object) {
    if (!(object instanceof ObjectNode node)) {
      throw new FieldValueException(null, "expected a JSON object");
    }
    return new JsonRow(node);
  }

  private static ObjectNode parseObject(String line) throws JsonProcessingException {
    JsonNode node = MAPPER.readTree(line);
    if (!(node instanceof ObjectNode object)) {
      throw new FieldValueException(
          null, "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return object;
  }
}
