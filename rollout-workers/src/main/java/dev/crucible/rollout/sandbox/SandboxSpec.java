package dev.crucible.rollout.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a sandbox is made from and the limits it runs under. Immutable; build with {@link #builder()}.
 *
 * @param image the image to run (Docker backend only)
 * @param repository a git repository on the host, or {@code null} for an empty workdir
 * @param baseCommit the commit to check out, any revision git understands; ignored without a repository
 * @param memoryBytes memory limit, bytes; files the agent writes count against it too (Docker keeps
 *     the writable folders in memory-backed file systems)
 * @param diskBytes most bytes each writable folder (the workdir, {@code /tmp}) may hold
 * @param cpus CPU limit, in cores
 * @param pidsLimit most processes and threads at once
 * @param outputLimitBytes most bytes of each of stdout and stderr kept per command
 * @param runId run the sandbox serves, for labels
 * @param taskId task the sandbox serves, for labels
 * @param gitRepository make the workdir a one-commit git repository (needed by {@code diff()}); an
 *     evaluation that only applies patches and runs tests can skip it
 * @param runtime the Docker runtime (for example {@code runsc}, gVisor), or {@code null} for the
 *     daemon's default; a {@link SandboxChoice} sets it ({@link #withRuntime})
 * @param imageTree a folder of the image (SWE-bench's {@code /testbed}) whose files, without their
 *     {@code .git}, become the workdir at that same path, or {@code null} for {@code repository}'s tree
 *     (Docker backend only)
 * @param activation shell lines that set up the image's environment for the agent's commands (a conda
 *     activation), run once as the agent; empty for none
 */
public record SandboxSpec(
    String image,
    Path repository,
    String baseCommit,
    long memoryBytes,
    long diskBytes,
    double cpus,
    int pidsLimit,
    int outputLimitBytes,
    String runId,
    String taskId,
    boolean gitRepository,
    String runtime,
    String imageTree,
    String activation) {

  /** Folders a sandbox mounts or the system owns, which cannot hold an image tree. */
  private static final java.util.List<String> RESERVED_FOLDERS = java.util.List.of("/tmp", "/crucible", "/proc", "/sys", "/dev");

  /** The image {@code crucible images build} makes. */
  public static final String DEFAULT_IMAGE = "crucible/python:bookworm";

  public SandboxSpec {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(baseCommit, "baseCommit");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(activation, "activation");
    if (imageTree != null && (repository != null || !imageTree.matches("(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+")
        || RESERVED_FOLDERS.stream().anyMatch(folder -> imageTree.equals(folder) || imageTree.startsWith(folder + "/")))) {
      throw new IllegalArgumentException(
          "an image tree is an absolute folder of plain names outside " + RESERVED_FOLDERS + ", taken instead of a repository, not '"
              + imageTree + "' with " + repository);
    }
  }

  /** This spec with {@code runtime} (null for the daemon's default). */
  public SandboxSpec withRuntime(String runtime) {
    return new SandboxSpec(
        image, repository, baseCommit, memoryBytes, diskBytes, cpus, pidsLimit, outputLimitBytes, runId, taskId, gitRepository,
        runtime, imageTree, activation);
  }

  /** A builder holding this spec's values, to change some of them. */
  public Builder toBuilder() {
    Builder builder =
        builder().image(image).baseCommit(baseCommit).memoryBytes(memoryBytes).diskBytes(diskBytes).cpus(cpus).pidsLimit(pidsLimit)
            .outputLimitBytes(outputLimitBytes).runId(runId).taskId(taskId).gitRepository(gitRepository);
    if (imageTree != null) {
      builder.imageTree(imageTree, activation);
    }
    return repository == null ? builder : builder.repository(repository);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the defaults documented on each setter. */
  public static final class Builder {
    private String image = DEFAULT_IMAGE;
    private Path repository;
    private String baseCommit = "HEAD";
    private long memoryBytes = 2L << 30;
    private long diskBytes = 1L << 30;
    private double cpus = 1.0;
    private int pidsLimit = 512;
    private int outputLimitBytes = 1 << 20;
    private String runId = "adhoc";
    private String taskId = "none";
    private boolean gitRepository = true;
    private String imageTree;
    private String activation = "";

    private Builder() {}

    /** Default {@value SandboxSpec#DEFAULT_IMAGE}. */
    public Builder image(String image) {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("image must not be blank, got '" + image + "'");
      }
      this.image = image;
      return this;
    }

    /** A git repository on the host; default none (an empty workdir). */
    public Builder repository(Path repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /** Default {@code HEAD}. */
    public Builder baseCommit(String baseCommit) {
      if (baseCommit == null || baseCommit.isBlank() || baseCommit.startsWith("-")) {
        throw new IllegalArgumentException("baseCommit must be a revision, got '" + baseCommit + "'");
      }
      this.baseCommit = baseCommit;
      return this;
    }

    /** Default 2 GiB; at least 32 MiB. */
    public Builder memoryBytes(long memoryBytes) {
      if (memoryBytes < (32L << 20)) {
        throw new IllegalArgumentException("memoryBytes must be at least 32 MiB, got " + memoryBytes);
      }
      this.memoryBytes = memoryBytes;
      return this;
    }

    /** Default 1 GiB; at least 16 MiB. */
    public Builder diskBytes(long diskBytes) {
      if (diskBytes < (16L << 20)) {
        throw new IllegalArgumentException("diskBytes must be at least 16 MiB, got " + diskBytes);
      }
      this.diskBytes = diskBytes;
      return this;
    }

    /** Default 1.0; more than 0. */
    public Builder cpus(double cpus) {
      if (!(cpus > 0)) {
        throw new IllegalArgumentException("cpus must be > 0, got " + cpus);
      }
      this.cpus = cpus;
      return this;
    }

    /** Default 512; at least 16. */
    public Builder pidsLimit(int pidsLimit) {
      if (pidsLimit < 16) {
        throw new IllegalArgumentException("pidsLimit must be at least 16, got " + pidsLimit);
      }
      this.pidsLimit = pidsLimit;
      return this;
    }

    /** Default 1 MiB per stream; at least 1 KiB. */
    public Builder outputLimitBytes(int outputLimitBytes) {
      if (outputLimitBytes < 1024) {
        throw new IllegalArgumentException("outputLimitBytes must be at least 1024, got " + outputLimitBytes);
      }
      this.outputLimitBytes = outputLimitBytes;
      return this;
    }

    /** Default {@code adhoc}. */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** Default {@code none}. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /** Default true; false leaves the workdir a plain tree, and {@code diff()} unavailable. */
    public Builder gitRepository(boolean gitRepository) {
      this.gitRepository = gitRepository;
      return this;
    }

    /**
     * The workdir is the image's own {@code folder} (without its {@code .git}), at that path, with
     * {@code activation} run once to set up the agent's environment; default none (the repository's tree
     * at {@code /repo}).
     */
    public Builder imageTree(String folder, String activation) {
      this.imageTree = Objects.requireNonNull(folder, "folder");
      this.activation = Objects.requireNonNull(activation, "activation");
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(
          image, repository, baseCommit, memoryBytes, diskBytes, cpus, pidsLimit, outputLimitBytes, runId, taskId,
          gitRepository, null, imageTree, activation);
    }
  }
}
