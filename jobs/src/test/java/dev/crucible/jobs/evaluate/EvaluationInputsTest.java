package dev.crucible.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.InvalidInputException;
import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
      EvaluationInputs.match(tasks, "tasks.jsonl", predictions, "preds.jsonl", repos);
      throw new AssertionError("expected the inputs to be rejected");
    } catch (InvalidInputException e) {
      assertThat(e.problems())
          .extracting(Object::toString)
          .containsExactly(
              "tasks.jsonl: field 'test_cmd': task 'no-cmd' has no test_cmd",
              "tasks.jsonl: field 'image': task 'no-image' has no image",
              "tasks.jsonl: field 'log_parser': task 'bad-parser': unknown log_parser 'nose'; known: pytest, unittest, junit_xml, "
                  + String.join(", ", dev.crucible.reward.parsers.SweBenchLogParsers.names()),
              "tasks.jsonl: field 'repo': task 'no-repo': no git repository at " + repos.resolve("o__missing"),
              "preds.jsonl: field 'instance_id': prediction for 'ghost' has no task in tasks.jsonl");
    }
  }

  @Test
  void acceptsPredictionsOfSeveralModelsAsSweBenchDoes() throws Exception {
    Files.createDirectories(repos.resolve("o__good/.git"));
    List<TaskInstance> tasks = List.of(task("a", "o/good", "img", "pytest", "pytest"), task("b", "o/good", "img", "pytest", "pytest"));
    assertThat(EvaluationInputs.match(tasks, "t", List.of(new Prediction("a", "m1", ""), new Prediction("b", "m2", "")), "p", repos))
        .hasSize(2);
  }
}
