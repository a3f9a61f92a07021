package io.unmask.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with the JDK's own HTTP client and
 * WebSocket (no extra dependency): starts the browser on a free port (read from {@code
 * DevToolsActivePort}), attaches to its page target, sends commands and records every event. Every
 * wait ends at one deadline; {@link #close()} kills the browser and its child processes.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final long deadline;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  private HeadlessChromium(Process process, WebSocket socket, long deadline) {
    this.process = process;
    this.socket = socket;
    this.deadline = deadline;
  }

  /** The {@code chromium} executable on the PATH, if any. */
  static Optional<Path> executable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "chromium");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts the browser and attaches to its page; everything must be done within {@code limit}. */
  static HeadlessChromium start(Path executable, Path userDataDir, Duration limit)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Path log = userDataDir.resolve("chromium.log");
    Process p =
        new ProcessBuilder(
                executable.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + userDataDir,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Path portFile = userDataDir.resolve("DevToolsActivePort");
      int port = -1;
      while (port < 0) {
        if (!p.isAlive()) {
          throw new IOException("chromium exited early: " + tail(log));
        }
        if (Files.exists(portFile)) {
          List<String> lines = Files.readAllLines(portFile);
          if (!lines.isEmpty() && !lines.get(0).isBlank()) {
            port = Integer.parseInt(lines.get(0).trim());
            break;
          }
        }
        check(deadline, "the DevToolsActivePort file");
        Thread.sleep(100);
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String wsUrl = null;
      while (wsUrl == null) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode t : JSON.readTree(r.body())) {
          if ("page".equals(t.path("type").asText())) {
            wsUrl = t.path("webSocketDebuggerUrl").asText();
            break;
          }
        }
        if (wsUrl == null) {
          check(deadline, "a page target");
          Thread.sleep(100);
        }
      }
      Listener listener = new Listener();
      WebSocket ws =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(URI.create(wsUrl), listener)
              .get(remaining(deadline), TimeUnit.NANOSECONDS);
      HeadlessChromium c = new HeadlessChromium(p, ws, deadline);
      listener.owner = c;
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      kill(p);
      throw e;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      kill(p);
      throw new IOException("cannot connect to chromium's DevTools socket", e);
    }
  }

  /** Sends a command and waits for its result; a protocol error is thrown. */
  JsonNode send(String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket
        .sendText(JSON.writeValueAsString(msg), true)
        .get(remaining(deadline), TimeUnit.NANOSECONDS);
    JsonNode reply;
    try {
      reply = f.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no reply to " + method + " in time", e);
    }
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  JsonNode send(String method) throws Exception {
    return send(method, Map.of());
  }

  /** Waits for the first recorded event of {@code method} matching {@code test}. */
  JsonNode awaitEvent(String method, Predicate<JsonNode> test) throws InterruptedException {
    synchronized (events) {
      while (true) {
        for (JsonNode e : events) {
          if (method.equals(e.path("method").asText()) && test.test(e.path("params"))) {
            return e.path("params");
          }
        }
        long left = remaining(deadline);
        if (left <= 0) {
          throw new IllegalStateException("no " + method + " event in time");
        }
        TimeUnit.NANOSECONDS.timedWait(events, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  /** Every event recorded so far (method and params). */
  List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  void clearEvents() {
    synchronized (events) {
      events.clear();
    }
  }

  /**
   * Navigates to {@code url} and waits for its load event, with Runtime, Log and Page enabled
   * first, so that every console message, exception and log entry of the page is recorded.
   */
  void open(String url) throws Exception {
    send("Runtime.enable");
    send("Log.enable");
    send("Page.enable");
    // a desktop window, as an investigator would read the page
    send(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
    clearEvents();
    send("Page.navigate", Map.of("url", url));
    awaitEvent("Page.loadEventFired", x -> true);
  }

  /** Evaluates a JavaScript expression in the page and returns its value (JSON). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** The errors the page reported: console.error, uncaught exceptions, error log entries. */
  List<String> errors() {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events()) {
      String m = e.path("method").asText();
      JsonNode p = e.path("params");
      if (m.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) {
        out.add("console.error: " + p.path("args"));
      } else if (m.equals("Runtime.exceptionThrown")) {
        out.add("exception: " + p.path("exceptionDetails"));
      } else if (m.equals("Log.entryAdded")
          && p.path("entry").path("level").asText().equals("error")) {
        out.add("log: " + p.path("entry").path("text").asText());
      }
    }
    return out;
  }

  /** A PNG of the whole page, beyond the viewport. */
  byte[] screenshotFullPage() throws Exception {
    JsonNode m = send("Page.getLayoutMetrics");
    JsonNode size = m.has("cssContentSize") ? m.get("cssContentSize") : m.get("contentSize");
    double w = Math.ceil(size.path("width").asDouble());
    double h = Math.ceil(size.path("height").asDouble());
    JsonNode r =
        send(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
    return Base64.getDecoder().decode(r.path("data").asText());
  }

  @Override
  public void close() {
    try {
      socket.abort();
    } finally {
      kill(process);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static void check(long deadline, String what) {
    if (remaining(deadline) <= 0) {
      throw new IllegalStateException("chromium: timed out waiting for " + what);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void received(String text) {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (msg.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
      if (f != null) {
        f.complete(msg);
      }
    } else if (msg.has("method")) {
      synchronized (events) {
        events.add(msg);
        events.notifyAll();
      }
    }
  }

  /** Reassembles text frames into messages and hands them over. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();
    private final List<String> early = new ArrayList<>();
    private volatile HeadlessChromium owner;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        String msg = buffer.toString();
        buffer.setLength(0);
        HeadlessChromium o = owner;
        if (o == null) {
          early.add(msg);
        } else {
          early.forEach(o::received);
          early.clear();
          o.received(msg);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
