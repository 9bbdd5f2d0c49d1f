package dev.crucible.reward.swebench;

import dev.crucible.reward.parsers.PythonText;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why a test log that gave no gradable results probably failed for the environment's sake rather
 * than the patch's, by the signatures of SWE-bench 5's {@code infra_failure.py}, first match winning.
 * Advisory, as there: an instance flagged stays unresolved.
 *
 * @param reason SWE-bench's name for the signature, such as {@code network_unreachable}
 * @param tier whether the environment surely broke, or the log is ambiguous
 */
public record InfraFailure(String reason, Tier tier) {

  /** How sure the signature is that the environment, not the patch, failed. */
  public enum Tier {
    ENVIRONMENT,
    AMBIGUOUS
  }

  private record Signature(String reason, Tier tier, Pattern pattern) {
    Signature(String reason, Tier tier, String regex) {
      this(reason, tier, PythonText.regex(regex, Pattern.MULTILINE));
    }
  }

  private static final List<Signature> SIGNATURES =
      List.of(
          new Signature("browser_launch_failed", Tier.ENVIRONMENT, "Failed to launch|Failed to connect to the bus"),
          new Signature("display_unavailable", Tier.ENVIRONMENT, "cannot open display|Missing X server|unable to open X display"),
          new Signature("out_of_memory", Tier.ENVIRONMENT, "Cannot allocate memory|OutOfMemoryError|^Killed$"),
          new Signature("container_unavailable", Tier.ENVIRONMENT, "Error response from daemon|Cannot connect to the Docker daemon"),
          new Signature("network_unreachable", Tier.ENVIRONMENT, "Could not resolve host|Temporary failure in name resolution"),
          new Signature("missing_module", Tier.AMBIGUOUS, "Cannot find module|MODULE_NOT_FOUND|ModuleNotFoundError"),
          new Signature("no_tests_collected", Tier.AMBIGUOUS, "no tests ran|collected 0 items"),
          new Signature("tests_timed_out", Tier.AMBIGUOUS, "Timeout error: \\d+ seconds exceeded"));

  /** The first signature {@code log} shows, if any. */
  public static Optional<InfraFailure> classify(String log) {
    if (log.isEmpty()) {
      return Optional.empty();
    }
    return SIGNATURES.stream()
        .filter(signature -> signature.pattern().matcher(log).find())
        .findFirst()
        .map(signature -> new InfraFailure(signature.reason(), signature.tier()));
  }
}
