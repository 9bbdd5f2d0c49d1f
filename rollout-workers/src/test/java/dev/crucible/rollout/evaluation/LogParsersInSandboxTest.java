package dev.crucible.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.reward.parsers.JUnitXmlLogParser;
import dev.crucible.reward.parsers.ParserExpectations;
import dev.crucible.reward.parsers.PytestLogParser;
import dev.crucible.reward.parsers.UnittestLogParser;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.docker.DockerSandbox;
import dev.crucible.rollout.sandbox.docker.DockerTestSupport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The parsers against fresh runs of the parser fixture in the sandbox image, each runner as tasks use it. */
@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class LogParsersInSandboxTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  @TempDir static Path temp;
  private static DockerSandbox sandbox;

  @BeforeAll
  static void start() throws Exception {
    Path repository = temp.resolve("fixture");
    for (String file : List.of("tests/__init__.py", "tests/test_mixed.py", "tests/test_params.py")) {
      Files.createDirectories(repository.resolve(file).getParent());
      try (InputStream in = LogParsersInSandboxTest.class.getResourceAsStream("/parser-fixture/" + file)) {
        Files.write(repository.resolve(file), in.readAllBytes());
      }
    }
    Git.run(repository, "init", "-q");
    Git.run(repository, "add", "-A");
    Git.run(repository, "commit", "-q", "-m", "fixture");
    sandbox = DockerSandbox.create(DockerTestSupport.client(), SandboxSpec.builder().repository(repository).taskId("parsers").build());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void pytestWithRa() {
    ExecResult run = sandbox.exec("python3 -m pytest -rA -p no:cacheprovider tests", TIMEOUT);
    assertThat(new PytestLogParser().parse(run.stdout())).isEqualTo(ParserExpectations.PYTEST);
  }

  @Test
  void unittestVerbose() {
    ExecResult run = sandbox.exec("python3 -m unittest -v tests.test_mixed 2>&1", TIMEOUT);
    assertThat(new UnittestLogParser().parse(run.stdout())).isEqualTo(ParserExpectations.UNITTEST);
  }

  @Test
  void junitXmlReports() {
    ExecResult run =
        sandbox.exec("python3 -m pytest -q -p no:cacheprovider --junitxml=/tmp/r.xml tests > /dev/null; cat /tmp/r.xml", TIMEOUT);
    assertThat(new JUnitXmlLogParser().parse(run.stdout())).isEqualTo(ParserExpectations.JUNIT_XML);
  }
}
