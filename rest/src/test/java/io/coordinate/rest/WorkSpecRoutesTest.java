package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating, changing and deleting work specs, their meta and counts, over real HTTP. */
class WorkSpecRoutesTest extends RouteTestSupport {
  private static final String SPECS = API + "ns1/work-specs";
  private static final String S = SPECS + "/s1";

  private Namespace ns;

  @BeforeEach
  void namespace() {
    ns = coordinate.namespace("ns1");
  }

  private List<String> keyTexts(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("work_units").forEach(u -> out.add(u.get("key_text").asText()));
    return out;
  }

  @Test
  void postCreatesAWorkSpecFromItsDefinition() throws Exception {
    open();
    String definition = "{\"name\":\"s1\",\"min_gb\":1.5,\"weight\":3,"
        + "\"config\":{\"blob\":{\"$bytes\":\"AP8=\"},\"pair\":{\"$tuple\":[1,\"a\"]},"
        + "\"none\":null}}";
    assertThat(ok("POST", SPECS, definition)).isEqualTo(json("{\"name\":\"s1\"}"));
    WorkSpec spec = ns.workSpec("s1");
    assertThat(spec.meta(false).weight()).isEqualTo(3);
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("blob", ByteString.copyOf(new byte[] {0, (byte) 0xff}));
    config.put("pair", Tuple.of(1L, "a"));
    config.put("none", null);
    assertThat(spec.definition().map().get("config")).isEqualTo(config);

    // The definition reads back as given, in the same tagged forms.
    assertThat(ok(S + "/definition").get("definition")).isEqualTo(json(definition));
    assertThat(ok(S).get("definition")).isEqualTo(json(definition));

    // Posting again changes the definition of the same spec.
    assertThat(ok("POST", SPECS, "{\"name\":\"s1\",\"weight\":7}")).isEqualTo(
        json("{\"name\":\"s1\"}"));
    assertThat(ns.workSpec("s1").meta(false).weight()).isEqualTo(7);
    assertThat(ok(SPECS)).isEqualTo(json("{\"work_specs\":[\"s1\"]}"));
  }

  @Test
  void badDefinitionsAre400AndCreateNothing() throws Exception {
    open();
    assertError(call("POST", SPECS, "{\"weight\":3}"), 400, "invalid_work_spec");
    assertError(call("POST", SPECS, "{\"name\":\"\"}"), 400, "invalid_work_spec");
    assertError(call("POST", SPECS, "{\"name\":5}"), 400, "invalid_work_spec");
    assertError(call("POST", SPECS, "[{\"name\":\"s\"}]"), 400, "malformed_body");
    assertError(call("POST", SPECS, "{\"name\":\"s\""), 400, "malformed_body");
    assertError(call("POST", SPECS, ""), 400, "malformed_body");
    assertError(call("POST", SPECS, "{\"name\":\"s\",\"x\":{\"$bytes\":7}}"), 400,
        "malformed_body");
    assertError(call("POST", SPECS + "?name=s", "{\"name\":\"s\"}"), 400, "invalid_request");
    assertThat(ns.workSpecNames()).isEmpty();
  }

  @Test
  void deleteDestroysAWorkSpec() throws Exception {
    ns.setWorkSpec(Map.of("name", "s1")).addWorkUnit(WorkUnitKey.of("u"), Map.of(),
        WorkUnitMeta.DEFAULT);
    ns.setWorkSpec(Map.of("name", "s2"));
    open();
    assertThat(ok("DELETE", S, null)).isEqualTo(json("{\"deleted\":\"s1\"}"));
    assertThat(ns.workSpecNames()).containsExactly("s2");
    assertError(call("DELETE", S, null), 404, "no_such_work_spec");
    assertError(get(S), 404, "no_such_work_spec");
    assertError(call("DELETE", API + "nope/work-specs/s2", null), 404, "no_such_namespace");
  }

