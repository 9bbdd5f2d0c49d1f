package dev.crucible.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Who chose an episode's mode. */
public enum ModeChooser {
  /** The run's config (or command line) named the mode. */
  CONFIG,
  /** The meta-controller sampled it from its distribution over modes for the task. */
  META_CONTROLLER;

  /** The lower-case name stored in tables, for example {@code meta_controller}. */
  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the known choosers when {@code name} is none of them */
  public static ModeChooser fromTableName(String name) {
    for (ModeChooser chooser : values()) {
      if (chooser.tableName().equals(name)) {
        return chooser;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode chooser '" + name + "'; known: " + Arrays.stream(values()).map(ModeChooser::tableName).collect(Collectors.joining(", ")));
  }
}
