package dev.crucible.rollout.repos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.evaluation.SampleTask;
import dev.crucible.rollout.sandbox.Git;
import dev.crucible.rollout.sandbox.RepositorySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRepositoriesTest {
  @TempDir Path temp;
  private final Configuration conf = new Configuration();

  @Test
  void aBundleTravelsWithEveryRefAndIsClonedOncePerHost() throws Exception {
    SampleTask sample = SampleTask.create(temp.resolve("textops"));
    String base = sample.task("t-1", "fixture/textops").baseCommit();
    TaskRepositories repositories = new TaskRepositories(HadoopFiles.local(temp.resolve("repos")));
    repositories.writeBundle("fixture/textops", sample.repository(), conf);
    HostCache cache = new HostCache(temp.resolve("cache"));

    assertThat(repositories.locate("fixture/textops", conf)).contains(HadoopFiles.local(temp.resolve("repos/fixture__textops.bundle")));
    Path clone = repositories.localClone("fixture/textops", conf, cache);
    assertThat(clone).startsWith(temp.resolve("cache"));
    assertThat(RepositorySetup.resolveCommit(clone, base)).isEqualTo(RepositorySetup.resolveCommit(sample.repository(), base));
    assertThat(Git.run(clone, "show", base + ":textops/words.py")).isEqualTo(Git.run(sample.repository(), "show", base + ":textops/words.py"));
    assertThat(repositories.localClone("fixture/textops", conf, cache)).as("cloned once").isEqualTo(clone);

    // A bundle rewritten with new history is a new entry: episodes never work on a stale clone.
    Files.writeString(sample.repository().resolve("NEW.txt"), "new\n");
    Git.run(sample.repository(), "add", "-A");
    Git.run(sample.repository(), "commit", "-q", "-m", "new");
    String head = Git.run(sample.repository(), "rev-parse", "HEAD").strip();
    repositories.writeBundle("fixture/textops", sample.repository(), conf);
    Path newer = repositories.localClone("fixture/textops", conf, cache);
    assertThat(newer).isNotEqualTo(clone);
    assertThat(RepositorySetup.resolveCommit(newer, head)).isEqualTo(head);
  }

  @Test
  void aLocalGitDirectoryIsUsedInPlaceAndAMissingRepositoryNamesWhatWasExpected() {
    SampleTask sample = SampleTask.create(temp.resolve("repos/fixture__textops"));
    TaskRepositories repositories = new TaskRepositories(HadoopFiles.local(temp.resolve("repos")));
    HostCache cache = new HostCache(temp.resolve("cache"));

    assertThat(repositories.localClone("fixture/textops", conf, cache)).isEqualTo(sample.repository());
    assertThat(temp.resolve("cache")).doesNotExist();
    assertThatThrownBy(() -> repositories.localClone("other/repo", conf, cache))
        .hasMessage("no repository other/repo: expected " + HadoopFiles.local(temp.resolve("repos/other__repo.bundle"))
            + " or a git repository at " + HadoopFiles.local(temp.resolve("repos/other__repo")));
  }
}
