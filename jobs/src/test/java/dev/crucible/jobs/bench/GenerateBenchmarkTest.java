package dev.crucible.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.jobs.CrucibleCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code crucible bench generate} as a user runs it, small: the figures are there and both runs sampled the same tokens. */
class GenerateBenchmarkTest {
  @Test
  void printsBothRatesTheirRatioAndThatBatchingChangedNoToken() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine command = CrucibleCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute("bench", "generate", "--concurrency", "4", "--prompt-tokens", "40", "--shared-prefix-tokens", "30",
        "--new-tokens", "24");

    assertThat(exit).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("benchmark").asText()).isEqualTo("generate");
    assertThat(json.get("concurrency").asInt()).isEqualTo(4);
    assertThat(json.get("identical").asBoolean()).isTrue();
    assertThat(json.get("generated_tokens").asLong()).isBetween(4L, 4L * 24);
    assertThat(json.get("mean_batch").asDouble()).isGreaterThan(1.0).isLessThanOrEqualTo(4.0);
    // One at a time, the 2nd, 3rd and 4th prompts copy the 30 shared tokens: 90 of 160.
    assertThat(json.get("sequential_prompt_reuse").asDouble()).isCloseTo(90.0 / 160, org.assertj.core.data.Offset.offset(1e-3)); // Printed to 3 places.
    assertThat(json.get("speedup").asDouble()).isCloseTo(
        json.get("concurrent_tokens_per_second").asDouble() / json.get("sequential_tokens_per_second").asDouble(),
        org.assertj.core.data.Percentage.withPercentage(2));
  }
}
