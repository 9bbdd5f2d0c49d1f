package dev.crucible.rollout.search;

import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.ShellQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an agent with only ripgrep would find: the identifiers of a problem statement searched as whole words
 * (ripgrep, or GNU grep where the image has none), files ranked by how many of their lines match, functions by how
 * many of their lines match. The baseline {@code search_code} is measured against.
 */
public final class KeywordBaseline {
  /** Most keywords searched; a long statement keeps its first. */
  static final int MAX_KEYWORDS = 64;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{2,}");
  private static final Set<String> COMMON = Set.of(
      "the", "and", "for", "that", "this", "with", "not", "are", "but", "from", "when", "should", "would", "was", "has", "have",
      "which", "what", "there", "their", "into", "can", "does", "will", "its", "also", "than", "then", "been", "were", "one",
      "all", "any", "some", "only", "like", "more", "use", "used", "using", "get", "set", "new", "instead", "same", "other");

  private KeywordBaseline() {}

  /** The distinct identifiers of {@code statement} worth searching, in order, common English words left out. */
  public static List<String> keywords(String statement) {
    Set<String> keywords = new LinkedHashSet<>();
    Matcher matcher = IDENTIFIER.matcher(statement);
    while (matcher.find() && keywords.size() < MAX_KEYWORDS) {
      if (!COMMON.contains(matcher.group().toLowerCase(Locale.ROOT))) {
        keywords.add(matcher.group());
      }
    }
    return List.copyOf(keywords);
  }

  /** A ranking of files and of functions ({@code path:name}), best first. */
  public record Ranking(List<String> files, List<String> functions) {}

  /** Searches the sandbox's workdir for {@code keywords}; ranks its files and the functions of {@code units}. */
  public static Ranking rank(Sandbox sandbox, List<String> keywords, List<CodeUnit> units) {
    if (keywords.isEmpty()) {
      return new Ranking(List.of(), List.of());
    }
    StringBuilder patterns = new StringBuilder();
    keywords.forEach(keyword -> patterns.append(" -e ").append(ShellQuote.quote(keyword)));
    String ripgrep = "rg --line-number --no-heading --color never --ignore-case --word-regexp --fixed-strings" + patterns;
    String grep = "grep -rnIiwF --exclude-dir=.git" + patterns + " .";
    ExecResult result = sandbox.exec("if command -v rg >/dev/null 2>&1; then exec " + ripgrep + "; fi\nexec " + grep, Duration.ofMinutes(2));
    if (result.exitCode() > 1) {
      throw new IllegalStateException("the keyword search failed (exit " + result.exitCode() + "): " + result.stderr().strip());
    }
    return rank(result.stdout(), units);
  }

  /** Ranks the {@code path:line:text} lines a search printed. */
  static Ranking rank(String matches, List<CodeUnit> units) {
    Map<String, List<Integer>> lines = new HashMap<>();
    for (String match : matches.lines().toList()) {
      String[] parts = match.split(":", 3);
      if (parts.length == 3 && parts[1].matches("\\d{1,9}")) {
        String path = parts[0].startsWith("./") ? parts[0].substring(2) : parts[0];
        lines.computeIfAbsent(path, p -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
      }
    }
    List<String> files = lines.keySet().stream()
        .sorted(Comparator.comparing((String path) -> -lines.get(path).size()).thenComparing(Comparator.naturalOrder())).toList();
    Map<String, Integer> counts = new HashMap<>();
    for (CodeUnit unit : units) {
      if (unit.kind() == UnitKind.FUNCTION && lines.containsKey(unit.path())) {
        int count = (int) lines.get(unit.path()).stream().filter(unit::covers).count();
        if (count > 0) {
          counts.merge(GoldLocations.key(unit), count, Integer::sum);
        }
      }
    }
    List<String> functions = counts.keySet().stream()
        .sorted(Comparator.comparing((String key) -> -counts.get(key)).thenComparing(Comparator.naturalOrder())).toList();
    return new Ranking(files, functions);
  }
}
