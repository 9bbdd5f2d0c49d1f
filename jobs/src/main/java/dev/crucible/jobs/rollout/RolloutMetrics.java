package dev.crucible.jobs.rollout;

import dev.crucible.data.Trajectory;
import dev.crucible.data.Turn;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The metrics of a rollout, taken from its trajectories, so they are the same however many executors
 * produced them: episodes by outcome, episode duration, sandbox start time, tool calls by tool and
 * status (whose ratio is the tool-call success rate), tokens and reward. Each episode counts once.
 */
public final class RolloutMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Set<String> counted = new HashSet<>();
  private long resolved;
  private long infraErrors;

  /** Adds an episode; one already added is ignored. */
  public synchronized void record(Trajectory trajectory) {
    if (!counted.add(trajectory.episodeId())) {
      return;
    }
    registry.counter("crucible.episodes", "outcome", trajectory.outcome().tableName()).increment();
    registry.timer("crucible.episode.duration").record(Duration.ofMillis(trajectory.durationMillis()));
    if (trajectory.container() != null) {
      registry.timer("crucible.sandbox.start").record(Duration.ofMillis(trajectory.container().startMillis()));
    }
    long tokens = 0;
    for (Turn turn : trajectory.turns()) {
      tokens += turn.tokenIds().size();
      if (turn.role().equals("tool")) {
        String status = turn.observation() != null && turn.observation().startsWith("Error") ? "error" : "ok";
        registry.counter("crucible.tool.calls", "tool", turn.toolName() == null ? "none" : turn.toolName(), "status", status).increment();
      }
    }
    registry.summary("crucible.episode.tokens").record(tokens);
    if (trajectory.reward() != null) {
      registry.summary("crucible.episode.reward").record(trajectory.reward().total());
    }
    switch (trajectory.outcome()) {
      case RESOLVED -> resolved++;
      case INFRA_ERROR -> infraErrors++;
      default -> {}
    }
  }

  public synchronized long episodes() {
    return counted.size();
  }

  public synchronized long resolved() {
    return resolved;
  }

  public synchronized long infraErrors() {
    return infraErrors;
  }

  /** Every metric in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
