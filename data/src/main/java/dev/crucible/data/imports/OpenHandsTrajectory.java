package dev.crucible.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import dev.crucible.data.io.FieldValueException;
import dev.crucible.data.json.JsonLines;
import dev.crucible.data.json.JsonRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * One line of OpenHands' SWE-bench output ({@code output.jsonl}: {@code instance_id}, {@code history},
 * {@code test_result.git_patch}, {@code error}, {@code instance}) as Crucible turns. The history is
 * OpenHands' event stream: as 0.x's {@code event_to_dict} writes it, actions ({@code action},
 * {@code args}, {@code source}) and observations ({@code observation}, {@code content}); or as 1.x's
 * software agent SDK writes it, events named by their {@code kind} ({@link Conversation#sdkEvent}), whose
 * terminal, file editor and finish calls are read as 0.x's {@code run}, {@code edit} and {@code finish}.
 *
 * <ul>
 *   <li>{@code system} and {@code message} actions become system, user or assistant turns by their source;
 *       {@code think} an assistant turn of its thought.
 *   <li>Calls that match Crucible's tools become its calls, the action's thought their text: {@code run}
 *       is {@code run_shell}; {@code read} is {@code str_replace_editor view}; {@code edit} in the editor's
 *       own commands ({@code create}, {@code str_replace}, {@code insert}, {@code undo_edit}, {@code view})
 *       is {@code str_replace_editor}; a whole-file {@code write} is its {@code create}; {@code finish} is
 *       {@code submit}. Paths are made relative to the repository's folder; one outside it matches nothing.
 *   <li>Other calls (IPython, the browser, an edit drafted by a second model) stay text: the thought and
 *       the call as {@code action} and its arguments.
 *   <li>An observation answering a mapped call is its tool turn; any other is a user turn. Bookkeeping
 *       (agent states, recalls, condensations, empty observations, a think's acknowledgement) is left out.
 * </ul>
 *
 * @param instanceId the task
 * @param turns the conversation, without token ids
 * @param patch the patch OpenHands took from the workspace ({@code test_result.git_patch}), empty when none
 * @param error the run's error ({@code error}), empty when none
 * @param reportedResolved what OpenHands' own evaluation says ({@code test_result.report.resolved}), or null
 * @param mappedCalls tool calls mapped onto Crucible's tools
 * @param textCalls tool calls kept as text
 */
public record OpenHandsTrajectory(
    String instanceId, List<Turn> turns, String patch, String error, Boolean reportedResolved, int mappedCalls, int textCalls) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Actions that record the agent's state, not its work. */
  private static final Set<String> BOOKKEEPING_ACTIONS =
      Set.of("change_agent_state", "recall", "null", "condensation", "condensation_request", "pause", "resume", "stop");
  /** Observations that record the agent's state, or acknowledge a thought. */
  private static final Set<String> BOOKKEEPING_OBSERVATIONS = Set.of("agent_state_changed", "recall", "null", "condense", "think");
  /** Arguments that are an action's reasoning or OpenHands' own settings, not the call's. */
  private static final Set<String> NOT_ARGUMENTS =
      Set.of("thought", "security_risk", "confirmation_state", "impl_source", "runnable", "hidden", "blocking", "is_static", "cwd", "kind");

  /** A call in Crucible's terms. */
  record Call(String tool, String argumentsJson) {}

  /**
   * Every line of {@code path}, an {@code output.jsonl}.
   *
   * @param root the repository's folder in OpenHands' containers, or null to take each line's own:
   *     {@code /workspace/OWNER__REPO__VERSION} from its {@code instance}, as OpenHands' SWE-bench runs
   *     lay it out, else {@code /testbed}
   * @throws InvalidInputException naming every line and field that is not an OpenHands output
   */
  public static List<OpenHandsTrajectory> read(Path path, Configuration conf, String root) {
    return JsonLines.read(path, conf, row -> decode(row, root), null, null);
  }

  static OpenHandsTrajectory decode(JsonRow row, String root) {
    String instanceId = row.requiredString("instance_id");
    JsonNode history = row.value("history");
    if (history == null || !history.isArray()) {
      throw new FieldValueException("history", "OpenHands' event stream, a list of actions and observations");
    }
    Conversation conversation = new Conversation(root != null ? root : rootOf(row.value("instance")));
    for (int i = 0; i < history.size(); i++) {
      JsonNode event = history.get(i);
      if (event.hasNonNull("kind")) {
        conversation.sdkEvent(event);
      } else if (event.hasNonNull("action")) {
        conversation.action(event.get("action").asText(), event.path("args"), event.path("source").asText("agent"));
      } else if (event.hasNonNull("observation")) {
        conversation.observation(event.get("observation").asText(), event.path("content").asText(""));
      } else {
        throw new FieldValueException("history", "event " + i + " is neither an action nor an observation, nor has it a kind");
      }
    }
    JsonNode result = row.value("test_result");
    JsonNode patch = result == null ? null : result.get("git_patch");
    JsonNode resolved = result == null ? null : result.path("report").get("resolved");
    String error = row.optionalString("error");
    return new OpenHandsTrajectory(instanceId, conversation.turns, patch == null || patch.isNull() ? "" : patch.asText(),
        error == null ? "" : error, resolved != null && resolved.isBoolean() ? resolved.asBoolean() : null, conversation.mapped, conversation.text);
  }

  /** The turns as the events arrive, and the mapped call awaiting its observation. */
  private static final class Conversation {
    private final String root;
    private final List<Turn> turns = new ArrayList<>();
    private int mapped;
    private int text;
    private String awaiting;

    Conversation(String root) {
      this.root = root;
    }

    /** An event of OpenHands 0.x: an action with its arguments. */
    void action(String action, JsonNode args, String source) {
      awaiting = null;
      if (BOOKKEEPING_ACTIONS.contains(action)) {
        return;
      }
      String thought = args.path("thought").asText("");
      switch (action) {
        case "system" -> add("system", args.path("content").asText(""));
        case "message" -> add(source.equals("user") ? "user" : "assistant", args.path("content").asText(""));
        case "think" -> add("assistant", thought);
        default -> call(mapCall(action, args, root), action.equals("finish") && thought.isEmpty() ? args.path("final_thought").asText("") : thought,
            action, args);
      }
    }

    /** An event of OpenHands 0.x: an observation, the answer to the call before it. */
    void observation(String observation, String content) {
      if (BOOKKEEPING_OBSERVATIONS.contains(observation) || content.isEmpty() && awaiting == null) {
        return;
      }
      answer(content);
    }

    /**
     * An event of OpenHands 1.x (the software agent SDK, {@code kind} naming its class): the system
     * prompt, a message, a tool call ({@code tool_name} and its {@code action}), its observation or
     * error, a rejection; the rest is bookkeeping.
     */
    void sdkEvent(JsonNode event) {
      switch (event.get("kind").asText()) {
        case "SystemPromptEvent" -> {
          awaiting = null;
          add("system", ImportedMessages.text(event.path("system_prompt").path("text")));
        }
        case "MessageEvent" -> {
          awaiting = null;
          String role = event.path("llm_message").path("role").asText("user");
          add(role.equals("tool") ? "user" : role, ImportedMessages.text(event.path("llm_message").get("content")));
        }
        case "ActionEvent" -> {
          awaiting = null;
          String thought = ImportedMessages.text(event.get("thought"));
          String tool = event.path("tool_name").asText("");
          JsonNode action = event.get("action");
          if (tool.equals("think") && action != null) {
            add("assistant", thought.isEmpty() ? action.path("thought").asText("") : thought + "\n\n" + action.path("thought").asText(""));
            return;
          }
          Call call = action == null || action.isNull() ? null : mapSdkCall(tool, action, root);
          String said = tool.equals("finish") && thought.isEmpty() && action != null ? action.path("message").asText("") : thought;
          JsonNode shown = action == null || action.isNull() ? event.path("tool_call").path("arguments") : action;
          call(call, said, tool, shown);
        }
        case "ObservationEvent" -> {
          JsonNode observation = event.path("observation");
          if (observation.path("kind").asText("").equals("ThinkObservation")) {
            awaiting = null;
            return;
          }
          String content = observation.has("content") ? ImportedMessages.text(observation.get("content"))
              : String.join("\n", observation.path("output").asText(""), observation.path("error").asText("")).strip();
          answer(content);
        }
        case "AgentErrorEvent" -> answer(event.path("error").asText(""));
        case "UserRejectObservation" -> {
          awaiting = null;
          add("user", event.path("rejection_reason").asText(""));
        }
        default -> { } // Condensations, state updates, pauses, tokens: not the conversation.
      }
    }

    /** A call: mapped onto Crucible's tools when {@code call} is one, else kept as text with {@code name} and {@code arguments}. */
    private void call(Call call, String said, String name, JsonNode arguments) {
      if (call != null) {
        mapped++;
        turns.add(ImportedMessages.turn(turns.size(), "assistant", said, call.tool(), call.argumentsJson(), null));
        awaiting = call.tool();
      } else {
        text++;
        add("assistant", withCall(said, name, arguments));
      }
    }

    /** What answers the last call: its tool turn when it was mapped, else a user turn. */
    private void answer(String content) {
      turns.add(awaiting != null
          ? ImportedMessages.turn(turns.size(), "tool", "", awaiting, null, content)
          : ImportedMessages.turn(turns.size(), "user", content, null, null, null));
      awaiting = null;
    }

    private void add(String role, String content) {
      turns.add(ImportedMessages.turn(turns.size(), role, content, null, null, null));
    }
  }

  /**
   * OpenHands 1.x's call of {@code tool} with {@code action} as a call of Crucible's tools, or null: its
   * terminal ({@code terminal}, earlier {@code execute_bash}), its file editor ({@code file_editor},
   * earlier {@code str_replace_editor}) and {@code finish}, read as 0.x's {@code run}, {@code edit} and
   * {@code finish}.
   */
  static Call mapSdkCall(String tool, JsonNode action, String root) {
    return switch (tool) {
      case "terminal", "execute_bash" -> mapCall("run", action, root);
      case "file_editor", "str_replace_editor" -> mapCall("edit", action, root);
      case "finish" -> mapCall("finish", action, root);
      default -> null;
    };
  }

  /** Where OpenHands' SWE-bench runs put the repository: {@code /workspace/OWNER__REPO__VERSION}, else {@code /testbed}. */
  static String rootOf(JsonNode instance) {
    if (instance != null && instance.path("repo").isTextual() && instance.hasNonNull("version")) {
      return "/workspace/" + instance.get("repo").asText().replace("/", "__") + "__" + instance.get("version").asText();
    }
    return SweAgentTrajectory.DEFAULT_ROOT;
  }

  /** OpenHands' {@code action} with {@code args} as a call of Crucible's tools, or null when none matches. */
  static Call mapCall(String action, JsonNode args, String root) {
    String path = args.hasNonNull("path") ? SweAgentTrajectory.relative(args.get("path").asText(), root) : null;
    ObjectNode arguments = MAPPER.createObjectNode();
    return switch (action) {
      case "run" -> args.path("command").isTextual() && !args.path("is_input").asBoolean(false)
          ? new Call("run_shell", arguments.put("command", args.get("command").asText()).toString()) : null;
      case "finish" -> new Call("submit", "{}");
      case "read" -> {
        if (path == null) {
          yield null;
        }
        arguments.put("command", "view").put("path", path);
        if (args.path("view_range").isArray()) {
          arguments.set("view_range", args.get("view_range"));
        }
        yield new Call("str_replace_editor", arguments.toString());
      }
      case "edit" -> {
        String command = args.path("command").asText("");
        if (path == null || !Set.of("create", "str_replace", "insert", "undo_edit", "view").contains(command)) {
          yield null; // An edit drafted by a second model (llm_based_edit) has no counterpart.
        }
        arguments.put("command", command).put("path", path);
        for (String field : List.of("file_text", "old_str", "new_str", "insert_line", "view_range")) {
          if (args.hasNonNull(field)) {
            arguments.set(field, args.get(field));
          }
        }
        yield new Call("str_replace_editor", arguments.toString());
      }
      case "write" -> path != null && args.path("start").asInt(0) == 0 && args.path("end").asInt(-1) == -1
          ? new Call("str_replace_editor", arguments.put("command", "create").put("path", path).put("file_text", args.path("content").asText("")).toString())
          : null;
      default -> null;
    };
  }

  /** An unmapped call as text after its thought: the action's name and its own arguments. */
  private static String withCall(String thought, String action, JsonNode args) {
    ObjectNode own = MAPPER.createObjectNode();
    args.fields().forEachRemaining(field -> {
      if (!NOT_ARGUMENTS.contains(field.getKey())) {
        own.set(field.getKey(), field.getValue());
      }
    });
    String call = "```\n" + action + " " + (args.isTextual() ? args.asText() : own.toString()) + "\n```";
    return thought.isEmpty() ? call : thought + "\n\n" + call;
  }
}
