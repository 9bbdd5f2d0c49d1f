package dev.crucible.trainer.meta;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.trainer.io.SafeTensors;
import dev.crucible.trainer.model.Scalars;
import dev.crucible.trainer.optim.AdamW;
import dev.crucible.trainer.optim.Gradients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MRT's meta-controller: features of a task known before an episode starts, through one tanh layer and
 * a linear path beside it, to a distribution over the modes; beside it a linear baseline of the same
 * features predicts the cost-adjusted return, so the update's advantage is the return less what the task
 * was expected to earn ({@link MetaObjective}). The linear path lets a single feature (a hint level) move
 * its own logits as fast as the shared bias moves all of them, so the controller does not settle on one
 * mode for every task before it has told the tasks apart. The mode heads start at zero, so an untrained
 * controller picks every mode alike.
 *
 * <p>It lives in a directory as {@value #WEIGHTS} (its parameters and AdamW's moments) and {@value #STATE}
 * (the modes, the feature names, the sizes and the updates taken); {@link #load} refuses one whose modes
 * or features differ from those asked for.
 */
public final class MetaController implements AutoCloseable {
  public static final String WEIGHTS = "meta_controller.safetensors";
  public static final String STATE = "meta_controller.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HIDDEN_WEIGHT = "hidden.weight";
  private static final String HIDDEN_BIAS = "hidden.bias";
  private static final String MODE_WEIGHT = "modes.weight";
  private static final String MODE_BIAS = "modes.bias";
  private static final String LINEAR_WEIGHT = "linear.weight";
  private static final String BASELINE_WEIGHT = "baseline.weight";
  private static final String BASELINE_BIAS = "baseline.bias";

  /**
   * How the controller learns.
   *
   * @param hidden units of the tanh layer
   * @param learningRate AdamW's rate
   * @param epochs full-batch steps per {@link #update}
   * @param entropy weight of the entropy bonus, which keeps it trying every mode
   * @param baselineCoefficient weight of the baseline's squared error
   * @param seed draws the first layer's weights
   */
  public record Settings(int hidden, double learningRate, int epochs, double entropy, double baselineCoefficient, long seed) {
    public Settings {
      if (hidden < 1 || epochs < 1 || !(learningRate > 0) || entropy < 0 || baselineCoefficient < 0) {
        throw new IllegalArgumentException("meta-controller settings out of range: " + this);
      }
    }
  }

  /** One episode as the controller saw it: the features, the mode taken (its index) and the return it earned. */
  public record Decision(float[] features, int choice, double costAdjustedReturn) {}

  /** What one {@link #update} did, over its last epoch. */
  public record Figures(int decisions, double policyLoss, double baselineLoss, double entropy, double meanReturn, double meanAdvantage) {}

  private final List<String> modes;
  private final List<String> features;
  private final Settings settings;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final AdamW optimizer;

  private MetaController(List<String> modes, List<String> features, Settings settings, NDManager manager, Map<String, NDArray> parameters) {
    this.modes = List.copyOf(modes);
    this.features = List.copyOf(features);
    this.settings = settings;
    this.manager = manager;
    this.parameters = parameters;
    this.optimizer = new AdamW(0.9, 0.999, 1e-8, 0, manager);
    parameters.values().forEach(parameter -> parameter.setRequiresGradient(true));
  }

  /** A fresh controller over {@code modes}, reading the named {@code features}. */
  public static MetaController create(List<String> modes, List<String> features, Settings settings, NDManager parent) {
    if (modes.size() < 2) {
      throw new IllegalArgumentException("a meta-controller needs at least two modes to choose from, not " + modes);
    }
    NDManager manager = parent.newSubManager();
    SplittableRandom random = new SplittableRandom(settings.seed());
    int inputs = features.size();
    float[] hidden = new float[settings.hidden() * inputs];
    double scale = 1 / Math.sqrt(Math.max(1, inputs));
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = (float) (gaussian(random) * scale);
    }
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    parameters.put(HIDDEN_WEIGHT, manager.create(hidden, new Shape(settings.hidden(), inputs)));
    parameters.put(HIDDEN_BIAS, manager.zeros(new Shape(settings.hidden())));
    parameters.put(MODE_WEIGHT, manager.zeros(new Shape(modes.size(), settings.hidden())));
    parameters.put(MODE_BIAS, manager.zeros(new Shape(modes.size())));
    parameters.put(LINEAR_WEIGHT, manager.zeros(new Shape(modes.size(), inputs)));
    parameters.put(BASELINE_WEIGHT, manager.zeros(new Shape(1, inputs)));
    parameters.put(BASELINE_BIAS, manager.zeros(new Shape(1)));
    return new MetaController(modes, features, settings, manager, parameters);
  }

  /**
   * The controller saved in {@code dir}, which must choose among {@code modes} from {@code features}.
   *
   * @throws IllegalArgumentException naming the file and what differs
   */
  public static MetaController load(Path dir, List<String> modes, List<String> features, Settings settings, NDManager parent) {
    Path stateFile = dir.resolve(STATE);
    JsonNode state;
    try {
      state = MAPPER.readTree(stateFile.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(stateFile + ": cannot read the meta-controller: " + e.getMessage(), e);
    }
    List<String> savedModes = strings(state.path("modes"));
    List<String> savedFeatures = strings(state.path("features"));
    if (!savedModes.equals(modes) || !savedFeatures.equals(features) || state.path("hidden").asInt() != settings.hidden()) {
      throw new IllegalArgumentException(stateFile + ": the saved meta-controller chooses among " + savedModes + " from "
          + savedFeatures.size() + " features with " + state.path("hidden").asInt() + " hidden units; this run has " + modes + ", "
          + features.size() + " features (" + String.join(", ", features) + ") and " + settings.hidden() + " hidden units");
    }
    MetaController controller = create(modes, features, settings, parent);
    try (NDManager scratch = parent.newSubManager()) {
      Map<String, NDArray> stored = SafeTensors.read(dir.resolve(WEIGHTS), scratch);
      SafeTensors.copyInto(controller.parameters, stored, dir.resolve(WEIGHTS).toString());
      Map<String, NDArray> moments = new LinkedHashMap<>();
      stored.forEach((name, array) -> {
        if (!controller.parameters.containsKey(name)) {
          moments.put(name, array);
        }
      });
      controller.optimizer.restore(moments, state.path("updates").asLong());
    }
    return controller;
  }

  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      Map<String, NDArray> tensors = new LinkedHashMap<>(parameters);
      tensors.putAll(optimizer.state());
      SafeTensors.write(dir.resolve(WEIGHTS), tensors);
      ObjectNode state = MAPPER.createObjectNode();
      modes.forEach(state.putArray("modes")::add);
      features.forEach(state.putArray("features")::add);
      state.put("hidden", settings.hidden());
      state.put("updates", optimizer.steps());
      Files.writeString(dir.resolve(STATE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the meta-controller in " + dir, e);
    }
  }

  public List<String> modes() {
    return modes;
  }

  public List<String> features() {
    return features;
  }

  /** Optimizer steps taken so far. */
  public long updates() {
    return optimizer.steps();
  }

  /** The distribution over {@link #modes()} for a task with {@code features}. */
  public float[] probabilities(float[] features) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return logits(batch(List.of(features), manager)).softmax(1).toFloatArray();
    }
  }

  /** The return the baseline expects of a task with {@code features}. */
  public double baseline(float[] features) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return baselines(batch(List.of(features), manager)).toFloatArray()[0];
    }
  }

  /** A mode index drawn from {@code probabilities} by {@code random}. */
  public static int sample(float[] probabilities, SplittableRandom random) {
    double draw = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < probabilities.length; i++) {
      cumulative += probabilities[i];
      if (draw < cumulative) {
        return i;
      }
    }
    return probabilities.length - 1;
  }

  /**
   * {@link Settings#epochs()} full-batch AdamW steps on {@code decisions}: the policy-gradient loss with
   * advantages against the baseline as it stood before the update, minus the entropy bonus, plus the
   * baseline's squared error.
   */
  public Figures update(List<Decision> decisions) {
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("no decisions to learn from");
    }
    float[] returns = new float[decisions.size()];
    float[] choices = new float[decisions.size()];
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      Decision decision = decisions.get(i);
      if (decision.choice() < 0 || decision.choice() >= modes.size()) {
        throw new IllegalArgumentException("choice " + decision.choice() + " is not one of the " + modes.size() + " modes");
      }
      returns[i] = (float) decision.costAdjustedReturn();
      choices[i] = decision.choice();
      rows.add(decision.features());
    }
    Figures figures = null;
    try (NDManager batch = manager.newSubManager()) {
      NDArray inputs = batch(rows, batch);
      NDArray returnArray = batch.create(returns);
      NDArray choiceArray = batch.create(choices);
      NDArray advantages = returnArray.sub(baselines(inputs).stopGradient());
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        try (NDScope step = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          step.suppressNotUsedWarning();
          NDArray logits = logits(inputs);
          NDArray policy = MetaObjective.policyLoss(logits, choiceArray, advantages);
          NDArray entropy = MetaObjective.entropy(logits);
          NDArray baseline = MetaObjective.baselineLoss(baselines(inputs), returnArray);
          NDArray loss = policy.sub(Scalars.times(entropy, settings.entropy())).add(Scalars.times(baseline, settings.baselineCoefficient()));
          collector.backward(loss);
          figures = new Figures(decisions.size(), policy.getFloat(), baseline.getFloat(), entropy.getFloat(), returnArray.mean().getFloat(),
              advantages.mean().getFloat());
        }
        // Outside any scope: the optimizer's moments are created on first use and must outlive the step.
        try (Gradients gradients = Gradients.of(parameters)) {
          optimizer.update(parameters, gradients.byName(), settings.learningRate(), 1.0);
          gradients.zero();
        }
      }
    }
    return figures;
  }

  private NDArray batch(List<float[]> rows, NDManager owner) {
    float[] flat = new float[rows.size() * features.size()];
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).length != features.size()) {
        throw new IllegalArgumentException(rows.get(i).length + " features given, " + features.size() + " expected: " + features);
      }
      System.arraycopy(rows.get(i), 0, flat, i * features.size(), features.size());
    }
    return owner.create(flat, new Shape(rows.size(), features.size()));
  }

  private NDArray logits(NDArray inputs) {
    NDArray hidden = inputs.matMul(parameters.get(HIDDEN_WEIGHT).transpose()).add(parameters.get(HIDDEN_BIAS)).tanh();
    return hidden.matMul(parameters.get(MODE_WEIGHT).transpose()).add(inputs.matMul(parameters.get(LINEAR_WEIGHT).transpose()))
        .add(parameters.get(MODE_BIAS));
  }

  private NDArray baselines(NDArray inputs) {
    return inputs.matMul(parameters.get(BASELINE_WEIGHT).transpose()).add(parameters.get(BASELINE_BIAS)).squeeze(1);
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  @Override
  public void close() {
    optimizer.close();
    manager.close();
  }
}
