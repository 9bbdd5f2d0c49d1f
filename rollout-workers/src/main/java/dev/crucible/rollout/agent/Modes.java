package dev.crucible.rollout.agent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The modes a run may use, in a fixed order (the meta-controller's outputs follow it). {@link #DEFAULT}
 * holds the built-in fast, standard and deep modes.
 */
public record Modes(List<Mode> modes) implements Serializable {
  /** What {@code rollout.mode} names when the meta-controller chooses each episode's mode. */
  public static final String AUTO = "auto";
  public static final Modes DEFAULT = new Modes(List.of(Mode.FAST, Mode.STANDARD, Mode.DEEP));

  public Modes {
    modes = List.copyOf(modes);
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("at least one mode is needed");
    }
    List<String> seen = new ArrayList<>();
    for (Mode mode : modes) {
      if (seen.contains(mode.name())) {
        throw new IllegalArgumentException("mode '" + mode.name() + "' is defined twice");
      }
      if (mode.name().equals(AUTO)) {
        throw new IllegalArgumentException("'" + AUTO + "' names the meta-controller's choice, not a mode");
      }
      seen.add(mode.name());
    }
  }

  /** @throws IllegalArgumentException naming the modes for an unknown one */
  public Mode named(String name) {
    for (Mode mode : modes) {
      if (mode.name().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + name + "'; known: " + String.join(", ", names()));
  }

  /** The modes' names, in order. */
  public List<String> names() {
    return modes.stream().map(Mode::name).collect(Collectors.toUnmodifiableList());
  }

  public int size() {
    return modes.size();
  }

  /** The position of {@code name} in {@link #names()}. */
  public int indexOf(String name) {
    return modes.indexOf(named(name));
  }
}
