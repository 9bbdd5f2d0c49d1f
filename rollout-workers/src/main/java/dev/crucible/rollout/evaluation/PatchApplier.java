package dev.crucible.rollout.evaluation;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import java.time.Duration;
import java.util.UUID;

/**
 * Applies a patch in a sandbox as the SWE-bench harness does: {@code git apply} first, then
 * {@code patch} with fuzz. The patch goes to a scratch file outside the tree, and the whole attempt is
 * one command.
 */
final class PatchApplier {
  static final String GIT_APPLY = "git_apply";
  static final String PATCH_FUZZ = "patch_fuzz";
  static final String NOT_APPLIED = "none";

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private PatchApplier() {}

  /** Applies {@code patch}; returns the method that worked, or {@link #NOT_APPLIED}. */
  static String apply(Sandbox sandbox, String patch) {
    String file = sandbox.writeScratchFile("patch-" + UUID.randomUUID() + ".diff", (patch.endsWith("\n") ? patch : patch + "\n").getBytes(UTF_8));
    ExecResult result =
        sandbox.exec(
            "if git apply --verbose " + file + " >&2; then echo " + GIT_APPLY
                + "; elif patch --batch --fuzz=5 --no-backup-if-mismatch -p1 -i " + file + " >&2; then echo " + PATCH_FUZZ
                + "; else echo " + NOT_APPLIED + "; fi; rm -f " + file,
            TIMEOUT);
    String method = result.stdout().strip();
    if (!method.equals(GIT_APPLY) && !method.equals(PATCH_FUZZ) && !method.equals(NOT_APPLIED)) {
      throw new SandboxException(SandboxException.Kind.INTERNAL, "applying a patch printed '" + method + "'");
    }
    return method;
  }
}
