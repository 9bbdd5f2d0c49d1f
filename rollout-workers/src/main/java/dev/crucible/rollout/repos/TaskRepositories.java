package dev.crucible.rollout.repos;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.sandbox.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The folder of a run's task repositories ({@code RUN/tasks/repos}, on any Hadoop file system) and the
 * git repositories the sandboxes copy their code from.
 *
 * <p>Each repository {@code owner/name} is the git bundle {@code owner__name.bundle}, which travels with
 * the run to every executor; a local run may instead hold the git directory {@code owner__name/}. An
 * executor clones a bundle once per host into its {@link HostCache} (a mirror clone: every ref and the
 * commits they reach, no working tree) and every later episode of that repository uses the clone.
 */
public final class TaskRepositories {
  public static final String BUNDLE_SUFFIX = ".bundle";

  private final Path folder;

  public TaskRepositories(Path folder) {
    this.folder = folder;
  }

  public Path folder() {
    return folder;
  }

  /** The bundle of {@code repo} ({@code owner/name}). */
  public Path bundle(String repo) {
    return new Path(folder, entryName(repo) + BUNDLE_SUFFIX);
  }

  /** The git directory of {@code repo}, which only a local folder may hold. */
  public Path directory(String repo) {
    return new Path(folder, entryName(repo));
  }

  /** {@code owner__name}: the name of {@code owner/name} in the folder. */
  public static String entryName(String repo) {
    return repo.replace("/", "__");
  }

  /** Where {@code repo} is: its bundle, else (locally) its git directory; empty when neither is there. */
  public Optional<Path> locate(String repo, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(folder, conf);
    try {
      if (fs.isFile(bundle(repo))) {
        return Optional.of(bundle(repo));
      }
      if (HadoopFiles.isLocal(folder) && Files.isDirectory(HadoopFiles.localFile(directory(repo)).resolve(".git"))) {
        return Optional.of(directory(repo));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + repo + " in " + folder, e);
    }
  }

  /** What {@link #locate} looks for, for error messages. */
  public String expected(String repo) {
    return bundle(repo) + (HadoopFiles.isLocal(folder) ? " or a git repository at " + directory(repo) : "");
  }

  /**
   * A local git repository of {@code repo}: its git directory, or the host's clone of its bundle.
   *
   * @throws IllegalArgumentException naming what was expected when neither is there
   */
  public java.nio.file.Path localClone(String repo, Configuration conf, HostCache cache) {
    Path source = locate(repo, conf).orElseThrow(() -> new IllegalArgumentException("no repository " + repo + ": expected " + expected(repo)));
    return localClone(source, conf, cache);
  }

  /**
   * A local git repository with the content of {@code source} (a bundle or a local git directory, as
   * {@link #locate} gives): the directory itself, or the host's clone of the bundle.
   */
  public static java.nio.file.Path localClone(Path source, Configuration conf, HostCache cache) {
    if (!source.getName().endsWith(BUNDLE_SUFFIX)) {
      return HadoopFiles.localFile(source);
    }
    String name = source.getName().substring(0, source.getName().length() - BUNDLE_SUFFIX.length());
    try {
      String key = HostCache.fingerprint(HadoopFiles.fileSystem(source, conf), source);
      // The bundle is fetched only to make the clone: once cloned, an episode lists the source once, for its key.
      java.nio.file.Path clone = cache.entry(name + ".git", key, folder -> cloneBundle(cache.local(source, conf), folder));
      return clone.resolve("repository.git");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clone the bundle " + source + " into " + cache.root(), e);
    }
  }

  private static void cloneBundle(java.nio.file.Path bundle, java.nio.file.Path folder) {
    Git.run(folder, "clone", "--quiet", "--mirror", bundle.toString(), "repository.git");
  }

  /**
   * Writes every ref of the local git repository {@code repository} (and the commits they reach) as the
   * bundle of {@code repo}, replacing one there.
   */
  public void writeBundle(String repo, java.nio.file.Path repository, Configuration conf) {
    Path target = bundle(repo);
    try {
      java.nio.file.Path scratch = Files.createTempFile("crucible-", BUNDLE_SUFFIX);
      try {
        Files.delete(scratch);
        Git.run(repository, "bundle", "create", "--quiet", scratch.toString(), "--all");
        HadoopFiles.writeAtomically(target, conf, out -> Files.copy(scratch, out));
      } finally {
        Files.deleteIfExists(scratch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bundle of " + repository + " to " + target, e);
    }
  }
}
