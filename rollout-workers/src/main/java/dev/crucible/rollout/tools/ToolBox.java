package dev.crucible.rollout.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.search.EmbeddingsUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools an agent may call, by name. {@link #call} never throws for anything the agent did wrong:
 * unknown tools, malformed arguments, missing files, paths outside the repository and tool errors all
 * come back as observations with {@link Status#ERROR}. So does a failure of the sandbox that the
 * agent's own commands caused ({@link SandboxException.Kind#causedByAgent()}, for example the OOM
 * killer stopping the container), which also ends the episode ({@link ToolContext#agentFailure()}).
 * Only a failure of the infrastructure propagates, because it ends the episode as an infrastructure
 * error.
 *
 * <p>Every observation is at most {@value #MAX_OBSERVATION_CHARACTERS} characters (a file of one
 * 16 MB line, a listing of a million files): past that its head and tail are kept and the cut says
 * how much went. Every call is counted in {@value #CALLS_METRIC}, tagged with {@code tool} and
 * {@code status}.
 */
public final class ToolBox {
  /** Counter of tool calls; its {@code status} tag makes the tool-call success rate. */
  public static final String CALLS_METRIC = "crucible.tool.calls";
  /** Longest observation an agent gets and a trajectory stores. */
  public static final int MAX_OBSERVATION_CHARACTERS = 32_000;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How a call went. */
  public enum Status {
    OK,
    ERROR
  }

  /** The observation and status of one call. */
  public record Observation(String tool, Status status, String text) {}

  private final Map<String, Tool> tools = new LinkedHashMap<>();
  private final MeterRegistry metrics;

  public ToolBox(List<Tool> tools, MeterRegistry metrics) {
    tools.forEach(tool -> this.tools.put(tool.name(), tool));
    this.metrics = metrics;
  }

  /** The full Lingxi tool set. */
  public static ToolBox standard(MeterRegistry metrics) {
    return new ToolBox(
        List.of(
            new ViewDirectoryTool(), new SearchFilesTool(), new SearchCodeTool(), new ViewFileTool(), new StrReplaceEditorTool(),
            new RunShellTool(), new RunTestsTool(), new SubmitTool()),
        metrics);
  }

  /**
   * The same tools restricted to {@code names}, in this box's order, counted in the same registry.
   *
   * @throws IllegalArgumentException naming this box's tools when a name is none of them
   */
  public ToolBox only(Collection<String> names) {
    for (String name : names) {
      if (!tools.containsKey(name)) {
        throw new IllegalArgumentException("there is no tool '" + name + "'; the tools are " + String.join(", ", tools.keySet()));
      }
    }
    return new ToolBox(tools.values().stream().filter(tool -> names.contains(tool.name())).toList(), metrics);
  }

  /** The tools' names, in order. */
  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  /** The tools in the OpenAI function-calling layout: {@code [{"type": "function", "function": {…}}]}. */
  public ArrayNode schemas() {
    ArrayNode array = MAPPER.createArrayNode();
    for (Tool tool : tools.values()) {
      ObjectNode function = MAPPER.createObjectNode();
      function.put("name", tool.name());
      function.put("description", tool.description());
      function.set("parameters", tool.parameters());
      ObjectNode entry = array.addObject();
      entry.put("type", "function");
      entry.set("function", function);
    }
    return array;
  }

  /** Calls {@code name} with arguments given as JSON text. */
  public Observation call(String name, String argumentsJson, ToolContext context) {
    JsonNode arguments;
    try {
      arguments = argumentsJson == null || argumentsJson.isBlank() ? null : MAPPER.readTree(argumentsJson);
    } catch (JsonProcessingException e) {
      return count(name, Status.ERROR, "Error: the arguments of " + name + " are not valid JSON: " + e.getOriginalMessage());
    }
    return call(name, arguments, context);
  }

  /** Calls {@code name} with parsed arguments. */
  public Observation call(String name, JsonNode arguments, ToolContext context) {
    Tool tool = tools.get(name);
    if (tool == null) {
      return count(name, Status.ERROR, "Error: there is no tool '" + name + "'; the tools are " + String.join(", ", tools.keySet()) + ".");
    }
    try {
      return count(name, Status.OK, tool.call(new Arguments(arguments), context));
    } catch (ToolFailure e) {
      return count(name, Status.ERROR, "Error: " + e.getMessage());
    } catch (SandboxException e) {
      if (e.kind().isRequestError()) {
        return count(name, Status.ERROR, "Error: " + e.detail());
      }
      if (e.kind().causedByAgent()) {
        context.stop("the sandbox stopped: " + e.getMessage());
        return count(name, Status.ERROR, "Error: the sandbox stopped (" + e.detail() + "); the episode ends.");
      }
      count(name, Status.ERROR, e.getMessage());
      throw e;
    } catch (EmbeddingsUnavailableException e) { // The infrastructure's failure: the episode's, not the agent's to see.
      count(name, Status.ERROR, e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      return count(name, Status.ERROR, "Error: the tool " + name + " failed unexpectedly: " + e);
    }
  }

  /** Records a call the policy's output did not make properly (no call, or a malformed one) as a failed call. */
  public Observation failedCall(String reason) {
    return count("none", Status.ERROR, "Error: " + reason);
  }

  private Observation count(String tool, Status status, String text) {
    String tag = tools.containsKey(tool) ? tool : "unknown";
    metrics.counter(CALLS_METRIC, "tool", tag, "status", status.name().toLowerCase(java.util.Locale.ROOT)).increment();
    return new Observation(tool, status, capped(text));
  }

  /** {@code text}, or its head and tail with a note of how many characters were cut between. */
  static String capped(String text) {
    if (text.length() <= MAX_OBSERVATION_CHARACTERS) {
      return text;
    }
    int half = MAX_OBSERVATION_CHARACTERS / 2;
    return text.substring(0, half) + "\n[... observation cut: " + (text.length() - 2 * half) + " characters left out ...]\n"
        + text.substring(text.length() - half);
  }
}
