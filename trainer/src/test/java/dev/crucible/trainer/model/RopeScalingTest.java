package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.crucible.data.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotary frequencies of each scaling type against values worked by hand from the published formulas
 * (RoPE, position interpolation, dynamic NTK, YaRN) for heads of 4 and 8 dimensions and base 10,000,
 * whose unscaled inverse frequencies are 1, 0.1, 0.01, 0.001 (8 dimensions) or 1, 0.01 (4).
 */
class RopeScalingTest {
  private static final double TOLERANCE = 1e-12;
  @TempDir Path temp;

  private static RopeScaling scaling(RopeScaling.Type type, Double factor, Integer original) {
    return new RopeScaling(type, factor, original, null, 32, 1, null, null, true);
  }

  @Test
  void unscaledAndLinearFrequencies() {
    assertThat(RopeScaling.unscaled(4, 10000).inverseFrequencies()).containsExactly(new double[] {1, 0.01}, within(TOLERANCE));
    RopeScaling.Rotary linear = scaling(RopeScaling.Type.LINEAR, 4.0, null).rotary(4, 10000, 32, 1000);
    assertThat(linear.inverseFrequencies()).containsExactly(new double[] {0.25, 0.0025}, within(TOLERANCE));
    assertThat(linear.attentionFactor()).isEqualTo(1.0);
  }

  @Test
  void dynamicNtkGrowsTheBaseOnlyPastTheTrainedContext() {
    RopeScaling dynamic = scaling(RopeScaling.Type.DYNAMIC, 2.0, null);
    // Within 32 positions: theta * (2 * 32 / 32 - 1)^(4 / 2) = theta.
    assertThat(dynamic.rotary(4, 10000, 32, 16).inverseFrequencies()).containsExactly(new double[] {1, 0.01}, within(TOLERANCE));
    // At 64: theta * (2 * 64 / 32 - 1)^2 = 90,000, whose square root is 300.
    assertThat(dynamic.rotary(4, 10000, 32, 64).inverseFrequencies()).containsExactly(new double[] {1, 1.0 / 300}, within(TOLERANCE));
  }

  @Test
  void yarnInterpolatesTheSlowPairsAndScalesCosAndSin() {
    // 4 dimensions, factor 4, 32 trained positions: the correction dimensions are
    // 4 ln(32 / (32 * 2 pi)) / (2 ln 10^4) = -0.399 (floor -1, then 0) and 4 ln(32 / 2 pi) / (2 ln 10^4) = 0.353
    // (ceil 1): pair 0 keeps its frequency, pair 1 is divided by 4.
    RopeScaling.Rotary yarn = scaling(RopeScaling.Type.YARN, 4.0, 32).rotary(4, 10000, 128, 10);
    assertThat(yarn.inverseFrequencies()).containsExactly(new double[] {1, 0.0025}, within(TOLERANCE));
    assertThat(yarn.attentionFactor()).isCloseTo(0.1 * Math.log(4) + 1, within(TOLERANCE)).isCloseTo(1.1386294361, within(1e-9));

    // 8 dimensions, 64 trained positions, no rounding: the ramp runs from 0 to 8 ln(64 / 2 pi) / (2 ln 10^4) = 1.0080001,
    // so pair 1 is 0.99206 interpolated: 0.1 * (0.99206 / 4 + 0.00794) = 0.0255952.
    RopeScaling untruncated = new RopeScaling(RopeScaling.Type.YARN, 4.0, 64, null, 32, 1, null, null, false);
    assertThat(untruncated.rotary(8, 10000, 256, 10).inverseFrequencies())
        .containsExactly(new double[] {1, 0.02559524589192421, 0.0025, 0.00025}, within(1e-12));
    // With truncate (the default) the ramp runs from 0 to 2: pair 1 is half interpolated, 0.1 * (0.5 / 4 + 0.5).
    assertThat(scaling(RopeScaling.Type.YARN, 4.0, 64).rotary(8, 10000, 256, 10).inverseFrequencies())
        .containsExactly(new double[] {1, 0.0625, 0.0025, 0.00025}, within(TOLERANCE));
  }

  @Test
  void yarnsAttentionFactorFollowsMscaleOrIsGivenAndItsFactorCanComeFromTheContexts() {
    RopeScaling mscale = new RopeScaling(RopeScaling.Type.YARN, 4.0, 32, null, 32, 1, 0.707, 1.0, true);
    assertThat(mscale.rotary(4, 10000, 128, 1).attentionFactor())
        .isCloseTo((0.1 * 0.707 * Math.log(4) + 1) / (0.1 * Math.log(4) + 1), within(TOLERANCE));
    RopeScaling given = new RopeScaling(RopeScaling.Type.YARN, 4.0, 32, 1.0, 32, 1, 0.707, 1.0, true);
    assertThat(given.rotary(4, 10000, 128, 1).attentionFactor()).isEqualTo(1.0);
    // No factor: 128 positions over 32 trained ones, 4.
    RopeScaling ratio = scaling(RopeScaling.Type.YARN, null, 32);
    assertThat(ratio.rotary(4, 10000, 128, 1).inverseFrequencies()).containsExactly(new double[] {1, 0.0025}, within(TOLERANCE));
    assertThat(ratio.rotary(4, 10000, 128, 1).attentionFactor()).isCloseTo(0.1 * Math.log(4) + 1, within(TOLERANCE));
  }

  @Test
  void configJsonReadsEitherKeyWritesItBackAndRefusesAnUnknownTypeByName() throws Exception {
    Path dir = temp.resolve("yarn");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), """
        {"vocab_size": 100, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4,
         "num_key_value_heads": 2, "max_position_embeddings": 32768, "rope_theta": 1000000.0,
         "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}}""");
    Qwen2Config config = Qwen2Config.read(dir);
    assertThat(config.ropeScaling()).isEqualTo(new RopeScaling(RopeScaling.Type.YARN, 4.0, 32768, null, 32, 1, null, null, true));
    // Even a short prompt sees YaRN's temperature: 0.1 ln 4 + 1.
    assertThat(config.rotary(10).attentionFactor()).isCloseTo(1.1386294361, within(1e-9));
    config.write(temp.resolve("written"));
    assertThat(Qwen2Config.read(temp.resolve("written"))).isEqualTo(config);

    Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
        .replace("\"type\": \"yarn\"", "\"rope_type\": \"longrope\"").replace("\"factor\": 4.0", "\"factor\": \"4\""));
    assertThatThrownBy(() -> Qwen2Config.read(dir)).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
        .extracting(Object::toString).singleElement().asString()
        .contains("config.json", "rope_scaling.type", "'longrope'", "known: linear, dynamic, yarn"));

    Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("longrope", "linear"));
    assertThatThrownBy(() -> Qwen2Config.read(dir)).isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
        .extracting(Object::toString).singleElement().asString().contains("rope_scaling.factor", "must be a number"));

    Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"linear\"", "\"default\""));
    assertThat(Qwen2Config.read(dir).ropeScaling()).as("the default type scales nothing").isNull();
  }
}
