package dev.crucible.jobs.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.crucible.data.EvalType;
import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.evaluation.SampleTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task exported as a SWE-bench 5 task repository, read back as the official tools read it. */
class SweBench5TaskRepositoryTest {
  private static final String TEST_PATCH =
      """
      diff --git a/tests/test_words.py b/tests/test_words.py
      --- a/tests/test_words.py
      +++ b/tests/test_words.py
      @@ -1 +1,2 @@
       from textops.words import count_words, initials, shout
      +# a comment
      EOF_CRUCIBLE_TEST_PATCH
      """;

  @TempDir Path temp;

  @Test
  void writesTheLayoutTheOfficialToolsRead() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    TaskInstance base = sample.task("fixture__textops-1", "fixture/textops");
    TaskInstance task =
        new TaskInstance(base.instanceId(), base.repo(), base.baseCommit(), base.problemStatement(), "see the docs", base.patch(),
            TEST_PATCH, base.failToPass(), base.passToPass(), "1.0", null, null, base.image(), base.testCmd(), base.logParser(),
            null, EvalType.PASS_AND_FAIL, null);
    Path out = temp.resolve("export");

    SweBench5TaskRepository.write(List.of(task), temp.resolve("repos"), "crucible/textops", out);

    JsonNode config = new YAMLMapper().readTree(out.resolve("sweb.yaml").toFile());
    assertThat(config.get("datasets").get(0).asText()).isEqualTo("crucible/textops");
    Path dir = out.resolve("tasks/fixture__textops-1");
    JsonNode meta = new YAMLMapper().readTree(dir.resolve("task.yaml").toFile());
    assertThat(meta.get("version").isTextual()).as("1.0 stays a string").isTrue();
    assertThat(meta.get("version").asText()).isEqualTo("1.0");
    assertThat(meta.get("image").asText()).isEqualTo("swebench/sweb.eval.x86_64.fixture_1776_textops-1:latest");
    assertThat(meta.get("log_parser").asText()).isEqualTo("parse_log_pytest");
    assertThat(meta.get("eval_type").asText()).isEqualTo("pass_and_fail");
    assertThat(meta.get("split").asText()).isEqualTo("test");
    assertThat(meta.get("datasets").get(0).asText()).isEqualTo("crucible/textops");
    assertThat(Files.readString(dir.resolve("task.yaml"))).as("keys sorted, as the official tools write them")
        .startsWith("base_commit: ").contains("\ndatasets:\n- \"crucible/textops\"\neval_type: ");
    JsonNode tests = new ObjectMapper().readTree(dir.resolve("tests.json").toFile());
    assertThat(tests.get("FAIL_TO_PASS")).hasSize(2);
    assertThat(Files.readString(dir.resolve("tests.json"))).startsWith("{\n  \"FAIL_TO_PASS\": [\n    \"tests/test_words.py::test_count_words\",");
    assertThat(Files.readString(dir.resolve("gold.patch"))).isEqualTo(task.patch());
    assertThat(Files.readString(dir.resolve("hints.md"))).isEqualTo("see the docs");

    String eval = Files.readString(dir.resolve("eval.sh"));
    assertThat(eval).startsWith("#!/bin/bash\nset -uxo pipefail\ncd /testbed\n");
    assertThat(eval).contains("git checkout " + task.baseCommit() + " -- tests/test_words.py\n");
    assertThat(eval).as("a delimiter no line of the patch equals").contains("<<'EOF_CRUCIBLE_TEST_PATCH_'\n");
    assertThat(eval).contains(": '>>>>> Start Test Output'\n" + SampleTask.TEST_COMMAND + "\n: '>>>>> End Test Output'\n");
    Process syntax = new ProcessBuilder("bash", "-n", dir.resolve("eval.sh").toString()).redirectErrorStream(true).start();
    assertThat(syntax.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(syntax.exitValue()).as(new String(syntax.getInputStream().readAllBytes())).isZero();

    assertThat(Files.readString(dir.resolve("Dockerfile")))
        .startsWith("FROM crucible/python:bookworm\n").contains("git -C /testbed checkout -q " + task.baseCommit());
    Process clone = new ProcessBuilder("git", "clone", "-q", dir.resolve("repo.bundle").toString(), temp.resolve("clone").toString())
        .redirectErrorStream(true).start();
    assertThat(clone.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(clone.exitValue()).isZero();
    Process commit = new ProcessBuilder("git", "-C", temp.resolve("clone").toString(), "cat-file", "-t", task.baseCommit()).start();
    assertThat(new String(commit.getInputStream().readAllBytes()).strip()).as("the bundle holds the base commit").isEqualTo("commit");
  }

  @Test
  void namesEveryTaskThatCannotBeExported() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    TaskInstance base = sample.task("fixture__textops-1", "fixture/textops");
    TaskInstance junit =
        new TaskInstance("fixture__textops-2", base.repo(), base.baseCommit(), "p", "", "", "", List.of("t"), List.of(), null, null, null,
            null, "mvn test", "junit_xml");
    TaskInstance elsewhere = sample.task("other__lib-3", "other/lib");
    assertThatThrownBy(() -> SweBench5TaskRepository.write(List.of(base, junit, elsewhere), temp.resolve("repos"), "d", temp.resolve("x")))
        .hasMessage(
            "task 'fixture__textops-2': log_parser 'junit_xml' has no SWE-bench counterpart (exportable: pytest, or an official parse_log_* name)\n"
                + "task 'other__lib-3': no git repository at " + temp.resolve("repos/other__lib"));
    assertThat(temp.resolve("x")).doesNotExist();
  }
}
