package dev.crucible.data.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenHands outputs written for these tests in the shapes its source serializes: 0.x's event stream
 * ({@code event_to_dict}, data/src/test/resources/imports/openhands-output.jsonl) and 1.x's SDK events.
 */
class OpenHandsTrajectoryTest {
  private static final Path FIXTURE = Path.of("src/test/resources/imports/openhands-output.jsonl");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path temp;

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toAbsolutePath().toString());
  }

  @Test
  void theEventStreamOfOpenHands0BecomesTurnsWithItsCallsMappedOntoCrucibles() {
    OpenHandsTrajectory line = OpenHandsTrajectory.read(hadoop(FIXTURE), new Configuration(), null).get(0);

    assertThat(line.instanceId()).isEqualTo("fixture__textops-1");
    assertThat(line.patch()).startsWith("diff --git a/textops/words.py");
    assertThat(line.error()).isEmpty();
    assertThat(line.reportedResolved()).isNull();
    List<Turn> turns = line.turns();
    assertThat(turns).extracting(Turn::role).containsExactly(
        "system", "user", "assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant", "user", "assistant", "assistant");
    assertThat(turns).extracting(Turn::toolName).containsExactly(
        null, null, "str_replace_editor", "str_replace_editor", "str_replace_editor", "str_replace_editor", "run_shell", "run_shell", null, null,
        null, "submit");
    // Paths relative to /workspace/fixture__textops__0.1, where OpenHands' SWE-bench runs put the repository.
    assertThat(turns.get(2).toolArguments()).isEqualTo("{\"command\":\"view\",\"path\":\"textops/words.py\"}");
    assertThat(turns.get(2).content()).isEqualTo("Let me look at count_words.");
    assertThat(turns.get(3).observation()).contains("def count_words(text):");
    assertThat(turns.get(4).toolArguments())
        .isEqualTo("{\"command\":\"str_replace\",\"path\":\"textops/words.py\",\"old_str\":\"    return len(text.split(\\\" \\\"))\","
            + "\"new_str\":\"    return len(text.split())\"}");
    assertThat(turns.get(6).toolArguments()).isEqualTo("{\"command\":\"cd /workspace/fixture__textops__0.1 && python -m pytest -q tests\"}");
    assertThat(turns.get(7).observation()).endsWith("4 passed in 0.01s");
    assertThat(turns.get(8).content()).isEqualTo("A quick check in IPython.\n\n```\nrun_ipython {\"code\":\"print(1)\",\"include_extra\":true,"
        + "\"kernel_init_code\":\"\"}\n```");
    assertThat(turns.get(9).content()).startsWith("1\n");
    assertThat(turns.get(10).content()).isEqualTo("The fix is complete and tested.");
    assertThat(turns.get(11).content()).isEqualTo("count_words now splits on runs of whitespace.");
    assertThat(line.mappedCalls()).isEqualTo(4);
    assertThat(line.textCalls()).isEqualTo(1);
  }

  @Test
  void theEventsOfOpenHands1AreReadByTheirKind() throws Exception {
    String line = """
        {"instance_id": "o__r-1", "test_result": {"git_patch": "diff --git a/x.py b/x.py\\n"}, "error": null,
         "history": [
          {"id": "s", "source": "agent", "kind": "SystemPromptEvent", "system_prompt": {"type": "text", "text": "You are OpenHands."}, "tools": []},
          {"id": "m", "source": "user", "kind": "MessageEvent",
           "llm_message": {"role": "user", "content": [{"cache_prompt": false, "type": "text", "text": "Fix x."}]}},
          {"id": "a1", "source": "agent", "kind": "ActionEvent", "thought": [{"type": "text", "text": "Run it."}], "tool_name": "terminal",
           "tool_call_id": "c1", "action": {"command": "python x.py", "is_input": false, "timeout": null, "reset": false, "kind": "TerminalAction"}},
          {"id": "o1", "source": "environment", "kind": "ObservationEvent", "tool_name": "terminal", "tool_call_id": "c1", "action_id": "a1",
           "observation": {"content": [{"type": "text", "text": "Traceback"}], "is_error": false, "exit_code": 1, "kind": "TerminalObservation"}},
          {"id": "u", "source": "environment", "kind": "ConversationStateUpdateEvent", "key": "agent_status", "value": "running"},
          {"id": "a2", "source": "agent", "kind": "ActionEvent", "thought": [], "tool_name": "file_editor", "tool_call_id": "c2",
           "action": {"command": "create", "path": "/testbed/x.py", "file_text": "print(1)\\n", "kind": "FileEditorAction"}},
          {"id": "e2", "source": "agent", "kind": "AgentErrorEvent", "tool_name": "file_editor", "tool_call_id": "c2", "error": "File exists"},
          {"id": "a3", "source": "agent", "kind": "ActionEvent", "thought": [], "tool_name": "task_tracker", "tool_call_id": "c3",
           "action": {"command": "view", "kind": "TaskTrackerAction"}},
          {"id": "o3", "source": "environment", "kind": "ObservationEvent", "tool_name": "task_tracker", "tool_call_id": "c3", "action_id": "a3",
           "observation": {"content": [{"type": "text", "text": "No tasks"}], "kind": "TaskTrackerObservation"}},
          {"id": "a4", "source": "agent", "kind": "ActionEvent", "thought": [], "tool_name": "think", "tool_call_id": "c4",
           "action": {"thought": "Nearly there.", "kind": "ThinkAction"}},
          {"id": "o4", "source": "environment", "kind": "ObservationEvent", "tool_name": "think", "tool_call_id": "c4", "action_id": "a4",
           "observation": {"content": [{"type": "text", "text": "Your thought has been logged."}], "kind": "ThinkObservation"}},
          {"id": "a5", "source": "agent", "kind": "ActionEvent", "thought": [], "tool_name": "finish", "tool_call_id": "c5",
           "action": {"message": "Done.", "kind": "FinishAction"}}
         ]}
        """.replace("\n", " ");
    Path file = temp.resolve("output.jsonl");
    Files.writeString(file, line + "\n");

    OpenHandsTrajectory read = OpenHandsTrajectory.read(hadoop(file), new Configuration(), null).get(0);

    List<Turn> turns = read.turns();
    assertThat(turns).extracting(Turn::role)
        .containsExactly("system", "user", "assistant", "tool", "assistant", "tool", "assistant", "user", "assistant", "assistant");
    assertThat(turns.get(0).content()).isEqualTo("You are OpenHands.");
    assertThat(turns.get(1).content()).isEqualTo("Fix x.");
    assertThat(turns.get(2).toolArguments()).isEqualTo("{\"command\":\"python x.py\"}");
    assertThat(turns.get(3).observation()).isEqualTo("Traceback");
    assertThat(turns.get(4).toolArguments()).as("relative to /testbed, the root without an instance")
        .isEqualTo("{\"command\":\"create\",\"path\":\"x.py\",\"file_text\":\"print(1)\\n\"}");
    assertThat(turns.get(5).observation()).isEqualTo("File exists");
    assertThat(turns.get(6).content()).isEqualTo("```\ntask_tracker {\"command\":\"view\"}\n```");
    assertThat(turns.get(7).content()).isEqualTo("No tasks");
    assertThat(turns.get(8).content()).isEqualTo("Nearly there.");
    assertThat(turns.get(9).toolName()).isEqualTo("submit");
    assertThat(turns.get(9).content()).isEqualTo("Done.");
    assertThat(read.mappedCalls()).isEqualTo(3);
    assertThat(read.textCalls()).isEqualTo(1);
  }

  @Test
  void pathsOutsideTheRepositoryStayTextAndBadLinesAreNamed() throws Exception {
    var args = MAPPER.readTree("{\"path\": \"/etc/passwd\", \"thought\": \"\"}");
    assertThat(OpenHandsTrajectory.mapCall("read", args, "/workspace/o__r__1.0")).isNull();
    assertThat(OpenHandsTrajectory.mapCall("edit", MAPPER.readTree("{\"path\": \"/testbed/a.py\", \"content\": \"x\", \"command\": \"\"}"), "/testbed"))
        .as("an edit drafted by a second model").isNull();
    assertThat(OpenHandsTrajectory.rootOf(MAPPER.readTree("{\"repo\": \"django/django\", \"version\": \"3.0\"}")))
        .isEqualTo("/workspace/django__django__3.0");

    Path file = temp.resolve("bad.jsonl");
    Files.writeString(file, "{\"instance_id\": \"a\", \"history\": {}}\n{\"instance_id\": \"b\", \"history\": [{\"id\": 1}]}\n");
    assertThatThrownBy(() -> OpenHandsTrajectory.read(hadoop(file), new Configuration(), null))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).extracting(Object::toString).satisfiesExactly(
            first -> assertThat(first).contains("bad.jsonl:1: field 'history'"),
            second -> assertThat(second).contains("bad.jsonl:2: field 'history': event 0 is neither an action nor an observation")));
  }
}
