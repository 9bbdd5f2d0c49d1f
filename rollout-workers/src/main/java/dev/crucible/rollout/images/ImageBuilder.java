package dev.crucible.rollout.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.crucible.rollout.sandbox.docker.DockerClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes sandbox images. Offline by default: {@code debootstrap} of a minimal Debian with the recipe's
 * packages from the machine's own Debian mirror, then {@code docker import} with the recipe label. No
 * registry is contacted. Where one is reachable, the recipe's Dockerfile builds the same image.
 */
public final class ImageBuilder {
  /** How to build. */
  public enum Method {
    /** debootstrap + docker import; needs root, debootstrap and a Debian mirror. */
    DEBOOTSTRAP,
    /** docker build of the recipe's Dockerfile; needs a registry for the base image. */
    DOCKERFILE
  }

  /** What {@link #ensure} did. */
  public enum Result {
    UP_TO_DATE,
    BUILT
  }

  static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
  private static final Pattern SOURCES_URI = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
  private static final Pattern LIST_URI = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+\\S+");

  private final DockerClient client;
  private final PrintStream progress;

  public ImageBuilder(DockerClient client, PrintStream progress) {
    this.client = client;
    this.progress = progress;
  }

  /** The recipe version the image on the daemon was built from, if the image exists. */
  public Optional<String> installedVersion(ImageRecipe recipe) {
    try {
      Map<String, String> labels = client.inspectImageCmd(recipe.name()).exec().getConfig().getLabels();
      return Optional.of(labels == null ? "" : labels.getOrDefault(ImageRecipe.LABEL, ""));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Builds the image unless it exists from the current recipe.
   *
   * @param rebuild build even when the image is up to date
   * @param mirror Debian mirror for debootstrap, or {@code null} for the one this machine's apt uses
   * @throws ImageBuildException naming what is missing or what failed
   */
  public Result ensure(ImageRecipe recipe, boolean rebuild, Method method, String mirror) {
    DockerClients.requireDaemon(client);
    Optional<String> installed = installedVersion(recipe);
    if (!rebuild && installed.isPresent() && installed.get().equals(recipe.version())) {
      progress.printf("images: %s is up to date (recipe %s)%n", recipe.name(), recipe.version());
      return Result.UP_TO_DATE;
    }
    progress.printf(
        "images: building %s (recipe %s%s) with %s%n",
        recipe.name(), recipe.version(),
        installed.map(v -> v.isEmpty() ? ", replacing an unlabelled image" : ", replacing recipe " + v).orElse(""),
        method.name().toLowerCase(java.util.Locale.ROOT));
    long start = System.nanoTime();
    switch (method) {
      case DEBOOTSTRAP -> buildWithDebootstrap(recipe, mirror == null ? machineMirror() : mirror);
      case DOCKERFILE -> buildWithDockerfile(recipe);
    }
    progress.printf("images: built %s in %.0f s%n", recipe.name(), (System.nanoTime() - start) / 1e9);
    return Result.BUILT;
  }

  private void buildWithDebootstrap(ImageRecipe recipe, String mirror) {
    requireRoot();
    String debootstrap =
        executable("debootstrap", "install it with 'apt-get install debootstrap', or build with --dockerfile");
    executable("docker", "install the Docker command line ('apt-get install docker.io')");
    Path rootfs = temporaryDirectory("crucible-rootfs-");
    try {
      run(
          "debootstrap",
          List.of(
              debootstrap, "--variant=minbase", "--include=" + String.join(",", recipe.packages()),
              recipe.suite(), rootfs.toString(), mirror));
      run(
          "docker import",
          List.of(
              "sh", "-c", "tar -C \"$1\" -c . | docker import -c \"LABEL $2=$3\" - \"$4\"", "import",
              rootfs.toString(), ImageRecipe.LABEL, recipe.version(), recipe.name()));
    } finally {
      deleteTree(rootfs);
    }
  }

  private void buildWithDockerfile(ImageRecipe recipe) {
    executable("docker", "install the Docker command line");
    Path context = temporaryDirectory("crucible-image-");
    try {
      Files.writeString(context.resolve("Dockerfile"), recipe.dockerfile());
      Files.write(context.resolve("packages.txt"), recipe.packages());
      run(
          "docker build",
          List.of("docker", "build", "--build-arg", "RECIPE=" + recipe.version(), "-t", recipe.name(), context.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build context in " + context, e);
    } finally {
      deleteTree(context);
    }
  }

  /**
   * Runs a build step, echoing the first line of each of its phases (the second word of a line, as in
   * debootstrap's {@code I: Retrieving …}), and fails with its last lines.
   */
  private void run(String step, List<String> command) {
    Deque<String> lastLines = new ArrayDeque<>();
    Set<String> phasesSeen = new HashSet<>();
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        int count = 0;
        while ((line = lines.readLine()) != null) {
          count++;
          if (lastLines.size() == 30) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
          String[] words = line.split("\\s+", 3);
          if (phasesSeen.add(words.length > 1 ? words[1] : line)) {
            progress.printf(
                "images: %s: %s (line %d)%n", step, line.length() > 120 ? line.substring(0, 120) + "..." : line, count);
          }
        }
        int exit = process.waitFor();
        if (exit != 0) {
          throw new ImageBuildException(
              step + " failed with exit code " + exit + " after " + count + " lines; last lines:\n  "
                  + String.join("\n  ", lastLines));
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot run " + step + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted during " + step);
    }
  }

  /** The Debian mirror this machine's apt uses, so debootstrap works wherever apt does. */
  static String machineMirror() {
    return mirrorFrom(read(Path.of("/etc/apt/sources.list.d/debian.sources")), SOURCES_URI)
        .or(() -> mirrorFrom(read(Path.of("/etc/apt/sources.list")), LIST_URI))
        .orElse(DEFAULT_MIRROR);
  }

  static Optional<String> mirrorFrom(String sources, Pattern pattern) {
    Matcher matcher = pattern.matcher(sources);
    while (matcher.find()) {
      String uri = matcher.group(1);
      if (uri.startsWith("http") && !uri.contains("security")) {
        return Optional.of(uri);
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new ImageBuildException(
          "debootstrap needs root; run 'crucible images build' as root, or use --dockerfile where a registry is reachable");
    }
  }

  /** The absolute path of a command, looked up on PATH and in the sbin folders root's PATH may lack. */
  private static String executable(String name, String advice) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String directory : path.split(":")) {
      Path candidate = Path.of(directory, name);
      if (!directory.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new ImageBuildException(name + " is not installed: " + advice);
  }

  private static Path temporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path directory) {
    try {
      new ProcessBuilder("rm", "-rf", "--one-file-system", directory.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