  @Test
  void putDefinitionReplacesIt() throws Exception {
    ns.setWorkSpec(Map.of("name", "s1", "weight", 2));
    open();
    assertThat(ok("PUT", S + "/definition", "{\"definition\":{\"name\":\"s1\",\"weight\":9}}"))
        .isEqualTo(json("{\"name\":\"s1\"}"));
    assertThat(ns.workSpec("s1").definition().map()).isEqualTo(Map.of("name", "s1", "weight", 9L));
    assertThat(ok(S + "/definition")).isEqualTo(
        json("{\"definition\":{\"name\":\"s1\",\"weight\":9}}"));

    // Naming another spec, or no spec, is an invalid definition; nothing changes.
    assertError(call("PUT", S + "/definition", "{\"definition\":{\"name\":\"s2\"}}"), 400,
        "invalid_work_spec");
    assertError(call("PUT", S + "/definition", "{\"definition\":{\"weight\":1}}"), 400,
        "invalid_work_spec");
    // Malformed bodies.
    assertError(call("PUT", S + "/definition", "{}"), 400, "malformed_body");
    assertError(call("PUT", S + "/definition", "{\"definition\":null}"), 400, "malformed_body");
    assertError(call("PUT", S + "/definition", "{\"definition\":[1]}"), 400, "malformed_body");
    assertError(call("PUT", S + "/definition", "{\"name\":\"s1\"}"), 400, "malformed_body");
    assertError(call("PUT", S + "/definition",
        "{\"definition\":{\"name\":\"s1\"},\"extra\":1}"), 400, "malformed_body");
    assertThat(ns.workSpec("s1").definition().map()).isEqualTo(Map.of("name", "s1", "weight", 9L));
    assertThat(ns.workSpecNames()).containsExactly("s1");

    assertError(call("PUT", SPECS + "/nope/definition", "{\"definition\":{\"name\":\"nope\"}}"),
        404, "no_such_work_spec");
    assertError(get(SPECS + "/nope/definition"), 404, "no_such_work_spec");
    Assertions.assertThatThrownBy(() -> ns.workSpec("nope"))
        .isInstanceOf(NoSuchWorkSpecException.class);
  }

