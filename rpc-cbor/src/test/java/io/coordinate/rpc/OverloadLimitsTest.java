package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Deadline;
import io.coordinate.api.Namespace;
import io.coordinate.memory.MemoryCoordinate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's limits under overload, over real sockets: the connection limit, the write timeout
 * for clients that stop reading, the frame timeout for clients that trickle, and the deadline every
 * request runs under. In each case the offender is cut off and everyone else is served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverloadLimitsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Coordinate coordinate;
  private CborRpcServer server;

  private CborRpcServer start(UnaryOperator<CborRpcServer.Settings> settings) {
    return start(MemoryCoordinate.create(), settings);
  }

  private CborRpcServer start(Coordinate backend, UnaryOperator<CborRpcServer.Settings> settings) {
    coordinate = backend;
    server =
        CborRpcServer.start(
            coordinate,
            settings.apply(
                CborRpcServer.Settings.defaults()
                    .withAddress(new InetSocketAddress("127.0.0.1", 0))
                    .withMeterRegistry(registry)));
    return server;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
      coordinate.close();
    }
  }

  private RpcTestClient client() throws IOException {
    RpcTestClient c = new RpcTestClient(server.address());
    closeables.add(c);
    return c;
  }

  /** A raw socket to the server, its receive buffer small so that unread replies back up soon. */
  private Socket rawSocket() throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(server.address());
    s.setSoTimeout(30_000);
    closeables.add(s);
    return s;
  }

  private double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Waits for a condition another thread brings about (not for time to pass). */
  private static void awaitTrue(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** Reads and drops whatever arrives until the server closes the connection. */
  private static boolean readsToTheEnd(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] sink = new byte[64 * 1024];
    try {
      while (in.read(sink) >= 0) {
        // drop
      }
      return true;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }

  // ---------------------------------------------------------------------------------------
  // The connection limit
  // ---------------------------------------------------------------------------------------

  @Test
  void clientsBeyondTheConnectionLimitAreToldWhyWhileTheOthersAreServed() throws IOException {
    start(s -> s.withMaxConnections(3));
    List<RpcTestClient> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      admitted.add(client());
      assertThat(admitted.get(i).call("now")).isInstanceOf(Long.class);
    }

    // Twenty more: each is refused with a reason, including those that neither read nor close,
    // which must not hold up the acceptor for the ones after them.
    List<RpcTestClient> refused = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      refused.add(client());
    }
    for (RpcTestClient c : refused) {
      Map<Object, Object> reply = c.receiveAny();
      assertThat(RpcTestClient.errorMessage(reply)).contains("too many connections (limit 3)");
      assertThat(reply.get("id")).isNull();
      assertThat(c.closedByServer()).as("closed after the refusal").isTrue();
    }
    for (RpcTestClient c : admitted) {
      assertThat(c.call("now")).as("admitted clients are still served").isInstanceOf(Long.class);
    }
    assertThat(counter(RpcMetrics.CONNECTIONS_REFUSED)).isEqualTo(20);

    admitted.get(0).close();
    awaitTrue(() -> server.connectionCount() == 2, "a place is free");
    assertThat(client().call("now")).as("a newcomer takes the free place").isInstanceOf(Long.class);
  }

  // ---------------------------------------------------------------------------------------
  // Clients that stop reading
  // ---------------------------------------------------------------------------------------

  @Test
  void aClientThatStopsReadingIsCutAfterTheWriteTimeoutWhileABystanderStaysFast()
      throws IOException {
    start(s -> s.withWriteTimeout(Duration.ofMillis(500)));
    RpcTestClient bystander = client();
    bystander.ok("set_work_spec", map("name", "big", "blob", "x".repeat(32 * 1024)));

    // 300 replies of 32 KiB are far more than the socket buffers hold: the server's writer for
    // this client blocks, and stays blocked, as the client reads nothing.
    Socket hog = rawSocket();
    OutputStream out = hog.getOutputStream();
    byte[] request = RpcTestClient.frame(bystander.request(1, "get_work_spec", List.of("big")));
    for (int i = 0; i < 300; i++) {
      out.write(request);
    }
    out.flush();
    // The acceptor registers a connection on its own thread: until it has, there is nothing to cut.
    awaitTrue(() -> server.connectionCount() == 2, "the non-reading client is connected");

    long start = System.nanoTime();
    Duration slowest = Duration.ZERO;
    while (server.connectionCount() > 1) {
      long t = System.nanoTime();
      assertThat(bystander.call("now")).isInstanceOf(Long.class);
      slowest = max(slowest, Duration.ofNanos(System.nanoTime() - t));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the non-reading client is cut off")
          .isLessThan(Duration.ofSeconds(20));
    }
    assertThat(slowest)
        .as("the bystander's slowest call meanwhile")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(readsToTheEnd(hog)).isTrue();
    assertThat(counter(RpcMetrics.CONNECTIONS_TIMED_OUT, "phase", RpcMetrics.WRITE)).isEqualTo(1);
    assertThat(bystander.call("get_work_spec", "big")).isInstanceOf(Map.class);
  }

  @Test
  void aClientThatPausesReadingForLessThanTheWriteTimeoutGetsEveryReply() throws IOException {
    start(s -> s.withWriteTimeout(Duration.ofSeconds(5)));
    RpcTestClient c = client();
    c.ok("set_work_spec", map("name", "big", "blob", "x".repeat(32 * 1024)));
    for (int i = 0; i < 100; i++) {
      c.send("get_work_spec", "big");
    }
    sleep(200); // the replies back up meanwhile
    for (int i = 0; i < 100; i++) {
      assertThat(RpcTestClient.result(c.receive())).isInstanceOf(Map.class);
    }
    assertThat(counter(RpcMetrics.CONNECTIONS_TIMED_OUT, "phase", RpcMetrics.WRITE)).isZero();
  }

  // ---------------------------------------------------------------------------------------
  // Clients that trickle
  // ---------------------------------------------------------------------------------------

  @Test
  void aClientTricklingAFrameByteByByteIsCutAtTheFrameTimeout() throws Exception {
    start(s -> s.withFrameTimeout(Duration.ofMillis(800)));
    RpcTestClient idle = client();
    assertThat(idle.call("now")).isInstanceOf(Long.class);
    Socket slow = rawSocket();
    byte[] frame = RpcTestClient.frame(idle.request(1, "get_work_spec", List.of("x".repeat(40))));
    // One byte every 100 ms: each read sees progress, but the frame would take over 4 s in all.
    Thread trickle =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (byte b : frame) {
                      slow.getOutputStream().write(b);
                      Thread.sleep(100);
                    }
                  } catch (IOException | InterruptedException e) {
                    // cut off by the server: done
                  }
                });
    long start = System.nanoTime();
    Map<Object, Object> reply =
        TestCbor.decodeMap(Frames.read(slow.getInputStream(), Integer.MAX_VALUE));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(RpcTestClient.errorMessage(reply)).contains("not completed within 800 ms");
    assertThat(took).as("cut before the frame was complete").isLessThan(Duration.ofMillis(3500));
    assertThat(readsToTheEnd(slow)).isTrue();
    trickle.interrupt();
    trickle.join();
    assertThat(counter(RpcMetrics.CONNECTIONS_TIMED_OUT, "phase", RpcMetrics.FRAME)).isEqualTo(1);
    assertThat(idle.call("now"))
        .as("idle between frames for as long: served")
        .isInstanceOf(Long.class);
  }

  // ---------------------------------------------------------------------------------------
  // Request deadlines
  // ---------------------------------------------------------------------------------------

  /**
   * A backend whose namespaces note the deadline of the request that lists work specs, and, when
   * told to, wait past it and then check it, as a backend waiting for a database connection does.
   */
  private static final class DeadlineProbe {
    final AtomicLong remainingNanos = new AtomicLong(-1);
    volatile boolean set;
    volatile boolean overrun;

    Coordinate wrap(Coordinate real) {
      return proxy(Coordinate.class, real, (name, result) ->
          result instanceof Namespace ns ? proxy(Namespace.class, ns, this::observe) : result);
    }

    private Object observe(String method, Object result) {
      if (method.equals("workSpecNames")) {
        set = Deadline.isSet();
        remainingNanos.set(Deadline.remainingNanos());
        if (overrun) {
          while (Deadline.remainingNanos() > 0) {
            sleep(5);
          }
          Deadline.check("waiting in the test backend");
        }
      }
      return result;
    }

    interface After {
      Object apply(String method, Object result);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, T target, After after) {
      return (T)
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (p, method, args) -> {
                try {
                  return after.apply(method.getName(), method.invoke(target, args));
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @Test
  void everyRequestRunsUnderADeadlineCountedFromItsRead() throws IOException {
    DeadlineProbe probe = new DeadlineProbe();
    start(probe.wrap(MemoryCoordinate.create()), s -> s.withRequestTimeout(Duration.ofSeconds(7)));
    RpcTestClient c = client();
    c.pair("list_work_specs", map());
    assertThat(probe.set).as("a deadline is set while the request runs").isTrue();
    assertThat(probe.remainingNanos.get())
        .as("what is left of the 7 s budget")
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofSeconds(7).toNanos());
    assertThat(Deadline.isSet()).as("none outside the server's requests").isFalse();
  }

  @Test
  void aRequestWhoseDeadlinePassesGetsAnErrorReplyAndTheConnectionStaysUsable()
      throws IOException {
    DeadlineProbe probe = new DeadlineProbe();
    start(
        probe.wrap(MemoryCoordinate.create()), s -> s.withRequestTimeout(Duration.ofMillis(50)));
    RpcTestClient c = client();
    probe.overrun = true;
    assertThatThrownBy(() -> c.call("list_work_specs", map()))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("request timed out");
    probe.overrun = false;
    assertThat(c.pair("list_work_specs", map()).get(1)).isNull();
    assertThat(c.call("now")).isInstanceOf(Long.class);
  }

  // ---------------------------------------------------------------------------------------
  // Buffers that come and go
  // ---------------------------------------------------------------------------------------

  @Test
  void aLongPipelinedBurstOfMixedSizesIsAnsweredInOrder() throws Exception {
    start(s -> s);
    RpcTestClient c = client();
    c.ok("set_work_spec", map("name", "s"));
    // Names from 1 to 20,000 bytes long: frames straddle the buffers' edges, and some are larger
    // than the buffers; the replies are errors or nulls of matching variety.
    int n = 5_000;
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int length = i % 500 == 499 ? 20_000 : 1 + (i * 37) % 300;
      byte[] request = c.request(1000 + i, "get_work_spec", List.of("n".repeat(length)));
      frames.add(RpcTestClient.frame(request));
    }
    // Sent from another thread: the server stops reading while its replies are not read.
    Thread sender =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    OutputStream out = c.socket().getOutputStream();
                    for (byte[] f : frames) {
                      out.write(f);
                    }
                    out.flush();
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    for (int i = 0; i < n; i++) {
      Map<Object, Object> reply = c.receiveAny();
      assertThat(reply.get("id")).isEqualTo(1000L + i);
      assertThat(reply).containsEntry("result", null);
    }
    sender.join();
    assertThat(c.call("get_work_spec", "s")).isEqualTo(map("name", b("s")));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
