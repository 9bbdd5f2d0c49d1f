package dev.crucible.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.TrainingStep;
import dev.crucible.trainer.Conversations;
import dev.crucible.trainer.TinyModels;
import dev.crucible.trainer.chat.ChatTemplate;
import dev.crucible.trainer.chat.Message;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoTrainingTest {

  @Test
  void learnsToPreferTheChosenResponses(@TempDir Path out) {
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = TinyModels.tokenizer()) {
      ChatTemplate template = new ChatTemplate(tokenizer);
      Packer packer = new Packer(320);
      List<PackedRow> chosen = new ArrayList<>();
      List<PackedRow> rejected = new ArrayList<>();
      String[][] cases = {{"src/app.py", "add"}, {"lib/util.py", "parse"}, {"app/core.py", "split"}, {"src/text.py", "join"}};
      for (String[] c : cases) {
        List<Message> good = Conversations.fixing(c[0], c[1]);
        List<Message> bad = new ArrayList<>(good.subList(0, 2));
        bad.add(Message.of("assistant", "I give up."));
        chosen.add(packer.single(template.conversation(good, Conversations.TOOLS)));
        rejected.add(packer.single(template.conversation(bad, Conversations.TOOLS)));
      }
      Qwen2Model model = Qwen2Model.random(TinyModels.config(tokenizer.vocabularySize()), 9, manager);
      double[] referenceChosen = SequenceScores.of(model, chosen, 4);
      double[] referenceRejected = SequenceScores.of(model, rejected, 4);
      List<DpoObjective.ScoredPair> pairs = new ArrayList<>();
      for (int i = 0; i < cases.length; i++) {
        pairs.add(new DpoObjective.ScoredPair(chosen.get(i), rejected.get(i), referenceChosen[i], referenceRejected[i]));
      }
      TrainSettings settings = new TrainSettings(320, 2, 1, 1, 16, 5e-3, 2, 0.1, 0.0, 1.0, 0.9, 0.95, 1e-8, 4, 16, 4, null);
      StepPlan plan = StepPlan.of(pairs.size(), settings.itemsPerStep(), 1, settings.maxSteps(), settings.seed());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (PolicyTraining training = new PolicyTraining(model, tokenizer, settings, out, "random")) {
        training.run("run-1", "dpo", new DpoObjective(model, pairs, plan, settings.batchSize(), 0.1), plan, "pairs", false,
            registry, new Configuration(), line -> {});
      }
      List<TrainingStep> steps = MetricsSink.read(dev.crucible.data.io.HadoopFiles.local(out.resolve("metrics")), new Configuration(), "dpo").stream().sorted(Comparator.comparingInt(TrainingStep::step)).toList();
      assertThat(steps).hasSize(16);
      // At step 1 the policy is the reference: every implicit reward is 0 and the loss is log 2.
      assertThat(steps.get(0).loss()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(steps.get(0).rewardMargin()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-4));
      TrainingStep last = steps.get(15);
      assertThat(last.loss()).isLessThan(Math.log(2) * 0.5);
      assertThat(last.rewardAccuracy()).isEqualTo(1.0);
      assertThat(last.rewardMargin()).isPositive();
      assertThat(last.chosenLogprob()).isGreaterThan(last.rejectedLogprob());
    }
  }
}
