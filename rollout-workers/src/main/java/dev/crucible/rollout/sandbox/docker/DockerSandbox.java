package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import dev.crucible.rollout.sandbox.BoundedOutput;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.OpenSandboxes;
import dev.crucible.rollout.sandbox.RepositorySetup;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxLabels;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.ScratchFiles;
import dev.crucible.rollout.sandbox.ShellQuote;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A sandbox in its own container: network mode {@code none}, memory (without swap), CPU and process
 * limits, an init process that reaps orphans, no new privileges, never privileged, no host mounts. The
 * repository is copied in as a tar stream. {@link #close()} force-removes the container.
 */
public final class DockerSandbox implements Sandbox {
  static final String WORKDIR = "/repo";
  /** How long past a command's own timeout we wait for Docker to report it before calling Docker stuck. */
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_FILE_BYTES = 16 << 20;
  private static final List<String> ENV =
      List.of(
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "HOME=/root",
          "LANG=C.UTF-8",
          "PYTHONDONTWRITEBYTECODE=1");

  private final DockerClient client;
  private final SandboxSpec spec;
  private final String containerId;
  private String baseCommit;
  private long oomKillsSeen;
  private boolean closed;

  private DockerSandbox(DockerClient client, SandboxSpec spec, String containerId) {
    this.client = client;
    this.spec = spec;
    this.containerId = containerId;
  }

  /**
   * Creates, starts and fills a container. On any failure the container is removed before the
   * exception leaves.
   *
   * @throws SandboxException {@code DAEMON_UNAVAILABLE}, {@code IMAGE_NOT_FOUND} or
   *     {@code REPOSITORY_SETUP}
   */
  public static DockerSandbox create(DockerClient client, SandboxSpec spec) {
    String commit = spec.repository() == null ? null : RepositorySetup.resolveCommit(spec.repository(), spec.baseCommit());
    String id = createContainer(client, spec);
    DockerSandbox sandbox = new DockerSandbox(client, spec, id);
    OpenSandboxes.opened(sandbox);
    try {
      client.startContainerCmd(id).exec();
      sandbox.copyRepository(commit);
      sandbox.initRepository();
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e instanceof SandboxException sandboxError ? sandboxError : sandbox.translate(e, "start");
    }
  }

  /** The container's id. */
  public String containerId() {
    return containerId;
  }

  @Override
  public String workdir() {
    return WORKDIR;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) {
    ExecResult result = run(command, timeout, spec.outputLimitBytes());
    if (result.exitCode() >= 128 && !result.timedOut()) {
      long oomKills = readOomKills();
      if (oomKills > oomKillsSeen) {
        oomKillsSeen = oomKills;
        return new ExecResult(
            result.exitCode(), result.stdout(), result.stderr(), result.stdoutBytes(), result.stderrBytes(),
            result.durationMillis(), false, true);
      }
    }
    return result;
  }

  @Override
  public byte[] readFile(String relativePath) {
    String path = resolvePath(relativePath, true);
    try (InputStream tar = client.copyArchiveFromContainerCmd(containerId, path).exec();
        TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
      TarArchiveEntry entry = entries.getNextEntry();
      if (entry == null || !entry.isFile()) {
        throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' is not a regular file");
      }
      if (entry.getSize() > MAX_FILE_BYTES) {
        throw new SandboxException(
            Kind.BAD_REQUEST, "'" + relativePath + "' has " + entry.getSize() + " bytes; the limit is " + MAX_FILE_BYTES);
      }
      return entries.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw e instanceof SandboxException sandboxError ? sandboxError : translate(e, "read " + relativePath);
    }
  }

  @Override
  public void writeFile(String relativePath, byte[] content) {
    String path = resolvePath(relativePath, false);
    copyIn(WORKDIR, path.substring(WORKDIR.length() + 1), content);
  }

  /** Puts one file at {@code directory/relative} through a tar stream whose directory entries create missing parents. */
  private void copyIn(String directory, String relative, byte[] content) {
    try {
      ByteArrayOutputStream tar = new ByteArrayOutputStream(content.length + 1024);
      try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
          TarArchiveEntry parent = new TarArchiveEntry(relative.substring(0, slash + 1));
          parent.setMode(040755);
          out.putArchiveEntry(parent);
          out.closeArchiveEntry();
        }
        TarArchiveEntry entry = new TarArchiveEntry(relative);
        entry.setSize(content.length);
        entry.setMode(0644);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
      }
      client.copyArchiveToContainerCmd(containerId)
          .withRemotePath(directory)
          .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
          .exec();
    } catch (IOException | RuntimeException e) {
      throw translate(e, "write " + relative);
    }
  }

  @Override
  public String writeScratchFile(String name, byte[] content) {
    ScratchFiles.requirePlainName(name);
    copyIn("/tmp", "crucible/" + name, content);
    return "/tmp/crucible/" + name;
  }

  @Override
  public String diff() {
    RepositorySetup.requireGit(spec);
    return RepositorySetup.checkedDiff(
        run(RepositorySetup.diffScript(baseCommit), SETUP_TIMEOUT, RepositorySetup.DIFF_LIMIT_BYTES));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OpenSandboxes.closed(this);
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Already gone: the goal of close.
    } catch (RuntimeException e) {
      // Leave it to the sweeper: close must not mask the error that led here.
      System.getLogger(DockerSandbox.class.getName())
          .log(System.Logger.Level.WARNING, "cannot remove container " + containerId + "; the sweeper will", e);
    }
  }

  private static String createContainer(DockerClient client, SandboxSpec spec) {
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode("none")
            .withMemory(spec.memoryBytes())
            .withMemorySwap(spec.memoryBytes())
            .withNanoCPUs((long) (spec.cpus() * 1e9))
            .withPidsLimit((long) spec.pidsLimit())
            .withPrivileged(false)
            .withInit(true)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withCapDrop(Capability.NET_RAW, Capability.MKNOD, Capability.AUDIT_WRITE, Capability.SYS_CHROOT, Capability.SETFCAP);
    try {
      return client.createContainerCmd(spec.image())
          .withCmd("sleep", "infinity")
          // Docker creates the working directory at start, so an empty sandbox needs no copy.
          .withWorkingDir(WORKDIR)
          .withEnv(ENV)
          .withLabels(SandboxLabels.of(spec))
          .withNetworkDisabled(true)
          .withHostConfig(host)
          .exec()
          .getId();
    } catch (NotFoundException e) {
      throw new SandboxException(
          Kind.IMAGE_NOT_FOUND, "image '" + spec.image() + "' is not on the daemon; run 'crucible images build'", e);
    } catch (RuntimeException e) {
      throw new SandboxException(
          Kind.DAEMON_UNAVAILABLE, "cannot create a container (" + DockerClients.rootMessage(e) + ")", e);
    }
  }

  private void copyRepository(String commit) {
    if (commit == null) {
      return;
    }
    Process archive = RepositorySetup.archive(spec.repository(), commit, WORKDIR.substring(1) + "/");
    try (InputStream tar = archive.getInputStream()) {
      client.copyArchiveToContainerCmd(containerId).withRemotePath("/").withTarInputStream(tar).exec();
    } catch (IOException e) {
      throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot copy " + spec.repository() + " in", e);
    } finally {
      RepositorySetup.awaitArchive(archive, spec.repository());
    }
  }

  private void initRepository() {
    if (!spec.gitRepository()) {
      return;
    }
    ExecResult result = run(RepositorySetup.INIT_SCRIPT, SETUP_TIMEOUT, 4096);
    requireSuccess(result, "initialize the repository");
    baseCommit = result.stdout().trim();
  }

  private static void requireSuccess(ExecResult result, String what) {
    if (!result.succeeded()) {
      throw new SandboxException(
          Kind.REPOSITORY_SETUP, "cannot " + what + " (exit " + result.exitCode() + "): " + result.stderr().strip());
    }
  }

  @Override
  public String resolvePath(String relativePath, boolean mustExist) {
    String normalized = WorkdirPaths.normalize(relativePath);
    ExecResult resolved =
        run("realpath " + (mustExist ? "-e" : "-m") + " -- " + ShellQuote.quote(normalized), SETUP_TIMEOUT, 8192);
    if (!resolved.succeeded()) {
      throw new SandboxException(Kind.FILE_NOT_FOUND, "'" + relativePath + "' does not exist");
    }
    String path = resolved.stdout().strip();
    if (!path.equals(WORKDIR) && !path.startsWith(WORKDIR + "/")) {
      throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' resolves outside the repository");
    }
    return path;
  }

  /** Runs a command under {@code timeout}, which kills its whole process group when time is up. */
  private ExecResult run(String command, Duration timeout, int outputLimit) {
    if (closed) {
      throw new SandboxException(Kind.CONTAINER_GONE, "sandbox " + containerId + " is closed");
    }
    String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    long start = System.nanoTime();
    OutputCollector output = new OutputCollector(outputLimit);
    try {
      String execId =
          client.execCreateCmd(containerId)
              .withCmd("timeout", "-k", "2", seconds, "sh", "-c", command)
              .withWorkingDir(WORKDIR)
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      client.execStartCmd(execId).exec(output);
      if (!output.awaitCompletion(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
        SandboxException stuck =
            new SandboxException(
                Kind.DAEMON_UNAVAILABLE,
                "Docker did not report the end of a command " + GRACE.toSeconds() + " s past its timeout");
        try {
          output.close();
        } catch (IOException closeError) {
          stuck.addSuppressed(closeError);
        }
        throw stuck;
      }
      Long exitCode = client.inspectExecCmd(execId).exec().getExitCodeLong();
      long millis = (System.nanoTime() - start) / 1_000_000;
      int exit = exitCode == null ? -1 : exitCode.intValue();
      boolean timedOut = exit == 124 || (exit == 137 && millis >= timeout.toMillis());
      return new ExecResult(
          exit, output.stdout.text(), output.stderr.text(), output.stdout.totalBytes(), output.stderr.totalBytes(),
          millis, timedOut, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Kind.INTERNAL, "interrupted while running a command", e);
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "run a command");
    }
  }

  private long readOomKills() {
    ExecResult counters =
        run("cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null", SETUP_TIMEOUT, 8192);
    for (String line : counters.stdout().split("\n")) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).trim());
      }
    }
    return 0;
  }

  /** Maps a docker-java failure to a typed error, looking at the container to tell why. */
  private SandboxException translate(Exception error, String action) {
    String message = "cannot " + action + " in container " + containerId + " (" + DockerClients.rootMessage(error) + ")";
    if (error instanceof NotFoundException) {
      return new SandboxException(Kind.CONTAINER_GONE, message, error);
    }
    if (error instanceof ConflictException) {
      try {
        InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerId).exec().getState();
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
          return new SandboxException(Kind.OUT_OF_MEMORY, message, error);
        }
      } catch (RuntimeException inspectError) {
        error.addSuppressed(inspectError);
      }
      return new SandboxException(Kind.CONTAINER_GONE, message, error);
    }
    if (error instanceof IOException) {
      return new SandboxException(Kind.INTERNAL, message, error);
    }
    return new SandboxException(Kind.DAEMON_UNAVAILABLE, message, error);
  }

  /** Collects stdout and stderr frames into bounded buffers. */
  private static final class OutputCollector extends ResultCallback.Adapter<Frame> {
    final BoundedOutput stdout;
    final BoundedOutput stderr;

    OutputCollector(int limit) {
      stdout = new BoundedOutput(limit);
      stderr = new BoundedOutput(limit);
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (frame.getStreamType() == StreamType.STDERR) {
        stderr.write(payload);
      } else {
        stdout.write(payload);
      }
    }
  }
}
