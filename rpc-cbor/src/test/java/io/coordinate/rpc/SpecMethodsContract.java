package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Work spec methods: set, get, list, control, meta, delete, clear. */
interface SpecMethodsContract extends RpcFixture {

  @Test
  default void getWorkSpecAnswersTheBareMapWithStringTypesPreserved() throws IOException {
    defineSpec(
        "s", "str", b("foo"), "unicode", new TestCbor.Text("foo"), "nested", map("k", list(1L, 2.5)));
    Object spec = rpc().call("get_work_spec", "s");
    assertThat(spec).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) spec;
    assertThat(m.get("name")).isEqualTo(b("s"));
    assertThat(m.get("str")).isEqualTo(b("foo"));
    assertThat(m.get("unicode")).isEqualTo("foo");
    assertThat(m.get("nested")).isEqualTo(map("k", list(1L, 2.5)));
    assertThat(m.get("min_gb")).isEqualTo(0L);
  }

  @Test
  default void moduleAndRunFunctionComeBackAsByteStringsEvenWhenSentAsText() throws IOException {
    RpcTestClient text = newClient(false);
    assertThat(RpcTestClient.asList(text.call("set_work_spec",
            map("name", "t", "min_gb", 1L, "module", "pkg.mod", "run_function", "go"))))
        .containsExactly(true, null);
    Map<?, ?> spec = (Map<?, ?>) rpc().call("get_work_spec", "t");
    assertThat(spec.get("module")).isEqualTo(b("pkg.mod"));
    assertThat(spec.get("run_function")).isEqualTo(b("go"));
    assertThat(spec.get("name")).as("other strings keep their wire type").isEqualTo("t");
  }

  @Test
  default void getWorkSpecOfAMissingSpecIsBareNull() throws IOException {
    assertThat(rpc().call("get_work_spec", "nope")).isNull();
  }

  @Test
  default void setWorkSpecWithoutANameIsAnErrorReply() throws IOException {
    assertThatThrownBy(() -> rpc().call("set_work_spec", map("min_gb", 0L)))
        .isInstanceOf(RpcTestClient.ServerError.class)
        .hasMessageContaining("name");
  }

  @Test
  default void aSpecFetchedWithGetWorkSpecIsAcceptedBackUnchanged() throws IOException {
    defineSpec("s", "weight", 5L);
    Object spec = rpc().call("get_work_spec", "s");
    rpc().ok("set_work_spec", spec);
    assertThat(rpc().call("get_work_spec", "s")).isEqualTo(spec);
  }

  @Test
  default void listWorkSpecsPagesInNameOrderWithAnInclusiveStart() throws IOException {
    for (String name : List.of("d", "b", "a", "c")) {
      defineSpec(name);
    }
    List<Object> all = rpc().pair("list_work_specs", map());
    assertThat(names(all.get(0))).containsExactly("a", "b", "c", "d");
    assertThat(all.get(1)).isNull();

    List<Object> first = rpc().pair("list_work_specs", map("limit", 2L));
    assertThat(names(first.get(0))).containsExactly("a", "b");
    assertThat(first.get(1)).isIn("c", b("c"));

    List<Object> second = rpc().pair("list_work_specs", map("limit", 2L, "start", "c"));
    assertThat(names(second.get(0))).containsExactly("c", "d");
    assertThat(second.get(1)).isNull();

    List<Object> none = rpc().pair("list_work_specs");
    assertThat(names(none.get(0))).containsExactly("a", "b", "c", "d");
  }

  @Test
  default void listedSpecsCarryModuleAndRunFunctionAsByteStrings() throws IOException {
    RpcTestClient text = newClient(false);
    text.call("set_work_spec", map("name", "t", "module", "m", "run_function", "f"));
    List<Object> reply = rpc().pair("list_work_specs", map());
    Map<?, ?> spec = (Map<?, ?>) RpcTestClient.asList(reply.get(0)).get(0);
    assertThat(spec.get("module")).isEqualTo(b("m"));
    assertThat(spec.get("run_function")).isEqualTo(b("f"));
  }

  @Test
  default void pausingASpecStopsGetWorkAndResumingRestartsIt() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    rpc().ok("control_work_spec", "s", map("status", 2L));
    assertThat(getOne("w", 60)).containsExactly(null, null, null);
    assertThat(meta("s").get("status")).isEqualTo(2L);

    rpc().ok("control_work_spec", "s", map("status", 1L));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("k"));
  }

  @Test
  default void makingANonContinuousSpecContinuousIsInBandAndChangesNothing() throws IOException {
    defineSpec("s");
    List<Object> reply =
        rpc().pair("control_work_spec", "s", map("continuous", true, "status", 2L));
    assertThat(reply.get(0)).isEqualTo(false);
    assertThat(reply.get(1).toString()).contains("continuous");
    assertThat(meta("s")).containsEntry("continuous", false).containsEntry("status", 1L);
  }

  @Test
  default void continuousCanBeSwitchedOffAndOnForAContinuousSpec() throws IOException {
    defineSpec("c", "continuous", true);
    rpc().ok("control_work_spec", "c", map("continuous", false));
    assertThat(meta("c").get("continuous")).isEqualTo(false);
    rpc().ok("control_work_spec", "c", map("continuous", true));
    assertThat(meta("c").get("continuous")).isEqualTo(true);
  }

  @Test
  default void controlWorkSpecAppliesMaxRunning() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c");
    rpc().ok("control_work_spec", "s", map("max_running", 1L));
    assertThat(meta("s").get("max_running")).isEqualTo(1L);
    List<Object> got = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 5L));
    assertThat(RpcTestClient.asList(got.get(0))).hasSize(1);
    assertThat(RpcTestClient.asList(
            rpc().pair("get_work", "w2", map("lease_time", 60L, "max_jobs", 5L)).get(0)))
        .as("max_running 1 with one unit pending")
        .isEmpty();

    rpc().ok("control_work_spec", "s", map("max_running", null));
    assertThat(RpcTestClient.asList(
            rpc().pair("get_work", "w2", map("lease_time", 60L, "max_jobs", 5L)).get(0)))
        .as("max_running None is unlimited")
        .hasSize(2);
  }

  @Test
  default void getWorkSpecMetaReflectsEveryControlledKey() throws IOException {
    defineSpec("s");
    assertThat(meta("s"))
        .containsEntry("status", 1L)
        .containsEntry("continuous", false)
        .containsEntry("max_running", 0L)
        .containsEntry("weight", 20L)
        .containsKey("interval");
    rpc().ok(
        "control_work_spec",
        "s",
        map("status", 2L, "weight", 7L, "interval", 2.5, "max_running", 3L));
    assertThat(meta("s"))
        .containsEntry("status", 2L)
        .containsEntry("weight", 7L)
        .containsEntry("interval", 2.5)
        .containsEntry("max_running", 3L);
  }

  @Test
  default void controlWorkSpecSetsTheRateLimitAndGetWorkHonoursIt() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c", "d", "e", "f");
    assertThat(meta("s")).containsEntry("rate_limit", 0.0).containsEntry("rate_burst", 0L);
    rpc().ok("control_work_spec", "s", map("rate_limit", 2L, "rate_burst", 2L));
    assertThat(meta("s")).containsEntry("rate_limit", 2.0).containsEntry("rate_burst", 2L);
    Map<Object, Object> request = map("lease_time", 60L, "max_jobs", 10L);
    assertThat(RpcTestClient.asList(rpc().pair("get_work", "w", request).get(0))).hasSize(2);
    assertThat(RpcTestClient.asList(rpc().pair("get_work", "w", request).get(0))).isEmpty();
    clock().advance(java.time.Duration.ofMillis(500));
    assertThat(RpcTestClient.asList(rpc().pair("get_work", "w", request).get(0))).hasSize(1);

    // None is no limit, like an absent key in a definition.
    rpc().ok("control_work_spec", "s", map("rate_limit", null));
    assertThat(meta("s")).containsEntry("rate_limit", 0.0);
    assertThat(RpcTestClient.asList(rpc().pair("get_work", "w", request).get(0))).hasSize(3);
  }

  @Test
  default void controlWorkSpecSetsRetentionAndGetWorkSpecMetaReportsIt() throws IOException {
    defineSpec("s", "retain_failed_count", 4L);
    assertThat(meta("s"))
        .containsEntry("retain_finished_seconds", 0.0)
        .containsEntry("retain_finished_count", 0L)
        .containsEntry("retain_failed_seconds", 0.0)
        .containsEntry("retain_failed_count", 4L);
    rpc().ok(
        "control_work_spec",
        "s",
        map("retain_finished_seconds", 3600L, "retain_finished_count", 10L,
            "retain_failed_seconds", 1.5));
    assertThat(meta("s"))
        .containsEntry("retain_finished_seconds", 3600.0)
        .containsEntry("retain_finished_count", 10L)
        .containsEntry("retain_failed_seconds", 1.5)
        .containsEntry("retain_failed_count", 4L);
  }

  @Test
  default void controlWorkSpecRefusesBadLimitsAndChangesNothing() throws IOException {
    defineSpec("s");
    for (Object[] bad : List.of(
        new Object[] {map("status", 2L, "rate_limit", -1L), "rate_limit"},
        new Object[] {map("rate_limit", "fast"), "rate_limit"},
        new Object[] {map("rate_burst", -2L), "rate_burst"},
        new Object[] {map("retain_finished_seconds", -1L), "retain_finished_seconds"},
        new Object[] {map("retain_failed_count", 1.5), "retain_failed_count"})) {
      assertThatThrownBy(() -> rpc().call("control_work_spec", "s", bad[0]))
          .isInstanceOf(RpcTestClient.ServerError.class)
          .hasMessageContaining((String) bad[1]);
    }
    assertThat(meta("s"))
        .containsEntry("status", 1L)
        .containsEntry("rate_limit", 0.0)
        .containsEntry("rate_burst", 0L)
        .containsEntry("retain_finished_seconds", 0.0)
        .containsEntry("retain_failed_count", 0L);
  }

  @Test
  default void specMethodsOnAMissingSpecAnswerInBand() throws IOException {
    List<Object> control = rpc().pair("control_work_spec", "nope", map("status", 2L));
    assertThat(control.get(0)).isEqualTo(false);
    assertThat(control.get(1).toString()).contains("nope");
    List<Object> meta = rpc().pair("get_work_spec_meta", "nope");
    assertThat(meta.get(0)).isNull();
    assertThat(meta.get(1).toString()).contains("nope");
    List<Object> del = rpc().pair("del_work_spec", "nope");
    assertThat(del.get(0)).isEqualTo(false);
    assertThat(del.get(1).toString()).contains("nope");
  }

  @Test
  default void delWorkSpecDeletesTheSpecAndItsUnits() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    rpc().ok("del_work_spec", "s");
    assertThat(rpc().call("get_work_spec", "s")).isNull();
    defineSpec("s");
    assertThat(counts("s")).isEmpty();
  }

  @Test
  default void clearDeletesEverySpecAndAnswersTheBareCount() throws IOException {
    defineSpec("a");
    defineSpec("b");
    addUnits("a", "k");
    assertThat(rpc().call("clear")).isEqualTo(2L);
    assertThat(names(rpc().pair("list_work_specs", map()).get(0))).isEmpty();
    assertThat(rpc().call("clear")).isEqualTo(0L);
  }

  @Test
  default void resubmittingASpecUnpausesIt() throws IOException {
    defineSpec("s");
    rpc().ok("control_work_spec", "s", map("status", 2L));
    defineSpec("s");
    assertThat(meta("s").get("status")).isEqualTo(1L);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> meta(String spec) throws IOException {
    List<Object> reply = rpc().pair("get_work_spec_meta", spec);
    assertThat(reply.get(1)).isNull();
    return (Map<Object, Object>) reply.get(0);
  }

  private static List<String> names(Object specs) {
    return RpcTestClient.asList(specs).stream()
        .map(s -> ((Map<?, ?>) s).get("name"))
        .map(n -> n instanceof ByteString bs ? bs.toUtf8() : (String) n)
        .toList();
  }
}
