package dev.crucible.data;

import java.util.Arrays;

/** The mean of some values and their population standard deviation. */
public record Spread(double mean, double std) {

  /** @return the spread of {@code values}, or {@code null} when there are none */
  public static Spread of(double[] values) {
    if (values.length == 0) {
      return null;
    }
    double mean = Arrays.stream(values).average().orElseThrow();
    return new Spread(mean, Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElseThrow()));
  }
}
