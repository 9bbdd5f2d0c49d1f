package dev.crucible.jobs.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.swebench.SweBenchPredictions;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.rollout.evaluation.OfficialLayoutImage;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** crucible evaluate end to end on Spark local mode, with real sandboxes, on tasks with known bugs. */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class EvaluationRunTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path temp;
  private static SparkSession spark;
  private static org.apache.hadoop.fs.Path tasksFile;
  private static org.apache.hadoop.fs.Path predictionsFile;

  @BeforeAll
  static void prepare() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    String breaking =
        sample.goldPatch()
            + "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -5,2 +5,2 @@ def shout(text):\n"
            + " def shout(text):\n-    return text.upper() + \"!\"\n+    return text.upper() + \"?\"\n";
    String misplaced = "--- a/textops/words.py\n+++ b/textops/words.py\n@@ -1,2 +1,2 @@\n def nowhere():\n-    pass\n+    return 1\n";
    List<TaskInstance> tasks = new ArrayList<>();
    List<Prediction> predictions = new ArrayList<>();
    Map<String, String> patches = Map.of("gold", sample.goldPatch(), "empty", "", "breaking", breaking, "misplaced", misplaced);
    for (String kind : List.of("gold", "empty", "breaking", "misplaced")) {
      tasks.add(sample.task("fixture__textops-" + kind, "fixture/textops"));
      predictions.add(new Prediction("fixture__textops-" + kind, "test/model", patches.get(kind)));
    }
    tasksFile = new org.apache.hadoop.fs.Path(temp.resolve("tasks.jsonl").toString());
    predictionsFile = new org.apache.hadoop.fs.Path(temp.resolve("predictions.jsonl").toString());
    SweBenchTasks.write(tasksFile, new Configuration(), tasks);
    SweBenchPredictions.write(predictionsFile, new Configuration(), predictions);
    spark = SparkSessions.create("evaluation-run-test", "local[2]", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private EvaluationSummary evaluate(boolean force, ByteArrayOutputStream progress) {
    EvaluateSettings settings =
        new EvaluateSettings("run-1", temp.resolve("out").toString(), 2, force, SandboxChoice.docker(), Duration.ofMinutes(5), 3, true, true,
            ImageLimits.DEFAULT, null);
    return new EvaluationRun(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(spark, tasksFile, predictionsFile, HadoopFiles.local(temp.resolve("repos")));
  }

  /**
   * Official rows (image and eval_script, no test_cmd, no repository on the host), in an image built
   * offline in the official layout that stands in for pulled ones: gold predictions resolve, and each
   * instance leaves the harness's files.
   */
  @Test
  void officialRowsRunTheirEvalScriptsInTheirImagesWithNoRepositoryOnTheHost() throws Exception {
    OfficialLayoutImage image = OfficialLayoutImage.build(temp.resolve("official"), "crucible-test/sweb.eval.textops:evaluation-run");
    List<TaskInstance> rows = List.of(image.row("fixture__official-1"), image.row("fixture__official-2"));
    org.apache.hadoop.fs.Path rowsFile = new org.apache.hadoop.fs.Path(temp.resolve("official/rows.jsonl").toString());
    SweBenchTasks.write(rowsFile, new Configuration(), rows);
    EvaluateSettings settings = new EvaluateSettings("official", temp.resolve("official/out").toString(), 2, false, SandboxChoice.docker(),
        Duration.ofMinutes(5), 1, true, true, ImageLimits.DEFAULT, temp.resolve("official/reports").toString());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    EvaluationSummary summary = new EvaluationRun(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))
        .run(spark, rowsFile, new org.apache.hadoop.fs.Path(EvaluationRun.GOLD), HadoopFiles.local(temp.resolve("official/no-repositories")));

    JsonNode json = MAPPER.readTree(summary.official().toJson());
    assertThat(ids(json, "resolved_ids")).as(progress.toString(StandardCharsets.UTF_8)).containsExactly("fixture__official-1", "fixture__official-2");
    assertThat(temp.resolve("official/reports/gold.official.json")).as("--report-dir").hasContent(summary.official().toJson());
    assertThat(temp.resolve("official/out/gold.official.json")).doesNotExist();
    Path instance = temp.resolve("official/out/official/gold/fixture__official-1");
    assertThat(instance.resolve("eval.sh")).hasContent(dev.crucible.reward.swebench.EvalScript.official(rows.get(0).evalScript()));
    assertThat(Files.readString(instance.resolve("run_instance.log"))).contains(">>>>> Applied Patch", "resolved: True");
    assertThat(Files.readString(instance.resolve("test_output.txt"))).contains("+ conda activate testbed", ">>>>> Test Exit Code: 0");
    assertThat(MAPPER.readTree(instance.resolve("report.json").toFile()).at("/fixture__official-1/tests_status/FAIL_TO_PASS/success"))
        .hasSize(3);
  }

  @Test
  void gradesEachPredictionWritesTheHarnessLayoutAndResumes() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    EvaluationSummary summary = evaluate(false, progress);

    JsonNode json = MAPPER.readTree(summary.official().toJson());
    JsonNode outcomes = summary.outcomesJson();
    assertThat(json.get("submitted_instances").asInt()).as(outcomes.toString()).isEqualTo(4);
    assertThat(ids(json, "resolved_ids")).containsExactly("fixture__textops-gold");
    assertThat(ids(json, "unresolved_ids")).as(outcomes.toString()).containsExactly("fixture__textops-breaking");
    assertThat(ids(json, "empty_patch_ids")).containsExactly("fixture__textops-empty");
    assertThat(ids(json, "error_ids")).as("a patch that does not apply gets no report, as in SWE-bench").containsExactly("fixture__textops-misplaced");
    assertThat(json.get("completed_instances").asInt()).isEqualTo(2);
    assertThat(ids(outcomes, "patch_failed_ids")).containsExactly("fixture__textops-misplaced");
    assertThat(outcomes.at("/outcomes/resolved").asInt()).isEqualTo(1);
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("evaluate: 4/4 done, 1 resolved, 0 errors");

    Path instances = temp.resolve("out/run-1/test__model");
    String breakingText = Files.readString(instances.resolve("fixture__textops-breaking/report.json"));
    assertThat(breakingText).as("the official layout, byte for byte").startsWith(
        "{\n    \"fixture__textops-breaking\": {\n        \"patch_is_None\": false,\n        \"patch_exists\": true,\n");
    JsonNode breaking = MAPPER.readTree(breakingText).get("fixture__textops-breaking");
    assertThat(breaking.get("patch_successfully_applied").asBoolean()).isTrue();
    assertThat(breaking.get("resolved").asBoolean()).isFalse();
    assertThat(breaking.at("/tests_status/PASS_TO_PASS/failure").toString()).isEqualTo("[\"tests/test_words.py::test_shout\"]");
    assertThat(breaking.at("/tests_status/FAIL_TO_PASS/success")).hasSize(2);
    assertThat(breaking.has("crucible")).as("Crucible's record is in crucible.json").isFalse();
    assertThat(MAPPER.readTree(instances.resolve("fixture__textops-breaking/crucible.json").toFile()).get("outcome").asText())
        .isEqualTo("unresolved");
    assertThat(Files.readString(instances.resolve("fixture__textops-gold/test_output.txt"))).contains("4 passed");
    assertThat(Files.readString(instances.resolve("fixture__textops-gold/patch.diff"))).contains("+    return len(text.split())");
    assertThat(instances.resolve("fixture__textops-misplaced/report.json")).doesNotExist();
    assertThat(MAPPER.readTree(instances.resolve("fixture__textops-misplaced/crucible.json").toFile()).get("outcome").asText())
        .isEqualTo("patch_failed");
    assertThat(instances.resolve("fixture__textops-empty")).as("an empty patch writes nothing").doesNotExist();
    assertThat(temp.resolve("out/test__model.run-1.json")).hasContent(summary.official().toJson());
    assertThat(temp.resolve("out/test__model.run-1.crucible.json")).exists();

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rows =
            duck.createStatement()
                .executeQuery(
                    "SELECT instance_id, outcome, reward FROM read_parquet('" + temp.resolve("out/run-1/rewards/*.parquet")
                        + "') ORDER BY instance_id")) {
      List<String> seen = new ArrayList<>();
      while (rows.next()) {
        seen.add(rows.getString(1) + "=" + rows.getString(2) + (rows.getObject(3) == null ? "" : ":graded"));
      }
      assertThat(seen)
          .containsExactly(
              "fixture__textops-breaking=unresolved:graded", "fixture__textops-empty=empty_patch",
              "fixture__textops-gold=resolved:graded", "fixture__textops-misplaced=patch_failed");
    }

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    EvaluationSummary resumed = evaluate(false, again);
    assertThat(again.toString(StandardCharsets.UTF_8))
        .as("graded instances are kept; the patch failure and the empty patch run again, as in SWE-bench")
        .contains("4 predictions, 2 already have a report").contains("2 to run");
    assertThat(resumed.official().toJson()).isEqualTo(summary.official().toJson());
  }

  private static List<String> ids(JsonNode json, String field) {
    List<String> ids = new ArrayList<>();
    json.get(field).forEach(node -> ids.add(node.asText()));
    return ids;
  }

  @Test
  void patchesThatAttackTheGraderResolveNothing() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("attacks/repos/fixture__textops"));
    Map<String, String> attacks = dev.crucible.rollout.evaluation.PatchAttacks.against(sample);
    List<TaskInstance> tasks = new ArrayList<>();
    List<Prediction> predictions = new ArrayList<>();
    attacks.forEach((name, patch) -> {
      tasks.add(sample.task("fixture__textops-" + name, "fixture/textops"));
      predictions.add(new Prediction("fixture__textops-" + name, "attacker", patch));
    });
    org.apache.hadoop.fs.Path attackTasks = new org.apache.hadoop.fs.Path(temp.resolve("attacks/tasks.jsonl").toString());
    org.apache.hadoop.fs.Path attackPredictions = new org.apache.hadoop.fs.Path(temp.resolve("attacks/predictions.jsonl").toString());
    SweBenchTasks.write(attackTasks, new Configuration(), tasks);
    SweBenchPredictions.write(attackPredictions, new Configuration(), predictions);
    EvaluateSettings settings =
        new EvaluateSettings("attacks", temp.resolve("attacks/out").toString(), 2, true, SandboxChoice.docker(), Duration.ofMinutes(5), 3, true, true,
            ImageLimits.DEFAULT, null);

    EvaluationSummary summary =
        new EvaluationRun(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .run(spark, attackTasks, attackPredictions, HadoopFiles.local(temp.resolve("attacks/repos")));

    JsonNode official = MAPPER.readTree(summary.official().toJson());
    assertThat(official.get("resolved_instances").asInt()).isZero();
    JsonNode outcomes = summary.outcomesJson();
    assertThat(ids(outcomes, "unresolved_ids").size() + ids(outcomes, "patch_failed_ids").size()).isEqualTo(attacks.size());
    assertThat(ids(outcomes, "error_ids")).as("no attack passes for an infrastructure failure").isEmpty();
  }
}
