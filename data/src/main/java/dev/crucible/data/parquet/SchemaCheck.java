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
 * the row that holds it. A field may name another type it is also read from in its
 * {@value #ALSO_READS} property (a list where JSON text is written), which the codec then decodes.
 */
final class SchemaCheck {
  /** The field property naming a second type a column may have in a file, such as {@code array<string>}. */
  static final String ALSO_READS = "alsoReads";

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
      String alternative = field.getProp(ALSO_READS);
      if (alternative != null && alternative.equals(describe(actual.schema()))) {
        continue;
      }
      List<InputProblem> mismatch = new ArrayList<>();
      compare(source, column, actual.schema(), field.schema(), mismatch);
      if (alternative != null && !mismatch.isEmpty()) {
        problems.add(
            new InputProblem(source, 0, column,
                "column has type " + describe(actual.schema()) + ", expected " + describe(field.schema()) + " or " + alternative));
      } else {
        problems.addAll(mismatch);
      }
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
