package dev.crucible.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.Cli;
import dev.crucible.jobs.serve.ChatCompletionsServer;
import dev.crucible.rollout.agent.DjlPolicyTest;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.trainer.chat.ChatModel;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code crucible bench localize} on the built-in task, in real Docker sandboxes: BM25, and dense vectors from {@code crucible serve}. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class LocalizeBenchmarkTest {
  @TempDir Path temp;

  @Test
  void theStatementFindsTheGoldFunctionAndATaskThatOnlyAddsAFileIsLeftOut() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    TaskInstance task = sample.task("fixture__textops-1", "fixture/textops");
    String addsOnly = "diff --git a/NEW.md b/NEW.md\nnew file mode 100644\n--- /dev/null\n+++ b/NEW.md\n@@ -0,0 +1 @@\n+new\n";
    TaskInstance newFile = new TaskInstance(task.instanceId() + "-new", task.repo(), task.baseCommit(), task.problemStatement(),
        task.hintsText(), addsOnly, task.testPatch(), task.failToPass(), task.passToPass(), task.version(), task.environmentSetupCommit(),
        task.createdAt(), task.image(), task.testCmd(), task.logParser(), task.hintLevel(), task.evalType(), task.evalScript());
    org.apache.hadoop.fs.Path tasks = HadoopFiles.local(temp.resolve("tasks.jsonl"));
    SweBenchTasks.write(tasks, new Configuration(), List.of(task, newFile));

    Cli.Result result = Cli.run("bench", "localize", "--tasks", temp.resolve("tasks.jsonl").toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode figures = new ObjectMapper().readTree(result.out());
    assertThat(figures.get("benchmark").asText()).isEqualTo("localize");
    assertThat(figures.get("tasks").asInt()).isEqualTo(1);
    assertThat(figures.get("skipped").asInt()).isEqualTo(1);
    assertThat(figures.get("units_per_task").asInt()).as("3 files, 3 functions and the test file's").isGreaterThanOrEqualTo(6);
    // "count_words miscounts text with repeated spaces": the function's own name.
    assertThat(figures.at("/bm25/function/hit@1").asDouble()).isEqualTo(1.0);
    assertThat(figures.at("/bm25/file/hit@1").asDouble()).isEqualTo(1.0);
    assertThat(figures.at("/ripgrep/function/tasks").asInt()).isEqualTo(1);
    assertThat(figures.at("/ripgrep/file/hit@10").asDouble()).isEqualTo(1.0);
    assertThat(figures.at("/bm25/function_without_tests/hit@1").asDouble()).isEqualTo(1.0);
  }

  @Test
  void withAnEmbeddingsEndpointTheDenseAndFusedRankingsAreMeasuredToo() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    SweBenchTasks.write(HadoopFiles.local(temp.resolve("tasks.jsonl")), new Configuration(), List.of(sample.task("fixture__textops-1", "fixture/textops")));
    // An untrained model's embeddings: real vectors from a real endpoint, of no meaning, so only what every ranking
    // of these few units must reach is asserted.
    try (ChatModel model = ChatModel.load(DjlPolicyTest.tinyCheckpoint(temp.resolve("tiny")));
        ChatCompletionsServer server = new ChatCompletionsServer(model, "tiny", "127.0.0.1", 0)) {
      Cli.Result result = Cli.run("bench", "localize", "--tasks", temp.resolve("tasks.jsonl").toString(), "--embeddings",
          "http://127.0.0.1:" + server.port() + "/v1#tiny");

      assertThat(result.exitCode()).as(result.err()).isZero();
      JsonNode figures = new ObjectMapper().readTree(result.out());
      assertThat(figures.at("/bm25/function/hit@1").asDouble()).as("BM25 alone, as without an endpoint").isEqualTo(1.0);
      for (String ranking : List.of("dense", "fused")) {
        assertThat(figures.at("/" + ranking + "/function/tasks").asInt()).as(ranking).isEqualTo(1);
        assertThat(figures.at("/" + ranking + "/function/hit@10").asDouble()).as(ranking + ": every function of the snapshot ranks").isEqualTo(1.0);
        assertThat(figures.at("/" + ranking + "/file/hit@10").asDouble()).as(ranking).isEqualTo(1.0);
      }
    }
    assertThat(Cli.run("bench", "localize", "--tasks", temp.resolve("tasks.jsonl").toString(), "--embeddings", "localhost:1/v1").err())
        .contains("--embeddings", "needs an http(s) base URL");
  }

  @Test
  void testFilesAreKnownByTheUsualPythonLayouts() {
    assertThat(List.of("tests/test_words.py", "pkg/tests/helpers.py", "test_x.py", "pkg/io_test.py", "conftest.py", "pkg/testing/util.py",
        "tests/test_words.py:test_count")).allMatch(LocalizeBenchmark::isTestPath);
    assertThat(List.of("textops/words.py", "pkg/contest.py", "pkg/latest.py", "textops/words.py:count_words", "attestation/x.py"))
        .noneMatch(LocalizeBenchmark::isTestPath);
  }
}
