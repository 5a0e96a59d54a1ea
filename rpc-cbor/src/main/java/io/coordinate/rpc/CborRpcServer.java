package io.coordinate.rpc;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Deadline;
import io.coordinate.api.MaintenanceWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CBOR-RPC job server that Python {@code coordinate} workers and tools talk to. One virtual
 * thread per connection; each serves the one namespace the settings name.
 *
 * <pre>{@code
 * try (CborRpcServer server = CborRpcServer.start(coordinate, CborRpcServer.Settings.defaults())) {
 *   server.awaitStop();
 * }
 * }</pre>
 */
public final class CborRpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CborRpcServer.class);

  /** The port Python clients use by default. */
  public static final int DEFAULT_PORT = 5932;

  /** The largest frame a client may send; a larger one closes its connection. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /** How long the acceptor waits after a failed accept before it tries again. */
  private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(50);

  /** How many refused clients may be kept waiting while their refusal is delivered. */
  private static final int MAX_LINGERING = 256;

  /** The write watchdog looks every quarter of the write timeout, within these bounds. */
  private static final Duration WATCHDOG_MIN_PERIOD = Duration.ofMillis(10);

  private static final Duration WATCHDOG_MAX_PERIOD = Duration.ofSeconds(1);

  /** How long a graceful stop waits for requests in flight. */
  public static final Duration DEFAULT_STOP_DEADLINE = Duration.ofSeconds(10);

  /** How long a client may take to send the rest of a frame it has begun. */
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How many clients may be connected at once. Far more workers than a queue usually has, low
   * enough that a runaway client pool meets a clear refusal before the daemon runs out of file
   * descriptors or memory.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** How long a reply may stay blocked on a client that does not read before it is cut off. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What the server listens on and serves.
   *
   * @param address where to listen (port 0 picks a free port)
   * @param namespace the namespace served ("" is the Python default)
   * @param maxFrameBytes the largest request frame accepted
   * @param globalConfig what {@code get_config} returns (the daemon's configuration)
   * @param clock the time {@code now} answers (lock expiry, like every deadline in the queue,
   *     follows the backend's clock)
   * @param frameTimeout how long a client may take to send the rest of a frame once its first byte
   *     has arrived, in all (a client trickling a byte now and then does not restart it); past it,
   *     the client gets an error and is disconnected (a client that stalls half-way cannot hold its
   *     connection forever). Between frames there is no limit: clients keep idle connections for
   *     long. {@code null}: {@link #DEFAULT_FRAME_TIMEOUT}
   * @param meterRegistry where the server's meters go (request timers per method, the get_work
   *     latency histogram, connections; see docs/metrics.md). {@code null}: an empty composite
   *     registry, which records nothing
   * @param maintenanceRefresh how stale the server's view of the store's maintenance mode may be:
   *     a change made through another daemon shows within it. {@code null}: {@link
   *     MaintenanceWatch#DEFAULT_REFRESH}
   * @param maxConnections how many clients may be connected at once; one more gets an error reply
   *     ("too many connections") and is disconnected, and the clients already connected are served
   *     as before
   * @param requestTimeout each request's deadline, counted from when its frame has been read: the
   *     request runs under {@link Deadline}, and a backend that would wait past
   *     it (for a database connection, say) gives up with an error reply instead. {@code null}:
   *     {@link Deadline#DEFAULT_REQUEST_TIMEOUT}
   * @param writeTimeout how long writing a reply may stay blocked because the client does not read;
   *     past it the connection is closed, so that such a client holds no thread, socket and buffers
   *     for ever. {@code null}: {@link #DEFAULT_WRITE_TIMEOUT}
   */
  public record Settings(
      InetSocketAddress address,
      String namespace,
      int maxFrameBytes,
      Map<String, Object> globalConfig,
      Clock clock,
      Duration frameTimeout,
      MeterRegistry meterRegistry,
      Duration maintenanceRefresh,
      int maxConnections,
      Duration requestTimeout,
      Duration writeTimeout) {
    public Settings {
      Objects.requireNonNull(address, "address");
      namespace = namespace == null ? "" : namespace;
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be at least 1024");
      }
      globalConfig = globalConfig == null ? Map.of() : globalConfig;
      clock = clock == null ? Clock.systemUTC() : clock;
      frameTimeout = frameTimeout == null ? DEFAULT_FRAME_TIMEOUT : frameTimeout;
      checkMillis("frameTimeout", frameTimeout);
      meterRegistry = meterRegistry == null ? new CompositeMeterRegistry() : meterRegistry;
      maintenanceRefresh =
          maintenanceRefresh == null ? MaintenanceWatch.DEFAULT_REFRESH : maintenanceRefresh;
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      requestTimeout =
          requestTimeout == null ? Deadline.DEFAULT_REQUEST_TIMEOUT : requestTimeout;
      checkMillis("requestTimeout", requestTimeout);
      writeTimeout = writeTimeout == null ? DEFAULT_WRITE_TIMEOUT : writeTimeout;
      checkMillis("writeTimeout", writeTimeout);
    }

    private static void checkMillis(String name, Duration d) {
      if (d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be between 1 ms and 24 days");
      }
    }

    /**
     * Loopback, port 5932, namespace "", 64 MiB frames, empty config, system clock, 60 s frame
     * timeout, no metrics, 10,000 connections, 30 s per request, 60 s for a blocked write.
     */
    public static Settings defaults() {
      return new Settings(
          new InetSocketAddress("127.0.0.1", DEFAULT_PORT),
          "",
          DEFAULT_MAX_FRAME_BYTES,
          Map.of(),
          null,
          null,
          null,
          null,
          DEFAULT_MAX_CONNECTIONS,
          null,
          null);
    }

    public Settings withAddress(InetSocketAddress v) {
      return new Settings(
          v, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    public Settings withNamespace(String v) {
      return new Settings(
          address, v, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    public Settings withMaxFrameBytes(int v) {
      return new Settings(
          address, namespace, v, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    public Settings withGlobalConfig(Map<String, Object> v) {
      return new Settings(
          address, namespace, maxFrameBytes, v, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    public Settings withClock(Clock v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, v, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    public Settings withFrameTimeout(Duration v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, v, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    /** Registers the server's meters in {@code v}. */
    public Settings withMeterRegistry(MeterRegistry v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, v,
          maintenanceRefresh, maxConnections, requestTimeout, writeTimeout);
    }

    /** How stale the server's view of maintenance mode may be (it is set in the store). */
    public Settings withMaintenanceRefresh(Duration v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry, v,
          maxConnections, requestTimeout, writeTimeout);
    }

    /** How many clients may be connected at once. */
    public Settings withMaxConnections(int v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, v, requestTimeout, writeTimeout);
    }

    /** Each request's deadline, from its frame read to its answer. */
    public Settings withRequestTimeout(Duration v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, v, writeTimeout);
    }

    /** How long a reply may stay blocked on a client that does not read. */
    public Settings withWriteTimeout(Duration v) {
      return new Settings(
          address, namespace, maxFrameBytes, globalConfig, clock, frameTimeout, meterRegistry,
          maintenanceRefresh, maxConnections, requestTimeout, v);
    }
  }

  private final Settings settings;
  private final ServerSocket serverSocket;
  private final JobServer jobServer;
  private final RpcMetrics metrics;
  private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
  /** Refused clients whose connection is still open while their refusal is delivered. */
  private final AtomicInteger refusing = new AtomicInteger();
  private final Thread acceptor;
  private final Thread watchdog;
  private volatile boolean stopping;

  private CborRpcServer(Coordinate coordinate, Settings settings) throws IOException {
    this.settings = settings;
    this.jobServer = new JobServer(coordinate, settings, connections::size);
    this.metrics = jobServer.metrics();
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(settings.address(), 1024);
    this.acceptor = Thread.ofVirtual().name("cborrpc-accept").start(this::acceptLoop);
    // A platform thread: it must run even when every carrier of the virtual threads is busy.
    this.watchdog =
        Thread.ofPlatform().daemon().name("cborrpc-write-watchdog").start(this::watchWrites);
    log.info("CBOR-RPC server listening on {} (namespace \"{}\")", address(), settings.namespace());
  }

  /**
   * Starts listening.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static CborRpcServer start(Coordinate coordinate, Settings settings) {
    try {
      return new CborRpcServer(coordinate, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + settings.address() + ": " + e.getMessage(), e);
    }
  }

  /** The address actually bound (with the real port when the settings asked for port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverSocket.getLocalSocketAddress();
  }

  /** The settings the server runs with. */
  public Settings settings() {
    return settings;
  }

  /** How many clients are connected now. */
  public int connectionCount() {
    return connections.size();
  }

  private void acceptLoop() {
    while (!stopping) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (stopping || serverSocket.isClosed()) {
          return;
        }
        // Out of file descriptors, or a connection reset before it was accepted: the listening
        // socket is fine, so keep serving; pause so that a lasting condition does not spin.
        log.warn("accepting a connection failed, retrying: {}", e.toString());
        pauseAfterAcceptFailure();
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        // not fatal: only latency
      }
      if (connections.size() >= settings.maxConnections()) {
        refuseOverLimit(socket);
        continue;
      }
      RpcConnection connection =
          new RpcConnection(socket, jobServer, settings, this);
      connections.add(connection);
      metrics.accepted();
      if (stopping) {
        connection.stop();
      }
      Thread.ofVirtual().name("cborrpc-" + socket.getRemoteSocketAddress()).start(connection);
    }
  }

  /**
   * Tells a client beyond the connection limit why it is turned away, on a thread of its own so
   * that the acceptor goes on at once. Delivering the refusal keeps the socket open for up to a
   * second (see {@link RpcConnection#refuse}); during a flood of connections, beyond {@value
   * #MAX_LINGERING} refusals at once, the socket is closed right after the refusal is written.
   */
  private void refuseOverLimit(Socket socket) {
    metrics.refused();
    String message =
        "too many connections (limit " + settings.maxConnections() + "); try again later";
    boolean linger = refusing.incrementAndGet() <= MAX_LINGERING;
    Thread.ofVirtual()
        .name("cborrpc-refuse")
        .start(
            () -> {
              try (socket) {
                RpcConnection.refuse(socket, message, linger);
              } catch (IOException e) {
                log.debug("refusing {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
              } finally {
                refusing.decrementAndGet();
              }
            });
    log.debug("refused {}: {}", socket.getRemoteSocketAddress(), message);
  }

  /**
   * Closes connections whose reply has been blocked longer than the write timeout: the client
   * stopped reading. Such a client's thread reads no further request meanwhile, so it holds at
   * most one reply and the socket's buffers until then.
   */
  private void watchWrites() {
    long limit = settings.writeTimeout().toNanos();
    Duration period =
        Duration.ofNanos(
            Math.clamp(limit / 4, WATCHDOG_MIN_PERIOD.toNanos(), WATCHDOG_MAX_PERIOD.toNanos()));
    while (true) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return; // stop() has closed every connection
      }
      long now = System.nanoTime();
      for (RpcConnection c : connections) {
        if (c.closeIfWriteStalled(now, limit)) {
          metrics.timedOut(RpcMetrics.WRITE);
        }
      }
    }
  }

  private static void pauseAfterAcceptFailure() {
    try {
      Thread.sleep(ACCEPT_RETRY_PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void closed(RpcConnection connection) {
    connections.remove(connection);
  }

  /**
   * Stops gracefully: no new connections, idle ones closed, requests in flight answered; returns
   * when every connection has closed or the deadline passed (then the rest are cut).
   */
  public void stop(Duration deadline) {
    stopping = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      // already closed
    }
    for (RpcConnection c : connections) {
      c.stop();
    }
    long end = System.nanoTime() + deadline.toNanos();
    while (!connections.isEmpty() && System.nanoTime() < end) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (RpcConnection c : connections) {
      c.closeQuietly();
    }
    watchdog.interrupt();
    metrics.close();
  }

  /** Blocks until the server stops listening. */
  public void awaitStop() throws InterruptedException {
    acceptor.join();
  }

  @Override
  public void close() {
    stop(DEFAULT_STOP_DEADLINE);
  }
}
