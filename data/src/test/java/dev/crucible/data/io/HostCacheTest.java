package dev.crucible.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCacheTest {
  @TempDir Path temp;

  @Test
  void anEntryIsBuiltOnceAndRacingBuildersAllGetIt() throws Exception {
    HostCache cache = new HostCache(temp.resolve("cache"));
    AtomicInteger builds = new AtomicInteger();
    CountDownLatch bothBuilding = new CountDownLatch(2);
    HostCache.Builder slow = folder -> {
      builds.incrementAndGet();
      bothBuilding.countDown();
      try {
        bothBuilding.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      Files.writeString(folder.resolve("content"), "x");
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> entries = threads.invokeAll(List.of(() -> cache.entry("model", "k1", slow), () -> cache.entry("model", "k1", slow)));
      assertThat(entries.get(0).get()).isEqualTo(entries.get(1).get()).isEqualTo(temp.resolve("cache/model-k1"));
    } finally {
      threads.shutdownNow();
    }
    assertThat(builds).hasValue(2);
    assertThat(temp.resolve("cache/model-k1/content")).hasContent("x");
    assertThat(cache.entry("model", "k1", folder -> { throw new AssertionError("built again"); })).isEqualTo(temp.resolve("cache/model-k1"));
    try (var left = Files.list(temp.resolve("cache"))) {
      assertThat(left).as("no half-built folders left").containsExactly(temp.resolve("cache/model-k1"));
    }
  }

  @Test
  void aFailedBuildLeavesNothing() {
    HostCache cache = new HostCache(temp.resolve("cache"));
    assertThatThrownBy(() -> cache.entry("model", "k", folder -> {
      Files.writeString(folder.resolve("half"), "x");
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(temp.resolve("cache")).isEmptyDirectory();
  }

  @Test
  void theFingerprintChangesWhenAFileIsRewrittenAndALocalSourceIsUsedInPlace() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("checkpoint"));
    Files.writeString(folder.resolve("config.json"), "{}");
    FileSystem fs = FileSystem.getLocal(new Configuration());
    String before = HostCache.fingerprint(fs, HadoopFiles.local(folder));
    assertThat(HostCache.fingerprint(fs, HadoopFiles.local(folder))).isEqualTo(before);
    Files.writeString(folder.resolve("config.json"), "{\"a\": 1}");
    assertThat(HostCache.fingerprint(fs, HadoopFiles.local(folder))).isNotEqualTo(before);

    assertThat(new HostCache(temp.resolve("cache")).local(HadoopFiles.local(folder), new Configuration())).isEqualTo(folder);
    assertThat(temp.resolve("cache")).doesNotExist();
  }

  @Test
  void userPathsKeepTheirSchemeAndLocalOnesBecomeAbsoluteFiles() {
    assertThat(HadoopFiles.userPath("hdfs://nn:8020/runs/a").toString()).isEqualTo("hdfs://nn:8020/runs/a");
    assertThat(HadoopFiles.userPath("s3a://bucket/runs").toUri().getScheme()).isEqualTo("s3a");
    assertThat(HadoopFiles.userPath("runs/a")).isEqualTo(HadoopFiles.local(Path.of("runs/a")));
    assertThat(HadoopFiles.isLocal(HadoopFiles.userPath("runs/a"))).isTrue();
    assertThat(HadoopFiles.isLocal(HadoopFiles.userPath("hdfs://nn/runs"))).isFalse();
    assertThatThrownBy(() -> HadoopFiles.localFile(HadoopFiles.userPath("hdfs://nn/runs"))).hasMessageContaining("not on the local file system");
  }
}
