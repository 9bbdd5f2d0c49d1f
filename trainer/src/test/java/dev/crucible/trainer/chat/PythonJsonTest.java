package dev.crucible.trainer.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Expected texts are what Python 3.11 prints for {@code json.dumps(value, ensure_ascii=False)}. */
class PythonJsonTest {
  @Test
  void floatsPrintAsPythonsRepr() {
    assertThat(PythonJson.pythonFloat(1e7)).isEqualTo("10000000.0");
    assertThat(PythonJson.pythonFloat(0.0005)).isEqualTo("0.0005");
    assertThat(PythonJson.pythonFloat(1e-5)).isEqualTo("1e-05");
    assertThat(PythonJson.pythonFloat(1.5e16)).isEqualTo("1.5e+16");
    assertThat(PythonJson.pythonFloat(1e16)).isEqualTo("1e+16");
    assertThat(PythonJson.pythonFloat(9999999999999998.0)).isEqualTo("9999999999999998.0");
    assertThat(PythonJson.pythonFloat(-2.5)).isEqualTo("-2.5");
    assertThat(PythonJson.pythonFloat(-0.0)).isEqualTo("-0.0");
    assertThat(PythonJson.pythonFloat(0.1)).isEqualTo("0.1");
    assertThat(PythonJson.pythonFloat(123.456)).isEqualTo("123.456");
    assertThat(PythonJson.pythonFloat(2.5e-300)).isEqualTo("2.5e-300");
  }

  @Test
  void objectsAndArraysSpaceTheirSeparatorsAndKeepKeyOrder() throws Exception {
    String json = "{\"b\":1,\"a\":[1.0,1e7,\"naïve\\t\\\"q\\\"\",null,true],\"c\":{}}";
    assertThat(PythonJson.dumps(new ObjectMapper().readTree(json)))
        .isEqualTo("{\"b\": 1, \"a\": [1.0, 10000000.0, \"naïve\\t\\\"q\\\"\", null, true], \"c\": {}}");
  }
}
