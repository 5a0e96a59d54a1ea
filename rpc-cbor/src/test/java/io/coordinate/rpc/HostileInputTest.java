package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input over real sockets. In every case the offending client gets a clear error reply or a
 * closed connection, a client connected all along (the bystander) is untouched, and a fresh
 * connection is served normally afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final int MAX_FRAME = 64 * 1024;

  private Coordinate coordinate;
  private CborRpcServer server;
  private RpcTestClient bystander;
  private final List<RpcTestClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    start(Map.of());
  }

  private void start(Map<String, Object> config) throws IOException {
    start(config, CborRpcServer.DEFAULT_FRAME_TIMEOUT);
  }

  private void start(Map<String, Object> config, Duration frameTimeout) throws IOException {
    stop();
    coordinate = MemoryCoordinate.create();
    server =
        CborRpcServer.start(
            coordinate,
            CborRpcServer.Settings.defaults()
                .withAddress(new InetSocketAddress("127.0.0.1", 0))
                .withMaxFrameBytes(MAX_FRAME)
                .withFrameTimeout(frameTimeout)
                .withGlobalConfig(config));
    bystander = client();
    bystander.ok("set_work_spec", map("name", "s", "module", "m", "run_function", "f"));
  }

  @AfterEach
  void stop() throws IOException {
    for (RpcTestClient c : clients) {
      c.close();
    }
    clients.clear();
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
      coordinate.close();
    }
  }

  private RpcTestClient client() throws IOException {
    RpcTestClient c = new RpcTestClient(server.address());
    clients.add(c);
    return c;
  }

  /** The bystander still works, a fresh connection works, and no connection was leaked. */
  private void assertServedNormally() throws IOException {
    assertThat(bystander.call("get_work_spec", "s")).isInstanceOf(Map.class);
    RpcTestClient fresh = client();
    fresh.ok("add_work_units", "s", list(list(b("after"), map())));
    List<Object> work =
        RpcTestClient.asList(fresh.pair("get_work", "w", map("lease_time", 60L)).get(0));
    assertThat(work).containsExactly(b("s"), b("after"), map());
    fresh.ok("update_work_unit", "s", b("after"), map("status", 4L));
    for (RpcTestClient c : clients) {
      c.close();
    }
    awaitTrue(() -> server.connectionCount() == 0, "every connection closed on the server");
  }

  /** The next reply is an error whose message contains {@code fragment}; returns the reply. */
  private static Map<Object, Object> assertError(RpcTestClient c, String fragment)
      throws IOException {
    Map<Object, Object> reply = c.receiveAny();
    assertThat(RpcTestClient.errorMessage(reply)).containsIgnoringCase(fragment);
    return reply;
  }

  /** An error reply with no id, then the server hangs up. */
  private static void assertErrorThenClosed(RpcTestClient c, String fragment) throws IOException {
    Map<Object, Object> reply = assertError(c, fragment);
    assertThat(reply.get("id")).isNull();
    assertThat(c.closedByServer()).as("connection closed by the server").isTrue();
  }

  /** Waits for a condition another thread brings about (not for time to pass). */
  private static void awaitTrue(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** How many units of spec "s" are available, asked through the bystander. */
  private long availableCount() {
    try {
      Object counts = RpcTestClient.asList(bystander.call("count_work_units", "s")).get(0);
      Map<?, ?> byStatus = (Map<?, ?>) counts;
      return byStatus.containsKey(1L) ? (Long) byStatus.get(1L) : 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Broken framing: an error and a closed connection
  // ---------------------------------------------------------------------------------------

  @Test
  void garbageBytesGetAnErrorAndAClosedConnection() throws IOException {
    RpcTestClient c = client();
    c.sendRaw(Hostile.bytes("garbage"));
    assertErrorThenClosed(c, "expected a tag-24 frame");
    assertServedNormally();
  }

  @Test
  void aTruncatedFrameThenADisconnectIsDroppedQuietly() throws IOException {
    RpcTestClient c = client();
    c.sendRaw(Hostile.bytes("truncated-frame"));
    c.socket().shutdownOutput(); // the client gives up half-way through its frame
    assertThat(c.closedByServer()).as("nothing answered, connection closed").isTrue();
    c.close();
    assertServedNormally();
  }

  @Test
  void aTruncatedFrameWhoseClientVanishesFreesItsConnection() throws IOException {
    RpcTestClient c = client();
    c.sendRaw(Hostile.bytes("truncated-frame"));
    awaitTrue(() -> server.connectionCount() == 2, "the server sees both connections");
    c.socket().setSoLinger(true, 0);
    c.close(); // reset
    awaitTrue(() -> server.connectionCount() == 1, "the server dropped the half frame");
    assertServedNormally();
  }

  @Test
  void aClientThatStallsInsideAFrameIsDisconnectedButIdleClientsAreNot() throws IOException {
    start(Map.of(), Duration.ofMillis(300));
    RpcTestClient idle = client();
    assertThat(idle.call("now")).isInstanceOf(Long.class);
    RpcTestClient stalled = client();
    stalled.sendRaw(Hostile.bytes("truncated-frame")); // and then nothing more
    long start = System.nanoTime();
    assertErrorThenClosed(stalled, "not completed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(idle.call("now")).as("idle for as long, still served").isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void anOversizedFrameHeaderIsRefusedAtOnceWithoutReadingTheFrame() throws IOException {
    for (String name : List.of("oversized-header", "oversized-header-8-byte-length")) {
      RpcTestClient c = client();
      // The announced gigabyte never comes: the answer can only come from the header.
      c.sendRaw(Hostile.bytes(name));
      assertErrorThenClosed(c, "larger than the limit");
    }
    assertServedNormally();
  }

  @Test
  void aFrameJustOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws IOException {
    RpcTestClient over = client();
    over.sendRaw(RpcTestClient.frame(new byte[MAX_FRAME + 1]));
    assertErrorThenClosed(over, "larger than the limit");

    RpcTestClient at = client();
    byte[] atLimit = new byte[MAX_FRAME];
    at.sendRaw(RpcTestClient.frame(atLimit)); // all zero bytes: read, then found malformed
    assertThat(RpcTestClient.errorMessage(at.receiveAny())).contains("malformed");
    assertThat(at.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void aFrameThatIsNotTag24GetsAnErrorAndAClosedConnection() throws IOException {
    for (String name : List.of("untagged-map", "wrong-tag", "tag24-text-string", "indefinite-frame")) {
      RpcTestClient c = client();
      c.sendRaw(Hostile.bytes(name));
      Map<Object, Object> reply = c.receiveAny();
      assertThat(RpcTestClient.errorMessage(reply)).as(name).contains("expected");
      assertThat(c.closedByServer()).as("%s closes the connection", name).isTrue();
    }
    assertServedNormally();
  }

  // ---------------------------------------------------------------------------------------
  // Bad requests in good frames: an error reply, and the connection stays usable
  // ---------------------------------------------------------------------------------------

  @Test
  void aMapWithoutMethodGetsAnErrorWithItsIdAndTheConnectionStaysUsable() throws IOException {
    RpcTestClient c = client();
    c.sendRaw(Hostile.bytes("map-without-method"));
    assertThat(assertError(c, "method").get("id")).isEqualTo(5L);
    c.sendRaw(Hostile.bytes("method-not-a-string"));
    assertThat(assertError(c, "method").get("id")).isEqualTo(6L);
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void anUnknownMethodGetsAnErrorNamingIt() throws IOException {
    RpcTestClient c = client();
    assertThatThrownBy(() -> c.call("frobnicate", 1L))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("frobnicate");
    RpcTestClient text = client();
    text.pythonStyle = false;
    assertThatThrownBy(() -> text.call("get_work_spec_xyz"))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("get_work_spec_xyz");
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void wrongParameterCountsGetErrorReplies() throws IOException {
    RpcTestClient c = client();
    assertThatThrownBy(() -> c.call("get_work_spec"))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("get_work_spec takes 1 parameters, got 0");
    assertThatThrownBy(() -> c.call("count_work_units", "s", "extra"))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("got 2");
    assertThatThrownBy(() -> c.call("update_work_unit", "s", b("k")))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("takes 3");
    assertThatThrownBy(() -> c.call("now", 1L)).isInstanceOf(RpcTestClient.ServerError.class);
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void wrongParameterTypesGetErrorRepliesNamingTheParameter() throws IOException {
    RpcTestClient c = client();
    List<Object[]> bad =
        List.of(
            new Object[] {"get_work_spec", new Object[] {42L}, "work spec name"},
            new Object[] {"add_work_units", new Object[] {"s", "not a list"}, "work units"},
            new Object[] {"update_work_unit", new Object[] {"s", b("k"), list()}, "options"},
            new Object[] {"get_work", new Object[] {"w", map("lease_time", "long")}, "lease_time"},
            new Object[] {"get_work", new Object[] {"w", map("max_jobs", 1.5)}, "max_jobs"},
            new Object[] {"get_work_units", new Object[] {"s", map("state", "done")}, "state"},
            new Object[] {"control_work_spec", new Object[] {"s", map("weight", -3L)}, "weight"},
            new Object[] {"worker_heartbeat", new Object[] {"w", "RUN", "soon", map(), null},
                "lifetime"},
            new Object[] {"lock", new Object[] {"o", 10L, "not paths"}, "key paths"},
            new Object[] {"set_work_spec", new Object[] {map("name", 7L)}, "name"});
    for (Object[] call : bad) {
      String method = (String) call[0];
      assertThatThrownBy(() -> c.call(method, (Object[]) call[1]))
          .as("%s", method)
          .isInstanceOf(RpcTestClient.ServerError.class)
          .hasMessageContaining((String) call[2]);
    }
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertThat(RpcTestClient.asList(c.call("get_work_spec_meta", "s")).get(0))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .as("the refused weight changed nothing")
        .containsEntry("weight", 20L);
    assertServedNormally();
  }

  @Test
  void paramsThatAreNotAListOrABatchGetErrorReplies() throws IOException {
    RpcTestClient c = client();
    c.sendRaw(Hostile.bytes("params-not-a-list"));
    assertThat(assertError(c, "must be a list").get("id")).isEqualTo(7L);
    c.sendRaw(Hostile.bytes("batch-list"));
    assertError(c, "map");
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void malformedCborInsideAValidFrameGetsAnErrorReplyWithItsId() throws IOException {
    RpcTestClient c = client();
    Object[][] cases = {
      {"params-int-key", 11L, "add_work_units"},
      {"params-huge-count", 12L, "malformed"},
      {"params-truncated", 13L, "malformed"},
      {"params-bad-utf8", 14L, "UTF-8"},
      {"params-unknown-simple", 15L, "simple value"},
      {"trailing-bytes", 16L, "trailing"},
      {"not-cbor-at-all", null, "malformed"},
    };
    for (Object[] k : cases) {
      c.sendRaw(Hostile.bytes((String) k[0]));
      Map<Object, Object> reply = assertError(c, (String) k[2]);
      assertThat(reply.get("id")).as("id of the reply to %s", k[0]).isEqualTo(k[1]);
      assertThat(c.call("now")).as("usable after %s", k[0]).isInstanceOf(Long.class);
    }
    assertThat(RpcTestClient.asList(c.call("count_work_units", "s")).get(0))
        .as("the refused units were not added")
        .isEqualTo(Map.of());
    assertServedNormally();
  }

  @Test
  void parametersNestedTooDeeplyGetAnErrorReply() throws IOException {
    RpcTestClient c = client();
    ByteArrayOutputStream nested = new ByteArrayOutputStream();
    for (int i = 0; i < 5000; i++) {
      nested.write(0x81); // an array of one item, 5,000 deep
    }
    nested.write(0x01);
    c.sendRaw(
        RpcTestClient.frame(
            c.request(21, "get_work_spec", list(new TestCbor.Raw(nested.toByteArray())))));
    Map<Object, Object> reply = assertError(c, "deeper");
    assertThat(reply.get("id")).isEqualTo(21L);
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void anIdOfAnyTypeIsEchoedUnchanged() throws IOException {
    RpcTestClient c = client();
    Map<Object, Object> request = map("id", "text-id", "method", "now", "params", list());
    c.sendRaw(RpcTestClient.frame(c.encode(request)));
    Map<Object, Object> reply = c.receiveAny();
    assertThat(reply.get("id")).isEqualTo(b("text-id"));
    assertThat(reply.get("result")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  @Test
  void aResultTheWireCannotCarryIsAnErrorReplyNotAClosedConnection() throws IOException {
    start(Map.of("opaque", new Object())); // a configuration value outside the data model
    RpcTestClient c = client();
    assertThatThrownBy(() -> c.call("get_config"))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("cannot be encoded");
    assertThat(c.call("now")).isInstanceOf(Long.class);
    assertServedNormally();
  }

  // ---------------------------------------------------------------------------------------
  // Clients that leave or do not listen
  // ---------------------------------------------------------------------------------------

  @Test
  void aClientThatDisconnectsRightAfterItsRequestStillHasItActedOn() throws IOException {
    RpcTestClient c = client();
    List<Object> units = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      units.add(list(b(String.format("u%03d", i)), map()));
    }
    c.send("add_work_units", "s", units);
    c.close(); // before reading the reply
    awaitTrue(() -> availableCount() == 500, "the request was acted on");
    assertServedNormally();
  }

  @Test
  void aClientThatResetsMidRequestOnlyLosesItsOwnConnection() throws IOException {
    RpcTestClient c = client();
    byte[] frame =
        RpcTestClient.frame(c.request(1, "add_work_units", list("s", list(list(b("k"), map())))));
    c.sendRaw(java.util.Arrays.copyOf(frame, frame.length / 2));
    awaitTrue(() -> server.connectionCount() == 2, "the server sees both connections");
    c.socket().setSoLinger(true, 0);
    c.close();
    awaitTrue(() -> server.connectionCount() == 1, "the server dropped the reset connection");
    assertThat(RpcTestClient.asList(bystander.call("count_work_units", "s")).get(0))
        .as("half a request does nothing")
        .isEqualTo(Map.of());
    assertServedNormally();
  }

  @Test
  void aClientThatNeverReadsItsRepliesDoesNotHoldUpOthers() throws IOException {
    // Each reply carries 32 KiB; 1,000 unread replies are far more than the socket buffers hold,
    // so the server's thread for this client ends up blocked writing.
    String blob = "x".repeat(32 * 1024);
    bystander.ok("set_work_spec", map("name", "big", "blob", blob));
    RpcTestClient hog = client();
    for (int i = 0; i < 1000; i++) {
      hog.send("get_work_spec", "big");
    }
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      RpcTestClient other = client();
      assertThat(other.call("get_work_spec", "s")).isInstanceOf(Map.class);
      other.close();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("20 other clients served promptly")
        .isLessThan(Duration.ofSeconds(5));
    Map<Object, Object> first = hog.receive();
    assertThat(((Map<?, ?>) first.get("result")).get("blob")).isEqualTo(b(blob));
    hog.socket().setSoLinger(true, 0);
    hog.close();
    assertServedNormally();
  }
}
