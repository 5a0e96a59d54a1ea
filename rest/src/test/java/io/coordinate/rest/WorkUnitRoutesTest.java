package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import io.coordinate.rest.TestHttp.Answer;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The work unit routes over real HTTP, on each store: a subclass per store supplies the backend
 * ({@code WorkUnitRoutesOn…Test}).
 */
abstract class WorkUnitRoutesTest {
  private static final String TOKEN = "unit-token";
  private static final String UNITS = "/api/v1/namespaces/ns1/work-specs/spec1/work-units";
  private static final ObjectMapper JSON = TestHttp.JSON;
  /** Not valid UTF-8: a lone continuation byte after a NUL. */
  private static final WorkUnitKey BINARY = WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
  private static final String BINARY_B64 = "_wCA";

  private Coordinate coordinate;
  private WorkSpec spec;
  private AdminServer server;

  /** A new backend with no namespace in it, for one test. */
  protected abstract Coordinate newCoordinate();

  @BeforeEach
  void setUp() {
    coordinate = newCoordinate();
    spec = coordinate.namespace("ns1").setWorkSpec(Map.of("name", "spec1"));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    coordinate.close();
  }

  private void open() {
    server = new AdminServer(AdminServer.Settings.loopback(coordinate)).start();
  }

  private Answer call(String method, String path, String body, String authorization)
      throws IOException, InterruptedException {
    return TestHttp.call(server.port(), method, path, body, authorization);
  }

  private Answer call(String method, String path, String body) throws Exception {
    return call(method, path, body, null);
  }

  private Answer get(String path) throws Exception {
    return call("GET", path, null);
  }

  private static void assertError(Answer a, int status, String code) {
    TestHttp.assertError(a, status, code);
  }

  private static List<String> keyTexts(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("work_units").forEach(u -> out.add(u.get("key_text").asText()));
    return out;
  }

