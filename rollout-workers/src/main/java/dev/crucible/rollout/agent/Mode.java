package dev.crucible.rollout.agent;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * How much effort an episode may take, as data: its name, its step budget, the system prompt's guidance
 * and the tools it is offered. The built-in {@link #FAST}, {@link #STANDARD} and {@link #DEEP} are the
 * defaults; a config's {@code modes} section changes them or adds others ({@link Modes}).
 *
 * @param name the mode's name in tables and configs, for example {@code fast}
 * @param maxSteps assistant turns allowed before the episode ends without a submit
 * @param guidance what the system prompt asks of the agent in this mode
 * @param tools the tools offered, by name; empty offers every tool of the scaffold
 */
public record Mode(String name, int maxSteps, String guidance, List<String> tools) implements Serializable {
  /** Fast episodes search with ripgrep only: the code index costs a listing of the repository before the first step. */
  public static final Mode FAST =
      new Mode("fast", 10, "Be quick: find the likely cause, make the smallest fix, run the tests once, submit.",
          List.of("view_directory", "search_files", "view_file", "str_replace_editor", "run_shell", "run_tests", "submit"));
  public static final Mode STANDARD =
      new Mode("standard", 30, "Explore enough to understand the bug, fix it, run the tests, and submit when they pass.", List.of());
  public static final Mode DEEP = new Mode("deep", 100,
      "Investigate thoroughly: reproduce the failure, read the related code, fix the root cause, run the tests, and submit.", List.of());

  public Mode {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("mode name '" + name + "' must be a lower-case letter then lower-case letters, digits and underscores");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("mode " + name + ": max_steps must be at least 1, not " + maxSteps);
    }
    if (guidance == null || guidance.isBlank()) {
      throw new IllegalArgumentException("mode " + name + ": guidance must not be blank");
    }
    tools = List.copyOf(tools);
  }

  /** Whether this mode offers the tool {@code toolName}. */
  public boolean offers(String toolName) {
    return tools.isEmpty() || tools.contains(toolName);
  }

  /** The tools offered, or {@code null} when every tool is. */
  public Set<String> toolSet() {
    return tools.isEmpty() ? null : Set.copyOf(tools);
  }

  /** The name stored in tables. */
  public String tableName() {
    return name;
  }
}
