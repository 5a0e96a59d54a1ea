package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.conformance.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A work unit's meta and its attempts, addressed by index with an identity check. */
class AttemptRoutesTest extends RouteTestSupport {
  private static final String UNITS = API + "ns1/work-specs/s1/work-units/";
  private static final WorkUnitKey U = WorkUnitKey.of("u");
  /** Not UTF-8: {@code ff 00 80}. */
  private static final WorkUnitKey BINARY =
      WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
  private static final Instant T0 = MutableClock.START;

  private Namespace ns;
  private WorkSpec spec;

  @BeforeEach
  void unit() {
    ns = coordinate.namespace("ns1");
    spec = ns.setWorkSpec(Map.of("name", "s1"));
    spec.addWorkUnit(U, Map.of("n", 1), WorkUnitMeta.DEFAULT);
    ns.worker("w1");
    ns.worker("w2");
  }

  private static String unit(WorkUnitKey key) {
    return UNITS + Keys.encode(key);
  }

  private static String attempt(WorkUnitKey key, int n) {
    return unit(key) + "/attempts/" + n;
  }

  /** The attempt route with the identity query the client always sends. */
  private static String attempt(WorkUnitKey key, int n, JsonNode view) {
    return attempt(key, n) + "?worker=" + q(view.get("worker").asText()) + "&start_time="
        + q(view.get("start_time").asText());
  }

  private JsonNode make(WorkUnitKey key, String worker, double lifetime) throws Exception {
    return ok("POST", unit(key) + "/attempts",
        TestHttp.JSON.writeValueAsString(Map.of("worker", worker, "lifetime", lifetime)));
  }

  private WorkUnit u() {
    return spec.workUnit(U);
  }

  @Test
  void putMetaSetsPriorityAndNotBefore() throws Exception {
    open();
    JsonNode s = ok("PUT", unit(U) + "/meta",
        "{\"priority\":2.5,\"not_before\":\"2030-01-01T00:00:00Z\"}");
    assertThat(s).isEqualTo(json("{\"key\":\"dQ\",\"key_text\":\"u\",\"status\":\"delayed\","
        + "\"priority\":2.5,\"not_before\":\"2030-01-01T00:00:00Z\"}"));
    assertThat(u().meta()).isEqualTo(new WorkUnitMeta(2.5, Instant.parse("2030-01-01T00:00:00Z")));

    // not_before absent is none.
    assertThat(ok("PUT", unit(U) + "/meta", "{\"priority\":-1}")).isEqualTo(json(
        "{\"key\":\"dQ\",\"key_text\":\"u\",\"status\":\"available\",\"priority\":-1.0}"));
    assertThat(u().meta()).isEqualTo(WorkUnitMeta.ofPriority(-1));

    for (String bad : List.of("{}", "{\"not_before\":\"2030-01-01T00:00:00Z\"}",
        "{\"priority\":\"high\"}", "{\"priority\":1,\"colour\":1}", "{\"priority\":null}", "[]")) {
      assertError(call("PUT", unit(U) + "/meta", bad), 400, "malformed_body");
    }
    assertError(call("PUT", unit(U) + "/meta", "{\"priority\":1,\"not_before\":\"soon\"}"), 400,
        "invalid_request");
    assertThat(u().meta()).isEqualTo(WorkUnitMeta.ofPriority(-1));
    assertError(call("PUT", unit(WorkUnitKey.of("nope")) + "/meta", "{\"priority\":1}"), 404,
        "no_such_work_unit");
    assertError(call("PUT", UNITS + "Yg==/meta", "{\"priority\":1}"), 400, "invalid_request");
  }

  @Test
  void patchMetaChangesOnlyThePriority() throws Exception {
    Instant later = T0.plusSeconds(3600);
    u().setMeta(new WorkUnitMeta(1, later));
    open();
    assertThat(ok("PATCH", unit(U) + "/meta", "{\"priority\":7}")).isEqualTo(json(
        "{\"key\":\"dQ\",\"key_text\":\"u\",\"status\":\"delayed\",\"priority\":7.0,"
            + "\"not_before\":\"" + later + "\"}"));
    assertThat(u().meta()).isEqualTo(new WorkUnitMeta(7, later));
    assertError(call("PATCH", unit(U) + "/meta", "{\"priority\":1,\"not_before\":\"" + later
        + "\"}"), 400, "malformed_body");
    assertError(call("PATCH", unit(U) + "/meta", "{}"), 400, "malformed_body");
    assertError(call("PATCH", unit(U) + "/meta", "{\"priority\":true}"), 400, "malformed_body");
    assertError(call("PATCH", unit(WorkUnitKey.of("nope")) + "/meta", "{\"priority\":1}"), 404,
        "no_such_work_unit");
    assertThat(u().meta()).isEqualTo(new WorkUnitMeta(7, later));
  }

