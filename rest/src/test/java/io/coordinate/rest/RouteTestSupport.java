package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.TestHttp.Answer;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the namespace, work spec, work unit, attempt and worker route tests share: a backend on a
 * {@link MutableClock} (in memory here; the {@code …OnH2Test} subclasses use the SQL backend), an
 * admin server over it, and HTTP calls through {@link TestHttp}.
 */
abstract class RouteTestSupport {
  static final String TOKEN = "route-token";
  static final String API = "/api/v1/namespaces/";

  /** The backend's time: it stands still until a test moves it. */
  protected final MutableClock clock = new MutableClock();
  protected Coordinate coordinate;
  protected AdminServer server;

  /** A new, empty backend on {@code clock}; the in-memory one unless a subclass says otherwise. */
  protected Coordinate newCoordinate(Clock clock) {
    return MemoryCoordinate.create(clock);
  }

  /** The SQL backend on a new in-memory H2 database, for the {@code …OnH2Test} subclasses. */
  static Coordinate h2(Clock clock) {
    SqlConfig c = SqlConfig.h2Memory("routes_" + UUID.randomUUID().toString().replace("-", ""));
    return SqlCoordinate.open(new SqlConfig(
        c.jdbcUrl(), c.user(), c.password(), 4, c.schema(), c.connectionTimeout(), clock));
  }

  @BeforeEach
  void openBackend() {
    coordinate = newCoordinate(clock);
  }

  @AfterEach
  void closeAll() {
    if (server != null) {
      server.close();
    }
    coordinate.close();
  }

  /** Starts the server on loopback without a token. */
  void open() {
    server = new AdminServer(AdminServer.Settings.loopback(coordinate)).start();
  }

  /** Starts the server on loopback with {@link #TOKEN}. */
  void openWithToken() {
    server = new AdminServer(AdminServer.Settings.loopback(coordinate).withAdminToken(TOKEN))
        .start();
  }

  Answer call(String method, String path, String body) throws IOException, InterruptedException {
    return TestHttp.call(server.port(), method, path, body, null);
  }

  Answer call(String method, String path, String body, String authorization)
      throws IOException, InterruptedException {
    return TestHttp.call(server.port(), method, path, body, authorization);
  }

  Answer get(String path) throws IOException, InterruptedException {
    return call("GET", path, null);
  }

  /** A call that must succeed with 200; its body. */
  JsonNode ok(String method, String path, String body) throws IOException, InterruptedException {
    Answer a = call(method, path, body);
    assertThat(a.status()).as("%s %s: %s", method, path, a.body()).isEqualTo(200);
    assertThat(a.raw().headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    return a.body();
  }

  JsonNode ok(String path) throws IOException, InterruptedException {
    return ok("GET", path, null);
  }

  static void assertError(Answer a, int status, String code) {
    TestHttp.assertError(a, status, code);
  }

  static JsonNode json(String text) throws IOException {
    return TestHttp.JSON.readTree(text);
  }

  /**
   * A name as a path segment, written independently of the server's {@link Names}: {@link
   * URLEncoder} (which writes {@code ~} as {@code %7E}, also a valid form), spaces as {@code %20},
   * and the {@code ~} prefix of the contract.
   */
  static String seg(String name) {
    String escaped = name.isEmpty() || name.startsWith("~") ? "~" + name : name;
    return URLEncoder.encode(escaped, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("*", "%2A");
  }

  /** A query parameter value. */
  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Names that must survive a trip through a path segment. */
  static final List<String> ODD_NAMES = List.of(
      "", "~", "~x", "a/b", "a b", "é ü 日本", "50%", "a+b", "x%2By", "q?x=1#f", ".", "..",
      "semi;colon", "back\\slash", "/", "a//b");

  /**
   * One raw HTTP/1.0 request, for targets {@link java.net.URI} refuses (such as {@code %zz}): the
   * status and the body.
   */
  static Raw raw(int port, String method, String target) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write((method + " " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(all.substring(9, 12));
      int headersEnd = all.indexOf("\r\n\r\n");
      String headers = all.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
      return new Raw(status, headers, all.substring(headersEnd + 4));
    }
  }

  record Raw(int status, String headers, String body) {
    JsonNode json() throws IOException {
      return TestHttp.JSON.readTree(body);
    }
  }
}
