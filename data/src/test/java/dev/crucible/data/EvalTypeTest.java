package dev.crucible.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EvalTypeTest {
  @Test
  void isReadFromTheRowsValueWithPassAndFailForNone() {
    assertThat(EvalType.ofRowValue(null)).isEqualTo(EvalType.PASS_AND_FAIL);
    assertThat(EvalType.ofRowValue("")).isEqualTo(EvalType.PASS_AND_FAIL);
    assertThat(EvalType.ofRowValue("pass_and_fail")).isEqualTo(EvalType.PASS_AND_FAIL);
    assertThat(EvalType.ofRowValue("fail_only")).isEqualTo(EvalType.FAIL_ONLY);
    assertThat(EvalType.FAIL_ONLY.rowValue()).isEqualTo("fail_only");
    assertThatThrownBy(() -> EvalType.ofRowValue("FAIL_ONLY")).hasMessage("unknown eval_type 'FAIL_ONLY'; known: pass_and_fail, fail_only");
  }
}
