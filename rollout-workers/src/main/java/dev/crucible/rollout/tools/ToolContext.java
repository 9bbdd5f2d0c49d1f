package dev.crucible.rollout.tools;

import dev.crucible.rollout.sandbox.DeadlineSandbox;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.search.CodeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The state tools share during one episode: the sandbox (whose commands cannot outrun the episode's
 * deadline), the task's test command, the edit history that {@code undo_edit} walks back, and how the
 * episode stands: submitted, or ended by something the agent caused (its sandbox stopped, its deadline
 * passed).
 */
public final class ToolContext {
  private final DeadlineSandbox sandbox;
  private final String testCommand;
  private final Duration episodeTimeout;
  private final Map<String, Deque<Optional<byte[]>>> editHistory = new HashMap<>();
  private boolean submitted;
  private String stopped;
  private int actingTurn = -1;
  private IntConsumer editBoundaries = turn -> {};
  private CodeIndex codeIndex;
  private String codeIndexMissing = "no code index was made for this episode";

  /**
   * @param testCommand the task's {@code test_cmd}, or {@code null} when the task has none
   * @param episodeTimeout how long the episode may run from now
   */
  public ToolContext(Sandbox sandbox, String testCommand, Duration episodeTimeout) {
    this.sandbox = new DeadlineSandbox(sandbox, Instant.now().plus(episodeTimeout));
    this.testCommand = testCommand;
    this.episodeTimeout = episodeTimeout;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  /** The index {@code search_code} searches: the task's snapshot, made before the agent acted. */
  public void codeIndex(CodeIndex index) {
    this.codeIndex = index;
  }

  /** Records why this episode has no code index, for the agent that calls {@code search_code}. */
  public void codeIndexMissing(String reason) {
    this.codeIndexMissing = reason;
  }

  /**
   * The code index of the episode's snapshot.
   *
   * @throws ToolFailure saying why there is none
   */
  CodeIndex codeIndex() {
    if (codeIndex == null) {
      throw new ToolFailure("search_code is unavailable: " + codeIndexMissing);
    }
    return codeIndex;
  }

  /** Whether the agent's turn is over: it submitted, or something it caused ended the episode. */
  public boolean finished() {
    return submitted || agentFailure().isPresent();
  }

  /** Why the episode ended through the agent's own doing, if it did: the sandbox stopped, or time ran out. */
  public Optional<String> agentFailure() {
    if (stopped != null) {
      return Optional.of(stopped);
    }
    if (sandbox.pastDeadline()) {
      return Optional.of("the episode ran past its deadline of " + episodeTimeout.toSeconds() + " s");
    }
    return Optional.empty();
  }

  /** Ends the episode for a failure of the sandbox that the agent's commands caused. */
  void stop(String reason) {
    stopped = reason;
  }

  /** The index the assistant turn whose tool call runs next will have; scaffolds set it before each call. */
  public void actingTurn(int turn) {
    actingTurn = turn;
  }

  /**
   * Where edit boundaries go: after each change a tool made to the tree ({@code str_replace_editor}
   * other than {@code view}) and after each test run, {@code listener} gets the acting turn.
   */
  public void onEditBoundary(IntConsumer listener) {
    editBoundaries = listener;
  }

  /** The acting turn's tool call changed the tree or ran the tests. */
  void editBoundary() {
    editBoundaries.accept(actingTurn);
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