  @Test
  void deleteActiveAttemptMakesTheUnitAvailable() throws Exception {
    ns.worker("w1").makeAttempt(u(), Duration.ofMinutes(5)).fail(Map.of("error", "boom"));
    open();
    assertThat(ok("DELETE", unit(U) + "/active-attempt", null)).isEqualTo(json(
        "{\"key\":\"dQ\",\"key_text\":\"u\",\"status\":\"available\",\"priority\":0.0}"));
    JsonNode detail = ok(unit(U));
    assertThat(detail.get("active_attempt").isNull()).isTrue();
    assertThat(detail.get("attempts")).hasSize(1);
    assertThat(detail.get("attempts").get(0).get("status").asText()).isEqualTo("failed");
    // Nothing to clear is fine too.
    assertThat(call("DELETE", unit(U) + "/active-attempt", null).status()).isEqualTo(200);
    assertError(call("DELETE", unit(WorkUnitKey.of("nope")) + "/active-attempt", null), 404,
        "no_such_work_unit");
  }

  @Test
  void postAttemptsMakesAnAttemptByANamedWorker() throws Exception {
    open();
    JsonNode a = make(U, "w1", 60);
    assertThat(a).isEqualTo(json("{\"work_spec\":\"s1\",\"key\":\"dQ\",\"key_text\":\"u\","
        + "\"number\":0,\"worker\":\"w1\",\"status\":\"pending\",\"start_time\":\"" + T0 + "\","
        + "\"end_time\":null,\"expiration_time\":\"" + T0.plusSeconds(60) + "\","
        + "\"data\":{\"n\":1}}"));
    assertThat(ok(attempt(U, 0))).isEqualTo(a);
    assertThat(ok(attempt(U, 0, a))).isEqualTo(a);

    clock.advance(Duration.ofSeconds(1));
    JsonNode b = make(U, "w2", 0.25);
    assertThat(b.get("number").asInt()).isEqualTo(1);
    assertThat(b.get("worker").asText()).isEqualTo("w2");
    assertThat(b.get("expiration_time").asText())
        .isEqualTo(T0.plusSeconds(1).plusMillis(250).toString());
    // The earlier attempt lost its unit.
    assertThat(ok(attempt(U, 0, a)).get("status").asText()).isEqualTo("expired");

    // The unit in full shows every attempt in the same form, numbered.
    JsonNode detail = ok(unit(U));
    assertThat(detail.get("attempts").get(1)).isEqualTo(ok(attempt(U, 1)));
    assertThat(detail.get("attempts").get(0)).isEqualTo(ok(attempt(U, 0)));
    assertThat(detail.get("active_attempt")).isEqualTo(detail.get("attempts").get(1));

    assertError(call("POST", unit(U) + "/attempts", "{\"worker\":\"ghost\",\"lifetime\":60}"),
        404, "no_such_worker");
    assertThat(ns.findWorker("ghost")).isEmpty();
    assertError(call("POST", unit(WorkUnitKey.of("nope")) + "/attempts",
        "{\"worker\":\"w1\",\"lifetime\":60}"), 404, "no_such_work_unit");
    assertError(call("POST", unit(U) + "/attempts", "{\"worker\":\"w1\"}"), 400, "malformed_body");
    assertError(call("POST", unit(U) + "/attempts", "{\"lifetime\":60}"), 400, "malformed_body");
    assertError(call("POST", unit(U) + "/attempts", "{\"worker\":\"w1\",\"lifetime\":\"60\"}"),
        400, "malformed_body");
    assertError(call("POST", unit(U) + "/attempts", "{\"worker\":\"w1\",\"lifetime\":0}"), 400,
        "invalid_request");
    assertError(call("POST", unit(U) + "/attempts", "{\"worker\":\"w1\",\"lifetime\":-5}"), 400,
        "invalid_request");
    assertThat(u().attempts()).hasSize(2);
  }

