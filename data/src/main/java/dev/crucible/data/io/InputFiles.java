package dev.crucible.data.io;

import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Checks on the files and folders a user names as input (tasks, predictions, configs, checkpoints,
 * repositories): a wrong path fails up front as an {@link InvalidInputException} that names it, which
 * the command line prints as one line, rather than as an I/O error deep inside whatever reads it.
 */
public final class InputFiles {
  private InputFiles() {}

  /** What an input path must be. */
  public enum Kind {
    FILE("a file"),
    DIRECTORY("a directory"),
    FILE_OR_DIRECTORY("a file or a directory");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    private void check(String path, boolean isDirectory) {
      boolean fits =
          switch (this) {
            case FILE -> !isDirectory;
            case DIRECTORY -> isDirectory;
            case FILE_OR_DIRECTORY -> true;
          };
      if (!fits) {
        throw problem(path, (isDirectory ? "is a directory" : "is not a directory") + "; expected " + description);
      }
    }
  }

  /**
   * Checks that {@code path}, on any Hadoop file system, exists and is of {@code kind}.
   *
   * @throws InvalidInputException naming {@code path} when it is missing, of the wrong kind, or its
   *     file system cannot tell
   */
  public static void require(Path path, Configuration conf, Kind kind) {
    if ("file".equals(path.toUri().getScheme())) {
      require(HadoopFiles.localFile(path), kind); // As java.nio sees it: permissions too.
      return;
    }
    kind.check(name(path), status(path, conf).isDirectory());
  }

  /** How a message names {@code path}: a local one as its plain path, as the user most likely wrote it. */
  private static String name(Path path) {
    return HadoopFiles.isLocal(path) ? HadoopFiles.localFile(path).toString() : path.toString();
  }

  /**
   * Whether {@code path}, on any Hadoop file system, is a file rather than a directory.
   *
   * @throws InvalidInputException naming {@code path} when it is missing or its file system cannot tell
   */
  public static boolean isFile(Path path, Configuration conf) {
    return status(path, conf).isFile();
  }

  private static FileStatus status(Path path, Configuration conf) {
    try {
      return HadoopFiles.fileSystem(path, conf).getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw problem(name(path), "no such file or directory");
    } catch (IOException | UncheckedIOException e) {
      throw problem(name(path), "cannot read: " + e.getMessage());
    }
  }

  /**
   * Checks that the local {@code path} exists, is of {@code kind} and can be read.
   *
   * @throws InvalidInputException naming {@code path} otherwise
   */
  public static void require(java.nio.file.Path path, Kind kind) {
    if (!Files.exists(path)) {
      throw problem(path.toString(), "no such file or directory");
    }
    kind.check(path.toString(), Files.isDirectory(path));
    if (!Files.isReadable(path)) {
      throw problem(path.toString(), "not readable (permission denied)");
    }
  }

  /**
   * Opens a UTF-8 text file the user named, on any Hadoop file system.
   *
   * @throws InvalidInputException naming {@code path} when it is missing, a directory or cannot be opened
   */
  public static BufferedReader openText(Path path, Configuration conf) {
    require(path, conf, Kind.FILE);
    try {
      return new BufferedReader(
          new InputStreamReader(HadoopFiles.fileSystem(path, conf).open(path), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw problem(path.toString(), "cannot read: " + e.getMessage());
    }
  }

  private static InvalidInputException problem(String path, String message) {
    return new InvalidInputException(new InputProblem(path, 0, null, message));
  }
}
