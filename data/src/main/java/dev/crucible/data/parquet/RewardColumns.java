package dev.crucible.data.parquet;

import static dev.crucible.data.parquet.AvroFields.optional;
import static dev.crucible.data.parquet.AvroFields.required;

import dev.crucible.data.RewardBreakdown;
import org.apache.avro.generic.GenericRecord;

/**
 * The reward breakdown as top-level columns ({@code reward}, {@code resolved}, …), shared by every
 * table that carries one; all null when there is no breakdown.
 */
final class RewardColumns {
  private RewardColumns() {}

  static void encode(RewardBreakdown reward, GenericRecord record) {
    if (reward == null) {
      return;
    }
    record.put("reward", reward.total());
    record.put("resolved", reward.resolved());
    record.put("fail_to_pass_fraction", reward.failToPassFraction());
    record.put("pass_to_pass_fraction", reward.passToPassFraction());
    record.put("changed_line_coverage", reward.changedLineCoverage());
    record.put("lint_issues_introduced", reward.lintIssuesIntroduced());
    record.put("tokens", reward.tokens());
    record.put("steps", reward.steps());
    record.put("progress_reward", reward.progressReward());
    record.put("milestone_reward", reward.milestoneReward());
  }

  /** A column written since a later version, or {@code absent} in rows written before it. */
  private static double optionalOr(GenericRecord r, String field, double absent) {
    Double value = optional(r, field, Double.class);
    return value == null ? absent : value;
  }

  /** Null when the row has no reward: the columns are written all together or not at all. */
  static RewardBreakdown decode(GenericRecord r) {
    Double total = optional(r, "reward", Double.class);
    if (total == null) {
      return null;
    }
    return new RewardBreakdown(
        required(r, "resolved", Boolean.class),
        required(r, "fail_to_pass_fraction", Double.class),
        required(r, "pass_to_pass_fraction", Double.class),
        optional(r, "changed_line_coverage", Double.class),
        required(r, "lint_issues_introduced", Integer.class),
        required(r, "tokens", Long.class),
        required(r, "steps", Integer.class),
        required(r, "progress_reward", Double.class),
        optionalOr(r, "milestone_reward", 0.0),
        total);
  }
}
