package dev.crucible.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Small helpers over the Hadoop FileSystem API. Paths without a scheme are local files.
 *
 * <p>Atomic writes go to a hidden temporary sibling ({@code .name.<uuid>.inprogress}), which Spark,
 * DuckDB globs on {@code *.parquet} and our own readers all ignore, and are renamed into place only
 * once complete. Rename within one directory is atomic on local file systems and HDFS.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** Something that writes a whole file to a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A local file as a Hadoop path with the {@code file} scheme, so it stays local whatever the default
   * file system is, and without the trailing slash {@code java.nio} gives an existing directory's URI.
   */
  public static Path local(java.nio.file.Path file) {
    return new Path("file", null, file.toAbsolutePath().normalize().toString());
  }

  /**
   * A path as a user wrote it on the command line or in a config: a URI with a scheme ({@code hdfs://nn/runs},
   * {@code s3a://bucket/runs}, {@code file:/tmp/x}) as it is, anything else a local file relative to the
   * working directory.
   */
  public static Path userPath(String text) {
    if (text.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return new Path(text);
    }
    return local(java.nio.file.Path.of(text));
  }

  /** Whether {@code path} is on the local file system (no scheme, or {@code file:}). */
  public static boolean isLocal(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme == null || scheme.equals("file");
  }

  /** {@code path} as a local file; fails for a path on another file system. */
  public static java.nio.file.Path localFile(Path path) {
    if (!isLocal(path)) {
      throw new IllegalArgumentException(path + " is not on the local file system");
    }
    return java.nio.file.Path.of(path.toUri().getPath());
  }

  /** The file system that holds {@code path}. */
  public static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the file system of " + path, e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof ClassNotFoundException) {
        // Hadoop names a scheme's file system class in its configuration; the class is the connector's (hadoop-aws for s3a).
        String message = "no file system for " + path.toUri().getScheme() + ": paths on this classpath (" + e.getCause().getMessage()
            + "); add its connector's jar (hadoop-aws for s3a:, gcs-connector for gs:)";
        throw new UncheckedIOException(message, new IOException(message, e));
      }
      throw e;
    }
  }

  /** Opens a UTF-8 text file for reading. */
  public static BufferedReader openText(Path path, Configuration conf) throws IOException {
    return new BufferedReader(
        new InputStreamReader(fileSystem(path, conf).open(path), StandardCharsets.UTF_8));
  }

  /** A fresh hidden name next to {@code target} for writing before the commit. */
  public static Path temporarySibling(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".inprogress");
  }

  /**
   * Moves a finished temporary file onto {@code target}, replacing an existing file in one step where
   * the file system can: readers see the old file or the new one, never none. On the local file system a
   * rename replaces its target atomically (its checksum file follows a moment later); on HDFS a rename
   * with {@code OVERWRITE} is atomic. Object stores (S3) have no atomic rename: there the old file is
   * deleted first.
   *
   * @throws IOException when the rename fails; the temporary file is then deleted
   */
  public static void commit(FileSystem fs, Path temporary, Path target) throws IOException {
    try {
      if (fs instanceof LocalFileSystem) {
        if (!fs.rename(temporary, target)) {
          throw new IOException("cannot rename " + temporary + " to " + target);
        }
      } else if ("hdfs".equals(fs.getScheme())) {
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, target, Options.Rename.OVERWRITE);
      } else {
        if (fs.exists(target) && !fs.delete(target, false)) {
          throw new IOException("cannot replace existing " + target);
        }
        if (!fs.rename(temporary, target)) {
          throw new IOException("cannot rename " + temporary + " to " + target);
        }
      }
    } catch (IOException e) {
      fs.delete(temporary, false);
      throw e;
    }
  }

  /**
   * Writes {@code target} atomically: readers see either the old file or the complete new one.
   * When {@code writer} fails, nothing is left behind and the old file stays.
   */
  public static void writeAtomically(Path target, Configuration conf, StreamWriter writer)
      throws IOException {
    FileSystem fs = fileSystem(target, conf);
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    Path temporary = temporarySibling(target);
    try (OutputStream out = fs.create(temporary, true)) {
      writer.writeTo(out);
    } catch (IOException | RuntimeException e) {
      fs.delete(temporary, false);
      throw e;
    }
    commit(fs, temporary, target);
  }

  /** True for names our readers skip: hidden ({@code .}) and marker ({@code _}) files. */
  public static boolean isHiddenName(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
