package dev.crucible.rollout.sandbox;

/**
 * A sandbox operation failed. Carries what kind of failure it was, whether trying again can help, and
 * who caused it ({@link Kind#causedByAgent()}).
 *
 * <p>How the agent's doing is told from the infrastructure's: the agent acts only through commands that
 * run as an unprivileged user inside a container it cannot stop, on files inside its workdir. So a
 * failure whose cause lies in what those commands did (the container killed by the OOM killer because
 * of the memory they held, a change larger than the limit, a bad path) is the agent's, and the episode is
 * an {@code agent_error} with a reward. What those commands cannot reach (the daemon, the image, a
 * container stopped or removed from outside, our own code) is the infrastructure's: an
 * {@code infra_error}, which never enters training.
 */
public final class SandboxException extends RuntimeException {

  /** Broad classes of failure, for metrics and for deciding who must act. */
  public enum Category {
    /** The request was wrong: a missing image, a path outside the repository. */
    BAD_INPUT,
    /** Our own code failed. */
    INTERNAL,
    /** A limit was hit: memory, disk. */
    RESOURCES,
    /** Something outside us failed: the daemon, the kernel. */
    EXTERNAL
  }

  /** What failed. */
  public enum Kind {
    /** The Docker daemon cannot be reached or does not answer in time. */
    DAEMON_UNAVAILABLE(Category.EXTERNAL, true),
    /** The image does not exist on the daemon. */
    IMAGE_NOT_FOUND(Category.BAD_INPUT, false),
    /** The container stopped or disappeared while in use (killed, removed, daemon restarted). */
    CONTAINER_GONE(Category.EXTERNAL, true),
    /** The container was stopped by the OOM killer: the memory its commands (and files) held. */
    OUT_OF_MEMORY(Category.RESOURCES, false, true),
    /** The repository or base commit could not be set up. */
    REPOSITORY_SETUP(Category.BAD_INPUT, false),
    /** A result too large to hold: a diff of tens of megabytes. */
    OUTPUT_TOO_LARGE(Category.RESOURCES, false, true),
    /**
     * The daemon answers and the container runs, but a command did not end long past its timeout: the
     * sandbox is choked by what the agent's processes do (a fork or memory bomb under gVisor).
     */
    UNRESPONSIVE(Category.RESOURCES, false, true),
    /**
     * The container died while the agent's processes ran, not by a signal from outside: its runtime
     * gave way under what they did (gVisor's kernel under a fork bomb).
     */
    CRASHED(Category.RESOURCES, false, true),
    /** The agent's tree cannot be turned into a patch: git fails or runs out of time on what it made. */
    CHANGE_UNREADABLE(Category.BAD_INPUT, false, true),
    /** A file request was invalid: outside the workdir, not a regular file, too large. */
    BAD_REQUEST(Category.BAD_INPUT, false, true),
    /** A path that must exist does not. */
    FILE_NOT_FOUND(Category.BAD_INPUT, false, true),
    /** Anything else. */
    INTERNAL(Category.INTERNAL, false);

    private final Category category;
    private final boolean retryable;
    private final boolean causedByAgent;

    Kind(Category category, boolean retryable) {
      this(category, retryable, false);
    }

    Kind(Category category, boolean retryable, boolean causedByAgent) {
      this.category = category;
      this.retryable = retryable;
      this.causedByAgent = causedByAgent;
    }

    /**
     * Whether the agent's own commands caused it (see the class comment): the episode is then the
     * agent's failure, scored, and not retried.
     */
    public boolean causedByAgent() {
      return causedByAgent;
    }

    public Category category() {
      return category;
    }

    /** Whether the request itself was wrong (a bad path), so an agent can read it and try another. */
    public boolean isRequestError() {
      return this == BAD_REQUEST || this == FILE_NOT_FOUND;
    }

    /** Whether the same work may succeed when tried again, in a new sandbox. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final String detail;

  public SandboxException(Kind kind, String detail) {
    this(kind, detail, null);
  }

  public SandboxException(Kind kind, String detail, Throwable cause) {
    super(kind + ": " + detail, cause);
    this.kind = kind;
    this.detail = detail;
  }

  /** The message without the kind in front. */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
