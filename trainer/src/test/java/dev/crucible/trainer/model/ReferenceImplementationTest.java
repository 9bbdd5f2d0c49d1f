package dev.crucible.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL model against an independent NumPy forward pass (test resource {@code qwen2_reference.py},
 * written from Hugging Face's modeling_qwen2) on the same checkpoint file: same names, same layout, same
 * logits. Weights are scaled up from the usual 0.02 so that a wrong head mapping or rotation shows.
 */
class ReferenceImplementationTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void logitsMatchTheNumpyReference(boolean tied) throws Exception {
    assertMatchesReference(new Qwen2Config(97, 48, 80, 2, 6, 2, 64, 1e-6, 10000.0, tied, 0, 0));
  }

  /**
   * Rope scaling in both: linear; dynamic past a context of 4 positions (the call has 8); YaRN, whose
   * frequencies and factor on cos and sin apply at every length.
   */
  @ParameterizedTest
  @ValueSource(strings = {"linear", "dynamic", "yarn"})
  void scaledRotaryEmbeddingsMatchTheNumpyReference(String type) throws Exception {
    RopeScaling scaling = switch (type) {
      case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, 3.0, null, null, 32, 1, null, null, true);
      case "dynamic" -> new RopeScaling(RopeScaling.Type.DYNAMIC, 2.0, null, null, 32, 1, null, null, true);
      default -> new RopeScaling(RopeScaling.Type.YARN, 4.0, 16, null, 32, 1, null, null, true);
    };
    int context = type.equals("dynamic") ? 4 : 64;
    assertMatchesReference(new Qwen2Config(97, 48, 80, 2, 6, 2, context, 1e-6, 10000.0, false, 0, 0, scaling));
  }

  private void assertMatchesReference(Qwen2Config config) throws Exception {
    long[] ids = {5, 90, 13, 2, 77, 31, 0, 64};
    float[] ours;
    try (NDManager manager = NDManager.newBaseManager(); Qwen2Model model = Qwen2Model.random(config, 21, manager)) {
      model.parameters().forEach((name, array) -> {
        if (!name.endsWith("norm.weight")) {
          array.addi(array.getManager().randomNormal(0, 0.15f, array.getShape(), array.getDataType()));
        }
      });
      model.save(temp, Long.MAX_VALUE);
      long[] positions = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        positions[i] = i;
      }
      NDArray logits = model.forward(manager.create(ids, new Shape(1, ids.length)), manager.create(positions, new Shape(1, ids.length)),
          AttentionBias.causal(manager, 0, ids.length), null);
      ours = logits.toFloatArray();
    }
    Path script = temp.resolve("qwen2_reference.py");
    try (InputStream in = getClass().getResourceAsStream("/qwen2_reference.py")) {
      Files.copy(in, script);
    }
    StringBuilder joined = new StringBuilder();
    for (long id : ids) {
      joined.append(joined.length() == 0 ? "" : ",").append(id);
    }
    Process process = new ProcessBuilder("python3", script.toString(), temp.toString(), joined.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    JsonNode reference = new ObjectMapper().readTree(output);
    double largest = 0;
    double worst = 0;
    for (int t = 0; t < ids.length; t++) {
      for (int v = 0; v < config.vocabSize(); v++) {
        double expected = reference.get(t).get(v).asDouble();
        largest = Math.max(largest, Math.abs(expected));
        worst = Math.max(worst, Math.abs(expected - ours[t * config.vocabSize() + v]));
      }
    }
    assertThat(largest).as("the logits are large enough to tell implementations apart").isGreaterThan(0.5);
    assertThat(worst).isLessThan(1e-3);
  }
}
