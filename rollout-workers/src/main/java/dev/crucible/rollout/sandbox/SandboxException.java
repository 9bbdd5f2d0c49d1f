package dev.crucible.rollout.sandbox;

/**
 * The sandbox, not the agent, failed. Carries what kind of failure it was, and so whether trying again
 * can help; an episode that ends with one is an {@code infra_error}, never a model failure.
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
    /** The container's main process was killed for exceeding the memory limit. */
    OUT_OF_MEMORY(Category.RESOURCES, false),
    /** The repository or base commit could not be set up. */
    REPOSITORY_SETUP(Category.BAD_INPUT, false),
    /** A result too large to hold: a diff of tens of megabytes. */
    OUTPUT_TOO_LARGE(Category.RESOURCES, false),
    /** A file request was invalid: outside the workdir, not a regular file, too large. */
    BAD_REQUEST(Category.BAD_INPUT, false),
    /** A path that must exist does not. */
    FILE_NOT_FOUND(Category.BAD_INPUT, false),
    /** Anything else. */
    INTERNAL(Category.INTERNAL, false);

    private final Category category;
    private final boolean retryable;

    Kind(Category category, boolean retryable) {
      this.category = category;
      this.retryable = retryable;
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
