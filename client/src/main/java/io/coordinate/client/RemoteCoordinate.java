package io.coordinate.client;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.client.RemoteErrors.Target;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A {@link Coordinate} whose backend is a daemon reached over its REST API (see {@link
 * io.coordinate.client} for usage). Thread-safe; handles are name-based. Close it to release its
 * connections (the daemon and its data stay as they are).
 */
public final class RemoteCoordinate implements Coordinate {

  /**
   * How to reach the daemon.
   *
   * @param baseUrl the daemon's HTTP address, e.g. {@code http://127.0.0.1:5980} (a path prefix
   *     is kept, for a daemon behind a reverse proxy)
   * @param adminToken the bearer token sent with every request, if the daemon requires one
   * @param connectTimeout how long to wait for a connection
   * @param requestTimeout how long to wait for each answer (a big batch of units or the deletion
   *     of a large spec take the longest)
   * @param executor the executor the HTTP client runs its work on; empty for the JDK's default
   */
  public record Settings(
      URI baseUrl,
      Optional<String> adminToken,
      Duration connectTimeout,
      Duration requestTimeout,
      Optional<Executor> executor) {

    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      adminToken = adminToken == null ? Optional.empty() : adminToken;
      executor = executor == null ? Optional.empty() : executor;
      connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
      requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
      String scheme = baseUrl.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || baseUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "the daemon's address must be an http(s) URL such as http://127.0.0.1:5980, not "
                + baseUrl);
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "the daemon's address must not have a query or fragment: " + baseUrl);
      }
      if (adminToken.isPresent() && adminToken.get().isBlank()) {
        throw new IllegalArgumentException("the admin token must not be blank");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()
          || requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }

    /** The daemon at {@code baseUrl}, without a token, with the default timeouts. */
    public static Settings of(URI baseUrl) {
      return new Settings(baseUrl, Optional.empty(), null, null, Optional.empty());
    }

    public Settings withAdminToken(String token) {
      return new Settings(baseUrl, Optional.of(token), connectTimeout, requestTimeout, executor);
    }

    public Settings withConnectTimeout(Duration timeout) {
      return new Settings(baseUrl, adminToken, timeout, requestTimeout, executor);
    }

    public Settings withRequestTimeout(Duration timeout) {
      return new Settings(baseUrl, adminToken, connectTimeout, timeout, executor);
    }

    public Settings withExecutor(Executor e) {
      return new Settings(baseUrl, adminToken, connectTimeout, requestTimeout, Optional.of(e));
    }

    @Override
    public String toString() {
      // Never print the token.
      return "Settings[baseUrl=" + baseUrl
          + ", adminToken=" + (adminToken.isPresent() ? "***" : "none")
          + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
          + ", executor=" + executor.map(Object::toString).orElse("default") + "]";
    }
  }

  private final Settings settings;
  private final Transport http;

  private RemoteCoordinate(Settings settings) {
    this.settings = settings;
    this.http = new Transport(settings);
  }

  /**
   * A client of the daemon at {@code baseUrl} with the default settings. Nothing is sent yet: an
   * unreachable daemon shows on the first call, as {@link
   * io.coordinate.api.BackendUnavailableException}.
   */
  public static RemoteCoordinate connect(URI baseUrl) {
    return connect(Settings.of(baseUrl));
  }

  /** A client with these settings; nothing is sent yet. */
  public static RemoteCoordinate connect(Settings settings) {
    return new RemoteCoordinate(Objects.requireNonNull(settings, "settings"));
  }

  /** The settings this client was made with. */
  public Settings settings() {
    return settings;
  }

  /** Creates the namespace on the daemon if it does not exist (one request). */
  @Override
  public Namespace namespace(String name) {
    if (name == null) {
      throw new InvalidRequestException("namespace name must not be null");
    }
    RemoteNamespace ns = new RemoteNamespace(http, name);
    http.call("PUT", Routes.namespace(name), null, Wire.Named.class, ns.target());
    return ns;
  }

  @Override
  public List<String> namespaceNames() {
    return Wire.list(
        http.get(Routes.NAMESPACES, Wire.NamespaceList.class, Target.handle("the daemon"))
            .namespaces(),
        "namespaces");
  }

  @Override
  public MaintenanceState maintenance() {
    return Wire.maintenance(
        http.get(Routes.MAINTENANCE, Wire.Maintenance.class, Target.handle("the daemon")));
  }

  @Override
  public void setMaintenance(boolean on, String reason) {
    http.call("PUT", Routes.MAINTENANCE, Map.of("on", on, "reason", reason == null ? "" : reason),
        Wire.Maintenance.class, Target.handle("the daemon"));
  }

  /**
   * Opens the export file of a namespace (see {@code io.coordinate.transfer.ExportFormat}) as the
   * daemon streams it; the caller reads it to the end and closes it. A stream that ends without the
   * file's end record was cut short.
   */
  public InputStream openExport(String namespace) {
    String path = Routes.namespace(namespace) + "/export";
    Target target = Target.handle("namespace " + RemoteErrors.quote(namespace));
    HttpResponse<InputStream> answer =
        http.exchange("GET", path, null, null, HttpResponse.BodyHandlers.ofInputStream());
    if (answer.statusCode() == 200) {
      return answer.body();
    }
    try (InputStream body = answer.body()) {
      throw http.errorOf(answer.statusCode(), body.readAllBytes(), target);
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot read the daemon's answer: " + e, e);
    }
  }

  /** What one import request applied, and the line the import goes on from. */
  public record Imported(long position, long workSpecs, long workers, long workUnits) {}

  /**
   * Sends consecutive lines of an export file, the first being line {@code position} of it, to be
   * applied to the namespace (created if needed). The daemon must be in maintenance mode.
   */
  public Imported importLines(String namespace, long position, List<String> lines) {
    String path = Routes.namespace(namespace) + "/import?position=" + position;
    byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    Target target = Target.handle("namespace " + RemoteErrors.quote(namespace));
    HttpResponse<byte[]> answer =
        http.exchange("POST", path, body, "application/x-ndjson",
            HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() != 200) {
      throw http.errorOf(answer.statusCode(), answer.body(), target);
    }
    return http.read(answer.body(), Imported.class, "POST", path);
  }

  /**
   * Closes the connections: calls in flight and calls made afterwards raise {@link
   * io.coordinate.api.BackendUnavailableException}. The daemon and its data are not touched.
   */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "RemoteCoordinate[" + http.base() + "]";
  }
}
