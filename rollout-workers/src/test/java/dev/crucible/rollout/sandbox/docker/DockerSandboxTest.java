package dev.crucible.rollout.sandbox.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxContractTest;
import dev.crucible.rollout.sandbox.SandboxSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("docker")
@ExtendWith(DockerTestSupport.class)
class DockerSandboxTest extends SandboxContractTest {
  @Override
  protected Sandbox create(SandboxSpec spec) {
    return DockerSandbox.create(DockerTestSupport.client(), spec);
  }

  @Test
  void aPatchOfFilesThatAreNotUtf8AppliesByteForByte() {
    sandbox.exec("printf 'caf\\351 cr\\350me\\n' > latin1.txt; printf '\\000\\001\\377' > blob.bin; echo 'text stays text' > plain.txt", TIMEOUT);
    String patch = sandbox.diff();
    assertThat(patch).contains("GIT binary patch").contains("+text stays text\n");
    assertThat(patch.getBytes(UTF_8)).as("the patch is plain text").doesNotContain((byte) 0xe9);

    Sandbox fresh = create(spec().gitRepository(false).build());
    try {
      String file = fresh.writeScratchFile("patch.diff", patch.getBytes(UTF_8));
      ExecResult applied = fresh.exec("git apply " + file, TIMEOUT);
      assertThat(applied.exitCode()).as(applied.stderr()).isZero();
      assertThat(fresh.readFile("latin1.txt")).isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', 'c', 'r', (byte) 0xe8, 'm', 'e', '\n'});
      assertThat(fresh.readFile("blob.bin")).isEqualTo(new byte[] {0, 1, (byte) 0xff});
      assertThat(fresh.readFile("plain.txt")).asString(UTF_8).isEqualTo("text stays text\n");
    } finally {
      fresh.close();
    }
  }
}
