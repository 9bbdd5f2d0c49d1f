package dev.crucible.rollout.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallParserTest {
  @Test
  void readsACallInQwenStyle() {
    ToolCallParser.Parsed parsed =
        ToolCallParser.parse("I will look.\n<tool_call>\n{\"name\": \"view_file\", \"arguments\": {\"path\": \"a.py\"}}\n</tool_call>");
    assertThat(parsed.tool()).isEqualTo("view_file");
    assertThat(parsed.argumentsJson()).isEqualTo("{\"path\":\"a.py\"}");
    assertThat(parsed.error()).isNull();
  }

  @Test
  void acceptsArgumentsAsAJsonStringAndNoArguments() {
    assertThat(ToolCallParser.parse("<tool_call>{\"name\": \"run_shell\", \"arguments\": \"{\\\"command\\\": \\\"ls\\\"}\"}</tool_call>").argumentsJson())
        .isEqualTo("{\"command\": \"ls\"}");
    assertThat(ToolCallParser.parse("<tool_call>{\"name\": \"submit\"}</tool_call>").argumentsJson()).isEqualTo("{}");
  }

  @Test
  void saysWhatIsWrongWithAMalformedCall() {
    assertThat(ToolCallParser.parse("just text").error()).startsWith("no tool call; write <tool_call>");
    assertThat(ToolCallParser.parse("<tool_call>{\"name\": \"x\"}").error()).isEqualTo("the <tool_call> is not closed with </tool_call>");
    assertThat(ToolCallParser.parse("<tool_call>{name: x}</tool_call>").error()).startsWith("the tool call is not valid JSON: ");
    assertThat(ToolCallParser.parse("<tool_call>{\"arguments\": {}}</tool_call>").error()).isEqualTo("the tool call has no \"name\"");
    assertThat(ToolCallParser.parse("<tool_call>[1]</tool_call>").error()).isEqualTo("the tool call must be a JSON object with name and arguments");
  }
}
