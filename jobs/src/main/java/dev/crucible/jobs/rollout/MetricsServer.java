package dev.crucible.jobs.rollout;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves Prometheus text at {@code http://HOST:PORT/metrics} while a job runs. HOST is the system property
 * {@value #HOST_PROPERTY}, else 127.0.0.1; the Kubernetes manifests set 0.0.0.0 so that their Service reaches it.
 */
public final class MetricsServer implements AutoCloseable {
  /** The system property naming the address to bind. */
  public static final String HOST_PROPERTY = "crucible.metrics.host";

  private final HttpServer server;

  /** @param port the port, or 0 for any free one */
  public MetricsServer(int port, Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(System.getProperty(HOST_PROPERTY, "127.0.0.1"), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
