package dev.crucible.jobs.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.Outcome;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import dev.crucible.reward.signals.UnifiedDiff;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The localization funnel of the Lingxi analysis, per episode whose task's gold patch is known: did
 * the agent view a file the gold patch changes, edit one, edit a function it changes (its final
 * patch has a hunk in that function), and resolve the task. Beside it, of the episodes that called
 * {@code search_code}: did a result name a gold file.
 */
public final class Localization {
  /**
   * The funnel's counts: each stage's episodes, of {@code episodes}; {@code editedFunction} of {@code knownFunction};
   * {@code searchFoundFile} of {@code searched}, the episodes that called search_code.
   */
  public record Funnel(long episodes, long viewedFile, long editedFile, long editedFunction, long knownFunction, long resolved,
      long searched, long searchFoundFile) {}

  private static final Pattern HUNK_FUNCTION = Pattern.compile("(?m)^@@ [^@]+ @@.*?\\b(?:def|class)\\s+(\\w+)");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SEARCH_RESULT = Pattern.compile("(\\S+):\\d+-\\d+");

  private final Map<String, TaskInstance> tasks;
  private long episodes;
  private long viewedFile;
  private long editedFile;
  private long editedFunction;
  private long knownFunction;
  private long resolved;
  private long searched;
  private long searchFoundFile;

  /** @param tasks the tasks by id, whose gold patches say where the fix is */
  public Localization(Map<String, TaskInstance> tasks) {
    this.tasks = tasks;
  }

  public void add(Trajectory trajectory) {
    TaskInstance task = tasks.get(trajectory.taskId());
    if (task == null || trajectory.outcome() == Outcome.INFRA_ERROR) {
      return;
    }
    episodes++;
    Set<String> goldFiles = UnifiedDiff.changedLines(task.patch()).keySet();
    Set<String> viewed = new HashSet<>();
    for (Turn turn : trajectory.turns()) {
      String path = viewedPath(turn);
      if (path != null) {
        viewed.add(path);
      }
    }
    Set<String> found = new HashSet<>();
    boolean searchedCode = false;
    for (Turn turn : trajectory.turns()) {
      if (turn.role().equals("tool") && "search_code".equals(turn.toolName()) && turn.observation() != null) {
        searchedCode = true;
        found.addAll(searchResultPaths(turn.observation()));
      }
    }
    if (searchedCode) {
      searched++;
      if (goldFiles.stream().anyMatch(found::contains)) {
        searchFoundFile++;
      }
    }
    Set<String> edited = UnifiedDiff.changedLines(trajectory.finalPatch()).keySet();
    if (goldFiles.stream().anyMatch(viewed::contains)) {
      viewedFile++;
    }
    if (goldFiles.stream().anyMatch(edited::contains)) {
      editedFile++;
    }
    Set<String> goldFunctions = functions(task.patch());
    if (!goldFunctions.isEmpty()) {
      knownFunction++;
      if (functions(trajectory.finalPatch()).stream().anyMatch(goldFunctions::contains)) {
        editedFunction++;
      }
    }
    if (trajectory.outcome() == Outcome.RESOLVED) {
      resolved++;
    }
  }

  public Funnel funnel() {
    return new Funnel(episodes, viewedFile, editedFile, editedFunction, knownFunction, resolved, searched, searchFoundFile);
  }

  String format() {
    if (episodes == 0) {
      return "";
    }
    return "localization (" + episodes + " graded episodes with known gold patches):\n"
        + row("viewed a gold file", viewedFile) + row("edited a gold file", editedFile)
        + String.format(
            Locale.ROOT, "  %-24s %6d %6.1f%% of %d whose gold hunks name a function%n", "edited a gold function", editedFunction,
            knownFunction == 0 ? 0.0 : 100.0 * editedFunction / knownFunction, knownFunction)
        + row("resolved", resolved)
        + (searched == 0 ? "" : String.format(Locale.ROOT, "  %-24s %6d %6.1f%% of %d that called search_code%n", "search found a gold file",
            searchFoundFile, 100.0 * searchFoundFile / searched, searched));
  }

  private String row(String stage, long count) {
    return String.format(Locale.ROOT, "  %-24s %6d %6.1f%%%n", stage, count, 100.0 * count / episodes);
  }

  /** The file a view_file or str_replace_editor call looked at, normalized. */
  private static String viewedPath(Turn turn) {
    if (!turn.role().equals("assistant") || turn.toolArguments() == null
        || !("view_file".equals(turn.toolName()) || "str_replace_editor".equals(turn.toolName()))) {
      return null;
    }
    try {
      JsonNode path = MAPPER.readTree(turn.toolArguments()).path("path");
      return path.isTextual() ? java.nio.file.Path.of(path.textValue()).normalize().toString() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The paths of a search_code observation's results: each line after the first is {@code path:start-end ...}. */
  static Set<String> searchResultPaths(String observation) {
    Set<String> paths = new HashSet<>();
    observation.lines().skip(1).forEach(line -> {
      Matcher result = SEARCH_RESULT.matcher(line);
      if (result.lookingAt()) {
        paths.add(result.group(1));
      }
    });
    return paths;
  }

  private static Set<String> functions(String patch) {
    Set<String> names = new HashSet<>();
    Matcher matcher = HUNK_FUNCTION.matcher(patch);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
