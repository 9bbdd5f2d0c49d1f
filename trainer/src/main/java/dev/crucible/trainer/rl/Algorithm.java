package dev.crucible.trainer.rl;

/** The RL algorithms {@code crucible train} runs, by their config names; each says where its advantages come from. */
public enum Algorithm {
  /** Group-relative advantages (GRPO, or Dr.GRPO without the standard deviation); no value head. */
  GRPO("grpo"),
  /** Leave-one-out baselines within each group; no value head. */
  RLOO("rloo"),
  /** A value head and GAE per token; the clipped surrogate and the clipped value loss. */
  PPO("ppo");

  private final String configName;

  Algorithm(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public boolean usesValueHead() {
    return this == PPO;
  }

  /**
   * The advantage of each member of a group, from the members' rewards (GRPO, RLOO); PPO's come per
   * token from {@link Gae}.
   */
  public double[] groupAdvantages(double[] rewards, boolean divideByStd) {
    return switch (this) {
      case GRPO -> GroupAdvantages.grpo(rewards, divideByStd);
      case RLOO -> GroupAdvantages.rloo(rewards);
      case PPO -> throw new UnsupportedOperationException("PPO's advantages come from GAE over each token, not from the group");
    };
  }

  /** The algorithm a config or command names, or an exception listing the names there are. */
  public static Algorithm named(String name) {
    for (Algorithm algorithm : values()) {
      if (algorithm.configName.equals(name)) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException("unknown algorithm '" + name + "'; use grpo, rloo or ppo");
  }
}
