package dev.crucible.data.swebench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.EvalType;
import dev.crucible.data.HintLevel;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweBenchTasksTest {
  @TempDir java.nio.file.Path temp;
  private final Configuration conf = new Configuration();

  @Test
  void readsTheLayoutSweBenchPublishes() throws Exception {
    Path published =
        new Path(Objects.requireNonNull(getClass().getResource("/swebench/published-layout.jsonl")).toURI());
    List<TaskInstance> tasks = SweBenchTasks.read(published, conf);

    assertThat(tasks).hasSize(2);
    TaskInstance first = tasks.get(0);
    assertThat(first.instanceId()).isEqualTo("example__textkit-101");
    assertThat(first.failToPass()).containsExactly("tests/test_wrap.py::test_exact_width");
    assertThat(first.passToPass())
        .containsExactly("tests/test_wrap.py::test_empty", "tests/test_wrap.py::test_long_word");
    assertThat(first.version()).isEqualTo("1.2");
    assertThat(first.image()).isNull();
    assertThat(tasks.get(1).passToPass()).isEmpty();
  }

  @Test
  void acceptsTestListsAsPlainJsonArrays() throws IOException {
    Path file = jsonl(line("t-1", "\"FAIL_TO_PASS\": [\"a\", \"b\"], \"PASS_TO_PASS\": []"));
    assertThat(SweBenchTasks.read(file, conf).get(0).failToPass()).containsExactly("a", "b");
  }

  @Test
  void roundTripsThroughJsonlAndParquet() {
    TaskInstance hinted = task("t-2");
    TaskInstance official = task("t-3");
    List<TaskInstance> tasks = List.of(task("t-1"), new TaskInstance(hinted.instanceId(), hinted.repo(), hinted.baseCommit(),
        hinted.problemStatement(), hinted.hintsText(), hinted.patch(), hinted.testPatch(), hinted.failToPass(), hinted.passToPass(),
        hinted.version(), hinted.environmentSetupCommit(), hinted.createdAt(), hinted.image(), hinted.testCmd(), hinted.logParser(),
        HintLevel.FUNCTION),
        new TaskInstance(official.instanceId(), official.repo(), official.baseCommit(), official.problemStatement(), "", official.patch(),
            official.testPatch(), official.failToPass(), official.passToPass(), "1.0", null, null, "swebench/sweb.eval.x86_64.t-3",
            null, "parse_log_jest", null, EvalType.FAIL_ONLY, "#!/bin/bash\nset -uxo pipefail\nnpx jest\n"));
    for (String name : List.of("tasks.jsonl", "tasks.parquet")) {
      Path file = new Path(temp.resolve(name).toUri());
      SweBenchTasks.write(file, conf, tasks);
      assertThat(SweBenchTasks.read(file, conf)).as(name).isEqualTo(tasks);
    }
  }

  @Test
  void namesFileAndLineOfMalformedJson() throws IOException {
    Path file = jsonl(line("t-1", tests()), "{\"instance_id\": \"t-2\",", line("t-3", tests()));
    assertThatThrownBy(() -> SweBenchTasks.read(file, conf))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ":2: malformed JSON: ");
  }

  @Test
  void namesAMissingRequiredField() throws IOException {
    Path file = jsonl("{\"instance_id\": \"t-1\", \"repo\": \"o/r\", " + tests() + "}");
    assertThatThrownBy(() -> SweBenchTasks.read(file, conf))
        .hasMessage(file + ":1: field 'base_commit': missing required field");
  }

  @Test
  void namesAnUnknownHintLevel() throws IOException {
    Path file = jsonl(line("t-1", tests() + ", \"hint_level\": \"everything\""));
    assertThatThrownBy(() -> SweBenchTasks.read(file, conf))
        .hasMessage(file + ":1: field 'hint_level': unknown hint level 'everything'; known: none, file, function, line, fix");
  }

  @Test
  void readsSweBench5sEvalFieldsAndNamesAnUnknownEvalType() throws IOException {
    Path file = jsonl(line("t-1", tests() + ", \"eval_type\": \"fail_only\", \"eval_script\": \"#!/bin/bash\\nnpx jest\""));
    TaskInstance task = SweBenchTasks.read(file, conf).get(0);
    assertThat(task.evalType()).isEqualTo(EvalType.FAIL_ONLY);
    assertThat(task.evalScript()).isEqualTo("#!/bin/bash\nnpx jest");
    assertThat(SweBenchTasks.read(jsonl(line("t-1", tests())), conf).get(0).evalType())
        .as("a row without eval_type").isEqualTo(EvalType.PASS_AND_FAIL);
    Path bad = jsonl(line("t-1", tests() + ", \"eval_type\": \"fail_first\""));
    assertThatThrownBy(() -> SweBenchTasks.read(bad, conf))
        .hasMessage(bad + ":1: field 'eval_type': unknown eval_type 'fail_first'; known: pass_and_fail, fail_only");
  }

  @Test
  void namesAFieldOfTheWrongType() throws IOException {
    Path file = jsonl(line("t-1", "\"FAIL_TO_PASS\": 3, \"PASS_TO_PASS\": \"[]\""));
    assertThatThrownBy(() -> SweBenchTasks.read(file, conf))
        .hasMessage(
            file + ":1: field 'FAIL_TO_PASS': expected a JSON array of strings or a string holding one, got number");
  }

  @Test
  void reportsEveryBadLineAtOnce() throws IOException {
    Path file =
        jsonl(
            line("t-1", tests()),
            "[1, 2]",
            line("t-1", tests()),
            line("t-4", "\"FAIL_TO_PASS\": \"[1]\", \"PASS_TO_PASS\": \"not json\""));
    InvalidInputException error =
        (InvalidInputException) catchInvalid(() -> SweBenchTasks.read(file, conf));
    assertThat(error.problems())
        .extracting(Object::toString)
        .containsExactly(
            file + ":2: expected a JSON object, got array",
            file + ":3: field 'instance_id': duplicate 't-1', first seen on line 1",
            file + ":4: field 'FAIL_TO_PASS': element 0 should be a test id string, got number");
  }

  @Test
  void readsAJsonListOfRowsAndNamesRepeats() throws Exception {
    java.nio.file.Path file = temp.resolve("tasks.json");
    String row = "{\"instance_id\": \"t-1\", \"repo\": \"o/r\", \"base_commit\": \"abc\", \"problem_statement\": \"p\","
        + " \"patch\": \"\", \"test_patch\": \"\", \"FAIL_TO_PASS\": \"[\\\"a\\\"]\", \"PASS_TO_PASS\": []}";
    java.nio.file.Files.writeString(file, "[\n" + row + ",\n" + row.replace("t-1", "t-2") + "\n]\n");
    Path path = new Path(file.toUri());
    assertThat(SweBenchTasks.read(path, conf)).extracting(TaskInstance::instanceId).containsExactly("t-1", "t-2");
    assertThat(SweBenchTasks.read(path, conf).get(0).failToPass()).containsExactly("a");
    java.nio.file.Files.writeString(file, "[\n" + row + ",\n" + row + "\n]\n");
    assertThatThrownBy(() -> SweBenchTasks.read(path, conf))
        .hasMessage(path + ":3: field 'instance_id': duplicate 't-1', first seen on line 2");
  }

  @Test
  void rejectsAnUnknownExtension() {
    Path file = new Path(temp.resolve("tasks.csv").toUri());
    assertThatThrownBy(() -> SweBenchTasks.read(file, conf))
        .hasMessage(file + ": unknown file format; use a .jsonl, .json or .parquet file");
  }

  @Test
  void aFailedWriteLeavesNoFile() {
    Path file = new Path(temp.resolve("out/tasks.jsonl").toUri());
    List<TaskInstance> tasks = new java.util.ArrayList<>(List.of(task("t-1")));
    tasks.add(null);
    assertThatThrownBy(() -> SweBenchTasks.write(file, conf, tasks)).isInstanceOf(NullPointerException.class);
    assertThat(temp.resolve("out")).isEmptyDirectory();
  }

  /** DuckDB writes Parquet as pandas does: every column a nullable string, no Avro schema. */
  @Test
  void readsParquetWrittenByAnotherEngine() throws SQLException {
    java.nio.file.Path file = temp.resolve("duck.parquet");
    duckdb(
        "COPY (SELECT 'd-1' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, 'broken' AS problem_statement,"
            + " '' AS hints_text, 'diff' AS patch, '' AS test_patch, '[\"t::a\"]' AS FAIL_TO_PASS,"
            + " '[]' AS PASS_TO_PASS, '0.1' AS version, 'extra' AS unrelated_column)"
            + " TO '" + file + "' (FORMAT parquet)");
    TaskInstance task = SweBenchTasks.read(new Path(file.toUri()), conf).get(0);
    assertThat(task.instanceId()).isEqualTo("d-1");
    assertThat(task.failToPass()).containsExactly("t::a");
    assertThat(task.createdAt()).isNull();
  }

  /** SWE-bench 5.x, SWE-Gym and SWE-bench-extra publish the test lists as Parquet lists of strings. */
  @Test
  void readsTestListsStoredAsParquetLists() throws SQLException {
    java.nio.file.Path file = temp.resolve("lists.parquet");
    duckdb(
        "COPY (SELECT 'd-1' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, 'broken' AS problem_statement,"
            + " 'diff' AS patch, '' AS test_patch, ['t::a', 't::b[x y]'] AS FAIL_TO_PASS, []::VARCHAR[] AS PASS_TO_PASS,"
            + " 'fail_only' AS eval_type)"
            + " TO '" + file + "' (FORMAT parquet)");
    TaskInstance task = SweBenchTasks.read(new Path(file.toUri()), conf).get(0);
    assertThat(task.failToPass()).containsExactly("t::a", "t::b[x y]");
    assertThat(task.passToPass()).isEmpty();
    assertThat(task.evalType()).isEqualTo(EvalType.FAIL_ONLY);

    java.nio.file.Path nulls = temp.resolve("null-element.parquet");
    duckdb(
        "COPY (SELECT 'd-1' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, 'broken' AS problem_statement,"
            + " 'diff' AS patch, '' AS test_patch, ['t::a', NULL] AS FAIL_TO_PASS, []::VARCHAR[] AS PASS_TO_PASS)"
            + " TO '" + nulls + "' (FORMAT parquet)");
    Path withNull = new Path(nulls.toUri());
    assertThatThrownBy(() -> SweBenchTasks.read(withNull, conf))
        .hasMessageContaining(":1: field 'FAIL_TO_PASS': element 1 should be a test id string, got null");
    java.nio.file.Path numbers = temp.resolve("numbers.parquet");
    duckdb(
        "COPY (SELECT 'd-1' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, 'broken' AS problem_statement,"
            + " 'diff' AS patch, '' AS test_patch, [1, 2] AS FAIL_TO_PASS, '[]' AS PASS_TO_PASS)"
            + " TO '" + numbers + "' (FORMAT parquet)");
    Path mistyped = new Path(numbers.toUri());
    assertThatThrownBy(() -> SweBenchTasks.read(mistyped, conf))
        .hasMessage(mistyped + ": field 'FAIL_TO_PASS': column has type array<int>, expected string or array<string>");
  }

  @Test
  void namesMissingAndMistypedColumnsOfAForeignParquetFile() throws SQLException {
    java.nio.file.Path file = temp.resolve("foreign.parquet");
    duckdb("COPY (SELECT 42 AS instance_id, 'o/r' AS repo) TO '" + file + "' (FORMAT parquet)");
    InvalidInputException error =
        (InvalidInputException) catchInvalid(() -> SweBenchTasks.read(new Path(file.toUri()), conf));
    assertThat(error.problems())
        .extracting(p -> p.field() + ": " + p.message())
        .contains(
            "instance_id: column has type int, expected string",
            "base_commit: missing column of type string",
            "FAIL_TO_PASS: missing column of type string")
        .doesNotContain("version: missing column of type string");
  }

  @Test
  void rejectsRepeatedIdsInParquet() throws SQLException {
    java.nio.file.Path file = temp.resolve("twice.parquet");
    duckdb(
        "COPY (SELECT 'same' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, '' AS problem_statement,"
            + " '' AS patch, '' AS test_patch, '[]' AS FAIL_TO_PASS, '[]' AS PASS_TO_PASS"
            + " FROM range(2)) TO '" + file + "' (FORMAT parquet)");
    assertThatThrownBy(() -> SweBenchTasks.read(new Path(file.toUri()), conf))
        .hasMessageContaining(":2: field 'instance_id': duplicate 'same', first seen at ")
        .hasMessageEndingWith("twice.parquet:1");
  }

  /** A dataset folder as Hugging Face publishes one: shards named by split, never merged across splits. */
  @Test
  void aFolderOfSplitsIsReadOneSplitAtATimeAndNeverMerged() throws Exception {
    java.nio.file.Path data = temp.resolve("SWE-bench/data");
    Files.createDirectories(data);
    String[][] shards = {{"train-00000-of-00001", "t1"}, {"test-00000-of-00002", "a1"}, {"test-00001-of-00002", "a2"}};
    for (String[] shard : shards) {
      duckdb("COPY (SELECT '" + shard[1] + "' AS instance_id, 'o/r' AS repo, 'abc' AS base_commit, '' AS problem_statement,"
          + " '' AS patch, '' AS test_patch, ['t::f'] AS FAIL_TO_PASS, []::VARCHAR[] AS PASS_TO_PASS) TO '" + data.resolve(shard[0] + ".parquet")
          + "' (FORMAT parquet)");
    }
    Path folder = new Path(data.getParent().toUri());

    assertThat(catchInvalid(() -> SweBenchTasks.read(folder, conf)))
        .hasMessageContaining("holds the splits test, train; choose one (--split), as a folder of splits is never merged");
    assertThat(SweBenchTasks.read(folder, conf, "test")).extracting(TaskInstance::instanceId).containsExactly("a1", "a2");
    assertThat(SweBenchTasks.read(folder, conf, "train")).extracting(TaskInstance::instanceId).containsExactly("t1");
    assertThat(catchInvalid(() -> SweBenchTasks.read(folder, conf, "dev")))
        .hasMessageContaining("has no file of the split 'dev'").hasMessageContaining("it holds test, train");

    Path trainShard = new Path(data.resolve("train-00000-of-00001.parquet").toUri());
    assertThat(SweBenchTasks.read(trainShard, conf, "train")).hasSize(1);
    assertThat(catchInvalid(() -> SweBenchTasks.read(trainShard, conf, "test"))).hasMessageContaining("holds the split 'train', not the 'test' chosen");

    Path sparkTable = new Path(temp.resolve("written.parquet").toUri());
    SweBenchTasks.write(sparkTable, conf, List.of(task("w1")));
    assertThat(SweBenchTasks.read(sparkTable, conf)).hasSize(1);
    assertThat(SweBenchTasks.read(sparkTable, conf, "test")).as("a file without a split in its name is read as it is").hasSize(1);
  }

  private static RuntimeException catchInvalid(Runnable action) {
    try {
      action.run();
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("expected an InvalidInputException");
  }

  private static void duckdb(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private Path jsonl(String... lines) throws IOException {
    java.nio.file.Path file = temp.resolve("tasks.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return new Path(file.toUri());
  }

  private static String tests() {
    return "\"FAIL_TO_PASS\": \"[]\", \"PASS_TO_PASS\": \"[]\"";
  }

  private static String line(String id, String testFields) {
    return "{\"instance_id\": \"" + id + "\", \"repo\": \"o/r\", \"base_commit\": \"abc\","
        + " \"problem_statement\": \"broken\", \"patch\": \"\", \"test_patch\": \"\", " + testFields + "}";
  }

  static TaskInstance task(String id) {
    return new TaskInstance(
        id, "example/textkit", "0123abcd", "wrap() is wrong", "", "diff --git a/x b/x\n", "",
        List.of("tests/test_wrap.py::test_exact_width"), List.of("tests/test_wrap.py::test_empty"),
        "1.0", null, "2024-01-01T00:00:00Z", "crucible/python:3", "python -m pytest -rA", "pytest");
  }
}
