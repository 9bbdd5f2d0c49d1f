package dev.crucible.data.swebench;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The splits of a published dataset folder, by Hugging Face's shard names ({@code data/test-00000-of-00001.parquet}):
 * a folder holding more than one split is never read whole (SWE-bench's train, dev and test rows would
 * mix), so one is chosen by name. Files without a split in their name (Spark's {@code part-*} files)
 * belong to no split.
 */
final class DatasetSplits {
  private static final Pattern SHARD = Pattern.compile("(.+)-\\d{5}-of-\\d{5}\\.parquet");

  private DatasetSplits() {}

  /** The split a file's name gives, if any. */
  static Optional<String> of(String fileName) {
    Matcher shard = SHARD.matcher(fileName);
    return shard.matches() ? Optional.of(shard.group(1)) : Optional.empty();
  }

  /**
   * {@code rows}, read from the single {@code file}, unless its name gives a split other than the chosen one.
   *
   * @param split the split chosen, or null
   */
  static <T> List<T> requireFileOf(Path file, String split, List<T> rows) {
    Optional<String> named = of(file.getName());
    if (split != null && named.isPresent() && !named.get().equals(split)) {
      throw new InvalidInputException(new InputProblem(file.toString(), 0, null,
          "holds the split '" + named.get() + "', not the '" + split + "' chosen"));
    }
    return rows;
  }

  /**
   * The files of {@code folder} to read: with {@code split} null, all of them when they hold at most one
   * split; else those of {@code split}.
   *
   * @throws InvalidInputException naming the splits when several are found and none is chosen, or when
   *     the chosen one has no file
   */
  static List<Path> choose(Path folder, List<Path> files, String split) {
    TreeSet<String> splits = new TreeSet<>();
    files.forEach(file -> of(file.getName()).ifPresent(splits::add));
    if (split == null) {
      if (splits.size() > 1) {
        throw new InvalidInputException(new InputProblem(folder.toString(), 0, null,
            "holds the splits " + String.join(", ", splits) + "; choose one (--split), as a folder of splits is never merged"));
      }
      return files;
    }
    List<Path> chosen = files.stream().filter(file -> of(file.getName()).filter(split::equals).isPresent()).toList();
    if (chosen.isEmpty()) {
      throw new InvalidInputException(new InputProblem(folder.toString(), 0, null, "has no file of the split '" + split + "' (named "
          + split + "-00000-of-00001.parquet and so on); "
          + (splits.isEmpty() ? "it names no split" : "it holds " + String.join(", ", splits))));
    }
    return chosen;
  }
}
