package dev.crucible.rollout.evaluation;

import dev.crucible.data.TaskInstance;
import dev.crucible.reward.grading.ProtectedFiles;
import dev.crucible.rollout.sandbox.ExecResult;
import dev.crucible.rollout.sandbox.RepositorySetup;
import dev.crucible.rollout.sandbox.Sandbox;
import dev.crucible.rollout.sandbox.SandboxException;
import dev.crucible.rollout.sandbox.ShellQuote;
import dev.crucible.rollout.sandbox.WorkdirPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Puts the files the grading depends on ({@link ProtectedFiles}) back as the base commit has them,
 * after the model patch and before the task's {@code test_patch}: first every such file in the tree is
 * removed (so one the patch added is gone, and a link it put in place of a folder too), then the base
 * commit's versions are unpacked from a tar made on the host from the task's repository.
 */
final class TestFileRestorer {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private TestFileRestorer() {}

  static void restore(Sandbox sandbox, TaskInstance task, Path repository) {
    Set<String> named = ProtectedFiles.ofTask(task.failToPass(), task.passToPass(), task.testPatch());
    StringBuilder script = new StringBuilder("find . \\( -type f -o -type l \\) ").append(ProtectedFiles.findTest()).append(" -delete");
    for (String path : named) {
      script.append(" && rm -rf -- ").append(ShellQuote.quote(WorkdirPaths.normalize(path)));
    }
    byte[] base = baseVersions(repository, task.baseCommit(), named);
    String archive = sandbox.writeScratchFile("restore-" + UUID.randomUUID() + ".tar", base);
    script.append(" && tar -x -f ").append(archive).append(" && rm -f ").append(archive);
    ExecResult restored = sandbox.exec(script.toString(), TIMEOUT);
    if (!restored.succeeded()) {
      throw new SandboxException(
          SandboxException.Kind.INTERNAL, "cannot restore the test files (exit " + restored.exitCode() + "): " + restored.stderr().strip());
    }
  }

  /** A tar of the protected files of the base commit, with the folders that hold them. */
  static byte[] baseVersions(Path repository, String baseCommit, Set<String> named) {
    Process archive = RepositorySetup.archive(repository, RepositorySetup.resolveCommit(repository, baseCommit), "");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (InputStream in = archive.getInputStream();
        TarArchiveInputStream entries = new TarArchiveInputStream(in);
        TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      Set<String> folders = new HashSet<>();
      for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        String path = entry.getName();
        if (entry.isDirectory() || entry.isGlobalPaxHeader()) {
          continue;
        }
        if (ProtectedFiles.byName(path) || named.contains(path)) {
          addFolders(out, path, folders);
          TarArchiveEntry copy = new TarArchiveEntry(path, entry.isSymbolicLink() ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_NORMAL);
          copy.setMode(entry.getMode());
          copy.setModTime(entry.getModTime());
          if (entry.isSymbolicLink()) {
            copy.setLinkName(entry.getLinkName());
          } else {
            copy.setSize(entry.getSize());
          }
          out.putArchiveEntry(copy);
          if (!entry.isSymbolicLink()) {
            entries.transferTo(out);
          }
          out.closeArchiveEntry();
        }
      }
      out.finish();
    } catch (IOException e) {
      throw new SandboxException(SandboxException.Kind.REPOSITORY_SETUP, "cannot read the test files of " + repository, e);
    } finally {
      RepositorySetup.awaitArchive(archive, repository);
    }
    return tar.toByteArray();
  }

  /** Directory entries for the folders above {@code path}, once each: tar makes them real folders again. */
  private static void addFolders(TarArchiveOutputStream out, String path, Set<String> done) throws IOException {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String folder = path.substring(0, slash + 1);
      if (done.add(folder)) {
        TarArchiveEntry entry = new TarArchiveEntry(folder);
        entry.setMode(040755);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
      }
    }
  }
}
