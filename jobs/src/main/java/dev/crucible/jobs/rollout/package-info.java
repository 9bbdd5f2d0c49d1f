/**
 * {@code crucible rollout}: tasks × samples episodes as one Spark job. Each partition runs its episodes
 * (at most {@code --max-workers} at once per executor) and writes them to a part file named after the
 * partition, so a retried or speculative task replaces its earlier attempt's file: every (task,
 * sample) ends up with exactly one row.
 */
package dev.crucible.jobs.rollout;
