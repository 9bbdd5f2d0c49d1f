package dev.crucible.rollout.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link Sandbox} must do; each backend's test extends this. */
public abstract class SandboxContractTest {
  protected static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir protected Path temp;
  protected String baseCommit;
  protected Sandbox sandbox;

  /** A new sandbox of the backend under test. */
  protected abstract Sandbox create(SandboxSpec spec);

  protected SandboxSpec.Builder spec() {
    return SandboxSpec.builder().repository(temp.resolve("repo")).baseCommit(baseCommit).runId("test").taskId("contract");
  }

  @BeforeEach
  void createSandbox() throws Exception {
    baseCommit = GitRepositories.pythonProject(temp.resolve("repo"));
    sandbox = create(spec().build());
  }

  @AfterEach
  void closeSandbox() {
    sandbox.close();
  }

  @Test
  void returnsExitCodeAndBothStreams() {
    ExecResult result = sandbox.exec("echo out; echo err >&2; exit 3", TIMEOUT);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.timedOut()).isFalse();
    assertThat(result.succeeded()).isFalse();
  }

  @Test
  void startsAtTheBaseCommitWithoutLaterHistory() {
    ExecResult listing = sandbox.exec("ls; git log --oneline | wc -l; git status --porcelain", TIMEOUT);
    assertThat(listing.stdout()).isEqualTo("calc\ntests\n1\n");
    assertThat(sandbox.exec("pwd", TIMEOUT).stdout().strip()).isEqualTo(sandbox.workdir());
  }

  @Test
  void timesOutAndKillsTheCommandsProcessGroup() {
    // An unusual duration: the process backend sees every process of the host, and a plain "sleep 300"
    // someone else runs there would count as a survivor.
    ExecResult result = sandbox.exec("sleep 3017 & sleep 3017", Duration.ofSeconds(1));
    assertThat(result.timedOut()).isTrue();
    assertThat(result.durationMillis()).isBetween(900L, 8_000L);
    ExecResult survivors =
        sandbox.exec("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -c '^sleep 301[7]'", TIMEOUT);
    assertThat(survivors.stdout().strip()).isEqualTo("0");
  }

  @Test
  void keepsHeadAndTailOfLongOutput() {
    Sandbox small = create(spec().outputLimitBytes(64 * 1024).build());
    try {
      ExecResult result = small.exec("echo START; head -c 5000000 /dev/zero | tr '\\0' a; echo; echo END", TIMEOUT);
      assertThat(result.stdoutBytes()).isEqualTo(5_000_000L + "START\n".length() + 1 + "END\n".length());
      assertThat(result.stdout()).startsWith("START\naaa").endsWith("aaa\nEND\n").contains("bytes truncated ...]");
      assertThat(result.stdout().length()).isLessThan(64 * 1024 + 100);
    } finally {
      small.close();
    }
  }

  @Test
  void decodesBinaryOutputWithoutFailing() {
    ExecResult result = sandbox.exec("head -c 3000 /dev/urandom; printf 'x\\0y'", TIMEOUT);
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdoutBytes()).isEqualTo(3003);
    assertThat(result.stdout()).endsWith("x\u2400y");
  }

  @Test
  void writesAndReadsFiles() {
    sandbox.writeFile("pkg/deep/new.py", "print('hi')\n".getBytes(UTF_8));
    assertThat(sandbox.readFile("pkg/deep/new.py")).asString(UTF_8).isEqualTo("print('hi')\n");
    assertThat(sandbox.exec("cat pkg/deep/new.py", TIMEOUT).stdout()).isEqualTo("print('hi')\n");
    sandbox.writeFile("calc/__init__.py", "replaced\n".getBytes(UTF_8));
    assertThat(sandbox.readFile("calc/../calc/__init__.py")).asString(UTF_8).isEqualTo("replaced\n");
  }

  @Test
  void diffShowsEditsAndNewFilesAgainstTheBase() {
    sandbox.writeFile("calc/__init__.py", "def add(a, b):\n    return a - b\n".getBytes(UTF_8));
    sandbox.exec("echo 'x = 1' > added.py", TIMEOUT);
    String diff = sandbox.diff();
    assertThat(diff)
        .contains("--- a/calc/__init__.py\n+++ b/calc/__init__.py\n")
        .contains("-    return a + b\n+    return a - b\n")
        .contains("new file mode 100644")
        .contains("+++ b/added.py\n@@ -0,0 +1 @@\n+x = 1\n");
  }

  @Test
  void diffIsEmptyWithoutChanges() {
    assertThat(sandbox.diff()).isEmpty();
  }

  @Test
  void refusesPathsThatLeaveTheWorkdir() {
    sandbox.exec("ln -s /etc escape", TIMEOUT);
    for (String path : new String[] {"../etc/passwd", "/etc/passwd", "calc/../../etc/passwd", "escape/passwd"}) {
      assertThatThrownBy(() -> sandbox.readFile(path))
          .as(path)
          .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.kind()).isEqualTo(SandboxException.Kind.BAD_REQUEST));
    }
    assertThatThrownBy(() -> sandbox.writeFile("escape/evil", new byte[] {1}))
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("resolves outside the repository");
    assertThatThrownBy(() -> sandbox.readFile("missing.py")).hasMessageContaining("does not exist");
  }

  @Test
  void refusesAMissingBaseCommit() {
    assertThatThrownBy(() -> create(spec().baseCommit("0000000000000000000000000000000000000000").build()))
        .isInstanceOfSatisfying(
            SandboxException.class, e -> assertThat(e.kind()).isEqualTo(SandboxException.Kind.REPOSITORY_SETUP))
        .hasMessageContaining("is not a commit of the git repository");
  }

  @Test
  void startsEmptyWithoutARepository() {
    Sandbox empty = create(SandboxSpec.builder().build());
    try {
      assertThat(empty.exec("ls -A | grep -v '^.git$' | wc -l", TIMEOUT).stdout().strip()).isEqualTo("0");
      assertThat(empty.diff()).isEmpty();
    } finally {
      empty.close();
    }
  }

  @Test
  void closeIsIdempotentAndLaterUseFails() {
    sandbox.close();
    sandbox.close();
    assertThatThrownBy(() -> sandbox.exec("true", TIMEOUT))
        .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.retryable()).isTrue());
  }
}
