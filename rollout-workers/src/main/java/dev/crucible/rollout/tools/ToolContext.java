package dev.crucible.rollout.tools;

import dev.crucible.rollout.sandbox.Sandbox;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state tools share during one episode: the sandbox, the task's test command, the edit history
 * that {@code undo_edit} walks back, and whether the agent has submitted.
 */
public final class ToolContext {
  private final Sandbox sandbox;
  private final String testCommand;
  private final Map<String, Deque<Optional<byte[]>>> editHistory = new HashMap<>();
  private boolean submitted;

  /** @param testCommand the task's {@code test_cmd}, or {@code null} when the task has none */
  public ToolContext(Sandbox sandbox, String testCommand) {
    this.sandbox = sandbox;
    this.testCommand = testCommand;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public Optional<String> testCommand() {
    return Optional.ofNullable(testCommand);
  }

  /** Remembers the content of {@code path} before an edit; empty when the edit creates the file. */
  void recordBeforeEdit(String path, Optional<byte[]> previous) {
    editHistory.computeIfAbsent(path, p -> new ArrayDeque<>()).push(previous);
  }

  /** The content before the last edit of {@code path}, removed from the history; null when there is none. */
  Optional<byte[]> popEdit(String path) {
    Deque<Optional<byte[]>> history = editHistory.get(path);
    return history == null || history.isEmpty() ? null : history.pop();
  }

  void submit() {
    submitted = true;
  }

  public boolean submitted() {
    return submitted;
  }
}
