package dev.crucible.rollout.agent;

import dev.crucible.data.TaskInstance;

/** Makes the policy of each episode; every policy it makes acts as {@link #version()}. */
public interface PolicyFactory {

  /** The policy version stored with every trajectory, for example {@code scripted}. */
  String version();

  /** A fresh policy for one episode (one attempt of it). */
  Policy create(TaskInstance task, int sampleIndex);

  /**
   * The factory a policy name denotes: {@code scripted} for now.
   *
   * @param seed varies what seeded policies do
   * @throws IllegalArgumentException naming the known policies
   */
  static PolicyFactory named(String name, long seed) {
    if (name.equals(ScriptedPolicy.VERSION)) {
      return new PolicyFactory() {
        @Override
        public String version() {
          return ScriptedPolicy.VERSION;
        }

        @Override
        public Policy create(TaskInstance task, int sampleIndex) {
          return new ScriptedPolicy(task, seed * 31 + task.instanceId().hashCode() * 17L + sampleIndex);
        }
      };
    }
    throw new IllegalArgumentException("unknown policy '" + name + "'; known: scripted");
  }
}