  @Test
  void theIdentityCheckAnswersGoneForAnyOtherAttempt() throws Exception {
    open();
    JsonNode a = make(U, "w1", 60);
    String start = q(a.get("start_time").asText());
    assertError(get(attempt(U, 1)), 404, "gone");
    assertError(get(attempt(U, 1, a)), 404, "gone");
    assertError(get(attempt(U, 0) + "?worker=w2"), 404, "gone");
    assertError(get(attempt(U, 0) + "?worker=w2&start_time=" + start), 404, "gone");
    assertError(get(attempt(U, 0) + "?worker=w1&start_time="
        + q(T0.plusNanos(1000).toString())), 404, "gone");
    assertThat(ok(attempt(U, 0) + "?worker=w1").get("worker").asText()).isEqualTo("w1");
    assertThat(ok(attempt(U, 0) + "?start_time=" + start).get("worker").asText()).isEqualTo("w1");

    assertError(get(attempt(U, 0) + "?start_time=yesterday"), 400, "invalid_request");
    assertError(get(attempt(U, 0) + "?who=w1"), 400, "invalid_request");
    for (String n : List.of("-1", "x", "1.0", "99999999999")) {
      assertError(get(unit(U) + "/attempts/" + n), 400, "invalid_request");
    }
    assertError(get(attempt(WorkUnitKey.of("nope"), 0)), 404, "no_such_work_unit");
    assertError(get(API + "ns1/work-specs/nope/work-units/dQ/attempts/0"), 404,
        "no_such_work_spec");

    // The unit is deleted and added again; another worker's attempt is now number 0. The old
    // address no longer acts on anything.
    spec.deleteWorkUnits(io.coordinate.api.WorkUnitQuery.keys(U));
    assertError(get(attempt(U, 0, a)), 404, "no_such_work_unit");
    spec.addWorkUnit(U, Map.of(), WorkUnitMeta.DEFAULT);
    clock.advance(Duration.ofSeconds(5));
    JsonNode other = make(U, "w2", 60);
    assertThat(other.get("number").asInt()).isZero();
    for (String transition : List.of("renew", "expire", "finish", "fail", "retry")) {
      String body = transition.equals("renew") ? "{\"extension\":10}" : "{}";
      assertError(call("POST", attempt(U, 0, a).replace("?", "/" + transition + "?"), body),
          404, "gone");
    }
    assertThat(u().activeAttempt().orElseThrow().status()).isEqualTo(AttemptStatus.PENDING);
    // Even the same worker: a different start time is a different attempt.
    clock.advance(Duration.ofSeconds(5));
    JsonNode again = make(U, "w1", 60);
    assertError(get(attempt(U, 1, a)), 404, "gone");
    assertThat(ok(attempt(U, 1, again))).isEqualTo(again);
  }

  @Test
  void renewExtendsTheLeaseAndMayReplaceTheData() throws Exception {
    open();
    JsonNode a = make(U, "w1", 60);
    clock.advance(Duration.ofSeconds(30));
    String renew = attempt(U, 0) + "/renew";

    JsonNode renewed = ok("POST", renew, "{\"extension\":120}");
    assertThat(renewed.get("expiration_time").asText())
        .isEqualTo(T0.plusSeconds(150).toString());
    assertThat(renewed.get("data")).isEqualTo(json("{\"n\":1}"));
    renewed = ok("POST", renew, "{\"extension\":1.5,\"data\":{\"progress\":0.5}}");
    assertThat(renewed.get("expiration_time").asText())
        .isEqualTo(T0.plusSeconds(30).plusMillis(1500).toString());
    assertThat(renewed.get("data")).isEqualTo(json("{\"progress\":0.5}"));
    assertThat(renewed.get("status").asText()).isEqualTo("pending");
    assertThat(u().activeAttempt().orElseThrow().data()).isEqualTo(Map.of("progress", 0.5));

    for (String bad : List.of("{}", "", "{\"extension\":\"1\"}", "{\"extension\":1,\"data\":5}",
        "{\"extension\":1,\"data\":null}", "{\"extension\":1,\"delay\":1}")) {
      assertError(call("POST", renew, bad), 400, "malformed_body");
    }
    assertError(call("POST", renew, "{\"extension\":-1}"), 400, "invalid_request");

    // Someone else takes the unit: this attempt lost its lease.
    make(U, "w2", 60);
    assertError(call("POST", attempt(U, 0, a).replace("?", "/renew?"), "{\"extension\":10}"),
        409, "lost_lease");
    assertThat(ok(attempt(U, 0)).get("status").asText()).isEqualTo("expired");
  }

  @Test
  void anExpiredLeaseStillActiveCanBeRenewedOrFinished() throws Exception {
    open();
    JsonNode a = make(U, "w1", 10);
    clock.advance(Duration.ofSeconds(11));
    JsonNode seen = ok(attempt(U, 0, a));
    assertThat(seen.get("status").asText()).isEqualTo("expired");
    assertThat(ok(unit(U)).get("status").asText()).isEqualTo("available");

    JsonNode renewed = ok("POST", attempt(U, 0) + "/renew", "{\"extension\":60}");
    assertThat(renewed.get("status").asText()).isEqualTo("pending");
    assertThat(renewed.get("expiration_time").asText())
        .isEqualTo(T0.plusSeconds(71).toString());
    clock.advance(Duration.ofSeconds(100));
    JsonNode finished = ok("POST", attempt(U, 0) + "/finish", "");
    assertThat(finished.get("status").asText()).isEqualTo("finished");
    assertThat(u().status()).isEqualTo(WorkUnitStatus.FINISHED);
  }

