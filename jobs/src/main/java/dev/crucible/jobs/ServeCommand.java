package dev.crucible.jobs;

import dev.crucible.jobs.serve.ChatCompletionsServer;
import dev.crucible.trainer.chat.ChatModel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crucible serve}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a checkpoint at http://HOST:PORT/v1/chat/completions, OpenAI-compatible with tools and log-probs,",
      "so 'crucible rollout --policy openai:http://HOST:PORT/v1' runs against it as against vLLM. Stops on Ctrl-C."
    })
final class ServeCommand implements Runnable {
  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint directory (config.json, weights, tokenizer.json).")
  Path checkpoint;

  @Option(names = "--port", defaultValue = "8000", description = "Port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--model-name", description = "The name clients ask for and answers carry (default: the checkpoint's folder name).")
  String modelName;

  @Override
  public void run() {
    String name = modelName != null ? modelName : checkpoint.toAbsolutePath().normalize().getFileName().toString();
    ChatModel model = ChatModel.load(checkpoint);
    ChatCompletionsServer server = new ChatCompletionsServer(model, name, host, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      model.close();
      stopped.countDown();
    }, "crucible-serve-shutdown"));
    System.out.println("serving " + name + " from " + checkpoint + " at http://" + host + ":" + server.port() + "/v1");
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
