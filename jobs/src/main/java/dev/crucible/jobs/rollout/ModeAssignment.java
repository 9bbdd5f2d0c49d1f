package dev.crucible.jobs.rollout;

import dev.crucible.data.ModeChooser;
import dev.crucible.data.TaskInstance;

/** Which mode each episode of a rollout runs in, and who chose it; asked once per episode, on the driver. */
@FunctionalInterface
public interface ModeAssignment {
  /** A mode, by name, and its chooser. */
  record Choice(String mode, ModeChooser chooser) {}

  Choice choose(TaskInstance task, int sampleIndex);

  /** Every episode in the mode the config names. */
  static ModeAssignment fixed(String mode) {
    Choice choice = new Choice(mode, ModeChooser.CONFIG);
    return (task, sample) -> choice;
  }
}