  @Test
  void metaWithAndWithoutCounts() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s1", "max_running", 5));
    spec.addWorkUnit(WorkUnitKey.of("a"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("b"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("c"), Map.of(), WorkUnitMeta.DEFAULT);
    ns.worker("w").makeAttempt(spec.workUnit(WorkUnitKey.of("a")), Duration.ofMinutes(1));
    open();

    JsonNode plain = ok(S + "/meta");
    assertThat(plain.has("available_count")).isFalse();
    assertThat(plain.has("pending_count")).isFalse();
    assertThat(plain.get("max_running").asInt()).isEqualTo(5);
    assertThat(plain.get("next_continuous").asText()).isEqualTo(Instant.EPOCH.toString());
    assertThat(ok(S + "/meta?counts=false")).isEqualTo(plain);
    assertThat(ok(S).get("meta")).isEqualTo(plain);

    JsonNode counted = ok(S + "/meta?counts=true");
    assertThat(counted.get("available_count").asLong()).isEqualTo(2);
    assertThat(counted.get("pending_count").asLong()).isEqualTo(1);
    ObjectNode trimmed = counted.deepCopy();
    trimmed.remove(List.of("available_count", "pending_count"));
    assertThat((JsonNode) trimmed).isEqualTo(plain);

    assertError(get(S + "/meta?counts=yes"), 400, "invalid_request");
    assertError(get(S + "/meta?count=true"), 400, "invalid_request");
    assertError(get(SPECS + "/nope/meta"), 404, "no_such_work_spec");
  }

  @Test
  void patchMetaTakesEveryMutableFieldIncludingNextContinuous() throws Exception {
    ns.setWorkSpec(Map.of("name", "s1", "continuous", true));
    open();
    String next = "2030-05-06T07:08:09.123456Z";
    JsonNode meta = ok("PATCH", S + "/meta", "{\"priority\":2,\"weight\":3,\"paused\":true,"
        + "\"continuous\":true,\"interval\":1.5,\"next_continuous\":\"" + next + "\","
        + "\"max_running\":4,\"max_getwork\":5,\"max_retries\":6}");
    assertThat(meta.get("next_continuous").asText()).isEqualTo(next);
    assertThat(meta.get("interval").asDouble()).isEqualTo(1.5);
    WorkSpecMeta m = ns.workSpec("s1").meta(false);
    assertThat(m.nextContinuous()).isEqualTo(Instant.parse(next));
    assertThat(m.priority()).isEqualTo(2);
    assertThat(m.weight()).isEqualTo(3);
    assertThat(m.paused()).isTrue();
    assertThat(m.continuous()).isTrue();
    assertThat(m.interval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(m.maxRunning()).isEqualTo(4);
    assertThat(m.maxAttemptsReturned()).isEqualTo(5);
    assertThat(m.maxRetries()).isEqualTo(6);
    assertThat(ok(S + "/meta")).isEqualTo(meta);

    // Only next_continuous: the rest stays.
    ok("PATCH", S + "/meta", "{\"next_continuous\":\"1970-01-01T00:00:00Z\"}");
    assertThat(ns.workSpec("s1").meta(false)).isEqualTo(m.withNextContinuous(Instant.EPOCH));

    assertError(call("PATCH", S + "/meta", "{\"next_continuous\":\"soon\"}"), 400,
        "invalid_request");
    assertError(call("PATCH", S + "/meta", "{\"next_continuous\":5}"), 400, "malformed_body");
    assertError(call("PATCH", S + "/meta", "{\"next_continuous\":null}"), 400, "malformed_body");
    assertError(call("PATCH", S + "/meta", "{\"interval\":-1}"), 400, "invalid_request");
    assertThat(ns.workSpec("s1").meta(false).nextContinuous()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void patchMetaSetsTheRateLimitAndRetentionAndRefusesBadValues() throws Exception {
    ns.setWorkSpec(Map.of("name", "s1", "rate_limit", 2, "retain_failed_count", 7));
    open();
    JsonNode before = ok(S + "/meta");
    assertThat(before.get("rate_limit").asDouble()).isEqualTo(2.0);
    assertThat(before.get("rate_burst").asInt()).isZero();
    assertThat(before.get("retain_failed_count").asInt()).isEqualTo(7);
    assertThat(before.get("retain_finished_seconds").asDouble()).isZero();

    JsonNode meta = ok("PATCH", S + "/meta", "{\"rate_limit\":0.5,\"rate_burst\":3,"
        + "\"retain_finished_seconds\":86400,\"retain_finished_count\":100,"
        + "\"retain_failed_seconds\":3600.5}");
    assertThat(meta.get("rate_limit").asDouble()).isEqualTo(0.5);
    assertThat(meta.get("rate_burst").asInt()).isEqualTo(3);
    assertThat(meta.get("retain_finished_seconds").asDouble()).isEqualTo(86400.0);
    assertThat(meta.get("retain_failed_seconds").asDouble()).isEqualTo(3600.5);
    WorkSpecMeta m = ns.workSpec("s1").meta(false);
    assertThat(m.rateLimit()).isEqualTo(new RateLimit(0.5, 3));
    assertThat(m.retention())
        .isEqualTo(new Retention(Duration.ofDays(1), 100, Duration.ofMillis(3_600_500), 7));

    // A rate alone keeps the burst as given.
    ok("PATCH", S + "/meta", "{\"rate_limit\":8}");
    assertThat(ns.workSpec("s1").meta(false).rateLimit()).isEqualTo(new RateLimit(8, 3));

    for (String bad : List.of("{\"rate_limit\":-1}", "{\"rate_limit\":2e9}",
        "{\"rate_burst\":-1}", "{\"retain_finished_seconds\":-5}",
        "{\"retain_failed_count\":-1}", "{\"retain_failed_seconds\":1e12}")) {
      assertError(call("PATCH", S + "/meta", bad), 400, "invalid_request");
    }
    assertError(call("PATCH", S + "/meta", "{\"rate_limit\":\"fast\"}"), 400,
        "malformed_body");
    assertError(call("PATCH", S + "/meta", "{\"rate_burst\":1.5}"), 400, "malformed_body");
    // A bad field refuses the whole change, the good fields of it too.
    assertError(call("PATCH", S + "/meta", "{\"priority\":9,\"rate_limit\":-1}"), 400,
        "invalid_request");
    WorkSpecMeta after = ns.workSpec("s1").meta(false);
    assertThat(after.priority()).isZero();
    assertThat(after.rateLimit()).isEqualTo(new RateLimit(8, 3));
  }

  @Test
  void archiveDeletesUnitsBeyondTheRetention() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s1", "retain_finished_count", 1));
    var w = ns.worker("w");
    for (String k : List.of("a", "b", "c", "d")) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of(), WorkUnitMeta.DEFAULT);
      w.makeAttempt(spec.workUnit(WorkUnitKey.of(k)), Duration.ofMinutes(1)).finish(null);
      clock.advance(Duration.ofSeconds(1));
    }
    spec.addWorkUnit(WorkUnitKey.of("e"), Map.of(), WorkUnitMeta.DEFAULT);
    open();
    assertThat(ok("POST", S + "/archive", "{\"max_units\":2}"))
        .isEqualTo(json("{\"archived\":2}"));
    assertThat(ns.workSpec("s1").countWorkUnitStatus().total()).isEqualTo(3);
    // No body: up to the default batch.
    assertThat(ok("POST", S + "/archive", null)).isEqualTo(json("{\"archived\":1}"));
    assertThat(ok("POST", S + "/archive", "{}")).isEqualTo(json("{\"archived\":0}"));
    List<String> left = new ArrayList<>();
    ns.workSpec("s1").workUnits(io.coordinate.api.WorkUnitQuery.all())
        .forEach(u -> left.add(u.key().toString()));
    assertThat(left).containsExactly("d", "e");

    assertError(call("POST", S + "/archive", "{\"max_units\":-1}"), 400, "invalid_request");
    assertError(call("POST", S + "/archive", "{\"max_units\":1000001}"), 400,
        "invalid_request");
    assertError(call("POST", S + "/archive", "{\"max_units\":\"all\"}"), 400,
        "malformed_body");
    assertError(call("POST", S + "/archive", "{\"units\":1}"), 400, "malformed_body");
    assertError(call("POST", SPECS + "/nope/archive", "{}"), 404, "no_such_work_spec");
  }

  @Test
  void countsCoverEveryStatus() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s1"));
    spec.addWorkUnit(WorkUnitKey.of("a"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("b"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("c"), Map.of(),
        new WorkUnitMeta(0, clock.instant().plusSeconds(60)));
    spec.addWorkUnit(WorkUnitKey.of("d"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("e"), Map.of(), WorkUnitMeta.DEFAULT);
    var w = ns.worker("w");
    w.makeAttempt(spec.workUnit(WorkUnitKey.of("b")), Duration.ofMinutes(1));
    w.makeAttempt(spec.workUnit(WorkUnitKey.of("d")), Duration.ofMinutes(1)).finish(null);
    w.makeAttempt(spec.workUnit(WorkUnitKey.of("e")), Duration.ofMinutes(1)).fail(null);
    open();
    assertThat(ok(S + "/counts")).isEqualTo(json("{\"counts\":{\"available\":1,\"pending\":1,"
        + "\"finished\":1,\"failed\":1,\"delayed\":1}}"));
    clock.advance(Duration.ofMinutes(2));
    // The lease ran out and the delay passed: both available now.
    assertThat(ok(S + "/counts").get("counts").get("available").asInt()).isEqualTo(3);
    assertError(get(S + "/counts?status=failed"), 400, "invalid_request");
    assertError(get(SPECS + "/nope/counts"), 404, "no_such_work_spec");
  }

  @Test
  void unitListingFiltersByFromAndKeys() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s1"));
    for (String k : List.of("a", "b", "c", "d", "e")) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of(), WorkUnitMeta.DEFAULT);
    }
    spec.addWorkUnit(WorkUnitKey.of(new byte[] {(byte) 0xff, 0}), Map.of(), WorkUnitMeta.DEFAULT);
    ns.worker("w").makeAttempt(spec.workUnit(WorkUnitKey.of("d")), Duration.ofMinutes(1))
        .fail(null);
    open();
    String units = S + "/work-units";
    String b = Keys.encode(WorkUnitKey.of("b"));
    String d = Keys.encode(WorkUnitKey.of("d"));

    assertThat(keyTexts(ok(units + "?from=" + b))).containsExactly("b", "c", "d", "e", "null");
    JsonNode page = ok(units + "?from=" + b + "&limit=2");
    assertThat(keyTexts(page)).containsExactly("b", "c");
    assertThat(page.get("next_after").asText()).isEqualTo(Keys.encode(WorkUnitKey.of("c")));
    assertThat(keyTexts(ok(units + "?from=" + b + "&after=" + d))).containsExactly("e", "null");

    // Only the listed keys (a missing key is skipped), in key order, with the other filters.
    assertThat(keyTexts(ok(units + "?key=" + d + "&key=" + b + "&key="
        + Keys.encode(WorkUnitKey.of("zz"))))).containsExactly("b", "d");
    assertThat(keyTexts(ok(units + "?key=" + d + "&key=" + b + "&status=failed")))
        .containsExactly("d");
    assertThat(keyTexts(ok(units + "?key=" + d + "&key=" + b + "&from="
        + Keys.encode(WorkUnitKey.of("c"))))).containsExactly("d");
    JsonNode binary = ok(units + "?key=_wA");
    assertThat(binary.get("work_units").get(0).get("key").asText()).isEqualTo("_wA");
    assertThat(binary.get("work_units").get(0).get("key_text").isNull()).isTrue();

    assertError(get(units + "?from=Y"), 400, "invalid_request");
    assertError(get(units + "?key=Yg=="), 400, "invalid_request");
  }

