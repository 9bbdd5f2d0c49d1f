package dev.crucible.reward.grading;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git diff ({@code git diff --binary}, the platform's own) cut into its per-file sections, so that
 * the sections touching files the grading depends on can be left out before the patch is applied.
 *
 * <p>Patches are written by the agent, so every name a section could mean counts: the paths of its
 * {@code diff --git} line (an unquoted line whose names hold {@code " b/"} can be split more than one
 * way; every split counts), its {@code ---} and {@code +++} lines and its rename and copy lines, each
 * C-quoted or plain. A section is left out when any of them is protected.
 */
public final class PatchFiles {
  private static final String SECTION = "diff --git ";
  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@.*$");

  private PatchFiles() {}

  /**
   * {@code patch} without the sections in which a name satisfies {@code isProtected}.
   *
   * @return empty when {@code patch} is not a git diff: something other than blank lines before its
   *     first {@code diff --git} line, which no tool reading it could be trusted to ignore
   */
  public static Optional<Kept> without(String patch, Predicate<String> isProtected) {
    List<String> lines = List.of(patch.split("\n", -1));
    int first = 0;
    while (first < lines.size() && !lines.get(first).startsWith(SECTION)) {
      if (!lines.get(first).isBlank()) {
        return Optional.empty();
      }
      first++;
    }
    StringBuilder kept = new StringBuilder();
    Set<String> dropped = new LinkedHashSet<>();
    int start = first;
    while (start < lines.size()) {
      int end = start + 1;
      while (end < lines.size() && !lines.get(end).startsWith(SECTION)) {
        end++;
      }
      List<String> section = lines.subList(start, end);
      Set<String> names = names(section);
      List<String> hit = names.stream().filter(isProtected).toList();
      if (hit.isEmpty()) {
        kept.append(String.join("\n", section));
        if (end < lines.size()) {
          kept.append('\n');
        }
      } else {
        dropped.addAll(hit);
      }
      start = end;
    }
    String text = kept.toString();
    // A patch ends with a newline; a last section dropped leaves the one before it without its own.
    if (!text.isEmpty() && !text.endsWith("\n") && patch.endsWith("\n")) {
      text += "\n";
    }
    return Optional.of(new Kept(text, List.copyOf(dropped)));
  }

  /**
   * What is left of a patch.
   *
   * @param patch the sections kept, in order
   * @param dropped the protected names of the sections left out
   */
  public record Kept(String patch, List<String> dropped) {}

  /**
   * Every path the section's header lines can name. Hunks are skipped by their line counts, as git apply
   * reads them; any header line after them (a second {@code ---}/{@code +++} pair, which git apply and
   * patch would take as another file) counts too.
   */
  static Set<String> names(List<String> section) {
    Set<String> names = new LinkedHashSet<>(headerNames(section.get(0).substring(SECTION.length())));
    int oldLeft = 0;
    int newLeft = 0;
    for (String line : section.subList(1, section.size())) {
      if (oldLeft > 0 || newLeft > 0) {
        char kind = line.isEmpty() ? ' ' : line.charAt(0);
        if (kind == ' ' || kind == '-') {
          oldLeft--;
        }
        if (kind == ' ' || kind == '+') {
          newLeft--;
        }
        if (kind == ' ' || kind == '-' || kind == '+' || kind == '\\') {
          continue;
        }
        oldLeft = newLeft = 0; // A hunk cut short: what follows is read as headers.
      }
      Matcher hunk = HUNK.matcher(line);
      if (hunk.matches()) {
        oldLeft = count(hunk.group(1));
        newLeft = count(hunk.group(2));
        continue;
      }
      for (String prefix : List.of("--- ", "+++ ", "rename from ", "rename to ", "copy from ", "copy to ")) {
        if (line.startsWith(prefix)) {
          String name = unquoted(stripTab(line.substring(prefix.length())));
          boolean sided = prefix.startsWith("---") || prefix.startsWith("+++");
          if (!name.equals("/dev/null")) {
            names.add(sided ? withoutSide(name) : name);
          }
        }
      }
    }
    return names;
  }

  /** A hunk's line count: absent means 1; one too large for any file reads as none. */
  private static int count(String digits) {
    if (digits == null) {
      return 1;
    }
    return digits.length() > 9 ? 0 : Integer.parseInt(digits);
  }

  /** The names of {@code a/X b/Y}: both quoted, or every split at a {@code " b/"} of the plain text. */
  private static List<String> headerNames(String rest) {
    List<String> names = new ArrayList<>();
    if (rest.startsWith("\"")) {
      int close = closingQuote(rest);
      names.add(withoutSide(unquoted(rest.substring(0, close + 1))));
      String second = rest.substring(Math.min(rest.length(), close + 2));
      names.add(withoutSide(unquoted(second)));
      return names;
    }
    for (int at = rest.indexOf(" b/"); at >= 0; at = rest.indexOf(" b/", at + 1)) {
      names.add(withoutSide(rest.substring(0, at)));
      names.add(withoutSide(unquoted(rest.substring(at + 1))));
    }
    if (rest.indexOf(" \"b/") >= 0) {
      int at = rest.indexOf(" \"b/");
      names.add(withoutSide(rest.substring(0, at)));
      names.add(withoutSide(unquoted(rest.substring(at + 1))));
    }
    if (names.isEmpty()) {
      names.add(withoutSide(rest));
    }
    return names;
  }

  private static int closingQuote(String quoted) {
    for (int i = 1; i < quoted.length(); i++) {
      if (quoted.charAt(i) == '\\') {
        i++;
      } else if (quoted.charAt(i) == '"') {
        return i;
      }
    }
    return quoted.length() - 1;
  }

  /** git puts a tab after a name holding a space, for {@code patch}'s sake. */
  private static String stripTab(String name) {
    int tab = name.indexOf('\t');
    return tab < 0 ? name : name.substring(0, tab);
  }

  private static String withoutSide(String name) {
    return name.startsWith("a/") || name.startsWith("b/") ? name.substring(2) : name;
  }

  /** A C-quoted name as git writes one ({@code "a/t\303\251st"}), decoded; a plain one as it is. */
  static String unquoted(String name) {
    if (name.length() < 2 || !name.startsWith("\"") || !name.endsWith("\"")) {
      return name;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    String body = name.substring(1, name.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 == body.length()) {
        bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        continue;
      }
      char escaped = body.charAt(++i);
      if (i + 2 < body.length() && body.substring(i, i + 3).matches("[0-3][0-7][0-7]")) {
        bytes.write(Integer.parseInt(body.substring(i, i + 3), 8));
        i += 2;
      } else {
        bytes.write(switch (escaped) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'a' -> 7;
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'r' -> '\r';
          case 'v' -> 11;
          default -> escaped;
        });
      }
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
