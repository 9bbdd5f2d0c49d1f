package dev.crucible.data.parquet;

import dev.crucible.data.InputProblem;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Compares the schema of a file with the schema a codec expects, column by column, so a foreign file
 * is rejected up front with every missing or mistyped column named, instead of failing on some row.
 *
 * <p>Extra columns are allowed. A nullable column in the file where a required one is expected is
 * allowed too (tools such as pandas write every column as nullable); a null value is then reported for
 * the row that holds it.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  static List<InputProblem> problems(String source, Schema file, Schema expected) {
    List<InputProblem> problems = new ArrayList<>();
    compareRecords(source, "", file, expected, problems);
    return problems;
  }

  private static void compareRecords(
      String source, String prefix, Schema file, Schema expected, List<InputProblem> problems) {
    for (Schema.Field field : expected.getFields()) {
      String column = prefix + field.name();
      Schema.Field actual = file.getField(field.name());
      if (actual == null) {
        if (!field.hasDefaultValue()) {
          problems.add(
              new InputProblem(source, 0, column, "missing column of type " + describe(field.schema())));
        }
        continue;
      }
      compare(source, column, actual.schema(), field.schema(), problems);
    }
  }

  private static void compare(
      String source, String column, Schema file, Schema expected, List<InputProblem> problems) {
    Schema actual = TrajectoryCodec.nonNull(file);
    Schema wanted = TrajectoryCodec.nonNull(expected);
    if (actual.getType() != wanted.getType()) {
      problems.add(
          new InputProblem(
              source,
              0,
              column,
              "column has type " + describe(actual) + ", expected " + describe(wanted)));
      return;
    }
    switch (wanted.getType()) {
      case RECORD -> compareRecords(source, column + ".", actual, wanted, problems);
      case ARRAY ->
          compare(source, column + "[]", actual.getElementType(), wanted.getElementType(), problems);
      default -> {}
    }
  }

  private static String describe(Schema schema) {
    Schema type = TrajectoryCodec.nonNull(schema);
    return switch (type.getType()) {
      case ARRAY -> "array<" + describe(type.getElementType()) + ">";
      case RECORD -> "struct";
      default -> type.getType().getName();
    };
  }
}
