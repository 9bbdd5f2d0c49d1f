package dev.crucible.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's WebSocket client:
 * opens a page, collects what its console and log report, evaluates expressions in it and takes a
 * screenshot. Without a {@code chromium} binary the test is skipped, unless {@code
 * CRUCIBLE_REQUIRE_BROWSER} is set (scripts/test installs Chromium and sets it, so CI runs these tests).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  /** A console message, an uncaught exception or a browser log entry of the page. */
  record Problem(String kind, String level, String text) {}

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> messages;
  private final List<JsonNode> events = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  private HeadlessChromium(Process process, Path profile, WebSocket socket, BlockingQueue<JsonNode> messages) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
    this.messages = messages;
  }

  /** Starts Chromium on a blank page and attaches to that page. */
  static HeadlessChromium start() throws IOException, InterruptedException {
    String binary = Stream.of("chromium", "chromium-browser", "google-chrome")
        .filter(HeadlessChromium::onPath).findFirst().orElse(null);
    if (binary == null) {
      if (System.getenv("CRUCIBLE_REQUIRE_BROWSER") != null) {
        throw new IllegalStateException("CRUCIBLE_REQUIRE_BROWSER is set but no chromium is on the PATH (apt-get install chromium)");
      }
      Assumptions.abort("no chromium on the PATH");
    }
    Path profile = Files.createTempDirectory("crucible-chromium");
    Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile,
        "--window-size=1200,900", "about:blank")
        .redirectErrorStream(true).start();
    String browserSocket = null;
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = output.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        browserSocket = matcher.group(1);
        break;
      }
    }
    if (browserSocket == null) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium exited before it listened for DevTools:\n" + seen);
    }
    Thread drain = new Thread(() -> output.lines().forEach(line -> { }), "chromium-output");
    drain.setDaemon(true);
    drain.start();
    URI browser = URI.create(browserSocket);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets = MAPPER.readTree(http.send(
        HttpRequest.newBuilder(URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String pageSocket = null;
    for (JsonNode target : targets) {
      if (target.path("type").asText().equals("page")) {
        pageSocket = target.path("webSocketDebuggerUrl").asText();
      }
    }
    if (pageSocket == null) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium has no page to attach to: " + targets);
    }
    BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener(queue)).join();
    HeadlessChromium chromium = new HeadlessChromium(process, profile, socket, queue);
    chromium.call("Runtime.enable", MAPPER.createObjectNode());
    chromium.call("Log.enable", MAPPER.createObjectNode());
    chromium.call("Page.enable", MAPPER.createObjectNode());
    return chromium;
  }

  /** Opens {@code page} and returns when its load event has fired. */
  void open(Path page) throws InterruptedException {
    ObjectNode params = MAPPER.createObjectNode();
    params.put("url", page.toUri().toString());
    JsonNode navigated = call("Page.navigate", params);
    if (navigated.has("errorText")) {
      throw new IllegalStateException("chromium could not open " + page + ": " + navigated.get("errorText").asText());
    }
    awaitEvent("Page.loadEventFired");
  }

  /** The value of a JavaScript expression in the page, as JSON. */
  JsonNode evaluate(String expression) throws InterruptedException {
    ObjectNode params = MAPPER.createObjectNode();
    params.put("expression", expression);
    params.put("returnByValue", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("the expression threw: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** The whole page as a PNG, written to {@code file}. */
  void screenshot(Path file) throws InterruptedException, IOException {
    ObjectNode params = MAPPER.createObjectNode();
    params.put("format", "png");
    params.put("captureBeyondViewport", true);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data").asText()));
  }

  /** Console messages at warning or error level, uncaught exceptions and browser log errors seen so far. */
  List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    for (JsonNode event : events) {
      JsonNode params = event.path("params");
      switch (event.path("method").asText()) {
        case "Runtime.consoleAPICalled" -> {
          String type = params.path("type").asText();
          if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
            problems.add(new Problem("console", type, params.path("args").toString()));
          }
        }
        case "Runtime.exceptionThrown" -> problems.add(new Problem("exception", "error", params.path("exceptionDetails").toString()));
        case "Log.entryAdded" -> {
          String level = params.path("entry").path("level").asText();
          if (level.equals("error") || level.equals("warning")) {
            problems.add(new Problem("log", level, params.path("entry").path("text").asText()));
          }
        }
        default -> { }
      }
    }
    return problems;
  }

  private JsonNode call(String method, ObjectNode params) throws InterruptedException {
    int id = ids.incrementAndGet();
    ObjectNode request = MAPPER.createObjectNode();
    request.put("id", id);
    request.put("method", method);
    request.set("params", params);
    socket.sendText(request.toString(), true).join();
    JsonNode reply = next(message -> message.path("id").asInt(-1) == id, method);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  private void awaitEvent(String method) throws InterruptedException {
    next(message -> method.equals(message.path("method").asText()), method);
  }

  /** Messages up to the first that {@code wanted} accepts; events on the way are kept for {@link #problems}. */
  private JsonNode next(java.util.function.Predicate<JsonNode> wanted, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (message == null) {
        throw new IllegalStateException("chromium did not answer " + what + " within " + WAIT.toSeconds() + " s");
      }
      if (message.has("method")) {
        events.add(message);
      }
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(folder -> Files.isExecutable(Path.of(folder, binary)));
  }

  /** Reassembles text frames into JSON messages. */
  private static final class Listener implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> queue;
    private final StringBuilder partial = new StringBuilder();

    Listener(BlockingQueue<JsonNode> queue) {
      this.queue = queue;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          queue.add(MAPPER.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException("chromium sent something that is not JSON: " + partial, e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
