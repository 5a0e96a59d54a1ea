package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.bytes;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static io.coordinate.rpc.WireValues.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.io.IOException;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Work unit methods other than update_work_unit: add, count, list, status, prioritize, delete. */
interface UnitMethodsContract extends RpcFixture {

  @Test
  default void addWorkUnitsAcceptsPairsTriplesQuadruplesAndTuples() throws IOException {
    defineSpec("s");
    rpc().ok(
        "add_work_units",
        "s",
        list(
            list(b("pair"), map("x", 1L)),
            tuple(b("tuple"), map("x", 2L)),
            list(b("triple"), map("x", 3L), map("priority", 5L)),
            list(b("quad"), map("x", 4L), map("priority", 1L), 9.5),
            list(new TestCbor.Text("text"), map("x", 5L))));
    assertThat(listedKeys("s")).containsExactly("pair", "quad", "text", "triple", "tuple");
    // Priority decides the order get_work hands units out: the 4th element beats meta.
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("quad"));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("triple"));
    assertThat(dataOf("s", b("tuple"))).isEqualTo(map("x", 2L));
  }

  @Test
  default void reAddingAKeyResetsTheUnitWithTheNewData() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("k"));
    assertThat(update("s", b("k"), "status", 4L)).containsExactly(true, null);
    rpc().ok("add_work_units", "s", list(list(b("k"), map("again", true))));
    assertThat(statusCode("s", b("k"))).isEqualTo(1L);
    assertThat(dataOf("s", b("k"))).isEqualTo(map("again", true));
  }

  @Test
  default void addWorkUnitsToAMissingSpecIsInBand() throws IOException {
    List<Object> reply = rpc().pair("add_work_units", "nope", list(list(b("k"), map())));
    assertThat(reply.get(0)).isEqualTo(false);
    assertThat(reply.get(1).toString()).contains("nope");
  }

  @Test
  default void aMalformedWorkUnitItemIsAnErrorReplyAndAddsNothing() throws IOException {
    defineSpec("s");
    for (Object bad :
        List.of(
            list(b("ok"), map(), b("not-a-map-meta")),
            list(7L, map()),
            list(b("k"), b("not a map")),
            list(b("only-key")),
            b("not a list"))) {
      assertThatThrownBy(
              () -> rpc().call("add_work_units", "s", list(list(b("good"), map()), bad)))
          .as("item %s", bad)
          .isInstanceOf(RpcTestClient.ServerError.class)
          .hasMessageContaining("work unit");
    }
    assertThat(listedKeys("s")).isEmpty();
  }

  @Test
  default void countWorkUnitsAnswersIntegerStatusKeysForStatusesThatOccur() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c", "d", "e");
    assertThat(counts("s")).isEqualTo(map(1L, 5L));
    getOne("w", 60); // a
    getOne("w", 60); // b
    getOne("w", 60); // c
    update("s", b("b"), "status", 4L);
    update("s", b("c"), "status", 5L);
    assertThat(counts("s")).isEqualTo(map(1L, 2L, 3L, 1L, 4L, 1L, 5L, 1L));
    assertThat(counts("s").keySet()).allMatch(k -> k instanceof Long);
  }

  @Test
  default void countWorkUnitsOfAMissingSpecIsInBand() throws IOException {
    List<Object> reply = rpc().pair("count_work_units", "nope");
    assertThat(reply.get(0)).isIn(null, false);
    assertThat(reply.get(1).toString()).contains("nope");
  }

  @Test
  default void getWorkUnitsByKeysAnswersTuplesInRequestOrderWithNoneForMissing()
      throws IOException {
    defineSpec("s");
    ByteString binary = bytes(0xff, 0x00, 'k');
    rpc().ok(
        "add_work_units",
        "s",
        list(list(b("b"), map("v", b("bee"))), list(binary, map()), list(b("a"), map("v", 1L))));
    List<Object> reply =
        rpc().pair("get_work_units", "s", map("work_unit_keys", list(b("b"), b("zz"), binary)));
    assertThat(reply.get(1)).isNull();
    List<Object> entries = RpcTestClient.asList(reply.get(0));
    assertThat(entries)
        .containsExactly(
            tuple(b("b"), map("v", b("bee"))), tuple(b("zz"), null), tuple(binary, map()));
    assertThat(entries).allMatch(e -> e instanceof Tuple, "each entry is a tag-128 tuple");
  }

  @Test
  default void getWorkUnitsListsInKeyOrderWithStateStartAndLimit() throws IOException {
    defineSpec("s");
    addUnits("s", "e", "c", "a", "d", "b");
    rpc().ok("prioritize_work_units", "s", map("work_unit_keys", list(b("d")), "priority", 10L));
    getOne("w", 60); // d, the highest priority
    assertThat(listedKeys("s")).containsExactly("a", "b", "c", "d", "e");
    assertThat(listedKeys("s", "start", b("b"), "limit", 2L)).containsExactly("b", "c");
    assertThat(listedKeys("s", "state", 3L)).containsExactly("d");
    assertThat(listedKeys("s", "state", tuple(1L, 3L))).containsExactly("a", "b", "c", "d", "e");
    assertThat(listedKeys("s", "state", list(1L), "start", b("c"))).containsExactly("c", "e");
    assertThat(listedKeys("s", "state", 2L)).as("BLOCKED matches nothing").isEmpty();
  }

  @Test
  default void getWorkUnitsEntriesAreByteKeyTuplesEvenForTextKeys() throws IOException {
    defineSpec("s");
    RpcTestClient text = newClient(false);
    text.call("add_work_units", "s", list(list("txt", map("a", 1L))));
    List<Object> reply = rpc().pair("get_work_units", "s", map());
    assertThat(RpcTestClient.asList(reply.get(0))).containsExactly(tuple(b("txt"), map("a", 1L)));
  }

  @Test
  default void getWorkUnitsOfAnEmptySpecIsAnEmptyListAndOfAMissingSpecInBand()
      throws IOException {
    defineSpec("s");
    List<Object> empty = rpc().pair("get_work_units", "s", map());
    assertThat(RpcTestClient.asList(empty.get(0))).isEmpty();
    List<Object> missing = rpc().pair("get_work_units", "nope", map());
    assertThat(missing.get(0)).isNull();
    assertThat(missing.get(1).toString()).contains("nope");
  }

  @Test
  default void getWorkUnitStatusDescribesEachStateAndNullForMissing() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "p", "f", "x");
    getOne("w", 60); // a
    getOne("w", 60); // f
    getOne("w", 120); // p
    update("s", b("a"), "status", 4L);
    update("s", b("f"), "status", 5L, "data", map("traceback", b("boom")));

    List<Object> reply =
        rpc().pair("get_work_unit_status", "s", list(b("a"), b("p"), b("f"), b("x"), b("zz")));
    assertThat(reply.get(1)).isNull();
    List<Object> slots = RpcTestClient.asList(reply.get(0));
    assertThat(slots).hasSize(5);
    assertThat(slots.get(0))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("status", 4L)
        .containsKey("worker_id");
    assertThat(slots.get(1)).asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("status", 3L)
        .containsEntry("expiration", nowSeconds() + 120)
        .containsKey("worker_id");
    assertThat(((Map<?, ?>) slots.get(1)).get("worker_id")).isIn("w", b("w"));
    assertThat(slots.get(2)).asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("status", 5L)
        .containsEntry("traceback", b("boom"));
    assertThat(slots.get(3)).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("status", 1L);
    assertThat(slots.get(4)).isNull();
  }

  @Test
  default void getWorkUnitStatusOfAMissingSpecIsInBand() throws IOException {
    List<Object> reply = rpc().pair("get_work_unit_status", "nope", list(b("k")));
    assertThat(reply.get(0)).isNull();
    assertThat(reply.get(1).toString()).contains("nope");
  }

  @Test
  default void prioritizeSetsOrAdjustsPriorities() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c");
    rpc().ok("prioritize_work_units", "s",
        map("work_unit_keys", list(b("c")), "priority", 5L, "adjustment", null));
    rpc().ok("prioritize_work_units", "s",
        map("work_unit_keys", list(b("b"), b("missing")), "priority", null, "adjustment", 7.5));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("b"));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("c"));
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("a"));
  }

  @Test
  default void prioritizeWithoutKeysOrSpecIsInBand() throws IOException {
    defineSpec("s");
    List<Object> noKeys = rpc().pair("prioritize_work_units", "s", map("priority", 1L));
    assertThat(noKeys).containsExactly(false, "missing work_unit_keys");
    List<Object> noSpec =
        rpc().pair("prioritize_work_units", "nope", map("work_unit_keys", list(b("k"))));
    assertThat(noSpec.get(0)).isEqualTo(false);
    assertThat(noSpec.get(1).toString()).contains("nope");
  }

  @Test
  default void delWorkUnitsByAllKeysKeysAndStateOrState() throws IOException {
    defineSpec("s");
    addUnits("s", "a", "b", "c", "d", "e", "f");
    getOne("w", 60); // a
    getOne("w", 60); // b
    update("s", b("a"), "status", 4L);

    assertThat(rpc().pair("del_work_units", "s",
            map("work_unit_keys", list(b("a"), b("c")), "state", 1L)))
        .as("keys and state: only c is both named and available")
        .containsExactly(1L, null);
    assertThat(listedKeys("s")).containsExactly("a", "b", "d", "e", "f");

    assertThat(rpc().pair("del_work_units", "s", map("work_unit_keys", list(b("d"), b("zz")))))
        .containsExactly(1L, null);
    assertThat(rpc().pair("del_work_units", "s", map("state", 4L))).containsExactly(1L, null);
    assertThat(listedKeys("s")).containsExactly("b", "e", "f");

    List<Object> nothing = rpc().pair("del_work_units", "s", map());
    assertThat(nothing.get(0)).isEqualTo(0L);
    assertThat(nothing.get(1)).isNotNull();
    assertThat(listedKeys("s")).hasSize(3);

    assertThat(rpc().pair("del_work_units", "s", map("all", true))).containsExactly(3L, null);
    assertThat(listedKeys("s")).isEmpty();
  }

  @Test
  default void delWorkUnitsOfAMissingSpecIsInBand() throws IOException {
    List<Object> reply = rpc().pair("del_work_units", "nope", map("all", true));
    assertThat(reply.get(0)).isEqualTo(0L);
    assertThat(reply.get(1).toString()).contains("nope");
  }

  @Test
  default void aPendingUnitDeletedUnderItsWorkerIsGoneForTheWorker() throws IOException {
    defineSpec("s");
    addUnits("s", "k");
    getOne("w", 60);
    assertThat(rpc().pair("del_work_units", "s", map("all", true))).containsExactly(1L, null);
    List<Object> late = update("s", b("k"), "status", 4L);
    assertThat(late.get(0)).isEqualTo(false);
    assertThat(late.get(1)).isNotNull();
  }

  @Test
  default void archiveDeletesFinishedAndFailedUnitsBeyondEachSpecsRetention() throws IOException {
    defineSpec("s", "retain_finished_count", 1L, "retain_failed_seconds", 60L);
    defineSpec("keep");
    addUnits("s", "a", "b", "c", "x", "y");
    addUnits("keep", "k");
    for (String key : List.of("a", "b", "x", "y")) {
      assertThat(update("s", b(key), "status", key.startsWith("x") || key.startsWith("y")
          ? 5L : 4L, "lease_time", 60L)).containsExactly(true, null);
      clock().advance(java.time.Duration.ofSeconds(40));
    }
    assertThat(update("keep", b("k"), "status", 4L)).containsExactly(true, null);
    clock().advance(java.time.Duration.ofDays(30));

    rpc().send("archive", new Object[0]);
    Map<Object, Object> response = rpc().receive();
    assertThat(response).containsKey("result");
    assertThat(response.get("result")).isNull();

    // a: finished, but b finished later and only one is kept; x and y failed over a minute ago.
    assertThat(statusOf("s", b("a"))).isNull();
    assertThat(statusCode("s", b("b"))).isEqualTo(4L);
    assertThat(statusCode("s", b("c"))).isEqualTo(1L);
    assertThat(statusOf("s", b("x"))).isNull();
    assertThat(statusOf("s", b("y"))).isNull();
    assertThat(statusCode("keep", b("k"))).as("no policy, nothing archived").isEqualTo(4L);
  }

  @Test
  default void archiveAlwaysCarriesANullResult() throws IOException {
    defineSpec("s");
    for (Object[] params : List.of(new Object[0], new Object[] {map("work_spec_names", list("s"))})) {
      rpc().send("archive", params);
      Map<Object, Object> response = rpc().receive();
      assertThat(response).containsKey("result");
      assertThat(response.get("result")).isNull();
    }
  }
}
