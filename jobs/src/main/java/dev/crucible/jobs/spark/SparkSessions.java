package dev.crucible.jobs.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession of a job, with the defaults that make the embedded mode work here. */
public final class SparkSessions {
  /** The master used when neither the config nor spark-submit names one. */
  public static final String EMBEDDED_MASTER = "local[*]";

  private SparkSessions() {}

  /**
   * A session named {@code appName}. The master is {@code master} when given, else the one
   * spark-submit set, else {@link #EMBEDDED_MASTER}. In local mode the driver binds to 127.0.0.1
   * (this machine's hostname may not resolve) and the web UI is off unless {@code conf} turns it on.
   */
  public static SparkSession create(String appName, String master, Map<String, String> conf) {
    SparkConf sparkConf = new SparkConf().setAppName(appName);
    if (master != null) {
      sparkConf.setMaster(master);
    } else if (!sparkConf.contains("spark.master")) {
      sparkConf.setMaster(EMBEDDED_MASTER);
    }
    if (sparkConf.get("spark.master").startsWith("local")) {
      sparkConf.setIfMissing("spark.driver.host", "127.0.0.1");
      sparkConf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      sparkConf.setIfMissing("spark.ui.enabled", "false");
    } else if (!sparkConf.contains("spark.jars")) {
      // Started from the crucible jar rather than spark-submit: ship that jar to the executors.
      runningJar().ifPresent(jar -> sparkConf.set("spark.jars", jar));
    }
    conf.forEach(sparkConf::set);
    return SparkSession.builder().config(sparkConf).getOrCreate();
  }

  /** The jar this code runs from, when it runs from a jar. */
  private static java.util.Optional<String> runningJar() {
    try {
      java.nio.file.Path location =
          java.nio.file.Path.of(SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.toString().endsWith(".jar") ? java.util.Optional.of(location.toString()) : java.util.Optional.empty();
    } catch (java.net.URISyntaxException | SecurityException e) {
      return java.util.Optional.empty();
    }
  }
}
