package dev.crucible.trainer.io;

/**
 * IEEE 754 half precision and bfloat16 to and from float, for F16 and BF16 checkpoints (Java 17 has no
 * {@code Float.float16ToFloat}).
 */
final class HalfFloats {
  private HalfFloats() {}

  /** The bfloat16 nearest {@code value} (ties to even), as a NaN stays a NaN: its upper 16 bits rounded. */
  static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40); // A quiet NaN, whatever the payload.
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  static float fromBfloat16(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * The half-precision number nearest {@code value} (ties to even): beyond 65504 rounds to infinity,
   * below the smallest subnormal to zero, NaN stays NaN.
   */
  static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign; // Less than half the smallest subnormal.
      }
      int shift = 14 - halfExponent; // The implicit bit joins the mantissa, which shifts right past it.
      int full = mantissa | 0x800000;
      int half = full >>> shift;
      int rest = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (halfExponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // A carry into the exponent is the right rounding, up to infinity.
    }
    return (short) (sign | half);
  }

  static float toFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // infinity or NaN
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float subnormal = mantissa / 1024f / 16384f; // mantissa * 2^-24
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
