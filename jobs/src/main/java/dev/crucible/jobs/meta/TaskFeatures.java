package dev.crucible.jobs.meta;

import ai.djl.ndarray.NDManager;
import dev.crucible.data.HintLevel;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.trainer.meta.StatementEmbedding;
import dev.crucible.trainer.model.Qwen2Model;
import dev.crucible.trainer.tokenizer.ChatTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What the meta-controller knows of a task before an episode starts: the problem statement's length,
 * the repository's size (files at the base commit), how many tests must be fixed, the hint level (one-hot),
 * and optionally the statement's embedding from the policy model's hidden states ({@link
 * StatementEmbedding}). Counts enter as {@code log(1 + n)}, scaled to about 1.
 */
public final class TaskFeatures {
  private TaskFeatures() {}

  /** The features' names, in order, with an embedding of {@code embeddingSize} (0 for none). */
  public static List<String> names(int embeddingSize) {
    List<String> names = new ArrayList<>(List.of("statement_chars_log", "repository_files_log", "fail_to_pass_log"));
    for (HintLevel level : HintLevel.values()) {
      names.add("hint_" + level.tableName());
    }
    for (int i = 0; i < embeddingSize; i++) {
      names.add("embedding_" + i);
    }
    return names;
  }

  /** The features of one task, in the order of {@link #names}. */
  public static float[] of(TaskInstance task, int repositoryFiles, float[] embedding) {
    float[] features = new float[3 + HintLevel.values().length + embedding.length];
    features[0] = (float) (Math.log1p(task.problemStatement().length()) / 10);
    features[1] = (float) (Math.log1p(repositoryFiles) / 10);
    features[2] = (float) Math.log1p(task.failToPass().size());
    features[3 + task.hintLevel().ordinal()] = 1;
    System.arraycopy(embedding, 0, features, 3 + HintLevel.values().length, embedding.length);
    return features;
  }

  /** Every task's features, by instance id, and their names. */
  public record Table(List<String> names, Map<String, float[]> byTask) {
    /** These tasks' features and {@code other}'s, which must be named alike. */
    public Table plus(Table other) {
      if (!names.equals(other.names)) {
        throw new IllegalArgumentException("cannot join features named " + names + " and " + other.names);
      }
      Map<String, float[]> joined = new LinkedHashMap<>(byTask);
      joined.putAll(other.byTask);
      return new Table(names, joined);
    }

    /** The features of task {@code taskId}. */
    public float[] of(String taskId) {
      float[] features = byTask.get(taskId);
      if (features == null) {
        throw new IllegalArgumentException("no features for task " + taskId);
      }
      return features;
    }
  }

  /**
   * The features of every task.
   *
   * @param embeddingModel a checkpoint whose hidden states embed each statement, or {@code null} for none
   */
  public static Table of(List<TaskInstance> tasks, org.apache.hadoop.fs.Path repositories, Path embeddingModel) {
    Map<String, float[]> features = new LinkedHashMap<>();
    if (embeddingModel == null) {
      tasks.forEach(task -> features.put(task.instanceId(), of(task, repositoryFiles(task, repositories), new float[0])));
      return new Table(names(0), features);
    }
    try (NDManager manager = NDManager.newBaseManager(); ChatTokenizer tokenizer = ChatTokenizer.load(embeddingModel);
        Qwen2Model model = Qwen2Model.load(embeddingModel, manager)) {
      for (TaskInstance task : tasks) {
        features.put(task.instanceId(),
            of(task, repositoryFiles(task, repositories), StatementEmbedding.of(model, tokenizer, task.problemStatement())));
      }
      return new Table(names(model.config().hiddenSize()), features);
    }
  }

  private static int repositoryFiles(TaskInstance task, org.apache.hadoop.fs.Path repositories) {
    TaskRepositories folder = new TaskRepositories(repositories);
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path source = folder.locate(task.repo(), conf).orElseThrow(() -> new IllegalArgumentException(
        "task '" + task.instanceId() + "' has no repository, but the meta-controller's features count its repository's files: expected "
            + folder.expected(task.repo())));
    Path repository = TaskRepositories.localClone(source, conf, HostCache.onThisHost());
    String listing = Git.run(repository, "ls-tree", "-r", "--name-only", task.baseCommit());
    return (int) listing.lines().filter(line -> !line.isBlank()).count();
  }
}
