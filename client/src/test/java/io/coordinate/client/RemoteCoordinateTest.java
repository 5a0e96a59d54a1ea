package io.coordinate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.AdminServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the remote client: the admin token, network failures, names and keys
 * that need encoding in URLs, big batches and long key lists, and many threads on one client.
 */
class RemoteCoordinateTest {
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    opened.add(c);
    return c;
  }

  private Served served() {
    return closeLater(Served.start(MemoryCoordinate.create()));
  }

  // ------------------------------------------------------------------ the admin token

  @Test
  void theAdminTokenIsSentAndAWrongOneIsRefused() {
    Coordinate backend = closeLater(MemoryCoordinate.create());
    AdminServer server =
        closeLater(
            new AdminServer(AdminServer.Settings.loopback(backend).withAdminToken("s3cret"))
                .start());
    URI url = Served.url(server);

    RemoteCoordinate right =
        closeLater(RemoteCoordinate.connect(
            RemoteCoordinate.Settings.of(url).withAdminToken("s3cret")));
    WorkSpec spec = right.namespace("ns").setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnit(WorkUnitKey.of("a"), Map.of("v", 1L), WorkUnitMeta.DEFAULT);
    assertThat(backend.namespace("ns").workSpec("s").workUnit(WorkUnitKey.of("a")).data())
        .isEqualTo(Map.of("v", 1L));

    RemoteCoordinate wrong =
        closeLater(RemoteCoordinate.connect(
            RemoteCoordinate.Settings.of(url).withAdminToken("guess")));
    assertThatThrownBy(() -> wrong.namespace("other"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(RemoteErrors.UNAUTHORIZED);
    // Reads stay open on loopback; every change is refused.
    WorkSpec seenWrong = new RemoteNamespace(transportOf(wrong), "ns").workSpec("s");
    assertThatThrownBy(() -> seenWrong.addWorkUnit(WorkUnitKey.of("b"), Map.of(), null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(RemoteErrors.UNAUTHORIZED);
    assertThat(backend.namespaceNames()).containsExactly("ns");
    assertThat(backend.namespace("ns").workSpec("s").countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  void withoutTheTokenReadsWorkOnLoopbackAndMutationsAreRefused() {
    Coordinate backend = closeLater(MemoryCoordinate.create());
    backend.namespace("ns").setWorkSpec(Map.of("name", "s"));
    AdminServer server =
        closeLater(
            new AdminServer(AdminServer.Settings.loopback(backend).withAdminToken("s3cret"))
                .start());
    RemoteCoordinate none = closeLater(RemoteCoordinate.connect(Served.url(server)));
    assertThat(none.namespaceNames()).containsExactly("ns");
    Namespace ns = new RemoteNamespace(transportOf(none), "ns");
    assertThat(ns.workSpecNames()).containsExactly("s");
    assertThatThrownBy(() -> ns.workSpec("s").addWorkUnit(WorkUnitKey.of("a"), Map.of(), null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("401");
    assertThat(backend.namespace("ns").workSpec("s").countWorkUnitStatus().total()).isZero();
  }

  private static Transport transportOf(RemoteCoordinate c) {
    try {
      var field = RemoteCoordinate.class.getDeclaredField("http");
      field.setAccessible(true);
      return (Transport) field.get(c);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void settingsNeverShowTheTokenAndCheckTheAddress() {
    RemoteCoordinate.Settings s =
        RemoteCoordinate.Settings.of(URI.create("http://127.0.0.1:5980/")).withAdminToken("t0k");
    assertThat(s.toString()).doesNotContain("t0k");
    assertThatThrownBy(() -> RemoteCoordinate.Settings.of(URI.create("ftp://host/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteCoordinate.Settings.of(URI.create("http://host/?q=1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.withRequestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ failures

  @Test
  void aRefusedConnectionIsBackendUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RemoteCoordinate c =
        closeLater(RemoteCoordinate.connect(URI.create("http://127.0.0.1:" + port)));
    assertThatThrownBy(c::namespaceNames)
        .isInstanceOf(BackendUnavailableException.class)
        .hasCauseInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> c.namespace("x")).isInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void aDaemonThatDoesNotAnswerTimesOutAsBackendUnavailable() throws Exception {
    try (Silent silent = new Silent()) {
      RemoteCoordinate c =
          closeLater(RemoteCoordinate.connect(
              RemoteCoordinate.Settings.of(silent.url())
                  .withRequestTimeout(Duration.ofMillis(300))));
      assertThatThrownBy(c::namespaceNames)
          .isInstanceOf(BackendUnavailableException.class)
          .hasCauseInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() throws Exception {
    try (Silent silent = new Silent()) {
      RemoteCoordinate c = closeLater(RemoteCoordinate.connect(silent.url()));
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  c.namespaceNames();
                } catch (Throwable e) {
                  thrown.set(e);
                  flag.set(Thread.currentThread().isInterrupted());
                }
              });
      t.start();
      silent.awaitRequest();
      t.interrupt();
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(BackendUnavailableException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(flag.get()).isTrue();
    }
  }

  /** A socket that accepts connections and never answers. */
  private static final class Silent implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new ArrayList<>();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final Thread acceptor;

    Silent() throws IOException {
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = socket.accept();
                    synchronized (accepted) {
                      accepted.add(s);
                    }
                    requested.countDown();
                  }
                } catch (IOException closed) {
                  // done
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    void awaitRequest() throws InterruptedException {
      assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100); // let the request be written
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }

  @Test
  void answersThatAreNotTheApisJsonAreBackendUnavailable() throws Exception {
    HttpServer fake =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext("/api/v1/namespaces", ex -> {
      byte[] page = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(502, page.length);
      ex.getResponseBody().write(page);
      ex.close();
    });
    fake.createContext("/api/v1/namespaces/garbage", ex -> {
      byte[] page = "not json".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, page.length);
      ex.getResponseBody().write(page);
      ex.close();
    });
    fake.start();
    try {
      RemoteCoordinate c = closeLater(RemoteCoordinate.connect(
          URI.create("http://127.0.0.1:" + fake.getAddress().getPort())));
      assertThatThrownBy(c::namespaceNames)
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("502")
          .hasMessageContaining("bad gateway");
      assertThatThrownBy(() -> c.namespace("garbage"))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("not the REST API's form");
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void aClosedClientIsUnavailableAndLeavesTheDaemonAlone() {
    Served served = served();
    RemoteCoordinate other = served.anotherClient();
    WorkSpec spec = other.namespace("ns").setWorkSpec(Map.of("name", "s"));
    other.close();
    assertThatThrownBy(spec::countWorkUnitStatus).isInstanceOf(BackendUnavailableException.class);
    assertThat(served.namespace("ns").workSpecNames()).containsExactly("s");
  }

  @Test
  void everyErrorCodeMapsToItsException() {
    RemoteErrors.Target handle = RemoteErrors.Target.handle("thing");
    RemoteErrors.Target lookup = RemoteErrors.Target.workSpecLookup("ns", "s");
    assertThat(RemoteErrors.of(400, "invalid_request", "m", handle))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(RemoteErrors.of(400, "malformed_body", "m", handle))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(RemoteErrors.of(400, "invalid_work_spec", "m", handle))
        .isInstanceOf(io.coordinate.api.InvalidWorkSpecException.class);
    assertThat(RemoteErrors.of(404, "no_such_work_spec", "m", lookup))
        .isInstanceOfSatisfying(NoSuchWorkSpecException.class,
            e -> assertThat(e.workSpecName()).isEqualTo("s"));
    assertThat(RemoteErrors.of(404, "no_such_work_spec", "m", handle))
        .isInstanceOf(GoneException.class).hasMessage("thing has been deleted");
    assertThat(RemoteErrors.of(404, "no_such_namespace", "m", lookup))
        .isInstanceOf(GoneException.class);
    assertThat(RemoteErrors.of(404, "no_such_worker", "m", lookup))
        .isInstanceOf(GoneException.class);
    assertThat(RemoteErrors.of(404, "no_such_worker", "m",
            RemoteErrors.Target.workerLookup("ns", "w")))
        .isInstanceOf(io.coordinate.api.NoSuchWorkerException.class);
    assertThat(RemoteErrors.of(404, "gone", "m", lookup)).isInstanceOf(GoneException.class);
    assertThat(RemoteErrors.of(409, "not_pending", "m", handle))
        .isInstanceOf(io.coordinate.api.NotPendingException.class);
    assertThat(RemoteErrors.of(409, "lost_lease", "m", handle))
        .isInstanceOf(io.coordinate.api.LostLeaseException.class);
    assertThat(RemoteErrors.of(503, "backend_unavailable", "m", handle))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(RemoteErrors.of(503, "maintenance", "in maintenance mode", handle))
        .isInstanceOf(io.coordinate.api.MaintenanceException.class)
        .hasMessage("in maintenance mode");
    assertThat(RemoteErrors.of(401, "unauthorized", "m", handle))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(RemoteErrors.of(500, "internal_error", "m", handle))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(RemoteErrors.of(404, "not_found", "m", handle))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("404 not_found");
    assertThat(RemoteErrors.of(413, "payload_too_large", "m", handle))
        .isInstanceOf(InvalidRequestException.class);
  }

  // ------------------------------------------------------------------ handles

  @Test
  void findWorkerNeverCreatesAndHandlesAreNamesOnOneDaemon() {
    Served served = served();
    Namespace ns = served.namespace("ns");
    assertThat(ns.findWorker("nobody")).isEmpty();
    assertThat(served.backend().namespace("ns").workers()).isEmpty();
    Worker w = ns.worker("w");
    assertThat(ns.findWorker("w")).contains(w);
    assertThat(served.namespace("ns").worker("w")).isEqualTo(w).hasSameHashCodeAs(w);

    // A second client of the same daemon: its handles name the same objects and mix with ours.
    Namespace other = served.anotherClient().namespace("ns");
    Worker child = other.worker("child");
    child.setParent(w);
    assertThat(w.children()).extracting(Worker::name).containsExactly("child");
    WorkUnit u = other.setWorkSpec(Map.of("name", "s"))
        .addWorkUnit(WorkUnitKey.of("a"), Map.of(), WorkUnitMeta.DEFAULT);
    assertThat(w.makeAttempt(u, Duration.ofMinutes(1)).worker().name()).isEqualTo("w");

    // Handles of another namespace or backend are refused.
    Worker elsewhere = served.namespace("elsewhere").worker("x");
    assertThatThrownBy(() -> w.setParent(elsewhere)).isInstanceOf(InvalidRequestException.class);
    Worker inProcess = served.backend().namespace("ns").worker("w");
    assertThatThrownBy(() -> child.setParent(inProcess))
        .isInstanceOf(InvalidRequestException.class);
    WorkUnit inProcessUnit = served.backend().namespace("ns").workSpec("s")
        .workUnit(WorkUnitKey.of("a"));
    assertThatThrownBy(() -> w.makeAttempt(inProcessUnit, Duration.ofMinutes(1)))
        .isInstanceOf(InvalidRequestException.class);

    served.namespace("ns").destroy();
    assertThatThrownBy(() -> ns.findWorker("w")).isInstanceOf(GoneException.class);
    assertThatThrownBy(w::isActive).isInstanceOf(GoneException.class)
        .hasMessageContaining("worker 'w' of namespace 'ns'");
  }

  @Test
  void lookupsRaiseNotFoundAndHandlesRaiseGone() {
    Served served = served();
    Namespace ns = served.namespace("ns");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    WorkUnit unit = spec.addWorkUnit(WorkUnitKey.of("a"), Map.of(), WorkUnitMeta.DEFAULT);
    assertThatThrownBy(() -> ns.workSpec("t")).isInstanceOf(NoSuchWorkSpecException.class);
    assertThatThrownBy(() -> ns.destroyWorkSpec("t")).isInstanceOf(NoSuchWorkSpecException.class);
    assertThatThrownBy(() -> spec.workUnit(WorkUnitKey.of("b")))
        .isInstanceOfSatisfying(NoSuchWorkUnitException.class, e -> {
          assertThat(e.workSpecName()).isEqualTo("s");
          assertThat(e.key()).isEqualTo(WorkUnitKey.of("b"));
        });
    ns.destroyWorkSpec("s");
    assertThatThrownBy(() -> spec.workUnit(WorkUnitKey.of("a"))).isInstanceOf(GoneException.class);
    assertThatThrownBy(unit::status).isInstanceOf(GoneException.class)
        .hasMessage("work unit a of work spec 's' of namespace 'ns' has been deleted");
    assertThatThrownBy(() -> spec.workUnits(WorkUnitQuery.all().withKeys(List.of())))
        .isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> spec.deleteWorkUnits(WorkUnitQuery.all().withLimit(3)))
        .isInstanceOf(GoneException.class);
  }

  // ------------------------------------------------------------------ names and keys

  /** Names a URL path segment cannot hold as they are. */
  static final List<String> ODD_NAMES =
      List.of("", "a/b", "/", "//", "~", "~x", "~~", "x~", "with space", "per%cent", "q?uery",
          "ha#sh", "plus+sign", "ünïcødé ✓ 😀 漢字", ".", "..", "a/../b", "semi;colon",
          "back\\slash", "tab\there", "quote\"s", "amp&er=sand");

  @Test
  void oddNamesRoundTripAsNamespacesSpecsAndWorkers() {
    Served served = served();
    Coordinate backend = served.backend();
    for (String name : ODD_NAMES) {
      Namespace ns = served.namespace(name);
      assertThat(ns.name()).isEqualTo(name);
      assertThat(backend.namespaceNames()).as("namespace %s", name).contains(name);

      // The empty name cannot name a spec; every other can.
      String specName = name.isEmpty() ? "empty" : name;
      WorkSpec spec = ns.setWorkSpec(Map.of("name", specName));
      assertThat(spec.name()).isEqualTo(specName);
      assertThat(backend.namespace(name).workSpecNames()).containsExactly(specName);
      WorkSpec found = ns.workSpec(specName);
      WorkUnitKey key = WorkUnitKey.of(specName);
      found.addWorkUnit(key, Map.of("name", name), WorkUnitMeta.DEFAULT);
      assertThat(found.workUnit(key).data()).isEqualTo(Map.of("name", name));

      Worker w = ns.worker(name);
      assertThat(ns.findWorker(name)).contains(w);
      assertThat(ns.workers()).extracting(Worker::name).containsExactly(name);
      Attempt a = w.requestAttempts(AttemptRequest.one()).getFirst();
      assertThat(a.worker().name()).isEqualTo(name);
      assertThat(a.workUnit().key()).isEqualTo(key);
      a.finish(Map.of("done", name));
      assertThat(backend.namespace(name).workSpec(specName).workUnit(key).status())
          .isEqualTo(WorkUnitStatus.FINISHED);
      Worker child = ns.worker(name + "-child");
      child.setParent(w);
      assertThat(child.parent()).contains(w);
      assertThat(w.children()).containsExactly(child);

      ns.destroyWorkSpec(specName);
      assertThatThrownBy(() -> ns.workSpec(specName)).isInstanceOf(NoSuchWorkSpecException.class);
    }
    assertThat(served.namespaceNames()).containsAll(ODD_NAMES);
    for (String name : ODD_NAMES) {
      served.namespace(name).destroy();
    }
    assertThat(backend.namespaceNames()).isEmpty();
  }

  @Test
  void nonUtf8AndOddKeysWorkInEveryRoute() {
    Served served = served();
    WorkSpec spec = served.namespace("ns").setWorkSpec(Map.of("name", "s"));
    List<WorkUnitKey> keys =
        List.of(
            WorkUnitKey.of(new byte[] {(byte) 0xff, 0x00, (byte) 0x80}),
            WorkUnitKey.of(new byte[] {(byte) 0xc3}),
            WorkUnitKey.of("/"),
            WorkUnitKey.of("a b?c#d%e"),
            WorkUnitKey.of("x".repeat(2_000)));
    for (WorkUnitKey k : keys) {
      spec.addWorkUnit(k, Map.of("k", k.bytes()), WorkUnitMeta.DEFAULT);
    }
    List<WorkUnitKey> sorted = keys.stream().sorted().toList();
    assertThat(spec.workUnits(WorkUnitQuery.all())).extracting(WorkUnit::key)
        .containsExactlyElementsOf(sorted);
    assertThat(spec.workUnits(WorkUnitQuery.all().withKeys(keys))).extracting(WorkUnit::key)
        .containsExactlyElementsOf(sorted);
    Worker w = served.namespace("ns").worker("w");
    for (WorkUnitKey k : keys) {
      WorkUnit u = spec.workUnit(k);
      assertThat(u.data()).isEqualTo(Map.of("k", k.bytes()));
      Attempt a = w.makeAttempt(u, Duration.ofMinutes(1));
      a.renew(Duration.ofMinutes(2), Map.of("progress", 1L));
      assertThat(a.data()).isEqualTo(Map.of("progress", 1L));
      a.finish(null);
      assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
      u.setPriority(3);
      assertThat(u.priority()).isEqualTo(3.0);
    }
    assertThat(spec.deleteWorkUnits(WorkUnitQuery.keys(keys.get(0), keys.get(4)))).isEqualTo(2);
    assertThatThrownBy(() -> spec.workUnit(keys.get(0)))
        .isInstanceOf(NoSuchWorkUnitException.class);
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(3);
  }

  /**
   * The empty key has an empty base64url form, which cannot be a path segment: the client writes
   * it {@code ~} (see {@link Routes#keySegment}). Listing and look-up (query parameters) work
   * whatever the daemon; the routes of one unit work once the daemon reads {@code ~} as the empty
   * key, and until then fail loudly with InvalidRequestException rather than reading another
   * route's answer as the unit.
   */
  @Test
  void theEmptyKeyWorksThroughEveryKindOfRoute() {
    Served served = served();
    WorkSpec spec = served.namespace("ns").setWorkSpec(Map.of("name", "s"));
    WorkUnitKey empty = WorkUnitKey.of(new byte[0]);
    spec.addWorkUnit(empty, Map.of("v", 1L), WorkUnitMeta.ofPriority(2));
    spec.addWorkUnit(WorkUnitKey.of("a"), Map.of(), WorkUnitMeta.DEFAULT);
    assertThat(spec.workUnits(WorkUnitQuery.all())).extracting(WorkUnit::key)
        .containsExactly(empty, WorkUnitKey.of("a"));
    WorkUnit u = spec.workUnit(empty);
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(u.priority()).isEqualTo(2.0);
    assertThat(spec.workUnits(WorkUnitQuery.keys(empty))).hasSize(1);
    assertThat(u.data()).isEqualTo(Map.of("v", 1L)); // the unit route: "~" in the path
    u.setPriority(5);
    assertThat(spec.workUnit(empty).priority()).isEqualTo(5.0);
    assertThat(spec.deleteWorkUnits(WorkUnitQuery.keys(empty))).isEqualTo(1);
  }

  // ------------------------------------------------------------------ big requests

  @Test
  void aBatchOfTwentyThousandUnitsIsAddedAndListedWhole() {
    Served served = served();
    WorkSpec spec = served.namespace("ns").setWorkSpec(Map.of("name", "s"));
    int n = 20_000;
    List<NewWorkUnit> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(
          NewWorkUnit.of(String.format("u%06d", i), Map.of("i", (long) i, "pad", "x".repeat(50))));
    }
    spec.addWorkUnits(batch);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(n);
    List<WorkUnit> all = spec.workUnits(WorkUnitQuery.all());
    assertThat(all).hasSize(n);
    assertThat(all.get(n - 1).key()).isEqualTo(WorkUnitKey.of(String.format("u%06d", n - 1)));
    assertThat(spec.workUnits(WorkUnitQuery.all().withFrom(WorkUnitKey.of("u001500"))
        .withLimit(2_500))).hasSize(2_500);
    assertThat(spec.workUnit(WorkUnitKey.of("u012345")).data())
        .isEqualTo(Map.of("i", 12_345L, "pad", "x".repeat(50)));
  }

  @Test
  void workersArePagedThroughWhole() {
    Served served = served();
    Namespace direct = served.backend().namespace("ns");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2_345; i++) {
      names.add(String.format("w%05d", i));
      direct.worker(names.getLast());
    }
    assertThat(served.namespace("ns").workers()).extracting(Worker::name)
        .containsExactlyElementsOf(names);
  }

  @Test
  void longKeyListsAreChunkedAndMergedInKeyOrder() {
    Served served = served();
    WorkSpec spec = served.namespace("ns").setWorkSpec(Map.of("name", "s"));
    List<NewWorkUnit> batch = new ArrayList<>();
    List<WorkUnitKey> asked = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      // Long keys, so that chunks are cut by URL length as well as by count.
      WorkUnitKey k = WorkUnitKey.of(String.format("%04d-", i) + "k".repeat(i % 3 == 0 ? 300 : 5));
      if (i % 2 == 0) {
        batch.add(NewWorkUnit.of(k, Map.of()));
      }
      asked.add(k);
    }
    spec.addWorkUnits(batch);
    List<WorkUnitKey> reversed = new ArrayList<>(asked.reversed());
    reversed.add(asked.get(0)); // a duplicate
    WorkUnitQuery q = WorkUnitQuery.all().withKeys(reversed);
    List<WorkUnitKey> expected = batch.stream().map(NewWorkUnit::key).sorted().toList();
    assertThat(spec.workUnits(q)).extracting(WorkUnit::key).containsExactlyElementsOf(expected);
    assertThat(spec.workUnits(q.withLimit(120))).extracting(WorkUnit::key)
        .containsExactlyElementsOf(expected.subList(0, 120));
    assertThat(spec.workUnits(q.withAfter(expected.get(99)))).extracting(WorkUnit::key)
        .containsExactlyElementsOf(expected.subList(100, expected.size()));
    assertThat(spec.setWorkUnitPriorities(q, 5)).isEqualTo(350);
    assertThat(spec.adjustWorkUnitPriorities(q.withLimit(10), 1)).isEqualTo(10);
    assertThat(spec.workUnit(expected.get(9)).priority()).isEqualTo(6.0);
    assertThat(spec.workUnit(expected.get(10)).priority()).isEqualTo(5.0);
    assertThat(spec.deleteWorkUnits(q.withFrom(expected.get(300)))).isEqualTo(50);
    assertThat(spec.deleteWorkUnits(q)).isEqualTo(300);
    assertThat(spec.countWorkUnitStatus().total()).isZero();
  }

  // ------------------------------------------------------------------ threads

  @Test
  void thirtyTwoThreadsShareOneClient() throws Exception {
    Served served = served();
    Namespace ns = served.namespace("ns");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    int threads = 32;
    int perThread = 50;
    Set<String> leased = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          start.await();
          List<NewWorkUnit> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            mine.add(NewWorkUnit.of(String.format("t%02d-%03d", id, i), Map.of("t", (long) id)));
          }
          spec.addWorkUnits(mine);
          Worker w = ns.worker("w" + id);
          w.heartbeat("run", Map.of("id", (long) id), Duration.ofMinutes(1));
          int done = 0;
          while (true) {
            List<Attempt> got = w.requestAttempts(AttemptRequest.of(3));
            if (got.isEmpty()) {
              return done;
            }
            for (Attempt a : got) {
              assertThat(leased.add(a.workUnit().key().toString())).isTrue();
              assertThat(a.data()).containsKey("t");
              a.finish(Map.of("by", (long) id));
              done++;
            }
          }
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    assertThat(leased).hasSize(threads * perThread);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED))
        .isEqualTo(threads * perThread);
    assertThat(ns.workers()).hasSize(threads);
  }

  // ------------------------------------------------------------------ encoding

  @Test
  void nameSegmentsFollowTheTildeRuleAndPercentEncoding() {
    assertThat(Routes.name("")).isEqualTo("~");
    assertThat(Routes.name("~")).isEqualTo("~~");
    assertThat(Routes.name("~x")).isEqualTo("~~x");
    assertThat(Routes.name("x~")).isEqualTo("x~");
    assertThat(Routes.name("a/b c")).isEqualTo("a%2Fb%20c");
    assertThat(Routes.name("é")).isEqualTo("%C3%A9");
    assertThat(Routes.name("A-z_0.9")).isEqualTo("A-z_0.9");
    assertThat(Routes.keySegment(WorkUnitKey.of(new byte[0]))).isEqualTo("~");
    assertThat(Routes.keySegment(WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80})))
        .isEqualTo("_wCA");
    assertThat(new Routes.Query().add("a", "x y").add("b", null).add("c", "&").toString())
        .isEqualTo("?a=x%20y&c=%26");
  }
}
