package dev.crucible.jobs.bench;

import java.util.Locale;

/**
 * Throughput of our job against bare work on the same items, as one JSON line:
 * {@code {"benchmark":NAME,COUNT_KEY:N,"max_workers":C,"warm_pool":W,RATE_KEY:…,"bare_"RATE_KEY:…,"overhead":…}},
 * where the rates are items per minute and {@code overhead} is our wall time over the bare work's,
 * minus one.
 */
record Throughput(
    String benchmark, String countKey, String rateKey, int count, int maxWorkers, int warmPool, double oursSeconds, double bareSeconds) {

  String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"benchmark\":\"%s\",\"%s\":%d,\"max_workers\":%d,\"warm_pool\":%d,\"%s\":%.1f,\"bare_%s\":%.1f,\"overhead\":%.3f}",
        benchmark, countKey, count, maxWorkers, warmPool, rateKey, count / (oursSeconds / 60), rateKey, count / (bareSeconds / 60),
        oursSeconds / bareSeconds - 1);
  }
}
