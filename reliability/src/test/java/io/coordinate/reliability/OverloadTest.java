package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.UnixOperatingSystemMXBean;
import io.coordinate.api.data.CborCodec;
import io.coordinate.rpc.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One daemon (memory backend, 256 MiB heap) under overload, one scenario after another, while 2,000
 * idle client connections stay open and a bystander worker leases and finishes units all along,
 * timing each get_work: trickling clients (slowloris), clients that never read their replies, a
 * burst of 100,000 pipelined requests on one connection, and a client beyond the connection limit.
 * The last test checks what held throughout: the bystander stayed fast, the daemon's resident
 * memory stayed under {@value #RSS_LIMIT_MIB} MiB, and it still answers normally. The figures are
 * printed (see the test's output) and kept in docs/reliability.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OverloadTest {
  private static final int HELD_CONNECTIONS = 2_000;
  /** Room for the held connections, the bystander and the attackers of one scenario at a time. */
  private static final int MAX_CONNECTIONS = 2_100;

  private static final int FRAME_TIMEOUT_SECONDS = 3;
  private static final int WRITE_TIMEOUT_SECONDS = 5;
  private static final String HEAP = "256m";
  /** The heap cap, plus what the JVM needs beside it (metaspace, code, threads, GC). */
  private static final long RSS_LIMIT_MIB = 512;

  private static final int SLOWLORIS_CLIENTS = 50;
  private static final int NON_READERS = 40;
  private static final int BURST = 100_000;

  /** get_work round trips of the bystander: bounds for a loaded two-core machine. */
  private static final Duration P99_BOUND = Duration.ofSeconds(1);

  private static final Duration MAX_BOUND = Duration.ofSeconds(5);

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private DaemonProcess daemon;
  private final List<RpcClient> held = new ArrayList<>();
  private Bystander bystander;
  private RssSampler rss;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startDaemonAndBystander() throws Exception {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
      assertThat(os.getMaxFileDescriptorCount())
          .as("file descriptors for %d client sockets here and as many in the daemon (ulimit -n)",
              MAX_CONNECTIONS)
          .isGreaterThan(MAX_CONNECTIONS + 1024);
    }
    daemon =
        new DaemonProcess(
                "memory",
                HEAP,
                "--max-connections", "" + MAX_CONNECTIONS,
                "--frame-timeout", "" + FRAME_TIMEOUT_SECONDS,
                "--write-timeout", "" + WRITE_TIMEOUT_SECONDS)
            .start();
    rss = new RssSampler(daemon.pid());
    try (RpcClient admin = client()) {
      admin.callPair("set_work_spec", Map.of("name", "bystander"));
      for (int chunk = 0; chunk < 4; chunk++) {
        List<Object> units = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          int n = chunk * 5_000 + i;
          units.add(List.of(key("b%05d", n), Map.of("n", n)));
        }
        admin.callPair("add_work_units", "bystander", units);
      }
      // Units with 8 KiB of data each: a get_work_units reply of 100 of them is 800 KiB.
      admin.callPair("set_work_spec", Map.of("name", "big"));
      List<Object> units = new ArrayList<>();
      byte[] blob = new byte[8 * 1024];
      Arrays.fill(blob, (byte) 'x');
      for (int i = 0; i < 100; i++) {
        units.add(List.of(key("g%03d", i), Map.of("blob", blob)));
      }
      admin.callPair("add_work_units", "big", units);
    }
    bystander = new Bystander(client());
  }

  @AfterAll
  void stopDaemon() throws Exception {
    if (bystander != null) {
      bystander.stop();
    }
    if (rss != null) {
      rss.stop();
    }
    for (RpcClient c : held) {
      c.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private RpcClient client() throws IOException {
    return new RpcClient(daemon.rpcAddress(), CALL_TIMEOUT);
  }

  @Test
  @Order(1)
  void twoThousandConcurrentConnectionsAreHeldOpenAndServed() throws Exception {
    bystander.phase("2,000 connections");
    for (int i = 0; i < HELD_CONNECTIONS; i++) {
      held.add(client());
    }
    // Then all at once: every connection makes a call while all of them are open.
    List<Object> replies = callOnEveryHeldConnection("worker_heartbeat");
    assertThat(replies).hasSize(HELD_CONNECTIONS).allMatch(Boolean.TRUE::equals);
    assertThat(metric("coordinate_rpc_connections", ""))
        .as("connections the daemon holds")
        .isGreaterThanOrEqualTo(HELD_CONNECTIONS + 1);
    report("held %d connections, each served; daemon RSS %d MiB", HELD_CONNECTIONS, rss.nowMib());
  }

  @Test
  @Order(2)
  void slowlorisClientsTricklingAFrameAreCutAtTheFrameTimeout() throws Exception {
    bystander.phase("slowloris");
    byte[] frame = frame(7, "get_work_spec", List.of("s".repeat(60))); // ~90 bytes: 90 s at 1 B/s
    List<Socket> sockets = new ArrayList<>();
    List<Thread> tricklers = new ArrayList<>();
    for (int i = 0; i < SLOWLORIS_CLIENTS; i++) {
      Socket s = rawSocket();
      sockets.add(s);
      tricklers.add(Thread.ofVirtual().start(() -> trickle(s, frame)));
    }
    long start = System.nanoTime();
    for (Socket s : sockets) {
      Map<String, Object> reply = readReply(s);
      assertThat(errorMessage(reply))
          .contains("not completed within " + FRAME_TIMEOUT_SECONDS * 1000 + " ms");
      assertThat(readsToTheEnd(s)).as("closed by the daemon").isTrue();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("every trickling client cut, long before its frame would be complete")
        .isLessThan(Duration.ofSeconds(FRAME_TIMEOUT_SECONDS + 20));
    for (int i = 0; i < SLOWLORIS_CLIENTS; i++) {
      sockets.get(i).close();
      tricklers.get(i).join();
    }
    assertThat(metric("coordinate_rpc_connections_timed_out_total", "{phase=\"frame\"}"))
        .isEqualTo(SLOWLORIS_CLIENTS);
    report(
        "%d slowloris clients (1 byte/s) all cut after %d ms", SLOWLORIS_CLIENTS, took.toMillis());
  }

  @Test
  @Order(3)
  void clientsThatNeverReadTheirRepliesAreCutAfterTheWriteTimeout() throws Exception {
    bystander.phase("non-readers");
    byte[] request = frame(1, "get_work_units", List.of("big", Map.of("limit", 100)));
    int requests = 20; // 20 replies of 800 KiB: far beyond what the socket buffers hold
    List<Socket> sockets = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < NON_READERS; i++) {
      Socket s = rawSocket();
      OutputStream out = s.getOutputStream();
      for (int r = 0; r < requests; r++) {
        out.write(request);
      }
      out.flush();
      sockets.add(s);
    }
    awaitMetric("coordinate_rpc_connections_timed_out_total", "{phase=\"write\"}", NON_READERS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long replyBytes = 800L * 1024 * requests;
    for (Socket s : sockets) {
      long received = drain(s);
      assertThat(received).as("cut off before all its replies were sent").isLessThan(replyBytes);
      s.close();
    }
    report(
        "%d clients never reading their 800 KiB replies all cut after %d ms (write timeout %d s);"
            + " daemon RSS %d MiB",
        NON_READERS, took.toMillis(), WRITE_TIMEOUT_SECONDS, rss.nowMib());
  }

  @Test
  @Order(4)
  void aBurstOfOneHundredThousandPipelinedRequestsIsAnsweredInOrder() throws Exception {
    bystander.phase("pipelined burst");
    try (RpcClient c = client()) {
      // Sent from another thread, without waiting for any reply; read here, in order.
      AtomicReference<Throwable> sendFailure = new AtomicReference<>();
      long start = System.nanoTime();
      Thread sender =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < BURST; i++) {
                        if (i % 4 == 0) {
                          c.send("get_work_spec_meta", "bystander");
                        } else {
                          c.send("now");
                        }
                      }
                      c.flush();
                    } catch (IOException | RuntimeException e) {
                      sendFailure.set(e);
                    }
                  });
      for (long id = 1; id <= BURST; id++) {
        Map<?, ?> reply = c.receive();
        Object result = RpcClient.result(id, reply);
        assertThat(result).as("reply %d", id).isNotNull();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      sender.join();
      assertThat(sendFailure.get()).isNull();
      assertThat(took).isLessThan(Duration.ofSeconds(60));
      report(
          "%,d pipelined requests answered in order in %d ms (%,.0f requests/s)",
          BURST, took.toMillis(), BURST / (took.toNanos() / 1e9));
    }
  }

  @Test
  @Order(5)
  void aClientBeyondTheConnectionLimitIsRefusedWhileTheHeldOnesAreServed() throws Exception {
    bystander.phase("connection limit");
    List<Object> replies = callOnEveryHeldConnection("worker_heartbeat");
    assertThat(replies).as("the held connections, still served").allMatch(Boolean.TRUE::equals);
    // Every attacker of the scenarios before has gone: the held ones and the bystander remain.
    awaitMetric("coordinate_rpc_connections", "", HELD_CONNECTIONS + 1);
    int room = MAX_CONNECTIONS - (HELD_CONNECTIONS + 1);
    List<RpcClient> extra = new ArrayList<>();
    try {
      for (int i = 0; i < room; i++) {
        RpcClient c = client();
        extra.add(c);
        assertThat(c.call("now")).isInstanceOf(Number.class);
      }
      RpcClient over = client();
      extra.add(over);
      assertThatThrownBy(() -> over.call("now"))
          .isInstanceOf(RpcClient.ServerError.class)
          .hasMessageContaining("too many connections (limit " + MAX_CONNECTIONS + ")");
      assertThat(held.get(0).call("now")).isInstanceOf(Number.class);
    } finally {
      for (RpcClient c : extra) {
        c.close();
      }
    }
    assertThat(metric("coordinate_rpc_connections_refused_total", "")).isEqualTo(1);
  }

  @Test
  @Order(6)
  void throughoutTheBystanderStayedFastAndTheDaemonStayedBounded() throws Exception {
    bystander.stop();
    rss.stop();
    Map<String, List<Long>> byPhase = bystander.samples();
    List<Long> all = new ArrayList<>();
    for (var e : byPhase.entrySet()) {
      List<Long> s = e.getValue();
      all.addAll(s);
      report("bystander get_work during %s: %s", e.getKey(), summary(s));
    }
    report("bystander get_work overall: %s", summary(all));
    report("daemon RSS: max %d MiB (limit %d MiB, heap cap %s)", rss.maxMib(), RSS_LIMIT_MIB, HEAP);

    assertThat(bystander.failure()).as("the bystander's calls all succeeded").isNull();
    assertThat(bystander.finished()).as("units the bystander finished").isGreaterThan(100);
    Collections.sort(all);
    assertThat(Duration.ofNanos(percentile(all, 0.99))).as("p99 of get_work").isLessThan(P99_BOUND);
    assertThat(Duration.ofNanos(all.getLast())).as("slowest get_work").isLessThan(MAX_BOUND);
    assertThat(rss.maxMib()).as("the daemon's peak resident memory, MiB").isLessThan(RSS_LIMIT_MIB);

    assertThat(daemon.isAlive()).isTrue();
    assertThat(Files.readString(daemon.logFile())).doesNotContain("OutOfMemoryError");
    try (RpcClient c = client()) {
      Map<?, ?> counts = (Map<?, ?>) c.callPair("count_work_units", "bystander");
      Object finished = counts.get(counts.containsKey(4) ? 4 : "4"); // status 4: finished
      assertThat(((Number) finished).longValue()).isEqualTo(bystander.finished());
      assertThat(c.call("now")).isInstanceOf(Number.class);
    }
  }

  // ---------------------------------------------------------------------------------------
  // The bystander worker and the memory sampler
  // ---------------------------------------------------------------------------------------

  /** A worker that leases and finishes one unit after another, timing every get_work. */
  private static final class Bystander {
    private final RpcClient client;
    private final Thread thread;
    private final Map<String, List<Long>> samples =
        Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong finished = new AtomicLong();
    private volatile String phase = "start";
    private volatile boolean stopping;

    Bystander(RpcClient client) {
      this.client = client;
      // A platform thread, as a worker process has: its timing does not depend on this JVM's
      // virtual-thread carriers, which the attacking clients keep busy.
      this.thread = Thread.ofPlatform().name("bystander").start(this::run);
    }

    void phase(String name) {
      phase = name;
    }

    private void run() {
      Map<String, Object> options =
          Map.of("lease_time", 30, "max_jobs", 1, "work_spec_names", List.of("bystander"));
      try {
        while (!stopping) {
          long start = System.nanoTime();
          List<?> work = (List<?>) client.callPair("get_work", "bystander", options);
          long nanos = System.nanoTime() - start;
          samples
              .computeIfAbsent(phase, p -> Collections.synchronizedList(new ArrayList<>()))
              .add(nanos);
          if (work.get(1) != null) {
            client.callPair("update_work_unit", "bystander", work.get(1), Map.of("status", 4));
            finished.incrementAndGet();
          }
          Thread.sleep(10);
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    void stop() throws Exception {
      stopping = true;
      thread.join();
      client.close();
    }

    Map<String, List<Long>> samples() {
      synchronized (samples) {
        return new LinkedHashMap<>(samples);
      }
    }

    Throwable failure() {
      return failure.get();
    }

    long finished() {
      return finished.get();
    }
  }

  /** Reads the daemon's resident set size (VmRSS) every 200 ms, keeping the highest. */
  private static final class RssSampler {
    private final Path status;
    private final AtomicLong maxKib = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    RssSampler(long pid) {
      this.status = Path.of("/proc", Long.toString(pid), "status");
      this.thread = Thread.ofPlatform().daemon().name("rss-sampler").start(this::run);
    }

    private void run() {
      while (!stopping) {
        maxKib.accumulateAndGet(readKib(), Math::max);
        DaemonProcess.sleep(200);
      }
    }

    private long readKib() {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
        return 0;
      } catch (IOException e) {
        return 0; // the process is gone; the liveness checks say so
      }
    }

    long nowMib() {
      return readKib() / 1024;
    }

    long maxMib() {
      return Math.max(maxKib.get(), readKib()) / 1024;
    }

    void stop() throws InterruptedException {
      stopping = true;
      thread.join();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------

  /** Each held connection calls {@code method} at once (on a virtual thread each); the values. */
  private List<Object> callOnEveryHeldConnection(String method) throws Exception {
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < held.size(); i++) {
        RpcClient c = held.get(i);
        String worker = "held-" + i;
        futures.add(
            pool.submit(() -> c.callPair(method, worker, "IDLE", 600, Map.of(), null)));
      }
    }
    List<Object> values = new ArrayList<>();
    for (Future<Object> f : futures) {
      values.add(f.get());
    }
    return values;
  }

  /** A raw connection; a small receive buffer, so that unread replies back up at the daemon. */
  private Socket rawSocket() throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(daemon.rpcAddress(), (int) CALL_TIMEOUT.toMillis());
    s.setSoTimeout((int) CALL_TIMEOUT.toMillis());
    return s;
  }

  /** Sends {@code frame} one byte a second until done or cut off. */
  private static void trickle(Socket s, byte[] frame) {
    try {
      OutputStream out = s.getOutputStream();
      for (byte b : frame) {
        out.write(b);
        out.flush();
        Thread.sleep(1000);
      }
    } catch (IOException | InterruptedException e) {
      // cut off by the daemon (or closed by the test): done
    }
  }

  private static byte[] frame(long id, String method, List<?> params) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", id);
    request.put("method", method);
    request.put("params", params);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      Frames.write(b, CborCodec.encode(request));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  private static Map<String, Object> readReply(Socket s) throws IOException {
    byte[] content = Frames.read(s.getInputStream(), Integer.MAX_VALUE);
    assertThat(content).as("a reply before the connection closed").isNotNull();
    return CborCodec.decodeMap(content);
  }

  private static String errorMessage(Map<String, Object> reply) {
    assertThat(reply).containsKey("error");
    return String.valueOf(((Map<?, ?>) reply.get("error")).get("message"));
  }

  /** True once the daemon has closed the connection (end of stream or reset). */
  private static boolean readsToTheEnd(Socket s) throws IOException {
    drain(s);
    return true;
  }

  /** Reads until the daemon closes the connection; the bytes received. */
  private static long drain(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] sink = new byte[64 * 1024];
    long total = 0;
    try {
      for (int n; (n = in.read(sink)) >= 0; ) {
        total += n;
      }
    } catch (SocketException e) {
      // reset by the daemon
    }
    return total;
  }

  private static byte[] key(String format, int n) {
    return String.format(Locale.ROOT, format, n).getBytes(StandardCharsets.UTF_8);
  }

  /** A value from the daemon's /metrics: the sample {@code name + labels}, 0 if absent. */
  private double metric(String name, String labels) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(daemon.httpBase() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    String prefix = name + labels + " ";
    return response
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim()))
        .findFirst()
        .orElse(0);
  }

  /** Waits (polling /metrics) until a metric reaches {@code value}. */
  private void awaitMetric(String name, String labels, double value) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    double seen;
    while ((seen = metric(name, labels)) != value) {
      if (System.nanoTime() > end) {
        throw new AssertionError(name + labels + " is " + seen + ", expected " + value);
      }
      Thread.sleep(100);
    }
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  private static String summary(List<Long> samples) {
    List<Long> s = new ArrayList<>(samples);
    Collections.sort(s);
    if (s.isEmpty()) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "%d calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        s.size(),
        percentile(s, 0.50) / 1e6,
        percentile(s, 0.99) / 1e6,
        s.getLast() / 1e6);
  }

  private static void report(String format, Object... args) {
    System.out.println("overload: " + String.format(Locale.ROOT, format, args));
  }
}
