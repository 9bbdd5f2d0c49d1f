package dev.crucible.jobs.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  @Test
  void servesTheCurrentMetricsOnEveryRequest() throws Exception {
    AtomicInteger value = new AtomicInteger(1);
    try (MetricsServer server = new MetricsServer(0, () -> "crucible_episodes_total " + value.get() + "\n")) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build();
      HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
      value.set(5);
      HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(first.body()).isEqualTo("crucible_episodes_total 1\n");
      assertThat(second.body()).isEqualTo("crucible_episodes_total 5\n");
    }
  }
}
