/** Spark plumbing shared by the jobs: session construction and shipping Hadoop settings to executors. */
package dev.crucible.jobs.spark;
