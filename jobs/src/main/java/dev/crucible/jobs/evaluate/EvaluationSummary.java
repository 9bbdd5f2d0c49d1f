package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.reward.swebench.RunSummary;
import dev.crucible.rollout.evaluation.EvaluationOutcome;
import java.util.Comparator;
import java.util.List;

/**
 * A run's summaries: SWE-bench's ({@code MODEL.RUN.json}, the official text), and Crucible's finer
 * outcomes ({@code MODEL.RUN.crucible.json}): how many predictions ended in each
 * {@link EvaluationOutcome}, their ids, and the reason of each that did not run to a grade.
 *
 * @param official the run summary as the SWE-bench harness writes it
 * @param records one per prediction
 */
public record EvaluationSummary(RunSummary official, List<EvaluationRecord> records) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public EvaluationSummary {
    records = List.copyOf(records);
  }

  public long count(EvaluationOutcome outcome) {
    return records.stream().filter(r -> r.outcome().equals(outcome.reportName())).count();
  }

  /** Crucible's outcomes: counts, sorted ids per outcome, and the reasons of those not graded. */
  public ObjectNode outcomesJson() {
    ObjectNode json = MAPPER.createObjectNode();
    ObjectNode counts = json.putObject("outcomes");
    for (EvaluationOutcome outcome : EvaluationOutcome.values()) {
      counts.put(outcome.reportName(), count(outcome));
    }
    for (EvaluationOutcome outcome : EvaluationOutcome.values()) {
      ArrayNode ids = json.putArray(outcome.reportName() + "_ids");
      records.stream().filter(r -> r.outcome().equals(outcome.reportName())).map(EvaluationRecord::instanceId).sorted().forEach(ids::add);
    }
    ObjectNode reasons = json.putObject("reasons");
    records.stream()
        .filter(r -> r.reason() != null)
        .sorted(Comparator.comparing(EvaluationRecord::instanceId))
        .forEach(r -> reasons.put(r.instanceId(), r.reason()));
    return json;
  }
}
