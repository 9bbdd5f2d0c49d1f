package dev.crucible.jobs.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS, a NameNode and one DataNode in the test JVM (Hadoop's MiniDFSCluster), keeping its blocks in {@code directory}. */
final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  MiniHdfs(Path directory) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, directory.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
  }

  FileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  /** {@code path} on this HDFS, with its scheme and authority: {@code hdfs://localhost:PORT/path}. */
  org.apache.hadoop.fs.Path path(String path) throws IOException {
    return fileSystem().makeQualified(new org.apache.hadoop.fs.Path(path));
  }

  @Override
  public void close() {
    cluster.close();
  }
}
