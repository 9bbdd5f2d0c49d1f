package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An expert that knows the gold patch and solves the task through the tools, as a person would: look
 * at the repository, maybe search the code index for what the issue describes or ripgrep for the function
 * the patch touches, read the file, replace each hunk
 * with {@code str_replace}, run the tests, submit. The seed varies the exploration, so demonstrations
 * differ. It produces SFT demonstrations and exercises the whole runtime in tests.
 *
 * <p>When the problem statement gives the exact fix (hint level {@code fix}) it does what that hint
 * invites: the edits, then submit, with no exploration; such short demonstrations are what a small
 * model can learn to imitate first.
 *
 * <p>It explores as its mode asks ({@link Effort}): in {@code fast} mode only what it must to find the
 * code (reading the files when the statement names no fix, first finding them when it names no file),
 * then the edits, one test run and submit; in {@code deep} mode everything (the layout, every function
 * the patch touches, every file, the failing tests' files, a test run before and after), even when the
 * fix is given; in any other mode the standard plan above. So a mode's step budget decides whether the
 * expert gets there, and deep episodes cost more tokens: the trade the meta-controller learns.
 *
 * <p>Its responses count the tokens their messages take under the built-in tokenizer, so an episode's
 * token cost is what a model would have generated to write them.
 */
public final class ScriptedPolicy implements Policy {
  public static final String VERSION = "scripted";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<PolicyResponse> plan;
  private int next;

  /** How much the expert explores beyond what it needs: by the mode's name, {@code fast} and {@code deep}, anything else standard. */
  enum Effort {
    MINIMAL,
    STANDARD,
    THOROUGH;

    static Effort of(Mode mode) {
      return switch (mode.name()) {
        case "fast" -> MINIMAL;
        case "deep" -> THOROUGH;
        default -> STANDARD;
      };
    }
  }

  /** The expert in {@code mode}. */
  public ScriptedPolicy(TaskInstance task, long seed, Mode mode) {
    this.plan = counted(switch (Effort.of(mode)) {
      case MINIMAL -> minimal(task);
      case STANDARD -> task.hintLevel() == HintLevel.FIX ? edits(given(task))
          : plan(task, new SplittableRandom(seed), searchesCode(seed));
      case THOROUGH -> thorough(task);
    });
  }

  /** The expert in standard mode. */
  public ScriptedPolicy(TaskInstance task, long seed) {
    this(task, seed, Mode.STANDARD);
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

  /**
   * Whether the standard plan of this seed starts with {@code search_code} on the problem statement: half the
   * seeds, drawn apart from the plan's own draws so the rest of each plan is what it was before the tool existed.
   */
  static boolean searchesCode(long seed) {
    return new SplittableRandom(seed * 31 + 17).nextBoolean();
  }

  private static List<PolicyResponse> plan(TaskInstance task, SplittableRandom random, boolean searchesCode) {
    List<PatchHunk> hunks = PatchHunk.of(task.patch());
    List<PolicyResponse> steps = new ArrayList<>();
    steps.add(PolicyResponse.call("Let me look at how the repository is laid out.", "view_directory", "{}"));
    if (searchesCode) {
      steps.add(call("Let me find the code the issue describes.", "search_code", object("query", task.problemStatement())));
    }
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

  /** Fast: only what the hint leaves to find, then the edits, one test run (none when the fix is given) and submit. */
  private static List<PolicyResponse> minimal(TaskInstance task) {
    if (task.hintLevel() == HintLevel.FIX) {
      return edits(given(task));
    }
    List<PatchHunk> hunks = PatchHunk.of(task.patch());
    List<PolicyResponse> steps = new ArrayList<>();
    List<String> viewed = new ArrayList<>();
    for (PatchHunk hunk : hunks) {
      if (task.hintLevel() == HintLevel.NONE && hunk.definition() != null) {
        steps.add(call("Where is " + hunk.definition() + "?", "search_files", object("pattern", "def " + hunk.definition())));
      }
      if (!viewed.contains(hunk.file())) {
        viewed.add(hunk.file());
        steps.add(call("Reading " + hunk.file() + ".", "view_file", object("path", hunk.file())));
      }
    }
    steps.addAll(replacements(hunks));
    steps.add(PolicyResponse.call("Checking the tests.", "run_tests", "{}"));
    steps.add(PolicyResponse.call("Done.", "submit", "{}"));
    return steps;
  }

  /** Deep: the layout, every function and file the patch touches, the failing tests' files, a test run before and after. */
  private static List<PolicyResponse> thorough(TaskInstance task) {
    List<PatchHunk> hunks = task.hintLevel() == HintLevel.FIX ? given(task) : PatchHunk.of(task.patch());
    List<PolicyResponse> steps = new ArrayList<>();
    steps.add(PolicyResponse.call("First I want to see how the whole repository is organised before touching anything.", "view_directory", "{}"));
    List<String> viewed = new ArrayList<>();
    for (PatchHunk hunk : hunks) {
      if (hunk.definition() != null) {
        steps.add(call("I will find every place " + hunk.definition() + " is defined, to understand how it is used.", "search_files",
            object("pattern", "def " + hunk.definition())));
      }
      if (!viewed.contains(hunk.file())) {
        viewed.add(hunk.file());
        steps.add(call("Let me read all of " + hunk.file() + " carefully.", "view_file", object("path", hunk.file())));
      }
    }
    for (String test : task.failToPass()) {
      String file = test.contains("::") ? test.substring(0, test.indexOf("::")) : test;
      if (!viewed.contains(file) && file.endsWith(".py")) {
        viewed.add(file);
        steps.add(call("The failing test lives in " + file + "; I want to read what it expects.", "view_file", object("path", file)));
      }
    }
    steps.add(PolicyResponse.call("Before changing anything, let me reproduce the failure by running the tests.", "run_tests", "{}"));
    steps.addAll(replacements(hunks));
    steps.add(PolicyResponse.call("Now I will run the tests again to confirm the root cause is fixed.", "run_tests", "{}"));
    steps.add(PolicyResponse.call("The tests pass and the fix addresses the root cause.", "submit", "{}"));
    return steps;
  }

  /** {@code steps} with each message's tokens counted under the built-in tokenizer. */
  private static List<PolicyResponse> counted(List<PolicyResponse> steps) {
    ChatTokenizer tokenizer = BuiltInTokenizer.INSTANCE;
    List<PolicyResponse> counted = new ArrayList<>(steps.size());
    for (PolicyResponse step : steps) {
      String text = ChatTemplate.assistantText(new Message("assistant", step.content(), step.toolName(), step.toolArguments()));
      counted.add(step.counted(tokenizer.encode(text).length));
    }
    return counted;
  }

  /** The built-in tokenizer, loaded once per JVM on first use: read-only, shared by every scripted episode. */
  private static final class BuiltInTokenizer {
    static final ChatTokenizer INSTANCE = ChatTokenizer.builtIn();
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