  @Test
  void oddSpecNamesWorkInEveryRoute() throws Exception {
    open();
    ok("PUT", API + seg(""), null);
    for (String name : List.of("~s", "a/b", "q?#", "é t", "100%", "a+b", ".")) {
      String spec = API + "~/work-specs/" + seg(name);
      assertThat(ok("POST", API + "~/work-specs",
          TestHttp.JSON.writeValueAsString(Map.of("name", name))).get("name").asText())
          .isEqualTo(name);
      assertThat(ok(spec).get("name").asText()).isEqualTo(name);
      assertThat(ok(spec + "/definition").get("definition").get("name").asText()).isEqualTo(name);
      ok("PUT", spec + "/definition", TestHttp.JSON.writeValueAsString(
          Map.of("definition", Map.of("name", name, "weight", 4))));
      assertThat(ok("PATCH", spec + "/meta", "{\"weight\":5}").get("weight").asInt())
          .isEqualTo(5);
      assertThat(ok(spec + "/meta?counts=true").get("available_count").asInt()).isZero();
      assertThat(call("POST", spec + "/work-units", "{\"work_units\":[{\"key_text\":\"u\"}]}")
          .status()).isEqualTo(201);
      assertThat(ok(spec + "/counts").get("counts").get("available").asInt()).isEqualTo(1);
      assertThat(ok(spec + "/work-units/" + Keys.encode(WorkUnitKey.of("u"))).get("key_text")
          .asText()).isEqualTo("u");
      assertThat(coordinate.namespace("").workSpec(name).meta(false).weight()).isEqualTo(5);
      assertThat(ok("DELETE", spec, null).get("deleted").asText()).isEqualTo(name);
    }
    assertThat(coordinate.namespace("").workSpecNames()).isEmpty();
  }

