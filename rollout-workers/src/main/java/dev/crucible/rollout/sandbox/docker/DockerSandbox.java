package dev.crucible.rollout.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import dev.crucible.rollout.sandbox.BinaryPaths;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.ImageLimits;
import dev.crucible.rollout.sandbox.OpenSandboxes;
import dev.crucible.rollout.sandbox.RepositorySetup;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException.Kind;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.SandboxLabels;
import dev.crucible.rollout.sandbox.SandboxSpec;
import dev.crucible.rollout.sandbox.ScratchFiles;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sandbox in its own container. What the agent's commands can do, and what they cannot:
 *
 * <ul>
 *   <li>They run as an unprivileged user ({@value #AGENT_USER}) with no capabilities and no way to gain
 *       any (no new privileges). The container's init and every platform command run as root, out of
 *       the agent's reach, so no command of the agent's can stop the container.
 *   <li>The image's file system is read-only: the agent can replace no binary the platform runs. It can
 *       write only the workdir ({@value #REPOSITORY_WORKDIR}, or an image tree's folder) and {@code /tmp}, memory-backed file systems of
 *       {@link SandboxSpec#diskBytes()} each, so a disk bomb fills its own quota and no host disk. The
 *       container writes no log on the host.
 *   <li>No network, memory (without swap), CPU and process limits, never privileged, no host mounts.
 *   <li>When a command ends (or times out) every process of the agent user is killed, whatever it did
 *       to escape its process group (setsid, double fork, background jobs), and the command returns when
 *       its own process exits, even if children held its output open.
 *   <li>The final patch comes from a git directory only root can read ({@code /crucible/git}), with
 *       repository-level attributes neutralized and no external diff or text conversion: nothing the
 *       agent writes in the workdir (its own {@code .git}, {@code .gitattributes}) changes what the
 *       patch says.
 *   <li>File reads and writes for the tools run as the agent user, confined to the workdir.
 * </ul>
 *
 * <p>A sandbox of an image tree ({@link SandboxSpec#imageTree()}, a SWE-bench image's {@code /testbed})
 * has its workdir at that folder's path, so what the image installed from it (an editable install)
 * still finds it; the folder's files are copied out of the created container before it starts and
 * unpacked, without the image's {@code .git} (whose history may hold the fix), into the memory-backed
 * workdir that hides the original. The agent's commands see the image's own environment with the spec's
 * activation applied, captured once as the agent; the platform's commands keep their own.
 *
 * {@link #close()} force-removes the container.
 */
public final class DockerSandbox implements Sandbox {
  /** The workdir of a sandbox made from a repository. */
  static final String REPOSITORY_WORKDIR = "/repo";
  /** The agent's user and group ids: an ordinary user, not in the image's password file. */
  static final String AGENT_USER = "1000:1000";
  private static final String PLATFORM_GIT_DIR = "/crucible/git";
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_FILE_BYTES = 16 << 20;
  private static final int SMALL_OUTPUT = 64 * 1024;
  /** Python leaves no {@code __pycache__} in the tree, where it would join the agent's change. */
  private static final String NO_BYTECODE = "PYTHONDONTWRITEBYTECODE=1";
  private static final List<String> ENV =
      List.of(
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "HOME=/root",
          "LANG=C.UTF-8",
          NO_BYTECODE);
  /** What the agent's commands see, on top of {@link #ENV}: a home it can write. */
  private static final List<String> AGENT_ENV = List.of("HOME=/tmp", "USER=agent", "LOGNAME=agent");
  /** Variables of a shell's own that are no part of the environment captured for the agent. */
  private static final List<String> SHELL_OWN = List.of("PWD", "OLDPWD", "SHLVL", "_");

  /**
   * Kills every process of the agent user but itself, run as that user with the command's exit status
   * as argument 1, which it exits with. {@code kill -9 -1} reaches all of the user's processes and
   * nothing else, but not those forked while it runs (a fork bomb), so it repeats until a scan of
   * {@code /proc} (shell built-ins only: no fork, which a full process limit would refuse) finds none
   * left, for at most 50 passes.
   */
  private static final String KILL_AGENT_PROCESSES =
      "pass=0; while [ $pass -lt 50 ]; do pass=$((pass+1)); kill -9 -1 2>/dev/null; left=0;"
          + " for s in /proc/[0-9]*/status; do [ \"$s\" = /proc/$$/status ] && continue;"
          + " while read -r key uid _; do [ \"$key\" = Uid: ] && { [ \"$uid\" = 1000 ] && left=1; break; }; done 2>/dev/null <\"$s\";"
          + " done; [ $left = 0 ] && break; done; exit \"$1\"";

  /**
   * Runs an agent command (argument 2) in the workdir (argument 3) for at most argument 1 seconds as the agent user, then kills
   * every process of that user. Run as root, which becomes the agent user by {@code exec} for the
   * kill: a fork could fail while the agent's processes fill the process limit. {@code timeout} stays root, so the
   * command's own {@code kill -9 -1} cannot end the wait for it while it still runs (and lose what it prints next).
   */
  private static final String AGENT_COMMAND =
      "cd \"$3\" || exit 125\n"
          + "HOME=/tmp USER=agent LOGNAME=agent /usr/bin/timeout -k 2 \"$1\""
          + " /usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all /bin/sh -c \"$2\" </dev/null &\n"
          + "wait $!\n"
          + "exec /usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all /bin/sh -c '"
          + KILL_AGENT_PROCESSES + "' sh \"$?\"\n";

  /** Makes the platform's git directory at the base: prints the base commit. Run as root. */
  private static final String PLATFORM_GIT_INIT =
      "git init -q && printf '%s\\n' '* !text !eol !filter !ident !diff !merge !working-tree-encoding'"
          + " > " + PLATFORM_GIT_DIR + "/info/attributes"
          + " && git add -A && git -c user.name=crucible -c user.email=crucible@localhost commit -q --no-verify --allow-empty -m base"
          + " && git rev-parse HEAD";

  private final DockerClient client;
  private SandboxSpec spec; // Its shape until fill() gives it a task.
  private final String containerId;
  private final DockerExec docker;
  private final String workdir;
  /** The environment of the agent's commands: {@link #ENV}, or an image tree's activated environment. */
  private List<String> agentEnvironment = ENV;
  /** An image tree's files, taken from the container before it started, until {@link #fill} unpacks them. */
  private Path imageTreeArchive;
  private String baseCommit;
  private long oomKillsSeen;
  private boolean closed;

  private DockerSandbox(DockerClient client, SandboxSpec spec, String containerId) {
    this.client = client;
    this.spec = spec;
    this.containerId = containerId;
    this.docker = new DockerExec(client, containerId);
    this.workdir = workdirOf(spec);
  }

  private static String workdirOf(SandboxSpec spec) {
    return spec.imageTree() == null ? REPOSITORY_WORKDIR : spec.imageTree();
  }

  /**
   * Creates, starts and fills a container. On any failure the container is removed before the
   * exception leaves.
   *
   * @throws SandboxException {@code DAEMON_UNAVAILABLE}, {@code IMAGE_NOT_FOUND} or
   *     {@code REPOSITORY_SETUP}
   */
  public static DockerSandbox create(DockerClient client, SandboxSpec spec) {
    String commit = RepositorySetup.baseCommit(spec);
    if (spec.imageTree() != null) {
      // A row's own image, as its evaluation pulls it when the daemon lacks it.
      ImageContainer.requireImage(client, spec.image(), ImageLimits.DEFAULT.pullAttempts(),
          message -> System.getLogger(DockerSandbox.class.getName()).log(System.Logger.Level.INFO, spec.image() + ": " + message));
    }
    DockerSandbox sandbox = start(client, spec);
    sandbox.fill(spec, commit);
    return sandbox;
  }

  /**
   * Creates and starts a container with an empty workdir, made to {@code shape}'s image, limits, runtime
   * and labels; {@link #fill} gives it a task. On any failure the container is removed before the
   * exception leaves.
   */
  static DockerSandbox start(DockerClient client, SandboxSpec shape) {
    String id = createContainer(client, shape);
    DockerSandbox sandbox = new DockerSandbox(client, shape, id);
    OpenSandboxes.opened(sandbox);
    try {
      if (shape.imageTree() != null) {
        sandbox.saveImageTree();
      }
      client.startContainerCmd(id).exec();
      sandbox.requireTools();
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e instanceof SandboxException sandboxError ? sandboxError : sandbox.translate(e, "start");
    }
  }

  /**
   * Copies {@code spec}'s repository at {@code commit} (resolved) into the started, still empty workdir
   * and makes the git directories; from then on the sandbox serves {@code spec}. On any failure the
   * container is removed before the exception leaves.
   */
  void fill(SandboxSpec spec, String commit) {
    this.spec = spec;
    try {
      copyRepository(commit);
      unpackImageTree();
      initRepository();
    } catch (RuntimeException e) {
      close();
      throw e instanceof SandboxException sandboxError ? sandboxError : translate(e, "start");
    }
  }

  /** The container's id. */
  public String containerId() {
    return containerId;
  }

  @Override
  public String workdir() {
    return workdir;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) {
    requireOpen();
    String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    DockerExec.Result run;
    try {
      run =
          docker.run(
              DockerExec.ROOT, workdir, agentEnvironment, List.of("/bin/sh", "-c", AGENT_COMMAND, "crucible-exec", seconds, command, workdir), null,
              spec.outputLimitBytes(), timeout);
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "run a command");
    }
    boolean timedOut = run.exitCode() == 124 || (run.exitCode() == 137 && run.millis() >= timeout.toMillis());
    boolean oomKilled = false;
    if (run.exitCode() >= 128 && !timedOut) {
      long oomKills = readOomKills();
      oomKilled = oomKills > oomKillsSeen;
      oomKillsSeen = oomKills;
    }
    return new ExecResult(
        run.exitCode(), run.stdout().text(), run.stderr().text(), run.stdout().totalBytes(), run.stderr().totalBytes(),
        run.millis(), timedOut, oomKilled);
  }

  @Override
  public byte[] readFile(String relativePath) {
    String path = resolvePath(relativePath, true);
    // At most one byte past the limit, so a huge file costs nothing to refuse (and no stat, which
    // gVisor's older releases refuse).
    DockerExec.Result read =
        asAgent("[ -f \"$1\" ] || exit 3\nexec head -c " + (MAX_FILE_BYTES + 1) + " -- \"$1\"", List.of(path), null, MAX_FILE_BYTES + 1024);
    if (read.exitCode() == 3) {
      throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' is not a regular file");
    }
    if (!read.succeeded()) {
      throw new SandboxException(Kind.BAD_REQUEST, "cannot read '" + relativePath + "': " + read.stderr().text().strip());
    }
    if (read.stdout().totalBytes() > MAX_FILE_BYTES) {
      throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' has more than " + MAX_FILE_BYTES + " bytes, the limit");
    }
    return read.stdout().bytes();
  }

  @Override
  public void writeFile(String relativePath, byte[] content) {
    String path = resolvePath(relativePath, false);
    DockerExec.Result written =
        asAgent(
            "mkdir -p -- \"$(dirname -- \"$1\")\" && head -c " + content.length + " > \"$1\"",
            List.of(path), DockerExec.input(content), SMALL_OUTPUT);
    if (!written.succeeded()) {
      throw new SandboxException(Kind.BAD_REQUEST, "cannot write '" + relativePath + "': " + written.stderr().text().strip());
    }
  }

  @Override
  public String writeScratchFile(String name, byte[] content) {
    ScratchFiles.requirePlainName(name);
    String path = "/tmp/crucible/" + name;
    DockerExec.Result written =
        asAgent("mkdir -p /tmp/crucible && head -c " + content.length + " > \"$1\"", List.of(path), DockerExec.input(content), SMALL_OUTPUT);
    if (!written.succeeded()) {
      throw new SandboxException(Kind.INTERNAL, "cannot write scratch file " + path + ": " + written.stderr().text().strip());
    }
    return path;
  }

  /**
   * The change, byte for byte: files whose diff would not be UTF-8 text go as git binary patches
   * ({@link BinaryPaths}), so the patch survives being stored and shipped as text.
   */
  @Override
  public String diff() {
    RepositorySetup.requireGit(spec);
    byte[] diff = platformDiff();
    if (BinaryPaths.isUtf8(diff)) {
      return new String(diff, StandardCharsets.UTF_8);
    }
    String attributes = BinaryPaths.attributes(diff);
    DockerExec.Result marked =
        platformCommand("head -c " + attributes.length() + " >> " + PLATFORM_GIT_DIR + "/info/attributes",
            DockerExec.input(attributes.getBytes(StandardCharsets.US_ASCII)), SMALL_OUTPUT);
    requireSuccess(marked, "mark the files that are not text");
    return new String(platformDiff(), StandardCharsets.UTF_8);
  }

  private byte[] platformDiff() {
    DockerExec.Result diff = platformCommand(RepositorySetup.diffScript(baseCommit), null, RepositorySetup.DIFF_LIMIT_BYTES + 1);
    RepositorySetup.checkedDiff(diff.exitCode(), diff.stdout(), diff.stderr().text());
    return diff.stdout().bytes();
  }

  /** What the platform's git sees: no system or user configuration the agent could have written. */
  private List<String> platformGitEnvironment() {
    return List.of(
        "GIT_DIR=" + PLATFORM_GIT_DIR, "GIT_WORK_TREE=" + workdir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=/crucible");
  }

  /** A script run as root with the platform's git directory, in the workdir. */
  private DockerExec.Result platformCommand(String script, InputStream stdin, int outputLimit) {
    requireOpen();
    try {
      return docker.run(DockerExec.ROOT, workdir, concat(ENV, platformGitEnvironment()), List.of("/bin/sh", "-c", script), stdin, outputLimit,
          SETUP_TIMEOUT);
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "compute the diff");
    }
  }

  @Override
  public String resolvePath(String relativePath, boolean mustExist) {
    String normalized = WorkdirPaths.normalize(relativePath);
    DockerExec.Result resolved =
        asAgent("exec realpath " + (mustExist ? "-e" : "-m") + " -- \"$1\"", List.of(normalized), null, SMALL_OUTPUT);
    if (!resolved.succeeded()) {
      throw new SandboxException(Kind.FILE_NOT_FOUND, "'" + relativePath + "' does not exist");
    }
    String path = resolved.stdout().text().strip();
    if (!path.equals(workdir) && !path.startsWith(workdir + "/")) {
      throw new SandboxException(Kind.BAD_REQUEST, "'" + relativePath + "' resolves outside the repository");
    }
    return path;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OpenSandboxes.closed(this);
    DockerClients.removeContainer(client, containerId);
    deleteImageTreeArchive();
  }

  private static String createContainer(DockerClient client, SandboxSpec spec) {
    String workdir = workdirOf(spec);
    String size = "size=" + spec.diskBytes();
    // The platform's git holds the base and every change the agent can make: twice the workdir's quota.
    String platformSize = "size=" + 2 * spec.diskBytes();
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode("none")
            .withMemory(spec.memoryBytes())
            .withMemorySwap(spec.memoryBytes())
            .withNanoCPUs((long) (spec.cpus() * 1e9))
            .withPidsLimit((long) spec.pidsLimit())
            .withPrivileged(false)
            .withInit(true)
            .withReadonlyRootfs(true)
            .withTmpFs(
                Map.of(
                    workdir, "rw,exec,nosuid,nodev," + size + ",uid=1000,gid=1000,mode=0755",
                    "/tmp", "rw,exec,nosuid,nodev," + size + ",mode=1777",
                    "/crucible", "rw,noexec,nosuid,nodev," + platformSize + ",mode=0700"))
            .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
            .withSecurityOpts(List.of("no-new-privileges"))
            .withCapDrop(Capability.NET_RAW, Capability.MKNOD, Capability.AUDIT_WRITE, Capability.SYS_CHROOT, Capability.SETFCAP);
    if (spec.runtime() != null) {
      host.withRuntime(spec.runtime());
    }
    try {
      var create = client.createContainerCmd(spec.image())
          .withCmd("sleep", "infinity")
          .withWorkingDir(workdir)
          .withUser(DockerExec.ROOT)
          .withLabels(SandboxLabels.of(spec))
          .withNetworkDisabled(true)
          .withHostConfig(host);
      // An image tree's commands need the image's own environment (its PATH to the project's interpreter).
      return (spec.imageTree() == null ? create.withEnv(ENV) : create).exec().getId();
    } catch (NotFoundException e) {
      throw new SandboxException(
          Kind.IMAGE_NOT_FOUND, "image '" + spec.image() + "' is not on the daemon; run 'crucible images build'", e);
    } catch (RuntimeException e) {
      throw new SandboxException(
          Kind.DAEMON_UNAVAILABLE, "cannot create a container (" + DockerClients.rootMessage(e) + ")", e);
    }
  }

  /** The image must have what runs the agent's commands as another user; without it nothing could run. */
  private void requireTools() {
    DockerExec.Result check =
        docker.run(DockerExec.ROOT, "/", ENV, List.of("/bin/sh", "-c", "[ -x /usr/bin/setpriv ] && [ -x /usr/bin/timeout ]"), null,
            SMALL_OUTPUT, SETUP_TIMEOUT);
    if (!check.succeeded()) {
      throw new SandboxException(
          Kind.IMAGE_NOT_FOUND, "image '" + spec.image() + "' lacks /usr/bin/setpriv or /usr/bin/timeout (util-linux, coreutils)");
    }
  }

  /** Unpacks the base commit's tree into the workdir, as the agent user, which then owns every file. */
  private void copyRepository(String commit) {
    if (commit == null) {
      return;
    }
    Process archive = RepositorySetup.archive(spec.repository(), commit, "");
    DockerExec.Result unpacked;
    try (InputStream tar = archive.getInputStream()) {
      unpacked = docker.run(AGENT_USER, workdir, ENV, List.of("tar", "-x", "-f", "-"), tar, SMALL_OUTPUT, SETUP_TIMEOUT);
    } catch (IOException e) {
      throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot copy " + spec.repository() + " in", e);
    } finally {
      RepositorySetup.awaitArchive(archive, spec.repository());
    }
    requireSuccess(unpacked, "copy " + spec.repository() + " in");
  }

  /** Copies the image tree's files out of the created, not yet started, container: once started, the workdir hides them. */
  private void saveImageTree() {
    try {
      imageTreeArchive = Files.createTempFile("crucible-image-tree-", ".tar");
      try (InputStream tar = client.copyArchiveFromContainerCmd(containerId, spec.imageTree()).exec()) {
        Files.copy(tar, imageTreeArchive, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (NotFoundException e) {
      throw new SandboxException(Kind.IMAGE_NOT_FOUND, "image '" + spec.image() + "' has no " + spec.imageTree(), e);
    } catch (IOException e) {
      throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot copy " + spec.imageTree() + " out of image '" + spec.image() + "'", e);
    }
  }

  /**
   * Unpacks the saved image tree into the workdir as the agent user, which then owns every file, without
   * the image's {@code .git}; then captures the agent's environment with the spec's activation applied.
   */
  private void unpackImageTree() {
    if (imageTreeArchive == null) {
      return;
    }
    String folder = Path.of(spec.imageTree()).getFileName().toString();
    DockerExec.Result unpacked;
    try (InputStream tar = Files.newInputStream(imageTreeArchive)) {
      // The input's end does not reach the command, and Docker's archive is not padded to tar's record:
      // head stops at its size and ends the pipe.
      // An image without the folder has it as an empty mount point: nothing to work on.
      String unpack = "head -c " + Files.size(imageTreeArchive) + " | tar -x -f - --no-same-owner --strip-components=1 --exclude=\"$1/.git\""
          + " && { [ -n \"$(ls -A)\" ] || exit 3; }";
      unpacked = docker.run(AGENT_USER, workdir, concat(ENV, AGENT_ENV), List.of("/bin/sh", "-c", unpack, "crucible", folder), tar, SMALL_OUTPUT,
          SETUP_TIMEOUT);
    } catch (IOException e) {
      throw new SandboxException(Kind.REPOSITORY_SETUP, "cannot read the copy of " + spec.imageTree(), e);
    } finally {
      deleteImageTreeArchive();
    }
    if (unpacked.exitCode() == 3) {
      throw new SandboxException(Kind.IMAGE_NOT_FOUND, "image '" + spec.image() + "' has no " + spec.imageTree() + " or it is empty");
    }
    requireSuccess(unpacked, "unpack " + spec.imageTree() + " of image '" + spec.image() + "'");
    agentEnvironment = activatedEnvironment();
  }

  /**
   * The image's environment as the agent's shell sees it after the spec's activation: the activation
   * run by bash as the agent user in the workdir, then every variable but the shell's own, read back
   * NUL-separated so no value can forge another.
   */
  private List<String> activatedEnvironment() {
    String script = (spec.activation().isBlank() ? "" : "set +eu\n" + spec.activation() + "\n") + "exec env -0";
    DockerExec.Result captured =
        docker.run(AGENT_USER, workdir, concat(AGENT_ENV, List.of(NO_BYTECODE)), List.of(spec.activation().isBlank() ? "/bin/sh" : "/bin/bash", "-c", script), null,
            SMALL_OUTPUT, SETUP_TIMEOUT);
    requireSuccess(captured, "activate the image's environment");
    List<String> environment = new java.util.ArrayList<>();
    // The raw bytes: text() shows a NUL as a visible symbol.
    for (String variable : new String(captured.stdout().bytes(), StandardCharsets.UTF_8).split("\0")) {
      int equals = variable.indexOf('=');
      if (equals > 0 && !SHELL_OWN.contains(variable.substring(0, equals))) {
        environment.add(variable);
      }
    }
    return List.copyOf(environment);
  }

  private void deleteImageTreeArchive() {
    if (imageTreeArchive != null) {
      try {
        Files.deleteIfExists(imageTreeArchive);
      } catch (IOException e) {
        System.getLogger(DockerSandbox.class.getName()).log(System.Logger.Level.WARNING, "cannot delete " + imageTreeArchive, e);
      }
      imageTreeArchive = null;
    }
  }

  /** The agent's own one-commit repository, and the platform's at the same tree; none for a plain tree. */
  private void initRepository() {
    if (!spec.gitRepository()) {
      return;
    }
    DockerExec.Result platform = platformCommand(PLATFORM_GIT_INIT, null, SMALL_OUTPUT);
    requireSuccess(platform, "prepare the platform's git directory");
    baseCommit = platform.stdout().text().strip();
    DockerExec.Result agent =
        docker.run(AGENT_USER, workdir, concat(ENV, AGENT_ENV), List.of("/bin/sh", "-c", RepositorySetup.INIT_SCRIPT), null,
            SMALL_OUTPUT, SETUP_TIMEOUT);
    requireSuccess(agent, "initialize the repository");
  }

  private static void requireSuccess(DockerExec.Result result, String what) {
    if (!result.succeeded()) {
      throw new SandboxException(
          Kind.REPOSITORY_SETUP, "cannot " + what + " (exit " + result.exitCode() + "): " + result.stderr().text().strip());
    }
  }

  /** A short platform script run as the agent user, with {@code arguments} as {@code $1…}. */
  private DockerExec.Result asAgent(String script, List<String> arguments, InputStream stdin, int outputLimit) {
    requireOpen();
    List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", script, "crucible"));
    argv.addAll(arguments);
    try {
      return docker.run(AGENT_USER, workdir, concat(ENV, AGENT_ENV), argv, stdin, outputLimit, SETUP_TIMEOUT);
    } catch (SandboxException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "reach the workdir");
    }
  }

  private long readOomKills() {
    DockerExec.Result counters;
    try {
      counters =
          docker.run(
              DockerExec.ROOT, "/", ENV,
              List.of("/bin/sh", "-c", "cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null"),
              null, SMALL_OUTPUT, SETUP_TIMEOUT);
    } catch (RuntimeException e) {
      throw translate(e, "read the memory counters");
    }
    for (String line : counters.stdout().text().split("\n")) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).trim());
      }
    }
    return 0;
  }

  private void requireOpen() {
    if (closed) {
      throw new SandboxException(Kind.CONTAINER_GONE, "sandbox " + containerId + " is closed");
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /**
   * Maps a docker-java failure to a typed error: a container that is not running is classified by
   * {@link ContainerEnd}; one removed is {@link Kind#CONTAINER_GONE}.
   */
  private SandboxException translate(Exception error, String action) {
    String message = "cannot " + action + " in container " + containerId + " (" + DockerClients.rootMessage(error) + ")";
    if (error instanceof NotFoundException) {
      return new SandboxException(Kind.CONTAINER_GONE, message, error);
    }
    if (error instanceof ConflictException) {
      return ContainerEnd.classify(client, containerId, message, error);
    }
    return new SandboxException(Kind.DAEMON_UNAVAILABLE, message, error);
  }
}
