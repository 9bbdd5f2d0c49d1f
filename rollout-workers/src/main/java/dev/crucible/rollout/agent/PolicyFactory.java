package dev.crucible.rollout.agent;

import dev.crucible.data.TaskInstance;
import dev.crucible.data.io.HadoopFiles;
import dev.crucible.data.io.HostCache;
import dev.crucible.rollout.http.JsonPost;
import dev.crucible.rollout.http.OpenAiEndpoint;
import dev.crucible.trainer.lora.AdapterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Makes the policy of each episode; every policy it makes acts as {@link #version()}. */
public interface PolicyFactory {

  /** The policy version stored with every trajectory, for example {@code scripted}. */
  String version();

  /**
   * A fresh policy for one episode (one attempt of it) in {@code mode}; a model reads the mode in its
   * system prompt, the scripted expert explores as the mode asks.
   */
  Policy create(TaskInstance task, int sampleIndex, Mode mode);

  /**
   * The factory a policy name denotes: {@code scripted}; {@code openai:<base-url>[#model]} for an
   * OpenAI-compatible endpoint (model {@code default} when not given); {@code djl:<checkpoint>[#temperature]} for
   * a checkpoint generating in-process on each executor (temperature 0.7 with top-p 0.95 unless a temperature is
   * given, which samples the whole tempered distribution, top-p 1, as RL rollouts need; 0 is greedy);
   * {@code redteam:<attack>}, a test tool that attacks the sandbox and the grader ({@link RedTeamPolicy}).
   *
   * @param seed varies what seeded policies do
   * @throws IllegalArgumentException naming the known policies
   */
  static PolicyFactory named(String name, long seed) {
    return named(name, seed, new Configuration());
  }

  /**
   * As {@link #named(String, long)}, with a {@code djl:} checkpoint on any Hadoop file system ({@code hdfs://},
   * {@code s3a://}, or local): each host fetches it once into its {@link HostCache} before the first episode.
   *
   * @param conf reaches the checkpoint's file system
   */
  static PolicyFactory named(String name, long seed, Configuration conf) {
    if (name.equals(ScriptedPolicy.VERSION)) {
      return new PolicyFactory() {
        @Override
        public String version() {
          return ScriptedPolicy.VERSION;
        }

        @Override
        public Policy create(TaskInstance task, int sampleIndex, Mode mode) {
          return new ScriptedPolicy(task, seed * 31 + task.instanceId().hashCode() * 17L + sampleIndex, mode);
        }
      };
    }
    if (name.startsWith("openai:")) {
      OpenAiEndpoint target = OpenAiEndpoint.parse(name.substring("openai:".length()));
      String baseUrl = target.baseUrl();
      String model = target.model();
      if (!OpenAiEndpoint.isHttp(baseUrl)) {
        throw new IllegalArgumentException("policy '" + name + "' needs an http(s) base URL, as openai:http://host:port/v1#model");
      }
      java.time.Duration timeout = java.time.Duration.ofMinutes(2);
      java.net.http.HttpClient client = JsonPost.httpClient(timeout);
      String version = OpenAiPolicy.version(baseUrl, model);
      return new PolicyFactory() {
        @Override
        public String version() {
          return version;
        }

        @Override
        public Policy create(TaskInstance task, int sampleIndex, Mode mode) { // One per episode: it holds the episode's token context.
          return new OpenAiPolicy(client, baseUrl, model, seed * 31 + task.instanceId().hashCode() * 17L + sampleIndex, timeout, 3,
              java.time.Duration.ofMillis(500));
        }
      };
    }
    if (name.startsWith("djl:")) {
      String target = name.substring("djl:".length());
      int hash = target.indexOf('#');
      Path checkpoint = new Path(hash < 0 ? target : target.substring(0, hash));
      double temperature = hash < 0 ? DjlPolicy.TEMPERATURE : temperature(name, target.substring(hash + 1));
      double topP = hash < 0 ? DjlPolicy.TOP_P : 1;
      if (!isCheckpoint(checkpoint, conf)) {
        throw new IllegalArgumentException("policy '" + name + "' needs a checkpoint directory with config.json (or a LoRA adapter's, with "
            + AdapterConfig.FILE + "), as djl:runs/sft/final or djl:hdfs://namenode/runs/sft/final");
      }
      String location = HadoopFiles.isLocal(checkpoint) ? HadoopFiles.localFile(checkpoint).toAbsolutePath().normalize().toString() : checkpoint.toString();
      String version = "djl:" + location + (hash < 0 ? "" : "#" + temperature);
      return new PolicyFactory() {
        /** The checkpoint on this host's disk, fetched (or found in the host cache) at the first episode. */
        private java.nio.file.Path local;

        @Override
        public String version() {
          return version;
        }

        @Override
        public Policy create(TaskInstance task, int sampleIndex, Mode mode) {
          return new DjlPolicy(DjlPolicy.loaded(localCheckpoint()), version, temperature, topP, seed * 31 + task.instanceId().hashCode() * 17L + sampleIndex);
        }

        private synchronized java.nio.file.Path localCheckpoint() {
          if (local == null) {
            local = HostCache.onThisHost().local(checkpoint, conf);
          }
          return local;
        }
      };
    }
    if (name.startsWith(RedTeamPolicy.PREFIX)) {
      RedTeamPolicy.Attack attack = RedTeamPolicy.Attack.named(name.substring(RedTeamPolicy.PREFIX.length()));
      return new PolicyFactory() {
        @Override
        public String version() {
          return RedTeamPolicy.PREFIX + attack.tableName();
        }

        @Override
        public Policy create(TaskInstance task, int sampleIndex, Mode mode) {
          return new RedTeamPolicy(attack, task);
        }
      };
    }
    throw new IllegalArgumentException(
        "unknown policy '" + name + "'; known: scripted, openai:<base-url>[#model], djl:<checkpoint>[#temperature], redteam:<attack> (a test tool)");
  }

  /** Whether {@code checkpoint} holds a model's {@code config.json} or a LoRA adapter's config. */
  private static boolean isCheckpoint(Path checkpoint, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(checkpoint, conf);
    try {
      return fs.isFile(new Path(checkpoint, "config.json")) || fs.isFile(new Path(checkpoint, AdapterConfig.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + checkpoint, e);
    }
  }

  private static double temperature(String name, String text) {
    try {
      double temperature = Double.parseDouble(text);
      if (temperature >= 0) {
        return temperature;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("policy '" + name + "': the part after # must be a sampling temperature of 0 or more, not '" + text + "'");
  }

  /** The {@code djl:} name (see {@link #named}) that samples {@code checkpoint} (a local path or a Hadoop URI) in-process at {@code temperature}, top-p 1. */
  static String inProcess(String checkpoint, double temperature) {
    return "djl:" + checkpoint + "#" + temperature;
  }
}
