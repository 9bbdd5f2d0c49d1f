package dev.crucible.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's way: tasks generated from the bundled repositories, then the sample run. */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class PipelineGeneratesTasksTest {
  @TempDir Path temp;

  @Test
  void generatesTasksFromEachRepositoryAndRunsOnThem() throws Exception {
    PipelineConfig config =
        new PipelineConfig(
            "gen", temp.resolve("runs").toString(), false, null,
            new PipelineConfig.Generate(List.of("../examples/repos/textkit", "../examples/repos/datakit"), 3, 3L, List.of(HintLevel.FILE), 1),
            SandboxChoice.docker(), "local[2]", Map.of(), new PipelineConfig.Rollout("scripted", "single", "fast", 1, 2, 0L, java.time.Duration.ofMinutes(30)),
            new PipelineConfig.SampleRun(1, 1, 4, 10, 1L), Map.of(), null, 0, null);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    String summary = new Pipeline(config, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

    Path tasks = temp.resolve("runs/gen/tasks");
    List<TaskInstance> stored = SweBenchTasks.read(new org.apache.hadoop.fs.Path(tasks.resolve("tasks.parquet").toString()), new Configuration());
    assertThat(stored).extracting(TaskInstance::repo).containsExactly("local/textkit", "local/textkit", "local/datakit", "local/datakit");
    List<TaskInstance> heldOut = SweBenchTasks.read(new org.apache.hadoop.fs.Path(tasks.resolve("held-out.parquet").toString()), new Configuration());
    assertThat(heldOut).extracting(TaskInstance::repo).containsExactly("local/textkit", "local/datakit");
    assertThat(heldOut).extracting(TaskInstance::instanceId).doesNotContainAnyElementsOf(stored.stream().map(TaskInstance::instanceId).toList());
    assertThat(stored).allSatisfy(task -> {
      assertThat(task.hintLevel()).isEqualTo(HintLevel.FILE);
      assertThat(task.problemStatement()).contains("Hint: the bug is in ");
    });
    assertThat(Files.isDirectory(tasks.resolve("repos/local__textkit/.git"))).isTrue();
    assertThat(new ObjectMapper().readTree(Files.readAllLines(tasks.resolve("datakit.jsonl")).get(0)).get("mutation_kind").asText())
        .isNotBlank();
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("tasks: 3 tasks generated from ../examples/repos/textkit (hint file), 1 held out",
            "tasks: 3 tasks generated from ../examples/repos/datakit (hint file), 1 held out");
    assertThat(summary).contains("trajectories: 4 episodes", "policy versions: scripted (4)");
    assertThat(summary.lines().filter(line -> line.startsWith("0 ")).findFirst().orElseThrow()).startsWith("0                4        4");
  }
}
