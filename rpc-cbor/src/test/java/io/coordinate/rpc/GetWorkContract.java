package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static io.coordinate.rpc.WireValues.tuple;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.Tuple;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code get_work}: reply shapes, leases and their bounds, spec restrictions. */
interface GetWorkContract extends RpcFixture {

  @Test
  default void oneJobIsASpecKeyDataTupleWithByteStrings() throws IOException {
    defineSpec("s");
    rpc().ok("add_work_units", "s", list(list(b("k"), map("d", b("v")))));
    List<Object> reply = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 1L));
    assertThat(reply.get(1)).isNull();
    assertThat(reply.get(0)).isEqualTo(tuple(b("s"), b("k"), map("d", b("v"))));
  }

  @Test
  default void withoutMaxJobsOrOptionsTheReplyIsOneTuple() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b");
    assertThat(rpc().pair("get_work", "w", map("lease_time", 60L)).get(0))
        .isEqualTo(tuple(b("s"), b("a"), map("n", 0L)));
    assertThat(rpc().pair("get_work", "w").get(0)).isEqualTo(tuple(b("s"), b("b"), map("n", 1L)));
  }

  @Test
  default void nothingAvailableForOneJobIsATupleOfNones() throws IOException {
    List<Object> reply = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 1L));
    assertThat(reply.get(0)).isInstanceOf(Tuple.class).isEqualTo(tuple(null, null, null));
  }

  @Test
  default void nothingAvailableForManyJobsIsAnEmptyList() throws IOException {
    defineSpec("s");
    List<Object> reply = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 5L));
    assertThat(reply.get(0)).isEqualTo(List.of());
  }

  @Test
  default void manyJobsIsAListOfTuplesFromOneSpec() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c");
    List<Object> reply = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 2L));
    assertThat(reply.get(0)).isInstanceOf(List.class);
    assertThat(RpcTestClient.asList(reply.get(0)))
        .containsExactly(tuple(b("s"), b("a"), map("n", 0L)), tuple(b("s"), b("b"), map("n", 1L)));
    List<Object> rest = rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 10L));
    assertThat(RpcTestClient.asList(rest.get(0))).as("a list even with a single unit")
        .containsExactly(tuple(b("s"), b("c"), map("n", 2L)));
  }

  @Test
  default void theRequestedLeaseIsHonoured() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    getOne("w", 120);
    assertThat(statusOf("s", b("k")).get("expiration")).isEqualTo(nowSeconds() + 120);
  }

  @Test
  default void aMissingOrOutOfRangeLeaseIsFiveMinutes() throws IOException {
    defineSpec("s");
    addUnits("s", "a-none", "b-zero", "c-negative", "d-huge", "e-max");
    rpc().pair("get_work", "w", map("max_jobs", 1L));
    getOne("w", 0);
    getOne("w", -5);
    getOne("w", 86401);
    getOne("w", 86400);
    assertThat(statusOf("s", b("a-none")).get("expiration")).isEqualTo(nowSeconds() + 300);
    assertThat(statusOf("s", b("b-zero")).get("expiration")).isEqualTo(nowSeconds() + 300);
    assertThat(statusOf("s", b("c-negative")).get("expiration")).isEqualTo(nowSeconds() + 300);
    assertThat(statusOf("s", b("d-huge")).get("expiration")).isEqualTo(nowSeconds() + 300);
    assertThat(statusOf("s", b("e-max")).get("expiration")).isEqualTo(nowSeconds() + 86400);
  }

  @Test
  default void aFloatLeaseIsAccepted() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    rpc().pair("get_work", "w", map("lease_time", 90.0, "max_jobs", 1L));
    assertThat(statusOf("s", b("k")).get("expiration")).isEqualTo(nowSeconds() + 90);
  }

  @Test
  default void workSpecNamesRestrictTheCandidates() throws IOException {
    defineSpec("a", "priority", 10L);
    defineSpec("b");
    addUnits("a", "ka");
    addUnits("b", "kb");
    List<Object> reply =
        rpc().pair("get_work", "w",
            map("lease_time", 60L, "max_jobs", 1L, "work_spec_names", list("b")));
    assertThat(RpcTestClient.asList(reply.get(0)).get(1)).isEqualTo(b("kb"));
    List<Object> none =
        rpc().pair("get_work", "w",
            map("lease_time", 60L, "max_jobs", 1L, "work_spec_names", list("zz")));
    assertThat(none.get(0)).isEqualTo(tuple(null, null, null));
  }

  @Test
  default void availableGbBelowMinGbStillGetsWork() throws IOException {
    defineSpec("s", "min_gb", 64L);
    addUnits("s", "k");
    List<Object> reply =
        rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 1L, "available_gb", 0.5));
    assertThat(RpcTestClient.asList(reply.get(0)).get(1)).isEqualTo(b("k"));
  }

  @Test
  default void specsForAnotherRuntimeAreNotHandedToPythonWorkers() throws IOException {
    defineSpec("go", "runtime", "go");
    addUnits("go", "k");
    assertThat(getOne("w", 60)).containsExactly(null, null, null);
  }

  @Test
  default void aDelayedUnitReadsAsAvailableButWaitsForItsTime() throws IOException {
    defineSpec("s");
    rpc().ok("add_work_units", "s", list(list(b("later"), map(), map("delay", 60L))));
    assertThat(counts("s")).isEqualTo(map(1L, 1L));
    assertThat(statusCode("s", b("later"))).isEqualTo(1L);
    assertThat(getOne("w", 60)).containsExactly(null, null, null);
    clock().advance(java.time.Duration.ofSeconds(61));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("later"));
  }

  @Test
  default void aContinuousSpecMakesAUnitWhenIdle() throws IOException {
    defineSpec("c", "continuous", true);
    List<Object> got = getOne("w", 60);
    assertThat(got.get(0)).isEqualTo(b("c"));
    assertThat(got.get(1)).isInstanceOf(io.coordinate.api.data.ByteString.class);
  }

  @Test
  default void withWaitAGetWorkAnswersWhenAnotherClientAddsAUnit() throws Exception {
    defineSpec("s");
    RpcTestClient adder = newClient(true);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Object>> waiting =
          pool.submit(
              () ->
                  rpc().pair("get_work", "w", map("lease_time", 60L, "max_jobs", 1L, "wait", 30L)));
      Thread.sleep(300);
      assertThat(waiting).as("waiting for work").isNotDone();
      adder.ok("add_work_units", "s", list(list(b("arrived"), map())));
      List<Object> reply = waiting.get(10, TimeUnit.SECONDS);
      assertThat(reply.get(1)).isNull();
      assertThat(RpcTestClient.asList(reply.get(0)).get(1)).isEqualTo(b("arrived"));
    }
  }

  @Test
  default void withWaitAndNoWorkGetWorkAnswersNothingOnceTheWaitIsOver() throws IOException {
    defineSpec("s");
    long start = System.nanoTime();
    List<Object> reply = rpc().pair("get_work", "w", map("max_jobs", 3L, "wait", 0.5));
    assertThat(reply.get(0)).isEqualTo(List.of());
    assertThat(System.nanoTime() - start).as("waited half a second").isGreaterThan(490_000_000L);
  }

  @Test
  default void aWaitOutsideZeroToFiveMinutesIsAnError() throws IOException {
    defineSpec("s");
    for (Object wait : List.of(-1L, 301L, b("ten"))) {
      rpc().send("get_work", "w", map("max_jobs", 1L, "wait", wait));
      Map<Object, Object> response = rpc().receive();
      assertThat(RpcTestClient.errorMessage(response)).as("wait %s", wait).contains("wait");
    }
    addUnits("s", "k");
    assertThat(getOne("w", 60).get(1)).as("the connection still serves").isEqualTo(b("k"));
  }
}