  @Test
  void mutationsNeedTheToken() throws Exception {
    ns.setWorkSpec(Map.of("name", "s1", "weight", 2));
    openWithToken();
    assertError(call("POST", SPECS, "{\"name\":\"s2\"}", null), 401, "unauthorized");
    assertError(call("DELETE", S, null, null), 401, "unauthorized");
    assertError(call("PUT", S + "/definition", "{\"definition\":{\"name\":\"s1\"}}", null), 401,
        "unauthorized");
    assertError(call("PATCH", S + "/meta", "{\"next_continuous\":\"2030-01-01T00:00:00Z\"}",
        "Bearer nope"), 401, "unauthorized");
    assertThat(ns.workSpecNames()).containsExactly("s1");
    assertThat(ns.workSpec("s1").meta(false).weight()).isEqualTo(2);
    assertThat(ns.workSpec("s1").meta(false).nextContinuous()).isEqualTo(Instant.EPOCH);

    // Reads stay open on loopback.
    assertThat(get(S + "/definition").status()).isEqualTo(200);
    assertThat(get(S + "/meta?counts=true").status()).isEqualTo(200);
    assertThat(get(S + "/counts").status()).isEqualTo(200);
    String auth = "Bearer " + TOKEN;
    assertThat(call("POST", SPECS, "{\"name\":\"s2\"}", auth).status()).isEqualTo(200);
    assertThat(call("DELETE", S, null, auth).status()).isEqualTo(200);
    assertThat(ns.workSpecNames()).containsExactly("s2");
  }
}
