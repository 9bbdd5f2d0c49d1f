package dev.crucible.jobs.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.agent.EpisodeRunner;
import dev.crucible.rollout.repos.TaskRepositories;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxFactory;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.search.CodeIndex;
import dev.crucible.rollout.search.CodeUnit;
import dev.crucible.rollout.search.Embedder;
import dev.crucible.rollout.search.GoldLocations;
import dev.crucible.rollout.search.HitsAtK;
import dev.crucible.rollout.search.KeywordBaseline;
import dev.crucible.rollout.search.UnitExtractor;
import dev.crucible.rollout.search.UnitKind;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * How well {@code search_code} finds what a task's gold patch changes, from the problem statement alone: for each
 * task, the sandbox an episode of it gets ({@link EpisodeRunner#agentSandbox}), its code listed and indexed as an
 * episode's is, the statement as the query; hit@1, 5 and 10 at file and at function level for BM25 and for the keyword baseline (ripgrep on the statement's
 * identifiers), and with an {@link Embedder}, for its vectors alone ({@code dense}) and fused with BM25 as search_code
 * ranks ({@code fused}). Tasks with their own image and no repository here, and gold patches that only add files, are
 * left out and counted. A statement that names its failing tests ranks the test files high, while gold
 * patches change the code under test: each method is measured as it ranks and with test files left out of its
 * ranking ({@link #isTestPath}), as a localizer told "without changing the tests" would rank.
 */
public final class LocalizeBenchmark {
  /** Results ranked per query: enough that ten remain once test files are left out, in most repositories. */
  private static final int RANKED = 50;
  private static final Pattern TEST_PATH = Pattern.compile("(^|.*/)(tests?|testing)/.*|(^|.*/)test_[^/]*\\.py|.*_tests?\\.py|(^|.*/)conftest\\.py");

  private final List<TaskInstance> tasks;
  private final TaskRepositories repositories;
  private final SandboxFactory sandboxes;
  private final Embedder embedder;
  private final Configuration conf;
  private final PrintStream progress;

  /** @param embedder the dense vectors measured beside BM25; {@code null} for BM25 and the baseline alone */
  public LocalizeBenchmark(List<TaskInstance> tasks, TaskRepositories repositories, SandboxFactory sandboxes, Embedder embedder,
      Configuration conf, PrintStream progress) {
    this.tasks = tasks;
    this.repositories = repositories;
    this.sandboxes = sandboxes;
    this.embedder = embedder;
    this.conf = conf;
    this.progress = progress;
  }

  /** The JSON line of figures. */
  public ObjectNode run() {
    Measures bm25 = new Measures();
    Measures keyword = new Measures();
    Measures dense = new Measures();
    Measures fused = new Measures();
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
      SandboxSpec spec = EpisodeRunner.agentSandbox(task, repositories.localClone(task.repo(), conf, HostCache.onThisHost()), "bench-localize");
      try (Sandbox sandbox = sandboxes.create(spec)) {
        long start = System.nanoTime();
        List<CodeUnit> listed = UnitExtractor.extract(sandbox);
        KeywordBaseline.Ranking keywords = KeywordBaseline.rank(sandbox, KeywordBaseline.keywords(task.problemStatement()), listed);
        try (CodeIndex index = new CodeIndex(listed, embedder)) {
          indexMillis += (System.nanoTime() - start) / 1_000_000;
          Set<String> goldFunctions = gold.functions(listed);
          String query = task.problemStatement();
          bm25.add(paths(index.bm25(query, UnitKind.FILE, RANKED)), functions(index.bm25(query, UnitKind.FUNCTION, RANKED)), gold.files(),
              goldFunctions);
          keyword.add(keywords.files(), keywords.functions(), gold.files(), goldFunctions);
          if (embedder != null) {
            dense.add(paths(index.dense(query, UnitKind.FILE, RANKED)), functions(index.dense(query, UnitKind.FUNCTION, RANKED)), gold.files(),
                goldFunctions);
            fused.add(paths(index.search(query, UnitKind.FILE, RANKED)), functions(index.search(query, UnitKind.FUNCTION, RANKED)), gold.files(),
                goldFunctions);
          }
        }
        units += listed.size();
        measured++;
      }
      progress.printf("bench localize: %d/%d tasks%n", measured + skipped, tasks.size());
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("benchmark", "localize").put("tasks", measured).put("skipped", skipped)
        .put("units_per_task", measured == 0 ? 0 : units / measured)
        .put("list_and_index_ms_per_task", measured == 0 ? 0 : indexMillis / measured);
    json.set("bm25", bm25.json());
    json.set("ripgrep", keyword.json());
    if (embedder != null) {
      json.set("dense", dense.json());
      json.set("fused", fused.json());
    }
    return json;
  }

  /** Whether {@code path} (or the file of a {@code path:name} function) is a test file by the usual Python layouts. */
  static boolean isTestPath(String location) {
    int colon = location.indexOf(':');
    return TEST_PATH.matcher(colon < 0 ? location : location.substring(0, colon)).matches();
  }

  /** Hit@k of one method at both levels, as it ranks and without test files. */
  private static final class Measures {
    private final HitsAtK files = new HitsAtK();
    private final HitsAtK functions = new HitsAtK();
    private final HitsAtK filesWithoutTests = new HitsAtK();
    private final HitsAtK functionsWithoutTests = new HitsAtK();

    void add(List<String> rankedFiles, List<String> rankedFunctions, Set<String> goldFiles, Set<String> goldFunctions) {
      files.add(rankedFiles, goldFiles);
      functions.add(rankedFunctions, goldFunctions);
      filesWithoutTests.add(rankedFiles.stream().filter(path -> !isTestPath(path)).toList(), goldFiles);
      functionsWithoutTests.add(rankedFunctions.stream().filter(key -> !isTestPath(key)).toList(), goldFunctions);
    }

    ObjectNode json() {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.set("file", files.json());
      json.set("function", functions.json());
      json.set("file_without_tests", filesWithoutTests.json());
      json.set("function_without_tests", functionsWithoutTests.json());
      return json;
    }
  }

  private static List<String> paths(List<CodeIndex.Hit> hits) {
    return hits.stream().map(hit -> hit.unit().path()).collect(Collectors.toList());
  }

  private static List<String> functions(List<CodeIndex.Hit> hits) {
    return hits.stream().map(hit -> GoldLocations.key(hit.unit())).collect(Collectors.toList());
  }
}
