package dev.crucible.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SWE-agent trajectory file ({@code INSTANCE.traj}: {@code history}, {@code info}; SWE-smith's
 * trajectories are SWE-agent's too) as Crucible turns. The history's messages become turns in order
 * (demonstrations left out): system and user messages as they are; an assistant message with its first
 * tool call mapped onto Crucible's tools where one matches ({@link #mapCall}), its observation a tool
 * turn; a call no tool matches, or a message without one, stays text, its observation a user turn.
 *
 * @param instanceId the file's name without {@code .traj}
 * @param turns the conversation, without token ids (SFT renders it with the chat template)
 * @param submission the patch the agent submitted ({@code info.submission}), empty when none
 * @param exitStatus how the run ended ({@code info.exit_status}), empty when not given
 * @param mappedCalls tool calls mapped onto Crucible's tools
 * @param textCalls tool calls kept as text
 */
public record SweAgentTrajectory(String instanceId, List<Turn> turns, String submission, String exitStatus, int mappedCalls, int textCalls) {
  /** SWE-agent's default repository root in its containers. */
  public static final String DEFAULT_ROOT = "/testbed";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A call in Crucible's terms: a tool and its JSON arguments. */
  record Call(String tool, String argumentsJson) {}

  /**
   * Reads {@code file}, relating absolute paths in tool calls to {@code root}, the repository's folder
   * in the agent's container.
   *
   * @throws InvalidInputException naming the file and the field when it is not a SWE-agent trajectory
   */
  public static SweAgentTrajectory read(Path file, String root) {
    JsonNode document;
    try {
      document = MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw problem(file, null, "not readable as JSON: " + e.getMessage());
    }
    if (document == null || !document.path("history").isArray()) {
      throw problem(file, "history", "a SWE-agent trajectory has a history list of messages");
    }
    List<Turn> turns = new ArrayList<>();
    int mapped = 0;
    int text = 0;
    boolean lastCallMapped = false;
    String lastTool = null;
    int position = 0;
    for (JsonNode message : document.get("history")) {
      position++;
      if (message.path("is_demo").asBoolean(false)) {
        continue;
      }
      String role = message.path("role").asText("");
      String content = ImportedMessages.text(message.get("content"));
      switch (role) {
        case "system", "user" -> turns.add(ImportedMessages.turn(turns.size(), role, content, null, null, null));
        case "assistant" -> {
          JsonNode calls = message.path("tool_calls");
          Call call = null;
          String original = null;
          if (calls.isArray() && !calls.isEmpty()) {
            JsonNode function = calls.get(0).path("function");
            original = function.path("name").asText("") + " " + function.path("arguments").asText("");
            call = mapCall(function.path("name").asText(""), function.path("arguments").asText(""), root);
          }
          String thought = message.hasNonNull("thought") ? message.get("thought").asText() : content;
          if (call != null) {
            mapped++;
            turns.add(ImportedMessages.turn(turns.size(), "assistant", thought, call.tool(), call.argumentsJson(), null));
          } else {
            if (original != null) {
              text++;
            }
            String action = message.hasNonNull("action") ? message.get("action").asText() : original;
            boolean actionShown = action == null || action.isBlank() || content.contains(action);
            turns.add(ImportedMessages.turn(turns.size(), "assistant", actionShown ? content : content + "\n\n```\n" + action + "\n```", null, null, null));
          }
          lastCallMapped = call != null;
          lastTool = call == null ? null : call.tool();
        }
        case "tool" -> turns.add(lastCallMapped
            ? ImportedMessages.turn(turns.size(), "tool", "", lastTool, null, content)
            : ImportedMessages.turn(turns.size(), "user", content, null, null, null));
        default -> throw problem(file, "history[" + (position - 1) + "].role", "unknown role '" + role + "'");
      }
    }
    JsonNode info = document.path("info");
    String submission = info.hasNonNull("submission") ? info.get("submission").asText() : "";
    String exitStatus = info.hasNonNull("exit_status") ? info.get("exit_status").asText() : "";
    String name = file.getFileName().toString();
    return new SweAgentTrajectory(name.endsWith(".traj") ? name.substring(0, name.length() - ".traj".length()) : name, turns, submission,
        exitStatus, mapped, text);
  }

  /**
   * SWE-agent's call of {@code tool} with {@code argumentsJson} as a call of Crucible's tools, or null
   * when none matches: {@code bash} is {@code run_shell}; {@code str_replace_editor} (the same commands
   * and arguments as Crucible's) is itself, its absolute path made relative to {@code root}; {@code submit}
   * is itself. A path outside {@code root}, or arguments that are not a JSON object, match nothing.
   */
  static Call mapCall(String tool, String argumentsJson, String root) {
    JsonNode arguments;
    try {
      arguments = argumentsJson.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(argumentsJson);
    } catch (IOException e) {
      return null;
    }
    if (!(arguments instanceof ObjectNode object)) {
      return null;
    }
    return switch (tool) {
      case "bash" -> object.path("command").isTextual()
          ? new Call("run_shell", MAPPER.createObjectNode().put("command", object.get("command").asText()).toString()) : null;
      case "submit" -> new Call("submit", "{}");
      case "str_replace_editor" -> {
        String path = relative(object.path("path").asText(null), root);
        if (path == null || !object.path("command").isTextual()) {
          yield null;
        }
        ObjectNode mapped = object.deepCopy();
        mapped.put("path", path);
        yield new Call("str_replace_editor", mapped.toString());
      }
      default -> null;
    };
  }

  /** {@code path} relative to {@code root} ({@code .} for the root itself), or null when it lies outside. */
  static String relative(String path, String root) {
    if (path == null) {
      return null;
    }
    String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    if (path.equals(base)) {
      return ".";
    }
    if (path.startsWith(base + "/")) {
      return path.substring(base.length() + 1);
    }
    return path.startsWith("/") || path.startsWith("..") ? null : path;
  }

  private static InvalidInputException problem(Path file, String field, String message) {
    return new InvalidInputException(new InputProblem(file.toString(), 0, field, message));
  }
}
