package io.coordinate.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.JsonData;
import io.coordinate.client.RemoteErrors.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP layer: one JDK {@link HttpClient} (HTTP/1.1) and one Jackson mapper, shared by every
 * handle and thread (both are thread-safe). Each API call is one request; the answer is read into
 * a {@link Wire} record, and an error answer becomes an api exception through {@link
 * RemoteErrors}. Network failures, timeouts and answers that are not the API's JSON become {@link
 * BackendUnavailableException} with the cause; an interrupt restores the thread's flag and does
 * the same.
 */
final class Transport implements AutoCloseable {
  private final HttpClient client;
  private final String base;
  private final String authorization;
  private final Duration requestTimeout;
  private final ObjectMapper mapper;
  private volatile boolean closed;

  Transport(RemoteCoordinate.Settings settings) {
    String url = settings.baseUrl().toString();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    this.base = url;
    this.authorization = settings.adminToken().map(t -> "Bearer " + t).orElse(null);
    this.requestTimeout = settings.requestTimeout();
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    settings.executor().ifPresent(builder::executor);
    this.client = builder.build();
    this.mapper = mapper();
  }

  /** snake_case, tagged data forms, lenient reading (unknown properties are ignored). */
  static ObjectMapper mapper() {
    // Data may hold long strings: the daemon's request limit bounds them, not Jackson's default.
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    return JsonMapper.builder(factory)
        .addModule(JsonData.module())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** The base URL requests go to, without a trailing slash. */
  String base() {
    return base;
  }

  <T> T get(String path, Class<T> answer, Target target) {
    return call("GET", path, null, answer, target);
  }

  /**
   * Sends one request and reads its answer.
   *
   * @param body written as JSON (maps, lists and data values); {@code null} for no body
   * @param answer the record to read a 2xx answer into ({@link JsonNode} for any)
   */
  <T> T call(String method, String path, Object body, Class<T> answer, Target target) {
    return call(method, path, body, answer, target, Duration.ZERO);
  }

  /**
   * {@link #call(String, String, Object, Class, Target)} for a request the daemon may hold for
   * {@code wait} before it answers (a long-poll): its timeout is that much longer.
   */
  <T> T call(
      String method, String path, Object body, Class<T> answer, Target target, Duration wait) {
    HttpResponse<byte[]> response =
        exchange(method, path, body == null ? null : write(body), "application/json",
            BodyHandlers.ofByteArray(), wait);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return read(response.body(), answer, method, path);
    }
    throw error(status, response.body(), target);
  }

  /**
   * Sends one request whose body is {@code body} (of {@code contentType}; {@code null} for none)
   * and hands the answer to {@code answer} as it arrives, whatever its status. Failing to reach the
   * daemon raises {@link BackendUnavailableException}.
   */
  <T> HttpResponse<T> exchange(
      String method, String path, byte[] body, String contentType, BodyHandler<T> answer) {
    return exchange(method, path, body, contentType, answer, Duration.ZERO);
  }

  private <T> HttpResponse<T> exchange(
      String method,
      String path,
      byte[] body,
      String contentType,
      BodyHandler<T> answer,
      Duration wait) {
    if (closed) {
      throw new BackendUnavailableException("the remote client of " + base + " is closed");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout.plus(wait))
            .header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
      request.method(method, BodyPublishers.ofByteArray(body));
    } else {
      request.method(method, BodyPublishers.noBody());
    }
    try {
      return client.send(request.build(), answer);
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot reach the daemon at " + base + " (" + method + " " + path + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(
          "interrupted while waiting for the daemon at " + base, e);
    } catch (IllegalStateException | SecurityException e) {
      // The HttpClient was shut down under us (close() racing a call), or a policy refused.
      throw new BackendUnavailableException("cannot send to the daemon at " + base + ": " + e, e);
    }
  }

  /** The exception for an error answer of {@code status} whose body is {@code body}. */
  RuntimeException errorOf(int status, byte[] body, Target target) {
    return error(status, body, target);
  }

  private byte[] write(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Data is checked before it gets here; this is a value Jackson cannot write anyway.
      throw new InvalidRequestException(
          "cannot write the request as JSON: " + e.getOriginalMessage());
    }
  }

  <T> T read(byte[] body, Class<T> answer, String method, String path) {
    try {
      T value = mapper.readValue(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body,
          answer);
      if (value == null) {
        throw Wire.malformed("the answer to " + method + " " + path + " is JSON null");
      }
      return value;
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(method, path, e);
    }
  }

  /** An answer that is not what the API describes: the daemon is not usable as it stands. */
  static BackendUnavailableException malformed(String method, String path, Exception e) {
    return new BackendUnavailableException(
        "the daemon's answer to " + method + " " + path + " is not the REST API's form: "
            + e.getMessage(), e);
  }

  private RuntimeException error(int status, byte[] body, Target target) {
    String code = null;
    String message = null;
    try {
      JsonNode tree = mapper.readTree(body);
      if (tree != null && tree.isObject() && tree.path("code").isTextual()) {
        code = tree.get("code").textValue();
        message = tree.path("message").asText("");
      }
    } catch (IOException e) {
      // Not the API's error form (a proxy's page, say): described below.
    }
    if (message == null) {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      message = text.isEmpty() ? "(no body)"
          : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
    return RemoteErrors.of(status, code, message, target);
  }

  /**
   * Refuses new calls, aborts those in flight (they raise BackendUnavailableException) and waits a
   * little for the client's threads to end.
   */
  @Override
  public void close() {
    closed = true;
    client.shutdownNow();
    try {
      client.awaitTermination(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
