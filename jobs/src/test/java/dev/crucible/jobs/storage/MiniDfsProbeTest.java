package dev.crucible.jobs.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniDfsProbeTest {
  @Test
  void starts(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    try (MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build()) {
      FileSystem fs = cluster.getFileSystem();
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("/x/y.txt");
      try (var out = fs.create(p)) { out.write(1); }
      assertTrue(fs.exists(p));
      System.out.println("URI " + fs.getUri());
    }
  }
}
