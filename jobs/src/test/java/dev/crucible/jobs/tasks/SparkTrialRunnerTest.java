package dev.crucible.jobs.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.data.HintLevel;
import dev.crucible.jobs.spark.SparkSessions;
import dev.crucible.rollout.sandbox.SandboxChoice;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import dev.crucible.rollout.tasks.GeneratedTask;
import dev.crucible.rollout.tasks.LocalTrialRunner;
import dev.crucible.rollout.tasks.TaskGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Trials spread over Spark executors give the same tasks as local sandboxes, for the same seed. */
@Tag("spark")
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class SparkTrialRunnerTest {
  @TempDir Path temp;

  @Test
  void generatesTheSameTasksAsLocalTrials() {
    SandboxFactory docker = spec -> DockerSandbox.create(DockerTestSupport.client(), spec);
    TaskGenerator.Options options = new TaskGenerator.Options(6, 5, SandboxSpec.DEFAULT_IMAGE, Duration.ofSeconds(60), HintLevel.NONE);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Path textkit = Path.of("../examples/repos/textkit");

    List<String> local;
    try (LocalTrialRunner trials = new LocalTrialRunner(docker, 2)) {
      local = patches(new TaskGenerator(docker, trials, options, quiet).generate(textkit, temp.resolve("local")));
    }
    SparkSession spark = SparkSessions.create("spark-trial-runner-test", "local[2]", Map.of());
    List<String> distributed;
    try {
      SparkTrialRunner trials = new SparkTrialRunner(JavaSparkContext.fromSparkContext(spark.sparkContext()), SandboxChoice.docker());
      distributed = patches(new TaskGenerator(docker, trials, options, quiet).generate(textkit, temp.resolve("spark")));
    } finally {
      spark.stop();
    }
    assertThat(local).hasSize(6);
    assertThat(distributed).isEqualTo(local);
  }

  private static List<String> patches(List<GeneratedTask> tasks) {
    return tasks.stream().map(task -> task.task().patch()).toList();
  }
}
