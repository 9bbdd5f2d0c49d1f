package dev.crucible.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Local copies of files and folders that live on a shared file system (HDFS, S3A, GCS), made once per
 * host and shared by every JVM on it: an executor fetches a checkpoint or a task repository's bundle
 * the first time an episode needs it, and later episodes (and later executors on the host) find it.
 *
 * <p>An entry's name holds a digest of the source's URI and of every file's size and modification
 * time, so a source rewritten in place is fetched again. An entry is built in a hidden sibling and
 * renamed into place, so a reader never sees half of one and two builders racing both succeed.
 */
public final class HostCache {
  /** The environment variable naming the cache folder; without it, {@code crucible-cache} under the JVM's temporary folder. */
  public static final String ENV = "CRUCIBLE_CACHE_DIR";

  private final java.nio.file.Path root;

  public HostCache(java.nio.file.Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The cache of this host: {@link #ENV}, else {@code crucible-cache} under {@code java.io.tmpdir}. */
  public static HostCache onThisHost() {
    String configured = System.getenv(ENV);
    return new HostCache(configured != null && !configured.isBlank()
        ? java.nio.file.Path.of(configured)
        : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "crucible-cache"));
  }

  public java.nio.file.Path root() {
    return root;
  }

  /** Builds an entry's content in a fresh folder. */
  @FunctionalInterface
  public interface Builder {
    void build(java.nio.file.Path folder) throws IOException;
  }

  /**
   * A local file or folder with the content of {@code source}: {@code source} itself when it is local, else
   * a copy in the cache, fetched on first use.
   *
   * @throws UncheckedIOException naming the source when it is missing or cannot be read
   */
  public java.nio.file.Path local(Path source, Configuration conf) {
    if (HadoopFiles.isLocal(source)) {
      return HadoopFiles.localFile(source);
    }
    FileSystem fs = HadoopFiles.fileSystem(source, conf);
    try {
      FileStatus status = fs.getFileStatus(source);
      java.nio.file.Path folder = entry(source.getName(), fingerprint(fs, source), built -> copy(fs, status, built.resolve(source.getName())));
      return folder.resolve(source.getName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + source + " to " + root, e);
    }
  }

  /**
   * The cache folder {@code NAME-KEY}, made with {@code builder} when it is not there yet.
   *
   * @param key identifies the content; a different key is a different entry
   */
  public java.nio.file.Path entry(String name, String key, Builder builder) throws IOException {
    java.nio.file.Path target = root.resolve(name + "-" + key);
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(root);
    java.nio.file.Path building = root.resolve("." + name + "-" + UUID.randomUUID() + ".inprogress");
    Files.createDirectory(building);
    try {
      builder.build(building);
      Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Renaming onto a folder another builder finished first fails (as "directory not empty" on Linux); its entry has the same content.
      if (!Files.isDirectory(target)) {
        throw e;
      }
    } finally {
      LocalFiles.deleteTree(building);
    }
    return target;
  }

  /** A digest of {@code parts}, short enough for a folder name. */
  public static String digest(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest of a file's or folder's URI and each file's relative path, size and modification time. */
  public static String fingerprint(FileSystem fs, Path source) throws IOException {
    Path qualified = fs.makeQualified(source);
    List<String> parts = new ArrayList<>(List.of(qualified.toString()));
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(qualified, true);
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      parts.add(file.getPath().toString().substring(qualified.toString().length()) + ":" + file.getLen() + ":" + file.getModificationTime());
    }
    parts.sort(Comparator.naturalOrder());
    return digest(parts.toArray(String[]::new));
  }

  private static void copy(FileSystem fs, FileStatus status, java.nio.file.Path target) throws IOException {
    if (status.isDirectory()) {
      Files.createDirectories(target);
      for (FileStatus child : fs.listStatus(status.getPath())) {
        copy(fs, child, target.resolve(child.getPath().getName()));
      }
    } else {
      try (InputStream in = fs.open(status.getPath())) {
        Files.copy(in, target);
      }
    }
  }
}
