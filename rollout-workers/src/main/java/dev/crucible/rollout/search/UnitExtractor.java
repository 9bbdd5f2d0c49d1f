package dev.crucible.rollout.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists a sandbox's repository as {@link CodeUnit}s with {@code code_units.py}: Python's own {@code ast}, run by
 * the sandbox's python3 on the tracked files of its working tree. Run before the agent acts, so the units are
 * the task's snapshot. Files come in pages whose output fits the sandbox's output limit: a page that does not
 * is asked for again, half as large, then with shorter texts.
 */
public final class UnitExtractor {
  /** Files listed per command at first. */
  static final int PAGE_FILES = 200;
  /** Characters of each unit's text kept at first. */
  static final int MAX_TEXT = 4000;
  private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] SCRIPT = script();

  private UnitExtractor() {}

  /**
   * Every unit of the repository in {@code sandbox}'s workdir.
   *
   * @throws IllegalStateException with python's error when the sandbox cannot run the script (no python3, not a git repository)
   */
  public static List<CodeUnit> extract(Sandbox sandbox) {
    String script = sandbox.writeScratchFile("code_units.py", SCRIPT);
    List<CodeUnit> units = new ArrayList<>();
    int first = 0;
    int pageFiles = PAGE_FILES;
    int maxText = MAX_TEXT;
    while (true) {
      ExecResult result = sandbox.exec("python3 " + script + " " + first + " " + pageFiles + " " + maxText, PAGE_TIMEOUT);
      if (!result.succeeded()) {
        throw new IllegalStateException("listing the code failed (exit " + result.exitCode() + "): " + result.stderr().strip());
      }
      Optional<Page> page = Page.parse(result.stdout());
      if (page.isEmpty()) {
        // Cut by the output limit: fewer files at once, then shorter texts.
        if (pageFiles > 1) {
          pageFiles /= 2;
        } else if (maxText > 250) {
          maxText /= 2;
        } else {
          throw new IllegalStateException("the units of file " + first + " do not fit the sandbox's output limit");
        }
        continue;
      }
      units.addAll(page.get().units());
      first += pageFiles;
      if (first >= page.get().totalFiles()) {
        return units;
      }
    }
  }

  /** One command's units, and how many files the repository has. */
  private record Page(List<CodeUnit> units, int totalFiles) {
    /** Empty when the output is not whole: a line that is not JSON, or no closing count. */
    static Optional<Page> parse(String stdout) {
      List<CodeUnit> units = new ArrayList<>();
      List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
      try {
        for (int i = 0; i < lines.size(); i++) {
          JsonNode json = MAPPER.readTree(lines.get(i));
          if (json.has("files")) {
            return i == lines.size() - 1 ? Optional.of(new Page(units, json.get("files").asInt())) : Optional.empty();
          }
          units.add(new CodeUnit(UnitKind.named(json.path("kind").asText()), json.path("path").asText(), json.path("name").asText(),
              json.path("start").asInt(), json.path("end").asInt(), json.path("signature").asText(), json.path("docstring").asText(),
              json.path("text").asText()));
        }
      } catch (JsonProcessingException e) {
        return Optional.empty();
      }
      return Optional.empty();
    }
  }

  private static byte[] script() {
    try (InputStream in = UnitExtractor.class.getResourceAsStream("code_units.py")) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the jar lacks dev/crucible/rollout/search/code_units.py", e);
    }
  }
}
