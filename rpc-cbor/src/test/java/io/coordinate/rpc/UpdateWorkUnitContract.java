package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code update_work_unit}'s transition table (UnitMethods#updateWorkUnit, rpc-reference §5.4):
 * what each requested status does from each current state, with and without a lease.
 */
interface UpdateWorkUnitContract extends RpcFixture {

  /** Spec "s" chaining into "t", with one unit "k" leased to worker "w" for 100 s. */
  private void pendingUnit() throws IOException {
    defineSpec("t");
    defineSpec("s", "then", "t");
    addUnits("s", "k");
    assertThat(getOne("w", 100).get(1)).isEqualTo(b("k"));
  }

  private long expiration() throws IOException {
    return (Long) statusOf("s", b("k")).get("expiration");
  }

  @Test
  default void aLeaseAloneRenewsThePendingUnitAndCanReplaceItsData() throws IOException {
    pendingUnit();
    clock().advance(Duration.ofSeconds(50));
    assertThat(update("s", b("k"), "lease_time", 200L, "data", map("progress", 1L)))
        .containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(3L);
    assertThat(expiration()).isEqualTo(nowSeconds() + 200);
    assertThat(dataOf("s", b("k"))).isEqualTo(map("progress", 1L));
  }

  @Test
  default void aRenewIsCappedAtOneDay() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "lease_time", 10L * 86400)).containsExactly(true, null);
    assertThat(expiration()).isEqualTo(nowSeconds() + 86400);
  }

  @Test
  default void pendingStatusRenewsWithTheDefaultLeaseWhenNoneIsUsable() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "status", 3L)).containsExactly(true, null);
    assertThat(expiration()).isEqualTo(nowSeconds() + 300);
  }

  @Test
  default void aLapsedLeaseNobodyTookCanStillBeRenewed() throws IOException {
    pendingUnit();
    clock().advance(Duration.ofSeconds(101));
    assertThat(statusCode("s", b("k"))).as("expired counts as available").isEqualTo(1L);
    assertThat(update("s", b("k"), "lease_time", 60L)).containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(3L);
    assertThat(expiration()).isEqualTo(nowSeconds() + 60);
  }

  @Test
  default void aNegativeLeaseGivesTheUnitBackNow() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "lease_time", -1L)).containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(1L);
    assertThat(getOne("other", 60).get(1)).as("another worker gets it at once").isEqualTo(b("k"));
  }

  @Test
  default void retryWithLeaseZeroAndStatusAvailableMakesItAvailableNow() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "lease_time", 0L, "status", 1L)).containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(1L);
    assertThat(getOne("other", 60).get(1)).isEqualTo(b("k"));
  }

  @Test
  default void retryRequeuesFinishedAndFailedUnitsAndAcceptsAvailableOnes() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "f", "k");
    getOne("w", 60); // a
    getOne("w", 60); // f
    getOne("w", 60); // k
    update("s", b("k"), "status", 4L);
    update("s", b("f"), "status", 5L);
    update("s", b("a"), "lease_time", -1L);
    for (String key : List.of("k", "f", "a")) {
      assertThat(update("s", b(key), "lease_time", 0L, "status", 1L))
          .as("retry of %s", key)
          .containsExactly(true, null);
      assertThat(statusCode("s", b(key))).as("status of %s", key).isEqualTo(1L);
    }
  }

  @Test
  default void finishChainsTheOutputIntoTheThenSpec() throws IOException {
    pendingUnit();
    Map<Object, Object> output =
        map("output", list(b("x"), list(b("y"), map("from", b("k"))), list(b("z"), map(), map(), 7L)));
    assertThat(update("s", b("k"), "status", 4L, "data", output)).containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(4L);
    assertThat(listedKeys("t")).containsExactly("x", "y", "z");
    assertThat(dataOf("t", b("y"))).isEqualTo(map("from", b("k")));
    assertThat(getOne("w2", 60).get(1)).as("explicit priority 7 runs first").isEqualTo(b("z"));
  }

  @Test
  default void chainedUnitsInheritThePriorityOfTheFinishedUnit() throws IOException {
    pendingUnit();
    addUnits("t", "a");
    rpc().ok("prioritize_work_units", "s", map("work_unit_keys", list(b("k")), "priority", 5L));
    Object output = list(b("x"), list(b("y"), map(), map("priority", 9.5)));
    update("s", b("k"), "status", 4L, "data", map("output", output));
    assertThat(getOne("w2", 60).get(1)).as("explicit meta priority 9.5").isEqualTo(b("y"));
    assertThat(getOne("w2", 60).get(1)).as("inherited priority 5 beats key order").isEqualTo(b("x"));
    assertThat(getOne("w2", 60).get(1)).isEqualTo(b("a"));
  }

  @Test
  default void aMapOutputChainsKeysWithTheirData() throws IOException {
    pendingUnit();
    update("s", b("k"), "status", 4L,
        "data", map("output", map("m1", map("a", 1L), "m2", map("a", 2L))));
    assertThat(listedKeys("t")).containsExactly("m1", "m2");
    assertThat(dataOf("t", b("m2"))).isEqualTo(map("a", 2L));
  }

  @Test
  default void aSecondFinishIsANoOpThatDoesNotChainAgain() throws IOException {
    pendingUnit();
    update("s", b("k"), "status", 4L, "data", map("output", list(b("x"))));
    assertThat(listedKeys("t")).containsExactly("x");
    assertThat(rpc().pair("del_work_units", "t", map("all", true))).containsExactly(1L, null);

    List<Object> again = update("s", b("k"), "status", 4L, "data", map("output", list(b("y"))));
    assertThat(again.get(0)).isIn(true, false);
    assertThat(statusCode("s", b("k"))).isEqualTo(4L);
    assertThat(listedKeys("t")).as("no re-chaining").isEmpty();
    assertThat(dataOf("s", b("k"))).isEqualTo(map("output", list(b("x"))));
  }

  @Test
  default void aLateFinishAfterAFailWinsKeepsItsDataAndChains() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "status", 5L, "data", map("traceback", b("job expired"))))
        .containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(5L);

    assertThat(update("s", b("k"), "status", 4L, "data", map("output", list(b("late")))))
        .containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(4L);
    assertThat(dataOf("s", b("k"))).isEqualTo(map("output", list(b("late"))));
    assertThat(listedKeys("t")).containsExactly("late");
  }

  @Test
  default void aFailAfterAFinishKeepsTheFinishAndItsData() throws IOException {
    pendingUnit();
    update("s", b("k"), "status", 4L, "data", map("output", list(b("x"))));
    List<Object> fail = update("s", b("k"), "status", 5L, "data", map("traceback", b("job expired")));
    assertThat(fail.get(0)).isIn(true, false);
    assertThat(statusCode("s", b("k"))).isEqualTo(4L);
    assertThat(dataOf("s", b("k"))).isEqualTo(map("output", list(b("x"))));
    assertThat(statusOf("s", b("k"))).doesNotContainKey("traceback");
  }

  @Test
  default void failRecordsTheTraceback() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "status", 5L, "data", map("traceback", b("Traceback: x"))))
        .containsExactly(true, null);
    assertThat(statusOf("s", b("k")))
        .containsEntry("status", 5L)
        .containsEntry("traceback", b("Traceback: x"));
    assertThat(listedKeys("t")).isEmpty();
  }

  @Test
  default void finishingOrFailingAnAvailableUnitCompletesIt() throws IOException {
    defineSpec("t");
    defineSpec("s", "then", "t");
    addUnits("s", "fin", "fail");
    assertThat(update("s", b("fin"), "status", 4L, "data", map("output", list(b("o")))))
        .containsExactly(true, null);
    assertThat(update("s", b("fail"), "status", 5L)).containsExactly(true, null);
    assertThat(statusCode("s", b("fin"))).isEqualTo(4L);
    assertThat(statusCode("s", b("fail"))).isEqualTo(5L);
    assertThat(listedKeys("t")).containsExactly("o");
    assertThat(rpc().pair("list_worker_modes").get(0))
        .as("the anonymous worker of such reports is not listed")
        .isEqualTo(map());
  }

  @Test
  default void pendingStatusOnAnAvailableUnitLeasesIt() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    assertThat(update("s", b("k"), "status", 3L, "lease_time", 40L)).containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(3L);
    assertThat(expiration()).isEqualTo(nowSeconds() + 40);
    assertThat(getOne("w", 60)).containsExactly(null, null, null);
  }

  @Test
  default void aLeaseAloneOnAnAvailableUnitIsRefusedInBand() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    List<Object> reply = update("s", b("k"), "lease_time", 60L);
    assertThat(reply.get(0)).isEqualTo(false);
    assertThat(reply.get(1)).isNotNull();
    assertThat(statusCode("s", b("k"))).isEqualTo(1L);
  }

  @Test
  default void completedUnitsRefuseLeasesInBandAndARepeatedFailChangesNothing()
      throws IOException {
    defineSpec("s");
    addUnits("s", "done", "failed");
    getOne("w", 60);
    getOne("w", 60);
    update("s", b("done"), "status", 4L, "data", map("output", list()));
    update("s", b("failed"), "status", 5L, "data", map("traceback", b("first")));
    for (String key : List.of("done", "failed")) {
      for (Object[] request :
          List.of(new Object[] {"status", 3L, "lease_time", 60L}, new Object[] {"lease_time", 60L})) {
        List<Object> reply = update("s", b(key), request);
        assertThat(reply.get(0)).as("%s %s", key, List.of(request)).isEqualTo(false);
        assertThat(reply.get(1)).isNotNull();
      }
    }
    assertThat(update("s", b("failed"), "status", 5L)).containsExactly(true, null);
    assertThat(statusOf("s", b("done"))).containsEntry("status", 4L);
    assertThat(statusOf("s", b("failed")))
        .containsEntry("status", 5L)
        .containsEntry("traceback", b("first"));
  }

  @Test
  default void retryOfAnAvailableUnitCanReplaceItsData() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    assertThat(update("s", b("k"), "lease_time", 0L, "status", 1L, "data", map("fresh", true)))
        .containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(1L);
    assertThat(dataOf("s", b("k"))).isEqualTo(map("fresh", true));
  }

  @Test
  default void anUnknownKeyOrSpecIsInBand() throws IOException {
    defineSpec("s");
    List<Object> noUnit = update("s", b("zz"), "status", 4L);
    assertThat(noUnit.get(0)).isEqualTo(false);
    assertThat(noUnit.get(1).toString()).contains("zz");
    List<Object> noSpec = update("nope", b("k"), "status", 4L);
    assertThat(noSpec.get(0)).isEqualTo(false);
    assertThat(noSpec.get(1).toString()).contains("nope");
  }

  @Test
  default void neitherLeaseNorStatusIsNothingToDo() throws IOException {
    pendingUnit();
    assertThat(update("s", b("k"), "data", map("x", 1L)))
        .containsExactly(false, "nothing to do");
    assertThat(update("s", b("zz"))).containsExactly(false, "nothing to do");
    assertThat(dataOf("s", b("k"))).isEqualTo(map("n", 0L));
  }

  @Test
  default void anInvalidStatusIsAnErrorReply() throws IOException {
    pendingUnit();
    for (long status : new long[] {0, 2, 6}) {
      assertThatThrownBy(() -> update("s", b("k"), "status", status))
          .isInstanceOf(RpcTestClient.ServerError.class)
          .hasMessageContaining("status");
    }
    assertThat(statusCode("s", b("k"))).isEqualTo(3L);
  }

  @Test
  default void aLeaseThatRanOutMakesTheUnitAvailableToOthers() throws IOException {
    pendingUnit();
    assertThat(getOne("other", 60)).containsExactly(null, null, null);
    clock().advance(Duration.ofSeconds(101));
    assertThat(getOne("other", 60).get(1)).isEqualTo(b("k"));
    assertThat(statusOf("s", b("k")).get("worker_id")).isIn("other", b("other"));
  }
}
