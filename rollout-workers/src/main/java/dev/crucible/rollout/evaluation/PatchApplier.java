package dev.crucible.rollout.evaluation;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import java.time.Duration;

/**
 * Applies a patch in a sandbox as the SWE-bench harness does: {@code git apply} first, then
 * {@code patch} with fuzz. The patch file is written outside the tree the tests see and removed after.
 */
final class PatchApplier {
  static final String GIT_APPLY = "git_apply";
  static final String PATCH_FUZZ = "patch_fuzz";
  static final String NOT_APPLIED = "none";

  private static final String PATCH_FILE = ".crucible-eval.patch";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private PatchApplier() {}

  /** Applies {@code patch}; returns the method that worked, or {@link #NOT_APPLIED} with the sandbox untouched by git. */
  static String apply(Sandbox sandbox, String patch) {
    sandbox.writeFile(PATCH_FILE, (patch.endsWith("\n") ? patch : patch + "\n").getBytes(UTF_8));
    try {
      if (sandbox.exec("git apply --verbose " + PATCH_FILE, TIMEOUT).succeeded()) {
        return GIT_APPLY;
      }
      ExecResult fuzzed =
          sandbox.exec("patch --batch --fuzz=5 --no-backup-if-mismatch -p1 -i " + PATCH_FILE, TIMEOUT);
      return fuzzed.succeeded() ? PATCH_FUZZ : NOT_APPLIED;
    } finally {
      sandbox.exec("rm -f " + PATCH_FILE, TIMEOUT);
    }
  }
}
