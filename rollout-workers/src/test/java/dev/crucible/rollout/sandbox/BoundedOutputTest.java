package dev.crucible.rollout.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  @Test
  void keepsEverythingUnderTheLimit() {
    BoundedOutput output = new BoundedOutput(10);
    output.write("hello".getBytes(UTF_8));
    output.write("!".getBytes(UTF_8));
    assertThat(output.text()).isEqualTo("hello!");
    assertThat(output.truncated()).isFalse();
  }

  @Test
  void keepsHeadAndTailAcrossWrites() {
    BoundedOutput output = new BoundedOutput(8);
    for (char c = 'a'; c <= 'z'; c++) {
      output.write(new byte[] {(byte) c});
    }
    assertThat(output.totalBytes()).isEqualTo(26);
    assertThat(output.truncated()).isTrue();
    assertThat(output.text()).isEqualTo("abcd\n[... 18 bytes truncated ...]\nwxyz");
  }

  @Test
  void keepsTheTailOfOneLargeWrite() {
    BoundedOutput output = new BoundedOutput(8);
    output.write("0123456789ABCDEFGHIJ".getBytes(UTF_8));
    output.write("KL".getBytes(UTF_8));
    assertThat(output.text()).isEqualTo("0123\n[... 14 bytes truncated ...]\nIJKL");
  }

  @Test
  void replacesInvalidUtf8AndNul() {
    BoundedOutput output = new BoundedOutput(100);
    output.write(new byte[] {'a', (byte) 0xff, 0, 'b'});
    assertThat(output.text()).isEqualTo("a\uFFFD\u2400b");
  }
}
