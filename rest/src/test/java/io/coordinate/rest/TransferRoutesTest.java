package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Coordinate;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.TestHttp.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Maintenance mode over HTTP, unit snapshots (what export reads) and restore (what import does). */
class TransferRoutesTest extends RouteTestSupport {
  private static final String MAINTENANCE = "/api/v1/maintenance";
  private static final String SPEC = API + "ns1/work-specs/s";
  private static final String BEARER = "Bearer " + TOKEN;

  private WorkSpec spec() {
    return coordinate.namespace("ns1").setWorkSpec(Map.of("name", "s"));
  }

  private JsonNode authorized(String method, String path, String body) throws Exception {
    Answer a = call(method, path, body, BEARER);
    assertThat(a.status()).as("%s %s: %s", method, path, a.body()).isEqualTo(200);
    return a.body();
  }

  @Test
  void maintenanceIsReadByAnyoneAndSetOnlyWithTheToken() throws Exception {
    openWithToken();
    assertThat(ok(MAINTENANCE)).isEqualTo(json("{\"on\":false,\"reason\":\"\",\"since\":null}"));
    assertError(call("PUT", MAINTENANCE, "{\"on\":true}"), 401, "unauthorized");
    assertThat(coordinate.maintenance().on()).isFalse();

    JsonNode on = authorized("PUT", MAINTENANCE, "{\"on\":true,\"reason\":\"moving\"}");
    assertThat(on.get("on").asBoolean()).isTrue();
    assertThat(on.get("reason").asText()).isEqualTo("moving");
    assertThat(on.get("since").asText()).isEqualTo(clock.instant().toString());
    assertThat(coordinate.maintenance().reason()).isEqualTo("moving");

    assertError(call("PUT", MAINTENANCE, "{\"on\":\"yes\"}", BEARER), 400, "malformed_body");
    assertError(call("PUT", MAINTENANCE, "{\"reason\":\"x\"}", BEARER), 400, "malformed_body");
    assertError(call("PUT", MAINTENANCE, "{\"on\":false,\"x\":1}", BEARER), 400, "malformed_body");
    assertThat(coordinate.maintenance().on()).as("a bad request changes nothing").isTrue();

    assertThat(authorized("PUT", MAINTENANCE, "{\"on\":false}").get("on").asBoolean()).isFalse();
  }

