package dev.crucible.jobs.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.data.EvaluationRecord;
import dev.crucible.data.Prediction;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.json.TaskJson;
import dev.crucible.data.parquet.EvaluationCodec;
import dev.crucible.data.parquet.ParquetTable;
import dev.crucible.data.swebench.SweBenchPredictions;
import dev.crucible.data.swebench.SweBenchTasks;
import dev.crucible.jobs.spark.SerializableConfiguration;
import dev.crucible.reward.swebench.RunSummary;
import dev.crucible.rollout.repos.TaskRepositories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver of {@code crucible evaluate}: validates the inputs, skips instances that already have a
 * report (unless forced), grades the rest on the executors, one Spark task per prediction, prints a
 * progress line every few seconds, and writes the summary and the rewards table.
 *
 * <p>Outputs: {@code OUT/RUN/MODEL/INSTANCE/{report.json,test_output.txt,patch.diff,crucible.json}}
 * (and {@code eval.sh}, {@code run_instance.log} for rows run by their own eval script),
 * {@code REPORT_DIR/MODEL.RUN.json} (SWE-bench's summary), {@code REPORT_DIR/MODEL.RUN.crucible.json}
 * (Crucible's outcomes) and {@code OUT/RUN/rewards/part-*.parquet}; the report folder is OUT unless given.
 */
public final class EvaluationRun {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The predictions argument that evaluates every task's own patch, as model {@code gold}. */
  public static final String GOLD = "gold";

  private final EvaluateSettings settings;
  private final PrintStream progress;

  public EvaluationRun(EvaluateSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs the evaluation of a tasks file, or of a folder of at most one split, and returns its summary. */
  public EvaluationSummary run(SparkSession spark, Path tasksFile, Path predictionsFile, Path repositories) {
    return run(spark, tasksFile, null, predictionsFile, repositories);
  }

  /** Runs the evaluation of the tasks of {@code split} (null: the file, or a folder of one split) and returns its summary. */
  public EvaluationSummary run(SparkSession spark, Path tasksFile, String split, Path predictionsFile, Path repositoryFolder) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<TaskInstance> tasks = SweBenchTasks.read(tasksFile, conf, split);
    TaskRepositories repositories = new TaskRepositories(repositoryFolder);
    boolean gold = predictionsFile.toString().equals(GOLD);
    List<Prediction> read =
        gold ? tasks.stream().map(task -> new Prediction(task.instanceId(), GOLD, task.patch())).toList()
            : SweBenchPredictions.read(predictionsFile, conf);
    Map<String, Prediction> byId = SweBenchPredictions.lastByInstance(read);
    if (byId.size() < read.size()) {
      Map<String, Long> counts = read.stream().collect(Collectors.groupingBy(Prediction::instanceId, LinkedHashMap::new, Collectors.counting()));
      List<String> repeated = counts.entrySet().stream().filter(count -> count.getValue() > 1).map(Map.Entry::getKey).toList();
      progress.printf("evaluate: %d instances have more than one prediction (%s); the last of each is evaluated, as SWE-bench does%n",
          repeated.size(), String.join(", ", repeated));
    }
    List<Prediction> predictions = List.copyOf(byId.values());
    Map<Prediction, TaskInstance> matched =
        EvaluationInputs.match(tasks, tasksFile.toString(), predictions, predictionsFile.toString(), repositories, conf);
    // As SWE-bench names the summary: after the model of the first instance's prediction.
    String model = predictions.isEmpty() ? "" : predictions.get(0).modelNameOrPath();

    List<EvaluationRecord> records = new ArrayList<>();
    List<EvaluationWork> work = new ArrayList<>();
    for (Map.Entry<Prediction, TaskInstance> entry : matched.entrySet()) {
      Prediction prediction = entry.getKey();
      Optional<EvaluationRecord> done =
          settings.force() ? Optional.empty()
              : InstanceFiles.readRecord(settings, prediction.modelNameOrPath(), prediction.instanceId(), conf);
      if (done.isPresent()) {
        records.add(done.get());
      } else {
        work.add(
            new EvaluationWork(
                prediction.instanceId(), json(entry.getValue()), prediction.modelNameOrPath(), prediction.modelPatch(),
                EvaluationInputs.repositoryOf(entry.getValue(), repositories, conf)));
      }
    }
    progress.printf(
        "evaluate: %d predictions, %d already have a report%s, %d to run with up to %d sandboxes per executor%n",
        predictions.size(), records.size(), settings.force() ? "" : " (kept; --force to redo)", work.size(), settings.maxWorkers());
    records.addAll(grade(spark, work, conf));

    RunSummary official =
        RunSummary.of(tasks.stream().map(TaskInstance::instanceId).toList(), byId, InstanceFiles.folders(settings, conf));
    EvaluationSummary summary = new EvaluationSummary(official, records);
    writeSummary(model, summary, conf);
    writeRewards(records, conf);
    return summary;
  }

  private List<EvaluationRecord> grade(SparkSession spark, List<EvaluationWork> work, Configuration conf) {
    if (work.isEmpty()) {
      return List.of();
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator done = spark.sparkContext().longAccumulator("evaluated");
    LongAccumulator resolved = spark.sparkContext().longAccumulator("resolved");
    LongAccumulator errors = spark.sparkContext().longAccumulator("errors");
    // Broadcast once per executor rather than shipped with every task: a Hadoop configuration is large.
    Broadcast<SerializableConfiguration> shippedConf = context.broadcast(new SerializableConfiguration(conf));
    EvaluateSettings shippedSettings = settings;
    long start = System.nanoTime();
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleAtFixedRate(
        () -> printProgress(done.value(), work.size(), resolved.value(), errors.value(), start), 5, 5, TimeUnit.SECONDS);
    try {
      List<String> rows =
          context
              .parallelize(work, work.size())
              .map(
                  item -> {
                    EvaluationRecord record = ExecutorEvaluation.run(item, shippedSettings, shippedConf.value().value());
                    done.add(1);
                    resolved.add(record.outcome().equals("resolved") ? 1 : 0);
                    errors.add(record.outcome().equals("error") ? 1 : 0);
                    return MAPPER.writeValueAsString(record);
                  })
              .collect();
      printProgress(work.size(), work.size(), resolved.value(), errors.value(), start);
      List<EvaluationRecord> records = new ArrayList<>(rows.size());
      for (String row : rows) {
        records.add(MAPPER.readValue(row, EvaluationRecord.class));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      reporter.shutdownNow();
    }
  }

  private void printProgress(long done, int total, long resolved, long errors, long start) {
    double minutes = (System.nanoTime() - start) / 60e9;
    progress.printf(
        "evaluate: %d/%d done, %d resolved, %d errors, %.1f instances/min%n", done, total, resolved, errors, done / minutes);
  }

  private void writeSummary(String model, EvaluationSummary summary, Configuration conf) {
    String officialName = RunSummary.fileName(model, settings.runId());
    Path official = new Path(settings.reportDir(), officialName);
    Path outcomes = new Path(settings.reportDir(), officialName.replaceFirst("\\.json$", ".crucible.json"));
    writeText(official, summary.official().toJson(), conf);
    writeText(outcomes, summary.outcomesJson().toPrettyString(), conf);
    progress.printf("evaluate: summary in %s, Crucible's outcomes in %s: %s%n", official, outcomes, summary.outcomesJson().get("outcomes"));
  }

  private static void writeText(Path file, String text, Configuration conf) {
    try {
      HadoopFiles.writeAtomically(file, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Replaces the rewards table with one part holding every record of the run. */
  private void writeRewards(List<EvaluationRecord> records, Configuration conf) {
    Path directory = new Path(new Path(settings.out(), settings.runId()), "rewards");
    try {
      FileSystem fs = HadoopFiles.fileSystem(directory, conf);
      fs.delete(directory, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + directory, e);
    }
    new ParquetTable<>(directory, EvaluationCodec.INSTANCE, conf, ParquetTable.Duplicates.REJECT).writePart("", records);
  }

  private static String json(TaskInstance task) {
    try {
      return MAPPER.writeValueAsString(TaskJson.encode(task));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
