package dev.crucible.rollout.search;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a patch changes the snapshot it applies to: the files it modifies and, on their old side, the lines
 * it removes or inserts between; the functions that hold those lines are the ones a localizer should find.
 * New files, which the snapshot does not have, are left out.
 *
 * @param lines the changed old-side lines (1-based) by file path, in patch order
 */
public record GoldLocations(Map<String, SortedSet<Integer>> lines) {
  private static final Pattern OLD_FILE = Pattern.compile("--- (?:a/)?(\\S+).*");
  private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,\\d+)? \\+\\d+(?:,\\d+)? @@.*");

  /** The locations {@code patch} changes. */
  public static GoldLocations of(String patch) {
    Map<String, SortedSet<Integer>> lines = new LinkedHashMap<>();
    String file = null;
    int old = 0;
    for (String text : patch.split("\n", -1)) {
      Matcher header = OLD_FILE.matcher(text);
      if (text.startsWith("--- ") && header.matches()) {
        file = header.group(1).equals("/dev/null") ? null : header.group(1);
        continue;
      }
      Matcher hunk = HUNK.matcher(text);
      if (hunk.matches()) {
        old = Integer.parseInt(hunk.group(1));
        continue;
      }
      if (file == null || old == 0 || text.startsWith("+++ ")) {
        continue;
      }
      if (text.startsWith("-")) {
        lines.computeIfAbsent(file, f -> new TreeSet<>()).add(old++);
      } else if (text.startsWith("+")) {
        // An insertion sits between two old lines; either may be the function's.
        SortedSet<Integer> around = lines.computeIfAbsent(file, f -> new TreeSet<>());
        around.add(Math.max(1, old - 1));
        around.add(old);
      } else if (text.startsWith(" ")) {
        old++;
      }
    }
    return new GoldLocations(lines);
  }

  public Set<String> files() {
    return lines.keySet();
  }

  /** The functions of {@code units} that hold a changed line, as {@code path:name}. */
  public Set<String> functions(List<CodeUnit> units) {
    Set<String> functions = new LinkedHashSet<>();
    for (CodeUnit unit : units) {
      SortedSet<Integer> changed = lines.get(unit.path());
      if (unit.kind() == UnitKind.FUNCTION && changed != null && changed.stream().anyMatch(unit::covers)) {
        functions.add(key(unit));
      }
    }
    return functions;
  }

  /** How a function is named in {@link #functions}: {@code path:name}. */
  public static String key(CodeUnit unit) {
    return unit.path() + ":" + unit.name();
  }
}
