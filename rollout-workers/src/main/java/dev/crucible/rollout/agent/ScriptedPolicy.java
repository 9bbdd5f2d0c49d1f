package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An expert that knows the gold patch and solves the task through the tools, as a person would: look
 * at the repository, maybe search for the function the patch touches, read the file, replace each hunk
 * with {@code str_replace}, run the tests, submit. The seed varies the exploration, so demonstrations
 * differ. It produces SFT demonstrations and exercises the whole runtime in tests.
 *
 * <p>When the problem statement gives the exact fix (hint level {@code fix}) it does what that hint
 * invites: the edits, then submit, with no exploration; such short demonstrations are what a small
 * model can learn to imitate first.
 */
public final class ScriptedPolicy implements Policy {
  public static final String VERSION = "scripted";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<PolicyResponse> plan;
  private int next;

  public ScriptedPolicy(TaskInstance task, long seed) {
    this.plan = task.hintLevel() == HintLevel.FIX ? edits(given(task)) : plan(task.patch(), new SplittableRandom(seed));
  }

  @Override
  public String version() {
    return VERSION;
  }

  /**
   * The next step of the plan; when the tools on offer lack the step's tool (a phase of the phased
   * scaffold), it ends the phase instead and keeps the step for later.
   */
  @Override
  public PolicyResponse next(List<ChatMessage> messages, ArrayNode tools) {
    PolicyResponse step = next < plan.size() ? plan.get(next) : plan.get(plan.size() - 1);
    if (!offered(tools, step.toolName()) && offered(tools, PhasedScaffold.FINISH_PHASE)) {
      return PolicyResponse.call("That is all for this phase.", PhasedScaffold.FINISH_PHASE, object("summary", "next: " + step.toolName()).toString());
    }
    next = Math.min(next + 1, plan.size());
    return step;
  }

  private static boolean offered(ArrayNode tools, String name) {
    for (com.fasterxml.jackson.databind.JsonNode tool : tools) {
      if (tool.path("function").path("name").asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<PolicyResponse> plan(String goldPatch, SplittableRandom random) {
    List<PatchHunk> hunks = PatchHunk.of(goldPatch);
    List<PolicyResponse> steps = new ArrayList<>();
    steps.add(PolicyResponse.call("Let me look at how the repository is laid out.", "view_directory", "{}"));
    List<String> viewed = new ArrayList<>();
    for (PatchHunk hunk : hunks) {
      if (hunk.definition() != null && random.nextBoolean()) {
        steps.add(call("I will search for " + hunk.definition() + ".", "search_files", object("pattern", "def " + hunk.definition())));
      }
      if (!viewed.contains(hunk.file())) {
        viewed.add(hunk.file());
        steps.add(call("Let me read " + hunk.file() + ".", "view_file", object("path", hunk.file())));
      }
    }
    if (random.nextInt(3) == 0) {
      steps.add(PolicyResponse.call("Let me see which tests fail before changing anything.", "run_tests", "{}"));
    }
    steps.addAll(replacements(hunks));
    steps.add(PolicyResponse.call("Now the tests should pass.", "run_tests", "{}"));
    steps.add(PolicyResponse.call("The fix is complete.", "submit", "{}"));
    return steps;
  }

  /** The edits the task's fix hint shows; the gold patch's hunks when the statement does not show one edit per hunk. */
  private static List<PatchHunk> given(TaskInstance task) {
    List<PatchHunk> gold = PatchHunk.of(task.patch());
    List<PatchHunk> shown = FixHint.read(task.problemStatement());
    return shown.size() == gold.size() ? shown : gold;
  }

  /** The plan when the fix is given: apply it and submit. */
  private static List<PolicyResponse> edits(List<PatchHunk> hunks) {
    List<PolicyResponse> steps = new ArrayList<>(replacements(hunks));
    steps.add(PolicyResponse.call("The fix is applied.", "submit", "{}"));
    return steps;
  }

  private static List<PolicyResponse> replacements(List<PatchHunk> hunks) {
    List<PolicyResponse> steps = new ArrayList<>();
    for (PatchHunk hunk : hunks) {
      ObjectNode arguments = MAPPER.createObjectNode();
      arguments.put("command", "str_replace");
      arguments.put("path", hunk.file());
      arguments.put("old_str", hunk.before());
      arguments.put("new_str", hunk.after());
      steps.add(PolicyResponse.call("This is the faulty code; I will fix it.", "str_replace_editor", arguments.toString()));
    }
    return steps;
  }

  private static PolicyResponse call(String thought, String tool, ObjectNode arguments) {
    return PolicyResponse.call(thought, tool, arguments.toString());
  }

  private static ObjectNode object(String key, String value) {
    return MAPPER.createObjectNode().put(key, value);
  }
}