  @Test
  void finishFailExpireAndRetryEndTheAttempt() throws Exception {
    for (String k : List.of("f", "x", "e", "r")) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of("k", k), WorkUnitMeta.DEFAULT);
    }
    open();
    for (String k : List.of("f", "x", "e", "r")) {
      make(WorkUnitKey.of(k), "w1", 60);
    }
    clock.advance(Duration.ofSeconds(2));
    Instant now = T0.plusSeconds(2);

    JsonNode f = ok("POST", attempt(WorkUnitKey.of("f"), 0) + "/finish",
        "{\"data\":{\"output\":{\"$bytes\":\"AQI=\"}}}");
    assertThat(f.get("status").asText()).isEqualTo("finished");
    assertThat(f.get("end_time").asText()).isEqualTo(now.toString());
    assertThat(f.get("data")).isEqualTo(json("{\"output\":{\"$bytes\":\"AQI=\"}}"));
    assertThat(spec.workUnit(WorkUnitKey.of("f")).status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertError(call("POST", attempt(WorkUnitKey.of("f"), 0) + "/finish", null), 409,
        "not_pending");
    assertError(call("POST", attempt(WorkUnitKey.of("f"), 0) + "/renew", "{\"extension\":1}"),
        409, "not_pending");

    // An empty body keeps the data.
    JsonNode x = ok("POST", attempt(WorkUnitKey.of("x"), 0) + "/fail", null);
    assertThat(x.get("status").asText()).isEqualTo("failed");
    assertThat(x.get("data")).isEqualTo(json("{\"k\":\"x\"}"));
    assertThat(spec.workUnit(WorkUnitKey.of("x")).status()).isEqualTo(WorkUnitStatus.FAILED);
    assertError(call("POST", attempt(WorkUnitKey.of("x"), 0) + "/fail", "{}"), 409,
        "not_pending");

    JsonNode e = ok("POST", attempt(WorkUnitKey.of("e"), 0) + "/expire", "{}");
    assertThat(e.get("status").asText()).isEqualTo("expired");
    assertThat(spec.workUnit(WorkUnitKey.of("e")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);

    JsonNode r = ok("POST", attempt(WorkUnitKey.of("r"), 0) + "/retry",
        "{\"data\":{\"why\":\"busy\"},\"delay\":30}");
    assertThat(r.get("status").asText()).isEqualTo("retryable");
    assertThat(r.get("data")).isEqualTo(json("{\"why\":\"busy\"}"));
    assertThat(spec.workUnit(WorkUnitKey.of("r")).status()).isEqualTo(WorkUnitStatus.DELAYED);
    clock.advance(Duration.ofSeconds(31));
    assertThat(spec.workUnit(WorkUnitKey.of("r")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);

    // Bodies: data must be a data map, delay a non-negative number, nothing else is allowed.
    make(U, "w1", 60);
    String a = attempt(U, 0);
    assertError(call("POST", a + "/finish", "{\"data\":[1]}"), 400, "malformed_body");
    assertError(call("POST", a + "/fail", "{\"data\":{},\"delay\":1}"), 400, "malformed_body");
    assertError(call("POST", a + "/expire", "[]"), 400, "malformed_body");
    assertError(call("POST", a + "/retry", "{\"delay\":-1}"), 400, "invalid_request");
    assertError(call("POST", a + "/retry", "{\"delay\":\"1\"}"), 400, "malformed_body");
    assertError(call("POST", a + "/finish?force=1", "{}"), 400, "invalid_request");
    assertThat(u().activeAttempt().orElseThrow().status()).isEqualTo(AttemptStatus.PENDING);
    // A retry without a delay: available at once.
    assertThat(ok("POST", a + "/retry", "").get("status").asText()).isEqualTo("retryable");
    assertThat(u().status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  void binaryKeysWorkInEveryAttemptRoute() throws Exception {
    spec.addWorkUnit(BINARY, Map.of(), WorkUnitMeta.DEFAULT);
    open();
    assertThat(unit(BINARY)).endsWith("/_wCA");
    assertThat(ok("PUT", unit(BINARY) + "/meta", "{\"priority\":3}").get("key").asText())
        .isEqualTo("_wCA");
    assertThat(ok("PATCH", unit(BINARY) + "/meta", "{\"priority\":4}").get("key_text").isNull())
        .isTrue();
    JsonNode a = make(BINARY, "w1", 60);
    assertThat(a.get("key").asText()).isEqualTo("_wCA");
    assertThat(a.get("key_text").isNull()).isTrue();
    assertThat(ok(attempt(BINARY, 0, a))).isEqualTo(a);
    ok("POST", attempt(BINARY, 0, a).replace("?", "/renew?"), "{\"extension\":30}");
    JsonNode done = ok("POST", attempt(BINARY, 0, a).replace("?", "/fail?"), "{}");
    assertThat(done.get("status").asText()).isEqualTo("failed");
    ok("DELETE", unit(BINARY) + "/active-attempt", null);
    assertThat(spec.workUnit(BINARY).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(spec.workUnit(BINARY).priority()).isEqualTo(4.0);
  }

  @Test
  void theEmptyKeyIsATildeInPaths() throws Exception {
    WorkUnitKey empty = WorkUnitKey.of("");
    spec.addWorkUnit(empty, Map.of("v", 1L), WorkUnitMeta.DEFAULT);
    open();
    String path = unit(BINARY).replace("/_wCA", "/~");
    JsonNode detail = ok(path);
    assertThat(detail.get("key").asText()).isEmpty();
    assertThat(detail.get("key_text").asText()).isEmpty();
    assertThat(detail.get("data").get("v").asLong()).isEqualTo(1);
    ok("PATCH", path + "/meta", "{\"priority\":7}");
    assertThat(spec.workUnit(empty).priority()).isEqualTo(7.0);
  }

  @Test
  void oddNamesInPathAndIdentityQuery() throws Exception {
    String worker = "w ~é/+&=?";
    Namespace def = coordinate.namespace("");
    WorkSpec odd = def.setWorkSpec(Map.of("name", "a/b ~"));
    odd.addWorkUnit(U, Map.of(), WorkUnitMeta.DEFAULT);
    def.worker(worker);
    open();
    String unit = API + "~/work-specs/" + seg("a/b ~") + "/work-units/dQ";
    JsonNode a = ok("POST", unit + "/attempts",
        TestHttp.JSON.writeValueAsString(Map.of("worker", worker, "lifetime", 60)));
    assertThat(a.get("worker").asText()).isEqualTo(worker);
    assertThat(a.get("work_spec").asText()).isEqualTo("a/b ~");
    String path = unit + "/attempts/0?worker=" + q(worker) + "&start_time="
        + q(a.get("start_time").asText());
    assertThat(ok(path)).isEqualTo(a);
    assertThat(ok("POST", path.replace("?", "/finish?"), "{}").get("status").asText())
        .isEqualTo("finished");
    assertError(get(unit + "/attempts/0?worker=" + q("w ~é/+&=")), 404, "gone");
  }

  @Test
  void mutationsNeedTheToken() throws Exception {
    Attempt pending = ns.worker("w1").makeAttempt(u(), Duration.ofMinutes(5));
    openWithToken();
    String a = attempt(U, 0);
    Map<String, String> calls = new java.util.LinkedHashMap<>();
    calls.put("PUT " + unit(U) + "/meta", "{\"priority\":1}");
    calls.put("PATCH " + unit(U) + "/meta", "{\"priority\":1}");
    calls.put("DELETE " + unit(U) + "/active-attempt", null);
    calls.put("POST " + unit(U) + "/attempts", "{\"worker\":\"w2\",\"lifetime\":5}");
    calls.put("POST " + a + "/renew", "{\"extension\":5}");
    calls.put("POST " + a + "/expire", "{}");
    calls.put("POST " + a + "/finish", "{}");
    calls.put("POST " + a + "/fail", "{}");
    calls.put("POST " + a + "/retry", "{}");
    for (var c : calls.entrySet()) {
      String[] mp = c.getKey().split(" ", 2);
      assertError(call(mp[0], mp[1], c.getValue(), null), 401, "unauthorized");
      assertError(call(mp[0], mp[1], c.getValue(), "Bearer wrong"), 401, "unauthorized");
    }
    assertThat(u().attempts()).containsExactly(pending);
    assertThat(pending.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(u().priority()).isZero();

    // Reads stay open on loopback; with the token the change goes through.
    assertThat(get(a).status()).isEqualTo(200);
    assertThat(call("POST", a + "/finish", "{}", "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(pending.status()).isEqualTo(AttemptStatus.FINISHED);
  }
}
