/**
 * File access through the Hadoop FileSystem API, so every reader and writer takes {@code file://},
 * {@code hdfs://} and {@code s3a://} paths alike, and writes that commit atomically.
 */
package dev.crucible.data.io;
