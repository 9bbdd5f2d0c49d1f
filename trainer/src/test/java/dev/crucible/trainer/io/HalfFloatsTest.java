package dev.crucible.trainer.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  @Test
  void everyHalfAndEveryBfloat16SurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short half = (short) bits;
      float value = HalfFloats.toFloat(half);
      if (!Float.isNaN(value)) {
        assertThat(HalfFloats.toHalf(value)).as("half %04x", bits).isEqualTo(half);
      }
      float wide = HalfFloats.fromBfloat16(half);
      if (!Float.isNaN(wide)) {
        assertThat(HalfFloats.toBfloat16(wide)).as("bfloat16 %04x", bits).isEqualTo(half);
      }
    }
  }

  @Test
  void narrowingRoundsToNearestWithTiesToEven() {
    assertThat(HalfFloats.toHalf(1f)).isEqualTo((short) 0x3c00);
    assertThat(HalfFloats.toHalf(65504f)).isEqualTo((short) 0x7bff);
    assertThat(HalfFloats.toHalf(65519f)).as("below the midpoint to infinity").isEqualTo((short) 0x7bff);
    assertThat(HalfFloats.toHalf(65520f)).as("the midpoint rounds to the even infinity").isEqualTo((short) 0x7c00);
    assertThat(HalfFloats.toHalf((float) Math.pow(2, -24))).isEqualTo((short) 0x0001);
    assertThat(HalfFloats.toHalf((float) Math.pow(2, -25))).as("half the smallest subnormal, a tie, to even zero").isEqualTo((short) 0);
    assertThat(HalfFloats.toHalf((float) (3 * Math.pow(2, -25)))).as("1.5 ulp to even 2").isEqualTo((short) 0x0002);
    assertThat(HalfFloats.toHalf(-2.25f)).isEqualTo((short) 0xc080);
    assertThat(HalfFloats.toHalf(1 + 0x1p-11f)).as("a tie between 0x3c00 and 0x3c01, to even").isEqualTo((short) 0x3c00);
    assertThat(HalfFloats.toHalf(1 + 3 * 0x1p-11f)).as("a tie between 0x3c01 and 0x3c02, to even").isEqualTo((short) 0x3c02);
    assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.toHalf(Float.NaN)))).isTrue();

    assertThat(HalfFloats.toBfloat16(1f)).isEqualTo((short) 0x3f80);
    assertThat(HalfFloats.toBfloat16(1 + 0x1p-8f)).as("a tie between 0x3f80 and 0x3f81, to even").isEqualTo((short) 0x3f80);
    assertThat(HalfFloats.toBfloat16(1 + 3 * 0x1p-8f)).as("a tie between 0x3f81 and 0x3f82, to even").isEqualTo((short) 0x3f82);
    assertThat(HalfFloats.toBfloat16(1 + 0x1p-8f + 0x1p-20f)).as("past the tie, up").isEqualTo((short) 0x3f81);
    assertThat(Float.isNaN(HalfFloats.fromBfloat16(HalfFloats.toBfloat16(Float.NaN)))).isTrue();
  }
}
