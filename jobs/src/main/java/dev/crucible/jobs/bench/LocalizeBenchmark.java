package dev.crucible.jobs.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.search.CodeIndex;
import dev.crucible.rollout.search.CodeUnit;
import dev.crucible.rollout.search.GoldLocations;
import dev.crucible.rollout.search.HitsAtK;
import dev.crucible.rollout.search.KeywordBaseline;
import dev.crucible.rollout.search.UnitExtractor;
import dev.crucible.rollout.search.UnitKind;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * How well {@code search_code} finds what a task's gold patch changes, from the problem statement alone: for each
 * task, a sandbox at the base commit, its code listed and indexed as an episode's is, the statement as the query;
 * hit@1, 5 and 10 at file and at function level for BM25 and for the keyword baseline (ripgrep on the statement's
 * identifiers). Tasks with their own image and no repository here, and gold patches that only add files, are
 * left out and counted.
 */
public final class LocalizeBenchmark {
  private final List<TaskInstance> tasks;
  private final TaskRepositories repositories;
  private final SandboxFactory sandboxes;
  private final Configuration conf;
  private final PrintStream progress;

  public LocalizeBenchmark(List<TaskInstance> tasks, TaskRepositories repositories, SandboxFactory sandboxes, Configuration conf,
      PrintStream progress) {
    this.tasks = tasks;
    this.repositories = repositories;
    this.sandboxes = sandboxes;
    this.conf = conf;
    this.progress = progress;
  }

  /** The JSON line of figures. */
  public ObjectNode run() {
    HitsAtK bm25Files = new HitsAtK();
    HitsAtK bm25Functions = new HitsAtK();
    HitsAtK keywordFiles = new HitsAtK();
    HitsAtK keywordFunctions = new HitsAtK();
    int measured = 0;
    int skipped = 0;
    long units = 0;
    long indexMillis = 0;
    for (TaskInstance task : tasks) {
      GoldLocations gold = GoldLocations.of(task.patch());
      if (task.runsItsEvalScript() || gold.files().isEmpty()) {
        skipped++;
        continue;
      }
      SandboxSpec spec = SandboxSpec.builder()
          .image(task.image() == null ? SandboxSpec.DEFAULT_IMAGE : task.image())
          .repository(repositories.localClone(task.repo(), conf, HostCache.onThisHost()))
          .baseCommit(task.baseCommit())
          .runId("bench-localize")
          .taskId(task.instanceId())
          .build();
      try (Sandbox sandbox = sandboxes.create(spec)) {
        long start = System.nanoTime();
        List<CodeUnit> listed = UnitExtractor.extract(sandbox);
        KeywordBaseline.Ranking keywords = KeywordBaseline.rank(sandbox, KeywordBaseline.keywords(task.problemStatement()), listed);
        try (CodeIndex index = new CodeIndex(listed)) {
          indexMillis += (System.nanoTime() - start) / 1_000_000;
          Set<String> goldFunctions = gold.functions(listed);
          bm25Files.add(paths(index.search(task.problemStatement(), UnitKind.FILE, 10)), gold.files());
          bm25Functions.add(functions(index.search(task.problemStatement(), UnitKind.FUNCTION, 10)), goldFunctions);
          keywordFiles.add(keywords.files(), gold.files());
          keywordFunctions.add(keywords.functions(), goldFunctions);
        }
        units += listed.size();
        measured++;
      }
      progress.printf("bench localize: %d/%d tasks%n", measured + skipped, tasks.size());
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("benchmark", "localize").put("tasks", measured).put("skipped", skipped)
        .put("units_per_task", measured == 0 ? 0 : units / measured)
        .put("list_and_index_ms_per_task", measured == 0 ? 0 : indexMillis / measured);
    json.set("bm25", levels(bm25Files, bm25Functions));
    json.set("ripgrep", levels(keywordFiles, keywordFunctions));
    return json;
  }

  private static ObjectNode levels(HitsAtK files, HitsAtK functions) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("file", files.json());
    json.set("function", functions.json());
    return json;
  }

  private static List<String> paths(List<CodeIndex.Hit> hits) {
    return hits.stream().map(hit -> hit.unit().path()).collect(Collectors.toList());
  }

  private static List<String> functions(List<CodeIndex.Hit> hits) {
    return hits.stream().map(hit -> GoldLocations.key(hit.unit())).collect(Collectors.toList());
  }
}
