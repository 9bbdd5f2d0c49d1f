package dev.crucible.rollout.evaluation;

import dev.crucible.data.EvalType;
import dev.crucible.data.TaskInstance;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for a pulled SWE-bench 5 instance image, which no registry here can serve: an image built
 * offline in the official layout over the sandbox image, with {@link SampleTask}'s repository at
 * {@code /testbed} (checked out at its base commit, owned by root), a conda activation script at
 * {@code /opt/miniconda3/bin/activate} (defining {@code conda activate} as a no-op that names the
 * environment), no ripgrep (as there), and a row whose {@code eval_script} has the official script's shape: activate, reset the
 * test files, apply the test patch from a here-document, run the tests between the markers, reset again.
 */
public final class OfficialLayoutImage {
  /** The test the row's test patch adds: it fails at the base and passes with the gold patch. */
  public static final String ADDED_TEST = "tests/test_words.py::test_count_tabs";
  private static final String HEREDOC = "EOF_114329324912";

  private final SampleTask sample;
  private final String image;
  private final String testPatch;

  private OfficialLayoutImage(SampleTask sample, String image, String testPatch) {
    this.sample = sample;
    this.image = image;
    this.testPatch = testPatch;
  }

  /** Builds the sample repository in {@code directory} and the image {@code image} from it. */
  public static OfficialLayoutImage build(Path directory, String image) {
    SampleTask sample = SampleTask.create(directory.resolve("textops"));
    Path repository = sample.repository();
    try {
      Path tests = repository.resolve("tests/test_words.py");
      String original = Files.readString(tests);
      Files.writeString(tests, original + "\n\ndef test_count_tabs():\n    assert count_words(\"a\\tb\") == 2\n");
      String testPatch = Git.run(repository, "diff");
      Files.writeString(tests, original);
      Path context = directory.resolve("image");
      Files.createDirectories(context);
      Git.run(repository, "bundle", "create", context.resolve("repo.bundle").toString(), "--all");
      Files.writeString(context.resolve("activate"), "conda() { export CONDA_DEFAULT_ENV=\"${2:-base}\"; }\n");
      Files.writeString(context.resolve("Dockerfile"), "FROM " + SandboxSpec.DEFAULT_IMAGE + "\n"
          + "USER root\n"
          // SWE-bench's images bring no ripgrep.
          + "RUN rm -f \"$(command -v rg)\"\n"
          + "COPY activate /opt/miniconda3/bin/activate\n"
          + "COPY repo.bundle /tmp/repo.bundle\n"
          + "RUN git clone -q /tmp/repo.bundle /testbed && git -C /testbed checkout -q " + sample.task("x", "fixture/textops").baseCommit()
          + " && rm /tmp/repo.bundle\n"
          + "WORKDIR /testbed\n");
      Process build = new ProcessBuilder("docker", "build", "-q", "-t", image, context.toString()).redirectErrorStream(true).start();
      String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (build.waitFor() != 0) {
        throw new IllegalStateException("docker build of " + image + " failed:\n" + output);
      }
      return new OfficialLayoutImage(sample, image, testPatch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String image() {
    return image;
  }

  public String goldPatch() {
    return sample.goldPatch();
  }

  /** The row, as SWE-bench 5 publishes one: image, eval_script, log parser, no test command or host repository. */
  public TaskInstance row(String instanceId) {
    return row(instanceId, evalScript());
  }

  /** The row with another eval script. */
  public TaskInstance row(String instanceId, String evalScript) {
    TaskInstance base = sample.task(instanceId, "fixture/textops");
    List<String> failToPass = new java.util.ArrayList<>(base.failToPass());
    failToPass.add(ADDED_TEST);
    return new TaskInstance(
        instanceId, base.repo(), base.baseCommit(), base.problemStatement(), "", base.patch(), testPatch, failToPass, base.passToPass(),
        "0.1", null, null, image, null, "parse_log_pytest", null, EvalType.PASS_AND_FAIL, evalScript);
  }

  /** The eval script in the official shape. */
  public String evalScript() {
    String base = sample.task("x", "fixture/textops").baseCommit();
    return "#!/bin/bash\n"
        + "set -uxo pipefail\n"
        + "source /opt/miniconda3/bin/activate\n"
        + "conda activate testbed\n"
        + "cd /testbed\n"
        + "git config --global --add safe.directory /testbed\n"
        + "cd /testbed\n"
        + "git status\n"
        + "git show\n"
        + "git -c core.fileMode=false diff " + base + "\n"
        + "source /opt/miniconda3/bin/activate\n"
        + "conda activate testbed\n"
        + "git checkout " + base + " tests/test_words.py\n"
        + "git apply -v - <<'" + HEREDOC + "'\n"
        + testPatch
        + HEREDOC + "\n"
        + ": '>>>>> Start Test Output'\n"
        + "python3 -m pytest -rA -p no:cacheprovider tests/test_words.py\n"
        + ": '>>>>> End Test Output'\n"
        + "git checkout " + base + " tests/test_words.py\n";
  }
}