  @Test
  void inMaintenanceChangesAnswer503AndWorkersGetNothingButFinishWhatTheyHold() throws Exception {
    WorkSpec s = spec();
    s.addWorkUnits(List.of(NewWorkUnit.of("a", Map.of()), NewWorkUnit.of("b", Map.of())));
    Attempt held = coordinate.namespace("ns1").worker("w1").requestAttempts(AttemptRequest.one())
        .get(0);
    open();
    ok("PUT", MAINTENANCE, "{\"on\":true,\"reason\":\"upgrade\"}");

    Answer add = call("POST", SPEC + "/work-units", "{\"work_units\":[{\"key_text\":\"c\"}]}");
    assertError(add, 503, "maintenance");
    assertThat(add.body().get("message").asText()).contains("maintenance mode", "upgrade");
    assertError(call("PATCH", SPEC + "/meta", "{\"paused\":true}"), 503, "maintenance");
    assertError(call("DELETE", SPEC, null), 503, "maintenance");
    assertError(call("DELETE", SPEC + "/work-units?all=true", null), 503, "maintenance");
    assertError(call("POST", SPEC + "/work-units/retry", null), 503, "maintenance");
    assertThat(s.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(1);
    assertThat(s.meta(false).paused()).isFalse();

    assertError(call("POST", API + "ns1/workers/nobody/work", null), 404, "no_such_worker");
    coordinate.namespace("ns1").worker("w2");
    Answer work = call("POST", API + "ns1/workers/w2/work", null);
    assertThat(work.status()).isEqualTo(200);
    assertThat(work.body().get("attempts")).isEmpty();
    assertThat(work.raw().headers().firstValue(WorkerRoutes.MAINTENANCE_HEADER)).hasValue("upgrade");

    String attempt = SPEC + "/work-units/" + held.workUnit().key().toBase64Url() + "/attempts/0";
    ok("POST", attempt + "/finish?worker=w1&start_time=" + q(held.startTime().toString()), "{}");
    assertThat(held.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(ok(SPEC + "/counts").get("counts").get("finished").asLong()).isEqualTo(1);

    ok("PUT", MAINTENANCE, "{\"on\":false}");
    assertThat(ok("POST", API + "ns1/workers/w2/work", null).get("attempts")).hasSize(1);
  }

  @Test
  void snapshotsPageThroughAllUnitsWithTheirLastAttempt() throws Exception {
    WorkSpec s = spec();
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      units.add(NewWorkUnit.of(String.format("k%03d", i), Map.of("i", (long) i)));
    }
    s.addWorkUnits(units);
    Attempt a = coordinate.namespace("ns1").worker("w1").makeAttempt(
        s.workUnit(WorkUnitKey.of("k007")), Duration.ofMinutes(1));
    a.fail(Map.of("traceback", "boom"));
    open();

    List<String> keys = new ArrayList<>();
    String after = null;
    JsonNode failed = null;
    do {
      JsonNode page = ok(SPEC + "/snapshots?limit=100" + (after == null ? "" : "&after=" + after));
      for (JsonNode u : page.get("work_units")) {
        keys.add(WorkUnitKey.fromBase64Url(u.get("key").asText()).toUtf8());
        if (u.get("status").asText().equals("failed")) {
          failed = u;
        }
      }
      after = page.get("next_after").isNull() ? null : page.get("next_after").asText();
    } while (after != null);
    assertThat(keys).hasSize(250).isSorted().doesNotHaveDuplicates();
    assertThat(failed.get("data")).isEqualTo(json("{\"i\":7}"));
    assertThat(failed.get("last_attempt").get("worker").asText()).isEqualTo("w1");
    assertThat(failed.get("last_attempt").get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("last_attempt").get("data")).isEqualTo(json("{\"traceback\":\"boom\"}"));

    JsonNode onlyFailed = ok(SPEC + "/snapshots?status=failed");
    assertThat(onlyFailed.get("work_units")).hasSize(1);
    assertError(get(SPEC + "/snapshots?colour=red"), 400, "invalid_request");
    assertError(get(API + "ns1/work-specs/nope/snapshots"), 404, "no_such_work_spec");
  }

  @Test
  void restoreNeedsMaintenanceModeAndWritesTheBatchOrNothing() throws Exception {
    spec();
    open();
    String good = "{\"key\":\"" + WorkUnitKey.of("u1").toBase64Url() + "\",\"data\":{\"b\":"
        + "{\"$bytes\":\"AP8=\"}},\"priority\":2.0,\"not_before\":null,\"status\":\"finished\","
        + "\"last_attempt\":{\"worker\":\"w9\",\"status\":\"finished\",\"data\":{\"out\":1},"
        + "\"start_time\":\"2026-01-01T00:00:00Z\",\"end_time\":\"2026-01-01T00:01:00Z\","
        + "\"expiration_time\":\"2026-01-01T00:15:00Z\"}}";
    String body = "{\"work_units\":[" + good + "]}";
    assertError(call("POST", SPEC + "/restore", body), 409, "maintenance_off");
    assertThat(ok(SPEC + "/counts").get("counts").get("finished").asLong()).isZero();

    ok("PUT", MAINTENANCE, "{\"on\":true}");
    String bad = "{\"key\":\"" + WorkUnitKey.of("u2").toBase64Url() + "\",\"status\":\"done\"}";
    assertError(call("POST", SPEC + "/restore", "{\"work_units\":[" + good + "," + bad + "]}"),
        400, "malformed_body");
    assertError(call("POST", SPEC + "/restore", "{\"units\":[]}"), 400, "malformed_body");
    assertThat(ok(SPEC + "/snapshots").get("work_units")).as("a bad batch writes nothing").isEmpty();

    assertThat(ok("POST", SPEC + "/restore", body).get("restored").asInt()).isEqualTo(1);
    JsonNode unit = ok(SPEC + "/snapshots").get("work_units").get(0);
    assertThat(unit).isEqualTo(json(good));
    assertThat(ok(API + "ns1/workers/w9").get("active").asBoolean()).isFalse();
  }

  @Test
  void aNamespaceExportedFromOneDaemonImportsIntoAnotherInMaintenanceMode() throws Exception {
    WorkSpec s = spec();
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      units.add(NewWorkUnit.of(String.format("k%04d", i), Map.of("i", (long) i)));
    }
    s.addWorkUnits(units);
    coordinate.namespace("ns1").worker("w1").requestAttempts(AttemptRequest.of(5)).forEach(
        a -> a.fail(Map.of("traceback", "boom")));
    open();
    Answer export = get(API + "ns1/export");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/x-ndjson"));
    String[] lines = export.raw().body().split("\n");
    assertThat(lines).hasSize(1 + 1 + 1 + 3_000 + 1); // header, spec, worker, units, end
    assertThat(json(lines[lines.length - 1])).isEqualTo(
        json("{\"type\":\"end\",\"work_specs\":1,\"workers\":1,\"work_units\":3000}"));

    try (Coordinate other = MemoryCoordinate.create(clock);
        AdminServer target = new AdminServer(AdminServer.Settings.loopback(other)
            .withClock(clock)).start()) {
      String body = String.join("\n", lines) + "\n";
      String into = API + "copy/import?position=1";
      TestHttp.assertError(TestHttp.call(target.port(), "POST", into, body, null),
          409, "maintenance_off");
      TestHttp.call(target.port(), "PUT", "/api/v1/maintenance", "{\"on\":true}", null);
      String broken = body.replace(lines[7], "{\"type\":\"work_unit\"");
      Answer bad = TestHttp.call(target.port(), "POST", into, broken, null);
      TestHttp.assertError(bad, 400, "malformed_body");
      assertThat(bad.body().get("message").asText()).startsWith("line 8:");
      assertThat(other.namespaceNames()).doesNotContain("copy");

      Answer done = TestHttp.call(target.port(), "POST", into, body, null);
      assertThat(done.status()).as("%s", done.body()).isEqualTo(200);
      assertThat(done.body()).isEqualTo(json("{\"position\":3005,\"work_specs\":1,"
          + "\"workers\":1,\"work_units\":3000}"));
      WorkSpec copy = other.namespace("copy").workSpec("s");
      assertThat(copy.countWorkUnitStatus().get(WorkUnitStatus.FAILED)).isEqualTo(5);
      assertThat(copy.workUnitSnapshots(WorkUnitQuery.all()))
          .isEqualTo(s.workUnitSnapshots(WorkUnitQuery.all()));
      assertError(call("POST", API + "ns1/import", body), 400, "invalid_request");
    }
  }
}