  private void addText(String... keys) {
    for (String k : keys) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of(), WorkUnitMeta.DEFAULT);
    }
  }

  /** Makes the unit failed through a worker's attempt, as a real failure would. */
  private void fail(String key) {
    Worker w = coordinate.namespace("ns1").worker("w1");
    Attempt a = w.makeAttempt(spec.workUnit(WorkUnitKey.of(key)), Duration.ofMinutes(5));
    a.fail(Map.of("traceback", "boom"));
  }

  @Test
  void listsUnitsWithStatusFilterAndPaging() throws Exception {
    addText("a", "b", "c", "d");
    spec.addWorkUnit(WorkUnitKey.of("e"), Map.of(),
        new WorkUnitMeta(3.5, Instant.parse("2999-01-01T00:00:00Z")));
    fail("b");
    open();

    Answer all = get(UNITS);
    assertThat(all.status()).isEqualTo(200);
    assertThat(keyTexts(all.body())).containsExactly("a", "b", "c", "d", "e");
    assertThat(all.body().get("next_after").isNull()).isTrue();
    assertThat(all.body().get("work_units").get(0)).isEqualTo(JSON.readTree(
        "{\"key\":\"YQ\",\"key_text\":\"a\",\"status\":\"available\",\"priority\":0.0}"));
    assertThat(all.body().get("work_units").get(4)).isEqualTo(JSON.readTree(
        "{\"key\":\"ZQ\",\"key_text\":\"e\",\"status\":\"delayed\",\"priority\":3.5,"
            + "\"not_before\":\"2999-01-01T00:00:00Z\"}"));

    Answer failed = get(UNITS + "?status=failed,delayed");
    assertThat(keyTexts(failed.body())).containsExactly("b", "e");
    Answer repeated = get(UNITS + "?status=failed&status=delayed");
    assertThat(keyTexts(repeated.body())).containsExactly("b", "e");

    Answer first = get(UNITS + "?status=available&limit=2");
    assertThat(keyTexts(first.body())).containsExactly("a", "c");
    assertThat(first.body().get("next_after").asText()).isEqualTo(Keys.encode(WorkUnitKey.of("c")));
    Answer second = get(UNITS + "?status=available&limit=2&after="
        + first.body().get("next_after").asText());
    assertThat(keyTexts(second.body())).containsExactly("d");
    assertThat(second.body().get("next_after").isNull()).isTrue();
  }

  @Test
  void pagingVisitsTenThousandUnitsOnceEachInKeyOrder() throws Exception {
    open();
    // Two-byte keys 0x0000..0x270f: mostly not UTF-8, and unsigned order is numeric order. Added
    // through the API a thousand at a time, highest first, so the order is the store's doing.
    for (int batch = 9; batch >= 0; batch--) {
      StringBuilder body = new StringBuilder("{\"work_units\":[");
      for (int i = batch * 1000 + 999; i >= batch * 1000; i--) {
        String key = Keys.encode(WorkUnitKey.of(new byte[] {(byte) (i >> 8), (byte) i}));
        body.append("{\"key\":\"").append(key).append("\"},");
      }
      body.setCharAt(body.length() - 1, ']');
      Answer added = call("POST", UNITS, body.append('}').toString());
      assertThat(added.status()).isEqualTo(201);
      assertThat(added.body()).isEqualTo(JSON.readTree("{\"added\":1000}"));
    }

    List<Integer> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Answer a = get(UNITS + "?limit=1000" + (after == null ? "" : "&after=" + after));
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body().get("work_units").size()).isEqualTo(1000);
      for (JsonNode u : a.body().get("work_units")) {
        byte[] k = Base64.getUrlDecoder().decode(u.get("key").asText());
        seen.add(((k[0] & 0xff) << 8) | (k[1] & 0xff));
      }
      JsonNode next = a.body().get("next_after");
      after = next.isNull() ? null : next.asText();
      pages++;
      assertThat(pages).as("pages, next_after %s", after).isLessThanOrEqualTo(10);
    } while (after != null);

    assertThat(pages).isEqualTo(10);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      expected.add(i);
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void showsOneUnitWithDataAndAttempts() throws Exception {
    spec.addWorkUnit(WorkUnitKey.of("u1"), Map.of("n", 1), WorkUnitMeta.ofPriority(2));
    fail("u1");
    open();

    Answer a = get(UNITS + "/" + Keys.encode(WorkUnitKey.of("u1")));
    assertThat(a.status()).isEqualTo(200);
    JsonNode u = a.body();
    assertThat(u.get("key").asText()).isEqualTo("dTE");
    assertThat(u.get("key_text").asText()).isEqualTo("u1");
    assertThat(u.get("status").asText()).isEqualTo("failed");
    assertThat(u.get("priority").asDouble()).isEqualTo(2.0);
    assertThat(u.has("not_before")).isFalse();
    assertThat(u.get("data")).isEqualTo(JSON.readTree("{\"traceback\":\"boom\"}"));
    JsonNode active = u.get("active_attempt");
    assertThat(active.get("worker").asText()).isEqualTo("w1");
    assertThat(active.get("status").asText()).isEqualTo("failed");
    Instant start = Instant.parse(active.get("start_time").asText());
    Instant end = Instant.parse(active.get("end_time").asText());
    Instant expires = Instant.parse(active.get("expiration_time").asText());
    assertThat(end).isAfterOrEqualTo(start);
    assertThat(expires).isAfter(start);
    assertThat(u.get("attempts")).hasSize(1);
    assertThat(u.get("attempts").get(0)).isEqualTo(active);
  }

  @Test
  void aUnitWithoutAttemptsHasANullActiveAttempt() throws Exception {
    addText("u1");
    open();
    JsonNode u = get(UNITS + "/dTE").body();
    assertThat(u.get("active_attempt").isNull()).isTrue();
    assertThat(u.get("attempts")).isEmpty();
    assertThat(u.get("data")).isEqualTo(JSON.readTree("{}"));
  }

  @Test
  void nonUtf8KeysWorkThroughAddListGetAndDelete() throws Exception {
    open();
    Answer added = call("POST", UNITS,
        "{\"work_units\":[{\"key\":\"" + BINARY_B64 + "\"},{\"key_text\":\"plain\"}]}");
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.body()).isEqualTo(JSON.readTree("{\"added\":2}"));
    assertThat(spec.workUnit(BINARY).key().toByteArray())
        .containsExactly((byte) 0xff, 0, (byte) 0x80);

    JsonNode list = get(UNITS).body().get("work_units");
    assertThat(list).hasSize(2);
    // "plain" (0x70...) sorts before 0xff... unsigned.
    assertThat(list.get(1).get("key").asText()).isEqualTo(BINARY_B64);
    assertThat(list.get(1).get("key_text").isNull()).isTrue();

    Answer one = get(UNITS + "/" + BINARY_B64);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().get("key").asText()).isEqualTo(BINARY_B64);
    assertThat(one.body().get("key_text").isNull()).isTrue();

    Answer deleted = call("DELETE", UNITS + "?key=" + BINARY_B64, null);
    assertThat(deleted.body()).isEqualTo(JSON.readTree("{\"deleted\":1}"));
    assertError(get(UNITS + "/" + BINARY_B64), 404, "no_such_work_unit");
    assertThat(spec.workUnits(WorkUnitQuery.all()))
        .extracting(w -> w.key().toUtf8()).containsExactly("plain");
  }

  @Test
  void dataRoundTripsThroughPostAndGetExactly() throws Exception {
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    String data = "{\"blob\":{\"$bytes\":\"AAH/gA==\"},"
        + "\"pair\":{\"$tuple\":[\"a\",1,{\"$bytes\":\"\"}]},"
        + "\"id\":{\"$uuid\":\"" + uuid + "\"},"
        + "\"nested\":{\"list\":[1,[2.5,null],{\"deep\":true}],\"empty\":{}},"
        + "\"big\":9007199254740993,\"huge\":123456789012345678901234567890,"
        + "\"neg\":-7,\"pi\":3.141592653589793,\"tiny\":1.0E-300,\"two\":2.0,"
        + "\"text\":\"é\",\"no\":false,\"nothing\":null}";
    open();
    Answer added = call("POST", UNITS, "{\"work_units\":[{\"key_text\":\"d\",\"data\":" + data
        + ",\"priority\":1.5,\"not_before\":\"2999-01-01T00:00:00Z\"}]}");
    assertThat(added.status()).isEqualTo(201);

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("blob", ByteString.copyOf(new byte[] {0, 1, (byte) 0xff, (byte) 0x80}));
    expected.put("pair", Tuple.of("a", 1L, ByteString.EMPTY));
    expected.put("id", uuid);
    List<Object> inner = new ArrayList<>();
    inner.add(2.5);
    inner.add(null);
    expected.put("nested",
        Map.of("list", List.of(1L, inner, Map.of("deep", true)), "empty", Map.of()));
    expected.put("big", 9007199254740993L);
    expected.put("huge", new BigInteger("123456789012345678901234567890"));
    expected.put("neg", -7L);
    expected.put("pi", Math.PI);
    expected.put("tiny", 1.0e-300);
    expected.put("two", 2.0);
    expected.put("text", "é");
    expected.put("no", false);
    expected.put("nothing", null);
    var unit = spec.workUnit(WorkUnitKey.of("d"));
    assertThat(unit.data()).isEqualTo(expected);
    assertThat(unit.meta()).isEqualTo(new WorkUnitMeta(1.5, Instant.parse("2999-01-01T00:00:00Z")));
    assertThat(unit.status()).isEqualTo(WorkUnitStatus.DELAYED);

    JsonNode got = get(UNITS + "/ZA").body();
    assertThat(got.get("data")).isEqualTo(JSON.readTree(data));
    // Not just equal JSON: 2.0 stays a float and the big integer stays exact.
    assertThat(got.get("data").get("two").isFloatingPointNumber()).isTrue();
    assertThat(got.get("data").get("big").asLong()).isEqualTo(9007199254740993L);
    assertThat(got.get("not_before").asText()).isEqualTo("2999-01-01T00:00:00Z");
  }

  @Test
  void malformedAddBodiesAre400AndAddNothing() throws Exception {
    open();
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("{}", "malformed_body");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\"},{\"key_text\":\"b\",\"key\":\"Yg\"}]}",
        "invalid_request");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\"},{}]}", "invalid_request");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\"},{\"key\":\"Yg==\"}]}", "invalid_request");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\",\"data\":{\"x\":{\"$bytes\":1}}}]}",
        "malformed_body");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\",\"data\":{\"x\":{\"$uuid\":\"1-1-1-1-1\"}}}]}",
        "malformed_body");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\",\"data\":[1]}]}", "malformed_body");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\",\"not_before\":\"tomorrow\"}]}",
        "invalid_request");
    bodies.put("{\"work_units\":[{\"key_text\":\"a\",\"colour\":1}]}", "malformed_body");
    for (var e : bodies.entrySet()) {
      assertError(call("POST", UNITS, e.getKey()), 400, e.getValue());
    }
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isZero();
  }

  @Test
  void deleteByStatusAndAll() throws Exception {
    addText("a", "b", "c");
    fail("b");
    open();

    assertThat(call("DELETE", UNITS + "?status=failed", null).body())
        .isEqualTo(JSON.readTree("{\"deleted\":1}"));
    assertThat(keyTexts(get(UNITS).body())).containsExactly("a", "c");

    assertError(call("DELETE", UNITS, null), 400, "invalid_request");
    assertError(call("DELETE", UNITS + "?all=yes", null), 400, "invalid_request");
    assertError(call("DELETE", UNITS + "?stauts=failed&all=true", null), 400, "invalid_request");
    assertThat(keyTexts(get(UNITS).body())).containsExactly("a", "c");

    assertThat(call("DELETE", UNITS + "?all=true", null).body())
        .isEqualTo(JSON.readTree("{\"deleted\":2}"));
    assertThat(get(UNITS).body().get("work_units")).isEmpty();
  }

  @Test
  void retryMakesFailedUnitsAvailableAgain() throws Exception {
    addText("a", "b", "c", "d");
    fail("a");
    fail("b");
    fail("c");
    open();

    Answer one = call("POST", UNITS + "/retry?key=" + Keys.encode(WorkUnitKey.of("b"))
        + "&key=" + Keys.encode(WorkUnitKey.of("d")), null);
    assertThat(one.body()).isEqualTo(JSON.readTree("{\"retried\":1}"));
    assertThat(spec.workUnit(WorkUnitKey.of("b")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(spec.workUnit(WorkUnitKey.of("a")).status()).isEqualTo(WorkUnitStatus.FAILED);

    Answer rest = call("POST", UNITS + "/retry", null);
    assertThat(rest.status()).isEqualTo(200);
    assertThat(rest.body()).isEqualTo(JSON.readTree("{\"retried\":2}"));
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(4);
    // The failed attempt stays in the history.
    assertThat(spec.workUnit(WorkUnitKey.of("a")).attempts()).hasSize(1);
  }

  @Test
  void retryPagesThroughMoreFailedUnitsThanOnePage() throws Exception {
    int n = AdminRoutes.RETRY_PAGE * 2 + 1;
    List<NewWorkUnit> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(NewWorkUnit.of(String.format("k%05d", i), Map.of()));
    }
    spec.addWorkUnits(batch);
    // Leased in bulk: one attempt request per thousand units, not one per unit.
    Worker w = coordinate.namespace("ns1").worker("w1");
    for (int failed = 0; failed < n; ) {
      List<Attempt> leased = w.requestAttempts(AttemptRequest.of(1000));
      assertThat(leased).isNotEmpty();
      leased.forEach(a -> a.fail(null));
      failed += leased.size();
    }
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FAILED)).isEqualTo(n);
    open();

    assertThat(call("POST", UNITS + "/retry", null).body().get("retried").asInt()).isEqualTo(n);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(n);
  }

  @Test
  void setsAndAdjustsPriorities() throws Exception {
    addText("a", "b", "c");
    fail("c");
    open();

    assertThat(call("POST", UNITS + "/priority", "{\"priority\": 5}").body())
        .isEqualTo(JSON.readTree("{\"changed\":3}"));
    assertThat(call("POST", UNITS + "/priority?status=failed", "{\"adjust\": 1.5}").body())
        .isEqualTo(JSON.readTree("{\"changed\":1}"));
    assertThat(call("POST", UNITS + "/priority?key=YQ", "{\"adjust\": -1}").body())
        .isEqualTo(JSON.readTree("{\"changed\":1}"));
    assertThat(spec.workUnit(WorkUnitKey.of("a")).priority()).isEqualTo(4.0);
    assertThat(spec.workUnit(WorkUnitKey.of("b")).priority()).isEqualTo(5.0);
    assertThat(spec.workUnit(WorkUnitKey.of("c")).priority()).isEqualTo(6.5);

    assertError(call("POST", UNITS + "/priority", "{\"priority\": 1, \"adjust\": 1}"), 400,
        "invalid_request");
    assertError(call("POST", UNITS + "/priority", "{}"), 400, "invalid_request");
    assertError(call("POST", UNITS + "/priority", "{\"priority\": \"high\"}"), 400,
        "malformed_body");
    assertThat(spec.workUnit(WorkUnitKey.of("b")).priority()).isEqualTo(5.0);
  }

  @Test
  void badRequestsAre400AndMissingUnitsAre404() throws Exception {
    addText("a");
    open();
    assertError(get(UNITS + "/YQ=="), 400, "invalid_request");
    assertError(get(UNITS + "/Y"), 400, "invalid_request");
    assertError(get(UNITS + "?after=Y"), 400, "invalid_request");
    assertError(call("DELETE", UNITS + "?key=Y", null), 400, "invalid_request");
    assertError(get(UNITS + "?limit=1001"), 400, "invalid_request");
    assertError(get(UNITS + "?limit=0"), 400, "invalid_request");
    assertError(get(UNITS + "?limit=ten"), 400, "invalid_request");
    assertError(get(UNITS + "?status=done"), 400, "invalid_request");
    assertError(get(UNITS + "?stauts=failed"), 400, "invalid_request");
    assertThat(get(UNITS + "?limit=1000").status()).isEqualTo(200);

    Answer missing = get(UNITS + "/" + Keys.encode(WorkUnitKey.of("nope")));
    assertError(missing, 404, "no_such_work_unit");
    assertError(get("/api/v1/namespaces/ns1/work-specs/nope/work-units"), 404,
        "no_such_work_spec");
    assertError(get("/api/v1/namespaces/nope/work-specs/spec1/work-units"), 404,
        "no_such_namespace");
  }

  @Test
  void mutationsNeedTheTokenWhenOneIsSet() throws Exception {
    addText("a");
    fail("a");
    server = new AdminServer(AdminServer.Settings.loopback(coordinate).withAdminToken(TOKEN))
        .start();
    String add = "{\"work_units\":[{\"key_text\":\"b\"}]}";
    assertError(call("POST", UNITS, add, null), 401, "unauthorized");
    assertError(call("POST", UNITS, add, "Bearer wrong"), 401, "unauthorized");
    assertError(call("DELETE", UNITS + "?all=true", null, null), 401, "unauthorized");
    assertError(call("POST", UNITS + "/retry", null, null), 401, "unauthorized");
    assertError(call("POST", UNITS + "/priority", "{\"priority\":1}", null), 401, "unauthorized");
    assertThat(spec.workUnits(WorkUnitQuery.all()))
        .extracting(u -> u.key().toUtf8()).containsExactly("a");
    assertThat(spec.workUnit(WorkUnitKey.of("a")).status()).isEqualTo(WorkUnitStatus.FAILED);

    // Reads stay open on loopback; with the token the mutation goes through.
    assertThat(get(UNITS).status()).isEqualTo(200);
    assertThat(call("POST", UNITS, add, "Bearer " + TOKEN).status()).isEqualTo(201);
    assertThat(spec.workUnit(WorkUnitKey.of("b")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }
}
