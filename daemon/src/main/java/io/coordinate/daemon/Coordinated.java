package io.coordinate.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.coordinate.api.Coordinate;
import io.coordinate.api.scheduling.LongPoll;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.retention.RetentionSweeper;
import io.coordinate.cache.CacheSettings;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.AdminServer;
import io.coordinate.rpc.ArchiveCounter;
import io.coordinate.rpc.CborRpcServer;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code coordinated} daemon: opens a backend and serves it over CBOR-RPC, and its REST admin
 * API with Prometheus metrics at {@code /metrics} over HTTP, until stopped.
 */
@Command(
    name = "coordinated",
    mixinStandardHelpOptions = true,
    version = "coordinated 0.1.0",
    description = {
      "Serves a Coordinate job queue to Python coordinate workers over CBOR-RPC.",
      "Stops gracefully on SIGTERM or Ctrl-C: new connections are refused, requests in flight are"
          + " answered, and the store is closed cleanly."
    },
    sortOptions = false)
public final class Coordinated implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Coordinated.class);

  /** Where the embedded store lives when no backend is named. */
  public static final String DEFAULT_BACKEND = "./coordinate-data";

  @Option(
      names = "--backend",
      paramLabel = "STORE",
      description = {
        "memory, a directory for an embedded H2 store, a jdbc: URL, or",
        "postgres://user:password@host:port/db (default: ${DEFAULT-VALUE})"
      },
      defaultValue = DEFAULT_BACKEND)
  String backend;

  @Option(
      names = "--schema",
      paramLabel = "NAME",
      description = {
        "the PostgreSQL or H2 schema holding the tables (default: the database's own); daemons",
        "serving separate queues can share one database under different schemas"
      })
  String schema;

  @Option(
      names = "--pool-size",
      paramLabel = "N",
      description = {
        "most database connections a SQL backend opens (default: ${DEFAULT-VALUE});",
        "daemons sharing a database need max_connections for all their pools, plus one each"
      },
      defaultValue = "" + SqlConfig.DEFAULT_POOL_SIZE)
  int poolSize;

  @Option(
      names = "--cborrpc",
      paramLabel = "HOST:PORT",
      description = "where the CBOR-RPC server listens (default: ${DEFAULT-VALUE})",
      defaultValue = "127.0.0.1:" + CborRpcServer.DEFAULT_PORT)
  String cborrpc;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "the namespace the CBOR-RPC server serves (default: the empty name)",
      defaultValue = "")
  String namespace;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "a YAML file; its contents are what get_config returns to clients")
  Path config;

  @Option(
      names = "--max-frame-bytes",
      paramLabel = "N",
      description = "largest request a client may send (default: ${DEFAULT-VALUE})",
      defaultValue = "" + CborRpcServer.DEFAULT_MAX_FRAME_BYTES)
  int maxFrameBytes;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = {
        "most CBOR-RPC clients connected at once; one more is told so and disconnected",
        "(default: ${DEFAULT-VALUE})"
      },
      defaultValue = "" + CborRpcServer.DEFAULT_MAX_CONNECTIONS)
  int maxConnections;

  @Option(
      names = "--request-timeout",
      paramLabel = "SECONDS",
      description = {
        "each request's deadline from when it was read (CBOR-RPC and REST, except streamed",
        "exports); a store that would wait past it (for a database connection) answers with an",
        "error instead (default: ${DEFAULT-VALUE})"
      },
      defaultValue = "30")
  long requestTimeoutSeconds;

  @Option(
      names = "--frame-timeout",
      paramLabel = "SECONDS",
      description = {
        "how long a client may take to send the whole of a request it has begun; between",
        "requests, connections may stay idle without limit (default: ${DEFAULT-VALUE})"
      },
      defaultValue = "60")
  long frameTimeoutSeconds;

  @Option(
      names = "--write-timeout",
      paramLabel = "SECONDS",
      description = {
        "how long a reply may wait for a client that does not read before its connection is",
        "closed (default: ${DEFAULT-VALUE})"
      },
      defaultValue = "60")
  long writeTimeoutSeconds;

  @Option(
      names = "--stop-deadline",
      paramLabel = "SECONDS",
      description = "how long a graceful stop waits for requests in flight (default: ${DEFAULT-VALUE})",
      defaultValue = "10")
  long stopDeadlineSeconds;

  @Option(
      names = "--cache",
      negatable = true,
      description =
          "cache work specs, units and workers by name in front of a SQL backend; default on",
      defaultValue = "true",
      fallbackValue = "true")
  boolean cache;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description = {
        "where the REST admin API listens, or off (default: ${DEFAULT-VALUE}); a non-loopback",
        "address needs an admin token"
      },
      defaultValue = "127.0.0.1:" + DEFAULT_HTTP_PORT)
  String http;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = {
        "a file whose first line is the bearer token the REST admin API requires for changes",
        "(and for everything on a non-loopback address); default: $" + ADMIN_TOKEN_VARIABLE
      })
  Path adminTokenFile;

  @Option(
      names = "--retention-interval",
      paramLabel = "SECONDS",
      description = {
        "how often finished and failed units beyond their work spec's retention are archived",
        "(deleted), 0 for never (default: ${DEFAULT-VALUE})"
      },
      defaultValue = "60")
  long retentionIntervalSeconds;

  /** The admin API's port when no {@code --http} is given. */
  public static final int DEFAULT_HTTP_PORT = 5980;

  /** The environment variable holding the admin token when no token file is named. */
  public static final String ADMIN_TOKEN_VARIABLE = "COORDINATE_ADMIN_TOKEN";

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    int code =
        new CommandLine(new Coordinated())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  // A clear line for the operator; the stack trace only when debugging.
                  cmd.getErr().println("coordinated: " + e.getMessage());
                  log.debug("startup failed", e);
                  return 1;
                })
            .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    Running running = start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: finishing requests in flight");
                  running.stop();
                  log.info("stopped");
                  stopped.countDown();
                },
                "coordinated-shutdown"));
    log.info("ready (SIGTERM or Ctrl-C stops gracefully)");
    running.server().awaitStop();
    stopped.await();
    return 0;
  }

  /**
   * A started daemon: its store (behind the cache, when there is one: closing it closes the store),
   * its servers, and the meter registry they all report to.
   */
  public record Running(
      Coordinate coordinate,
      CborRpcServer server,
      AdminServer admin,
      Duration stopDeadline,
      DaemonMetrics metrics,
      LongPoll longPoll,
      RetentionSweeper retention) {
    /**
     * Stops gracefully: requests waiting for work answer empty at once, then the servers stop
     * (answering requests in flight), then the store, then the metrics. {@code admin} is null when
     * the admin API is off, {@code retention} when its sweeps are; a sweep under way stops at its
     * next batch, before the store closes.
     */
    public void stop() {
      try {
        if (retention != null) {
          retention.close();
        }
        longPoll.close();
        server.stop(stopDeadline);
      } finally {
        try {
          if (admin != null) {
            admin.close();
          }
          coordinate.close();
        } finally {
          metrics.close();
        }
      }
    }
  }

  /** Opens the store and starts serving, as the options say; returns once listening. */
  public Running start() throws IOException {
    Map<String, Object> globalConfig = Config.load(config);
    InetSocketAddress address = Addresses.parse(cborrpc, CborRpcServer.DEFAULT_PORT);
    if (retentionIntervalSeconds < 0) {
      throw new IllegalArgumentException(
          "--retention-interval must be a number of seconds, 0 for off: "
              + retentionIntervalSeconds);
    }
    if (poolSize < SqlConfig.MIN_POOL_SIZE) {
      throw new IllegalArgumentException(
          "--pool-size must be at least " + SqlConfig.MIN_POOL_SIZE + ": " + poolSize);
    }
    DaemonMetrics metrics = new DaemonMetrics();
    LongPoll longPoll = new LongPoll();
    Coordinate coordinate;
    try {
      coordinate = openBackend(backend, schema, poolSize, metrics, longPoll);
    } catch (IOException | RuntimeException e) {
      metrics.close();
      throw e;
    }
    if (cache && coordinate instanceof SqlCoordinate) {
      // Look-ups by name are most of a job server's round trips to the database; the memory
      // backend answers them as cheaply as a cache would. Closing the wrapper closes the store.
      log.info("cache: work specs, units and workers by name");
      CachingCoordinate cached = CachingCoordinate.wrap(coordinate, CacheSettings.DEFAULT);
      cached.bindTo(metrics.registry());
      coordinate = cached;
    }
    CborRpcServer server = null;
    try {
      server =
          CborRpcServer.start(
              coordinate,
              CborRpcServer.Settings.defaults()
                  .withAddress(address)
                  .withNamespace(namespace)
                  .withMaxFrameBytes(maxFrameBytes)
                  .withMaxConnections(maxConnections)
                  .withRequestTimeout(Duration.ofSeconds(requestTimeoutSeconds))
                  .withFrameTimeout(Duration.ofSeconds(frameTimeoutSeconds))
                  .withWriteTimeout(Duration.ofSeconds(writeTimeoutSeconds))
                  .withGlobalConfig(globalConfig)
                  .withMeterRegistry(metrics.registry()));
      AdminServer admin = startAdmin(coordinate, metrics);
      RetentionSweeper retention = startRetention(coordinate, metrics);
      return new Running(
          coordinate, server, admin, Duration.ofSeconds(stopDeadlineSeconds), metrics, longPoll,
          retention);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.stop(Duration.ZERO);
      }
      coordinate.close();
      metrics.close();
      throw e;
    }
  }

  /**
   * The REST admin API, with the metrics at {@code /metrics}, as {@code --http} and the token
   * options say; null when off.
   */
  private AdminServer startAdmin(Coordinate coordinate, DaemonMetrics metrics) throws IOException {
    if (http.equalsIgnoreCase("off")) {
      return null;
    }
    InetSocketAddress address = Addresses.parse(http, DEFAULT_HTTP_PORT);
    AdminServer.Settings settings =
        AdminServer.Settings.loopback(coordinate)
            .withAddress(address.getHostString(), address.getPort())
            .withMetrics(metrics::scrape)
            .withRequestTimeout(Duration.ofSeconds(requestTimeoutSeconds));
    Optional<String> token = adminToken();
    if (token.isPresent()) {
      settings = settings.withAdminToken(token.get());
    }
    return new AdminServer(settings).start();
  }

  /** The retention sweeper, as {@code --retention-interval} says; null when off. */
  private RetentionSweeper startRetention(Coordinate coordinate, DaemonMetrics metrics) {
    if (retentionIntervalSeconds == 0) {
      log.info("retention: off (finished and failed units are kept)");
      return null;
    }
    Duration interval = Duration.ofSeconds(retentionIntervalSeconds);
    log.info("retention: every {} s, in batches of {} units", retentionIntervalSeconds,
        RetentionSweeper.DEFAULT_BATCH);
    return new RetentionSweeper(
            coordinate,
            interval,
            RetentionSweeper.DEFAULT_BATCH,
            new RetentionLog(new ArchiveCounter(metrics.registry()), interval))
        .start();
  }

  private Optional<String> adminToken() throws IOException {
    if (adminTokenFile != null) {
      String first = Files.readString(adminTokenFile).lines().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("--admin-token-file " + adminTokenFile + " is empty");
      }
      return Optional.of(first);
    }
    String variable = System.getenv(ADMIN_TOKEN_VARIABLE);
    return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable.strip());
  }

  /**
   * The backend a {@code --backend} value names (a SQL one with at most {@code poolSize}
   * connections), reporting its unit transitions to {@code metrics} (and a SQL backend its
   * connection pool and statement count), its requests for work waiting in {@code longPoll}.
   */
  static Coordinate openBackend(
      String spec, String schema, int poolSize, DaemonMetrics metrics, LongPoll longPoll)
      throws IOException {
    if (spec.equals("memory")) {
      if (schema != null) {
        throw new IllegalArgumentException("--schema names a SQL schema; the memory backend has none");
      }
      log.info("backend: in memory (nothing is kept after the daemon stops)");
      return MemoryCoordinate.create(Clock.systemUTC(), metrics.unitEvents(), longPoll);
    }
    if (!spec.startsWith("jdbc:") && !spec.startsWith("postgres://") && !spec.startsWith("postgresql://")) {
      Files.createDirectories(Path.of(spec));
      log.info("backend: embedded H2 store in {}", Path.of(spec).toAbsolutePath());
    } else {
      log.info("backend: {}", spec.replaceAll("//([^:@/]+):[^@/]*@", "//$1:***@"));
    }
    SqlConfig config = SqlConfig.of(spec).withPoolSize(poolSize);
    if (schema != null) {
      config = config.withSchema(schema);
    }
    return SqlCoordinate.open(
        config
            .withUnitEvents(metrics.unitEvents())
            .withMeterRegistry(metrics.registry())
            .withLongPoll(longPoll));
  }

  /** Reads the YAML configuration file into a data map ({@code get_config}'s answer). */
  static final class Config {
    private Config() {}

    static Map<String, Object> load(Path file) throws IOException {
      if (file == null) {
        return Map.of();
      }
      var mapper = new ObjectMapper(new YAMLFactory());
      Object tree = mapper.readValue(file.toFile(), Object.class);
      if (tree == null) {
        return Map.of();
      }
      if (!(tree instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("--config " + file + ": the file must hold a YAML mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> config = DataValues.copyOf((Map<String, ?>) map);
      return config;
    }
  }
}
