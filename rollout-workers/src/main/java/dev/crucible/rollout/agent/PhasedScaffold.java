package dev.crucible.rollout.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.Turn;
import dev.crucible.rollout.tools.ToolBox;
import dev.crucible.rollout.tools.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Lingxi decomposition: a problem decoder (understand and localize) and a solution mapper (plan
 * the change), both with read-only tools; a problem solver with the editor; a reviewer that runs the
 * tests and submits, or sends the work back to the solver (at most {@link #MAX_ATTEMPTS} solver
 * attempts). A phase ends when the policy calls {@value #FINISH_PHASE}, or when its share of the
 * mode's step budget is spent.
 *
 * <p>Memory hygiene: each phase starts from the problem statement and a trimmed history (each earlier
 * action with a short observation, and each phase's summary) instead of the full conversation. The
 * characters saved are logged in a system turn at the start of each phase.
 */
public final class PhasedScaffold implements Scaffold {
  /** The pseudo-tool that ends a phase; in the reviewer phase it sends the work back to the solver. */
  public static final String FINISH_PHASE = "finish_phase";
  static final int MAX_ATTEMPTS = 3;
  private static final int SHORT_OBSERVATION = 200;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The phases, each with its tools and instructions. */
  enum Phase {
    DECODER(Set.of("view_directory", "search_files", "search_code", "view_file"),
        "Phase: problem decoder. Understand the issue and find the code it concerns. Do not edit."),
    MAPPER(Set.of("view_directory", "search_files", "search_code", "view_file"),
        "Phase: solution mapper. Plan the change: which file, which function, what to change. Do not edit."),
    SOLVER(Set.of("view_file", "search_files", "str_replace_editor"),
        "Phase: problem solver. Make the planned change with the editor."),
    REVIEWER(Set.of("run_tests", "view_file", "run_shell", "submit"),
        "Phase: reviewer. Run the tests. Submit when they pass; otherwise call finish_phase to send the work back to the solver.");

    final Set<String> tools;
    final String instructions;

    Phase(Set<String> tools, String instructions) {
      this.tools = tools;
      this.instructions = instructions;
    }

    String tableName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public String name() {
    return "phased";
  }

  @Override
  public AgentRun run(TaskInstance task, Mode mode, Policy policy, ToolBox tools, ToolContext context) {
    List<Turn> turns = new ArrayList<>();
    List<String> trimmedHistory = new ArrayList<>();
    StringBuilder fullHistory = new StringBuilder();
    int stepsPerPhase = Math.max(2, mode.maxSteps() / 4);
    int steps = 0;
    long tokens = 0;
    int solverAttempts = 0;
    List<Phase> order = new ArrayList<>(List.of(Phase.DECODER, Phase.MAPPER, Phase.SOLVER, Phase.REVIEWER));
    for (int index = 0; index < order.size() && !context.finished() && steps < mode.maxSteps(); index++) {
      Phase phase = order.get(index);
      if (phase == Phase.SOLVER) {
        solverAttempts++;
      }
      String history = String.join("\n", trimmedHistory);
      List<ChatMessage> messages = new ArrayList<>();
      messages.add(ChatMessage.system(SingleScaffold.SYSTEM_PROMPT + mode.guidance() + " " + phase.instructions));
      messages.add(ChatMessage.user(task.problemStatement() + (history.isEmpty() ? "" : "\n\nWork so far:\n" + history)));
      long now = System.currentTimeMillis();
      turns.add(
          new Turn(turns.size(), "system", phase.tableName(),
              "phase " + phase.tableName() + ": history trimmed from " + fullHistory.length() + " to " + history.length() + " characters",
              null, null, null, List.of(), List.of(), now, 0, 0));
      ArrayNode schemas = schemas(tools, phase);
      boolean finished = false;
      for (int phaseSteps = 0; phaseSteps < stepsPerPhase && steps < mode.maxSteps() && !context.finished(); phaseSteps++) {
        long start = System.currentTimeMillis();
        PolicyResponse response = policy.next(messages, schemas);
        long generated = System.currentTimeMillis();
        steps++;
        tokens += response.generatedTokens();
        ToolBox.Observation observation;
        if (FINISH_PHASE.equals(response.toolName())) {
          observation = new ToolBox.Observation(FINISH_PHASE, ToolBox.Status.OK, "Phase " + phase.tableName() + " finished.");
          trimmedHistory.add("[" + phase.tableName() + " summary] " + summary(response.toolArguments()));
          finished = true;
        } else if (response.toolName() != null && !phase.tools.contains(response.toolName())) {
          observation = tools.failedCall(
              "the tool " + response.toolName() + " is not available in the " + phase.tableName() + " phase; use "
                  + String.join(", ", phase.tools.stream().sorted().toList()) + " or " + FINISH_PHASE);
        } else if (response.toolName() == null) {
          observation = tools.failedCall(response.callError() == null ? "no tool call; call a tool or " + FINISH_PHASE : response.callError());
        } else {
          context.actingTurn(turns.size());
          observation = tools.call(response.toolName(), response.toolArguments(), context);
        }
        long done = System.currentTimeMillis();
        messages.add(new ChatMessage("assistant", response.content(), response.toolName(), response.toolArguments()));
        messages.add(ChatMessage.tool(observation.tool(), observation.text()));
        turns.add(new Turn(turns.size(), "assistant", phase.tableName(), response.content(), response.toolName(),
            response.toolArguments(), null, response.tokenIds(), response.logprobs(), start, generated - start, 0, response.sampling()));
        turns.add(new Turn(turns.size(), "tool", phase.tableName(), "", observation.tool(), null, observation.text(),
            List.of(), List.of(), generated, 0, done - generated));
        fullHistory.append(response.content()).append(response.toolArguments()).append(observation.text());
        if (!finished) {
          trimmedHistory.add("[" + phase.tableName() + "] " + response.toolName() + " -> " + shorten(observation.text()));
        }
        if (finished) {
          break;
        }
      }
      boolean sentBack = phase == Phase.REVIEWER && !context.finished() && finished;
      if (sentBack && solverAttempts < MAX_ATTEMPTS) {
        order.add(Phase.SOLVER);
        order.add(Phase.REVIEWER);
      }
    }
    return new AgentRun(turns, steps, tokens, context.submitted());
  }

  /** The phase's tools and {@value #FINISH_PHASE}, in the function-calling layout. */
  private static ArrayNode schemas(ToolBox tools, Phase phase) {
    ArrayNode schemas = MAPPER.createArrayNode();
    for (JsonNode schema : tools.schemas()) {
      if (phase.tools.contains(schema.path("function").path("name").asText())) {
        schemas.add(schema);
      }
    }
    schemas.addObject()
        .put("type", "function")
        .set("function",
            MAPPER.createObjectNode()
                .put("name", FINISH_PHASE)
                .put("description", "End this phase with a short summary of what you found or did.")
                .set("parameters", MAPPER.createObjectNode().put("type", "object")
                    .set("properties", MAPPER.createObjectNode().set("summary", MAPPER.createObjectNode().put("type", "string")))));
    return schemas;
  }

  private static String summary(String argumentsJson) {
    try {
      return argumentsJson == null ? "" : MAPPER.readTree(argumentsJson).path("summary").asText("");
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String shorten(String text) {
    String flat = text.replace('\n', ' ').strip();
    return flat.length() <= SHORT_OBSERVATION ? flat : flat.substring(0, SHORT_OBSERVATION) + "...";
  }
}
