package io.coordinate.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Deadline;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON admin API over one {@link Coordinate}; see {@link io.coordinate.rest} for routes,
 * JSON forms, errors and access rules. It does not own the Coordinate: closing the server leaves
 * the backend open.
 *
 * <p>It refuses to start on a non-loopback address without an admin token, so the API is never
 * exposed to a network unauthenticated.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /**
   * How to run the server.
   *
   * @param host the address to bind (an IP literal or a host name)
   * @param port the port to bind; 0 picks a free one (see {@link AdminServer#port()})
   * @param adminToken the bearer token callers must present, if any
   * @param coordinate the backend to serve
   * @param metrics the Prometheus text exposition served at {@code /metrics}, if any (without it
   *     {@code /metrics} is 404)
   * @param clock the backend's time, which exports and imports date their records by ({@code
   *     null}: the system clock)
   */
  public record Settings(
      String host,
      int port,
      Optional<String> adminToken,
      Coordinate coordinate,
      Optional<Supplier<String>> metrics,
      Clock clock,
      Duration requestTimeout) {
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(coordinate, "coordinate");
      adminToken = adminToken == null ? Optional.empty() : adminToken;
      metrics = metrics == null ? Optional.empty() : metrics;
      clock = clock == null ? Clock.systemUTC() : clock;
      requestTimeout = requestTimeout == null ? Deadline.DEFAULT_REQUEST_TIMEOUT : requestTimeout;
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("the request timeout must be positive: " + requestTimeout);
      }
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      if (adminToken.isPresent() && adminToken.get().isBlank()) {
        throw new IllegalArgumentException("the admin token must not be blank");
      }
    }

    /** 127.0.0.1 on a free port, without a token. */
    public static Settings loopback(Coordinate coordinate) {
      return new Settings(
          "127.0.0.1", 0, Optional.empty(), coordinate, Optional.empty(), null, null);
    }

    public Settings withAddress(String host, int port) {
      return new Settings(host, port, adminToken, coordinate, metrics, clock, requestTimeout);
    }

    public Settings withAdminToken(String token) {
      return new Settings(
          host, port, Optional.of(token), coordinate, metrics, clock, requestTimeout);
    }

    /** Serves {@code scrape}'s answer (Prometheus text format 0.0.4) at {@code /metrics}. */
    public Settings withMetrics(Supplier<String> scrape) {
      return new Settings(
          host, port, adminToken, coordinate, Optional.of(scrape), clock, requestTimeout);
    }

    /** The backend's clock (tests pass the controllable one the backend runs on). */
    public Settings withClock(Clock v) {
      return new Settings(host, port, adminToken, coordinate, metrics, v, requestTimeout);
    }

    /**
     * How long a request may take, counted from when it was received: a backend call that would
     * wait past it (for a database connection, say) fails with 503 instead. Streamed exports are
     * exempt: they run as long as their reader reads.
     */
    public Settings withRequestTimeout(Duration v) {
      return new Settings(host, port, adminToken, coordinate, metrics, clock, v);
    }
  }

  /**
   * The largest request body the server reads, 64 MiB: room for a batch of thousands of work units
   * with their data. A larger body is 413 {@code payload_too_large}.
   */
  public static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  /**
   * What Jetty accepts in a request path. Names travel percent-encoded in one path segment (see
   * {@link io.coordinate.rest}), so an encoded {@code /} ({@code %2F}) or {@code %} ({@code %25})
   * must pass, and a segment {@code %2E} or {@code %2E%2E} may name {@code "."} or {@code ".."};
   * routing and name decoding work on the raw path, so none of these is ambiguous here. Jetty's
   * {@code DEFAULT} allows the first two; this adds the third and nothing else (UTF-16 {@code %u}
   * escapes, for one, stay refused, with a JSON 400 {@code bad_request}).
   */
  static final UriCompliance URI_COMPLIANCE =
      UriCompliance.DEFAULT.with(
          "COORDINATE_NAMES", UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT);

  private final Settings settings;
  private Javalin app;

  public AdminServer(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Binds the address and starts answering.
   *
   * @throws IllegalArgumentException if the address is not loopback and there is no admin token,
   *     or the host cannot be resolved
   * @throws IllegalStateException if already started
   */
  public synchronized AdminServer start() {
    if (app != null) {
      throw new IllegalStateException("the admin server is already started");
    }
    boolean loopback = isLoopback(settings.host());
    if (!loopback && settings.adminToken().isEmpty()) {
      throw new IllegalArgumentException(
          "refusing to serve the admin API on non-loopback address "
              + settings.host()
              + " without an admin token; set one or bind to 127.0.0.1");
    }
    AccessControl access = new AccessControl(settings.adminToken(), !loopback);
    ObjectMapper mapper = Json.mapper();
    AdminRoutes routes = new AdminRoutes(
            settings.coordinate(),
            mapper,
            settings.metrics(),
            settings.clock(),
            settings.requestTimeout());
    Javalin created =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              // A virtual thread per request: many clients blocking on the backend at once do not
              // exhaust a platform thread pool.
              config.useVirtualThreads = true;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jetty.modifyHttpConfiguration(c -> c.setUriCompliance(URI_COMPLIANCE));
              // What Jetty refuses before routing answers JSON too.
              config.jetty.modifyServer(s -> s.setErrorHandler(new HttpErrors.JettyErrors()));
              config.jsonMapper(new JavalinJackson(mapper, false));
              config.router.mount(
                  router -> {
                    router.before(access::check);
                    router.exception(Exception.class, HttpErrors::handle);
                    // Javalin has its own mapper for this subtype; ours must win for one shape.
                    router.exception(HttpResponseException.class, HttpErrors::handle);
                    routes.mount(router);
                    // The web dashboard: static files over the routes above, outside the API.
                    Dashboard.mount(router);
                  });
            });
    created.start(settings.host(), settings.port());
    app = created;
    LOG.info("admin API listening on {}:{}", settings.host(), created.port());
    return this;
  }

  /** The bound port (the chosen one when the settings said 0). */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the admin server is not started");
    }
    return app.port();
  }

  /** Stops answering; idempotent. */
  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve admin API host " + host, e);
    }
  }
}
