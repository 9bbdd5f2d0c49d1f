package dev.crucible.jobs.train;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.data.io.InputFiles;
import dev.crucible.data.io.MirroredDirectory;
import dev.crucible.jobs.config.YamlSection;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * The paths of a training config on any Hadoop file system (README, "Storage"): the model weights are read
 * and written with java.nio, so a shared output directory is worked on through its mirror in the host cache
 * and a shared start checkpoint is fetched into the cache before training.
 */
final class SharedStorage {
  private SharedStorage() {}

  /**
   * A training run's directory.
   *
   * @param local where the run writes: the directory itself, or the mirror of a shared one
   * @param shared the shared directory the mirror publishes to; {@code null} for a local output
   */
  record Output(Path local, MirroredDirectory shared) {}

  /** The {@code output} of a config: a local folder, or a shared one ({@code hdfs://}, {@code s3a://}, ...). */
  static Output output(String text) {
    org.apache.hadoop.fs.Path path = HadoopFiles.userPath(text);
    if (HadoopFiles.isLocal(path)) {
      return new Output(HadoopFiles.localFile(path), null);
    }
    MirroredDirectory mirror = MirroredDirectory.inCache(path, HostCache.onThisHost());
    return new Output(mirror.local(), mirror);
  }

  /**
   * The checkpoint {@code key} of {@code section} names, as a local folder: the folder itself, or a copy of a
   * shared one fetched into the host cache; {@code null} (a problem recorded) when it is missing.
   */
  static Path checkpoint(YamlSection section, String key, String text, Configuration conf) {
    org.apache.hadoop.fs.Path path = HadoopFiles.userPath(text);
    Path[] local = new Path[1];
    section.check(key, () -> {
      InputFiles.require(path, conf, InputFiles.Kind.DIRECTORY);
      try {
        local[0] = HostCache.onThisHost().local(path, conf);
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException(e.getMessage() + ": " + e.getCause().getMessage(), e);
      }
    });
    return local[0] != null ? local[0] : HadoopFiles.isLocal(path) ? HadoopFiles.localFile(path) : null;
  }

  /** A tasks file or repositories folder {@code key} names, checked to exist on its file system. */
  static org.apache.hadoop.fs.Path input(YamlSection section, String key, String text, InputFiles.Kind kind, Configuration conf) {
    org.apache.hadoop.fs.Path path = HadoopFiles.userPath(text);
    section.check(key, () -> InputFiles.require(path, conf, kind));
    return path;
  }
}
