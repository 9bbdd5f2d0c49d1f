package dev.crucible.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code crucible} launcher script: how it builds and replaces the jar. It runs the real script in
 * a copy of the repository's layout. The Maven build is the one hand-written fake here: a real build of
 * the project takes minutes, so {@code mvn} on the script's PATH is a stand-in that compiles a
 * two-class program with javac into the jar path the launcher asks for ({@code -Dshaded.jar.name}),
 * overwriting that file in place as the shade plugin does. It logs each build, and holds a build open while
 * a file named {@code hold-build} exists so a test can overlap two launchers.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LauncherTest {
  private static final String FAKE_MVN =
      """
      #!/usr/bin/env bash
      set -euo pipefail
      name=crucible
      for arg in "$@"; do
        case "$arg" in -Dshaded.jar.name=*) name="${arg#-Dshaded.jar.name=}" ;; esac
      done
      echo build >>mvn.log
      echo "fake-mvn: build started" >&2
      while [ -e hold-build ]; do sleep 0.05; done
      work="$(mktemp -d)"
      javac -d "$work/classes" jobs/src/main/java/*.java
      jar cfe "$work/built.jar" Main -C "$work/classes" .
      mkdir -p jobs/target
      # Into the named file in place (same inode), as the shade plugin writes its output file.
      cat "$work/built.jar" >"jobs/target/$name.jar"
      rm -rf "$work"
      """;

  /** Prints "started", waits for the file named by its argument if given, then prints what Later says. */
  private static final String MAIN =
      """
      import java.nio.file.Files;
      import java.nio.file.Path;

      public class Main {
        public static void main(String[] args) throws Exception {
          System.out.println("started");
          if (args.length > 0) {
            while (!Files.exists(Path.of(args[0]))) {
              Thread.sleep(20);
            }
          }
          System.out.println(Later.message());
        }
      }
      """;

  @TempDir Path root;

  private final List<Process> launched = new ArrayList<>();

  @BeforeEach
  void layOutRepository() throws IOException {
    Files.copy(Path.of("../crucible"), root.resolve("crucible"), StandardCopyOption.COPY_ATTRIBUTES);
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.writeString(bin.resolve("mvn"), FAKE_MVN);
    Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Path sources = Files.createDirectories(root.resolve("jobs/src/main/java"));
    Files.writeString(sources.resolve("Main.java"), MAIN);
    writeLater("v1", 0);
  }

  @AfterEach
  void stopLaunchers() {
    for (Process process : launched) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void aRunningJobKeepsWorkingWhenTheLauncherRebuildsTheJar() throws Exception {
    Path gate = root.resolve("gate");
    Process first = launch(gate.toString());
    BufferedReader firstOut = reader(first);
    assertThat(firstOut.readLine()).isEqualTo("started");

    // New sources, with an extra class so the new jar's layout differs from the one the first JVM opened.
    writeLater("v2", 200);
    Files.setLastModifiedTime(
        root.resolve("jobs/src/main/java/Later.java"),
        FileTime.fromMillis(Files.getLastModifiedTime(jar()).toMillis() + 5_000));
    Process second = launch();
    assertThat(second.waitFor()).isZero();
    assertThat(output(second)).isEqualTo("started\nlater v2\n");

    Files.createFile(gate);
    assertThat(first.waitFor()).as(errors(first)).isZero();
    assertThat(firstOut.readLine()).isEqualTo("later v1");
    assertThat(builds()).isEqualTo(2);
  }

  @Test
  void twoFirstCallsAtOnceBuildTheJarOnce() throws Exception {
    Files.createFile(root.resolve("hold-build"));
    Process first = launch();
    BufferedReader firstErr = errorReader(first);
    awaitLine(firstErr, "fake-mvn: build started");

    Process second = launch();
    awaitLine(errorReader(second), "crucible: waiting for another build of " + jar() + " to finish...");
    Files.delete(root.resolve("hold-build"));

    assertThat(first.waitFor()).isZero();
    assertThat(second.waitFor()).isZero();
    assertThat(output(first)).isEqualTo("started\nlater v1\n");
    assertThat(output(second)).isEqualTo("started\nlater v1\n");
    assertThat(builds()).isEqualTo(1);
    try (var listing = Files.list(root.resolve("jobs/target"))) {
      assertThat(listing.map(path -> path.getFileName().toString()))
          .as("no temporary jar is left behind")
          .containsExactlyInAnyOrder("crucible.jar", ".crucible-build.lock");
    }
  }

  private void writeLater(String version, int fillerMethods) throws IOException {
    StringBuilder source = new StringBuilder("class Later {\n");
    source.append("  static String message() { return \"later ").append(version).append("\"; }\n");
    for (int i = 0; i < fillerMethods; i++) {
      source.append("  static int filler").append(i).append("() { return ").append(i).append("; }\n");
    }
    Files.writeString(root.resolve("jobs/src/main/java/Later.java"), source.append("}\n"));
  }

  private Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("crucible").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    Map<String, String> environment = builder.environment();
    environment.put("PATH", root.resolve("bin") + ":" + environment.get("PATH"));
    Process process = builder.start();
    launched.add(process);
    return process;
  }

  private Path jar() {
    return root.resolve("jobs/target/crucible.jar");
  }

  private long builds() throws IOException {
    return Files.readAllLines(root.resolve("mvn.log")).size();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static BufferedReader errorReader(Process process) {
    return new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
  }

  private static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String errors(Process process) throws IOException {
    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Reads lines until {@code expected}; fails if the stream ends first. The class's timeout bounds the wait. */
  private static void awaitLine(BufferedReader lines, String expected) throws IOException {
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.equals(expected)) {
        return;
      }
    }
    throw new AssertionError("the process ended without printing: " + expected);
  }
}
