package dev.crucible.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A directory on a shared file system (HDFS, S3A, GCS) that a job works on through a local copy: code that
 * writes with java.nio (checkpoints, adapters) writes the copy, and {@link #push} publishes what is new.
 * {@link #pull} brings down what the shared directory has, so a job restarted on another host resumes.
 *
 * <p>A file is copied when the other side lacks it or holds a different size. Checkpoints and table parts
 * are written once under fresh names, so that finds everything new; names that are hidden or end in
 * {@code .partial} (work in progress) are never published. A file is uploaded to a hidden sibling and renamed
 * into place, so readers of the shared directory never see half of one.
 */
public final class MirroredDirectory {
  private final Path shared;
  private final java.nio.file.Path local;

  public MirroredDirectory(Path shared, java.nio.file.Path local) {
    this.shared = shared;
    this.local = local.toAbsolutePath().normalize();
  }

  /** The mirror of {@code shared} in this host's cache: the same folder for every job on the host that names it. */
  public static MirroredDirectory inCache(Path shared, HostCache cache) {
    return new MirroredDirectory(shared, cache.root().resolve("mirrors").resolve(shared.getName() + "-" + HostCache.digest(shared.toString())));
  }

  public Path shared() {
    return shared;
  }

  public java.nio.file.Path local() {
    return local;
  }

  /** Copies every file of the shared directory that the local copy lacks or holds at another size; returns how many. */
  public synchronized int pull(Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(shared, conf);
    int copied = 0;
    try {
      if (!fs.exists(shared)) {
        return 0;
      }
      Path root = fs.makeQualified(shared);
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        LocatedFileStatus file = files.next();
        String relative = relative(root, file.getPath());
        java.nio.file.Path target = local.resolve(relative);
        if (publishable(relative) && (!Files.isRegularFile(target) || Files.size(target) != file.getLen())) {
          Files.createDirectories(target.getParent());
          try (InputStream in = fs.open(file.getPath())) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
          copied++;
        }
      }
      return copied;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + shared + " to " + local, e);
    }
  }

  /** Publishes every local file the shared directory lacks or holds at another size; returns how many. */
  public synchronized int push(Configuration conf) {
    if (!Files.isDirectory(local)) {
      return 0;
    }
    FileSystem fs = HadoopFiles.fileSystem(shared, conf);
    List<java.nio.file.Path> files = new ArrayList<>();
    try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
      walk.filter(Files::isRegularFile).filter(file -> publishable(local.relativize(file).toString())).forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + local, e);
    }
    int copied = 0;
    for (java.nio.file.Path file : files) {
      Path target = new Path(shared, local.relativize(file).toString());
      try {
        FileStatus existing = fs.exists(target) ? fs.getFileStatus(target) : null;
        if (existing == null || existing.getLen() != Files.size(file)) {
          HadoopFiles.writeAtomically(target, conf, out -> Files.copy(file, out));
          copied++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot publish " + file + " to " + target, e);
      }
    }
    return copied;
  }

  private static String relative(Path root, Path file) {
    return root.toUri().relativize(file.toUri()).getPath();
  }

  /** Whether no part of {@code relative} is hidden or a checkpoint still being written. */
  private static boolean publishable(String relative) {
    for (String part : relative.split("/")) {
      if (HadoopFiles.isHiddenName(part) || part.endsWith(".partial")) {
        return false;
      }
    }
    return true;
  }
}
