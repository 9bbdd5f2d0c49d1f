package dev.crucible.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.rollout.repos.TaskRepositories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationInputsTest {
  @TempDir Path repos;

  private static TaskInstance task(String id, String repo, String image, String testCmd, String parser) {
    return new TaskInstance(id, repo, "abc", "", "", "diff", "", List.of(), List.of(), null, null, null, image, testCmd, parser);
  }

  @Test
  void reportsEveryProblemNamingItsInstance() throws Exception {
    Files.createDirectories(repos.resolve("o__good/.git"));
    List<TaskInstance> tasks =
        List.of(
            task("ok-1", "o/good", "img", "pytest", "pytest"),
            task("no-cmd", "o/good", "img", null, "pytest"),
            task("no-image", "o/good", null, "pytest", "pytest"),
            task("bad-parser", "o/good", "img", "pytest", "nose"),
            task("no-repo", "o/missing", "img", "pytest", "pytest"));
    List<Prediction> predictions =
        List.of(
            new Prediction("ok-1", "m", "x"), new Prediction("no-cmd", "m", "x"), new Prediction("no-image", "m", "x"),
            new Prediction("bad-parser", "m", "x"), new Prediction("no-repo", "m", "x"), new Prediction("ghost", "m", "x"));
    try {
      EvaluationInputs.match(tasks, "tasks.jsonl", predictions, "preds.jsonl", new TaskRepositories(HadoopFiles.local(repos)), new Configuration());
      throw new AssertionError("expected the inputs to be rejected");
    } catch (InvalidInputException e) {
      assertThat(e.problems())
          .extracting(Object::toString)
          .containsExactly(
              "tasks.jsonl: field 'test_cmd': task 'no-cmd' has no test_cmd, and no image with an eval_script",
              "tasks.jsonl: field 'image': task 'no-image' has no image",
              "tasks.jsonl: field 'log_parser': task 'bad-parser': unknown log_parser 'nose'; known: pytest, unittest, junit_xml, "
                  + String.join(", ", dev.crucible.reward.parsers.SweBenchLogParsers.names()),
              "tasks.jsonl: field 'repo': task 'no-repo': no repository: expected the git bundle " + HadoopFiles.local(repos.resolve("o__missing.bundle"))
                  + " or a git repository at " + HadoopFiles.local(repos.resolve("o__missing")),
              "preds.jsonl: field 'instance_id': prediction for 'ghost' has no task in tasks.jsonl");
    }
  }

  @Test
  void acceptsPredictionsOfSeveralModelsAsSweBenchDoes() throws Exception {
    Files.createDirectories(repos.resolve("o__good/.git"));
    List<TaskInstance> tasks = List.of(task("a", "o/good", "img", "pytest", "pytest"), task("b", "o/good", "img", "pytest", "pytest"));
    assertThat(EvaluationInputs.match(tasks, "t", List.of(new Prediction("a", "m1", ""), new Prediction("b", "m2", "")), "p", new TaskRepositories(HadoopFiles.local(repos)), new Configuration()))
        .hasSize(2);
  }

  @Test
  void aRowWithItsOwnImageAndEvalScriptNeedsNoTestCommandAndNoRepositoryButAKnownParser() {
    TaskInstance official = new TaskInstance("o__x-1", "o/x", "abc", "", "", "diff", "", List.of(), List.of(), "1.0", null, null,
        "swebench/sweb.eval.x86_64.o_1776_x-1:latest", null, "parse_log_pytest", null, dev.crucible.data.EvalType.PASS_AND_FAIL,
        "cd /testbed\npytest\n");
    assertThat(EvaluationInputs.match(List.of(official), "t", List.of(new Prediction("o__x-1", "m", "diff")), "p", new TaskRepositories(HadoopFiles.local(repos)), new Configuration())).hasSize(1);

    TaskInstance unknownParser = new TaskInstance("o__x-2", "o/x", "abc", "", "", "diff", "", List.of(), List.of(), "1.0", null, null,
        "img", null, "parse_log_nose", null, dev.crucible.data.EvalType.PASS_AND_FAIL, "cd /testbed\npytest\n");
    try {
      EvaluationInputs.match(List.of(unknownParser), "t", List.of(new Prediction("o__x-2", "m", "diff")), "p", new TaskRepositories(HadoopFiles.local(repos)), new Configuration());
      throw new AssertionError("expected the row to be rejected");
    } catch (InvalidInputException e) {
      assertThat(e.problems()).extracting(Object::toString).singleElement().asString().contains("o__x-2", "unknown log_parser 'parse_log_nose'");
    }
  }
}
