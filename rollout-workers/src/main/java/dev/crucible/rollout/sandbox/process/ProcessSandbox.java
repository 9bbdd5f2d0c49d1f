package dev.crucible.rollout.sandbox.process;

import dev.crucible.rollout.sandbox.BoundedOutput;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.OpenSandboxes;
import dev.crucible.rollout.sandbox.RepositorySetup;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.ScratchFiles;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A sandbox in a temporary directory on the host. Commands run as subprocesses under
 * {@code timeout}, which kills their process group when time is up, with virtual memory capped by
 * {@code ulimit -v} and, when running as root, the network cut by a new network namespace
 * ({@code unshare -n}). There is no file-system isolation beyond the path checks of
 * {@link #readFile} and {@link #writeFile}, no process limit, no CPU limit, no disk quota, commands
 * run as the JVM's own user and can replace what the platform runs (git), and a process that leaves
 * its process group outlives its command: use it only where no Docker daemon can run, and only
 * with agents you trust. Commands get none of the JVM's environment. It is never chosen unless asked
 * for by name; the first one created logs a warning saying so.
 */
public final class ProcessSandbox implements Sandbox {
  private static final System.Logger LOG = System.getLogger(ProcessSandbox.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final int MAX_FILE_BYTES = 16 << 20;

  private final SandboxSpec spec;
  private final Path root;
  private final Path workdir;
  private final boolean isolateNetwork;
  private String baseCommit;
  private boolean closed;

  private ProcessSandbox(SandboxSpec spec, Path root, boolean isolateNetwork) {
    this.spec = spec;
    this.root = root;
    this.workdir = root.resolve("repo");
    this.isolateNetwork = isolateNetwork;
  }

  /**
   * Copies the repository at the base commit into a new temporary directory.
   *
   * @throws SandboxException of kind {@code REPOSITORY_SETUP} when that fails
   */
  public static ProcessSandbox create(SandboxSpec spec) {
    if (spec.imageTree() != null) {
      throw new SandboxException(
          Kind.IMAGE_NOT_FOUND, "task '" + spec.taskId() + "' works in " + spec.imageTree() + " of its own image " + spec.image()
              + ", which needs the docker backend");
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ProcessSandbox isolates far less than DockerSandbox: commands run on this host with no"
              + " container, no process or CPU limit, and the network cut only when running as root."
              + " Use it only where no Docker daemon can run.");
    }
    String commit = RepositorySetup.baseCommit(spec);
    Path root;
    try {
      root = Files.createTempDirectory("crucible-sandbox-");
      Files.createDirectory(root.resolve("repo"));
      Files.createDirectory(root.resolve("home"));
    } catch (IOException e) {
      throw new SandboxException(Kind.INTERNAL, "cannot create a temporary directory", e);
    }
    ProcessSandbox sandbox = new ProcessSandbox(spec, root, canUnshareNetwork());
    OpenSandboxes.opened(sandbox);
    try {
      if (commit != null) {
        sandbox.extract(commit);
      }
      if (spec.gitRepository()) {
        ExecResult init = sandbox.exec(RepositorySetup.INIT_SCRIPT, SETUP_TIMEOUT);
        if (!init.succeeded()) {
          throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot initialize the repository: " + init.stderr().strip());
        }
        sandbox.baseCommit = init.stdout().trim();
      }
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  @Override
  public String workdir() {
    return workdir.toString();
  }

  @Override
  public ExecResult exec(String command, Duration timeout) {
    Run run = run(command, timeout, spec.outputLimitBytes());
    return new ExecResult(
        run.exitCode(), run.stdout().text(), run.stderr().text(), run.stdout().totalBytes(), run.stderr().totalBytes(),
        run.millis(), run.timedOut(), false);
  }

  private record Run(int exitCode, BoundedOutput stdout, BoundedOutput stderr, long millis, boolean timedOut) {}

  private Run run(String command, Duration timeout, int outputLimit) {
    if (closed) {
      throw new SandboxException(Kind.CONTAINER_GONE, "sandbox " + root + " is closed");
    }
    List<String> argv = new ArrayList<>();
    if (isolateNetwork) {
      argv.addAll(List.of("unshare", "--net", "--"));
    }
    String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    long memoryKilobytes = spec.memoryBytes() / 1024;
    argv.addAll(List.of("timeout", "-k", "2", seconds, "sh", "-c", "ulimit -v " + memoryKilobytes + " && " + command));
    // No standard input, as in a container exec: tools such as ripgrep read stdin when it is a pipe.
    ProcessBuilder builder =
        new ProcessBuilder(argv).directory(workdir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // Nothing of the JVM's environment (credentials, tokens) reaches the agent's commands.
    builder.environment().clear();
    builder.environment().putAll(
        Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", root.resolve("home").toString(), "LANG", "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE", "1"));
    long start = System.nanoTime();
    try {
      Process process = builder.start();
      BoundedOutput stdout = new BoundedOutput(outputLimit);
      BoundedOutput stderr = new BoundedOutput(outputLimit);
      Thread stdoutPump = pump(process.getInputStream(), stdout);
      Thread stderrPump = pump(process.getErrorStream(), stderr);
      if (!process.waitFor(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
      stdoutPump.join(GRACE.toMillis());
      stderrPump.join(GRACE.toMillis());
      long millis = (System.nanoTime() - start) / 1_000_000;
      int exit = process.isAlive() ? 137 : process.exitValue();
      boolean timedOut = exit == 124 || (exit == 137 && millis >= timeout.toMillis());
      return new Run(exit, stdout, stderr, millis, timedOut);
    } catch (IOException e) {
      throw new SandboxException(Kind.INTERNAL, "cannot start a command in " + workdir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Kind.INTERNAL, "interrupted while running a command", e);
    }
  }

  @Override
  public byte[] readFile(String relativePath) {
    Path file = resolveInside(relativePath, true);
    try {
      if (!Files.isRegularFile(file)) {
        throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' is not a regular file");
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new SandboxException(
            Kind.BAD_REQUEST, "'" + relativePath + "' has " + size + " bytes; the limit is " + MAX_FILE_BYTES);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SandboxException(Kind.BAD_REQUEST, "cannot read '" + relativePath + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFile(String relativePath, byte[] content) {
    Path file = resolveInside(relativePath, false);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new SandboxException(Kind.BAD_REQUEST, "cannot write '" + relativePath + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String writeScratchFile(String name, byte[] content) {
    ScratchFiles.requirePlainName(name);
    try {
      Path scratch = Files.createDirectories(root.resolve("scratch"));
      return Files.write(scratch.resolve(name), content).toString();
    } catch (IOException e) {
      throw new SandboxException(Kind.INTERNAL, "cannot write scratch file " + name, e);
    }
  }

  @Override
  public String diff() {
    RepositorySetup.requireGit(spec);
    Run diff = run(RepositorySetup.diffScript(baseCommit), SETUP_TIMEOUT, RepositorySetup.DIFF_LIMIT_BYTES + 1);
    RepositorySetup.checkedDiff(diff.timedOut() ? 124 : diff.exitCode(), diff.stdout(), diff.stderr().text());
    return diff.stdout().text();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OpenSandboxes.closed(this);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        path.toFile().setWritable(true);
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete sandbox directory " + root, e);
    }
  }

  /** Whether commands can get a network namespace of their own: needs root and unshare. */
  private static boolean canUnshareNetwork() {
    try {
      Process probe = new ProcessBuilder("unshare", "--net", "--", "true").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void extract(String commit) {
    Process archive = RepositorySetup.archive(spec.repository(), commit, "");
    try {
      Process untar = new ProcessBuilder("tar", "-x", "-C", workdir.toString()).redirectErrorStream(true).start();
      try (InputStream in = archive.getInputStream(); var out = untar.getOutputStream()) {
        in.transferTo(out);
      }
      String untarOutput = new String(untar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (untar.waitFor() != 0) {
        throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot extract " + spec.repository() + ": " + untarOutput);
      }
    } catch (IOException e) {
      throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot copy " + spec.repository(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(Kind.INTERNAL, "interrupted while copying " + spec.repository(), e);
    } finally {
      RepositorySetup.awaitArchive(archive, spec.repository());
    }
  }

  @Override
  public String resolvePath(String relativePath, boolean mustExist) {
    return resolveInside(relativePath, mustExist).toString();
  }

  /** The file {@code relativePath} names, after checking that neither it nor a link on its way leaves the workdir. */
  private Path resolveInside(String relativePath, boolean mustExist) {
    Path path = workdir.resolve(WorkdirPaths.normalize(relativePath));
    try {
      Path realWorkdir = workdir.toRealPath();
      Path existing = path;
      while (!Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        if (mustExist) {
          throw new SandboxException(Kind.FILE_NOT_FOUND, "'" + relativePath + "' does not exist");
        }
        existing = existing.getParent();
      }
      Path real = existing.toRealPath();
      if (!real.startsWith(realWorkdir)) {
        throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' resolves outside the repository");
      }
      return real.resolve(existing.relativize(path));
    } catch (IOException e) {
      throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' resolves outside the repository", e);
    }
  }

  private static Thread pump(InputStream in, BoundedOutput output) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  output.write(buffer, 0, read);
                }
              } catch (IOException e) {
                // The process was killed; what was read so far is the output.
              }
            },
            "sandbox-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
