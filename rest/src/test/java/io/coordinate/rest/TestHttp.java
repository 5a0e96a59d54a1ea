package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Real HTTP calls to an admin server on this machine, for the tests. */
final class TestHttp {
  private TestHttp() {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A response: its status, its body as JSON (null when empty or not JSON), and the raw one. */
  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  static Answer call(int port, String method, String path, String body, String authorization)
      throws IOException, InterruptedException {
    return call(port, method, path, body, authorization, null);
  }

  /**
   * As {@link #call(int, String, String, String, String)}, failing with {@link
   * java.net.http.HttpTimeoutException} when no answer comes within {@code timeout} (null: no
   * limit), as a readiness probe gives up.
   */
  static Answer call(
      int port, String method, String path, String body, String authorization, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (timeout != null) {
      b.timeout(timeout);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    boolean json =
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
    JsonNode parsed = json && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
    return new Answer(r.statusCode(), parsed, r);
  }

  static Answer get(int port, String path) throws IOException, InterruptedException {
    return call(port, "GET", path, null, null);
  }

  /** An error answer: this status, a JSON body of exactly a code and a non-blank message. */
  static void assertError(Answer a, int status, String code) {
    assertThat(a.status()).as("%s", a.body()).isEqualTo(status);
    assertThat(a.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/json"));
    assertThat(a.body().properties()).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("code", "message");
    assertThat(a.body().get("code").asText()).isEqualTo(code);
    assertThat(a.body().get("message").asText()).isNotBlank();
  }
}
