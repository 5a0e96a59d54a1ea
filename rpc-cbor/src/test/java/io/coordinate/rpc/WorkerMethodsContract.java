package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static io.coordinate.rpc.WireValues.tuple;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worker methods: heartbeat, unregister, listings, stats and the worker tree. */
interface WorkerMethodsContract extends RpcFixture {

  /** An environment as a Python worker sends it: tuples, a namedtuple of numbers, an int pid. */
  private static Map<Object, Object> environment(String id) {
    return map(
        "worker_id", b(id),
        "hostname", b("host1"),
        "aliases", tuple(),
        "ipaddrs", tuple(b("10.0.0.1")),
        "fqdn", b("host1.example"),
        "working_set", list(tuple(b("coordinate"), b("0.2"))),
        "memory", tuple(16L, 8L, 50.0),
        "pid", 4242L);
  }

  private List<Object> heartbeat(String id, long lifetime, String parent) throws IOException {
    return rpc().pair("worker_heartbeat", id, "RUN", lifetime, environment(id), parent);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> pairValue(String method, Object... params) throws IOException {
    List<Object> reply = rpc().pair(method, params);
    assertThat(reply.get(1)).as("message of %s", method).isNull();
    return (Map<Object, Object>) reply.get(0);
  }

  @Test
  default void aHeartbeatRegistersTheWorkerInEveryListing() throws IOException {
    assertThat(heartbeat("w1", 6000, null)).containsExactly(true, null);
    assertThat(heartbeat("w2", 6000, null)).containsExactly(true, null);
    Map<Object, Object> modes = pairValue("list_worker_modes");
    assertThat(modes).containsOnlyKeys("w1", "w2");
    assertThat(modes.get("w1")).isIn("RUN", b("RUN"));
    Map<Object, Object> counts = pairValue("mode_counts");
    assertThat(counts).containsOnlyKeys("RUN").containsEntry("RUN", 2L);
    assertThat(pairValue("get_worker_info", "w1")).isEqualTo(environment("w1"));
  }

  @Test
  default void heartbeatLifetimesOutOfRangeAreReplacedWithAMessage() throws IOException {
    List<Object> negative = heartbeat("neg", -1, null);
    assertThat(negative.get(0)).isEqualTo(true);
    assertThat(negative.get(1).toString()).contains("negative");
    List<Object> huge = heartbeat("huge", 200_000, null);
    assertThat(huge.get(0)).isEqualTo(true);
    assertThat(huge.get(1).toString()).contains("huge");

    clock().advance(Duration.ofSeconds(301));
    assertThat(pairValue("list_worker_modes")).as("negative: five minutes").containsOnlyKeys("huge");
    clock().advance(Duration.ofSeconds(3300));
    assertThat(pairValue("list_worker_modes")).as("huge: one hour").isEmpty();
  }

  @Test
  default void aHeartbeatWithoutModeOrEnvironmentIsAccepted() throws IOException {
    assertThat(rpc().pair("worker_heartbeat", "bare", null, 600L, null, null))
        .containsExactly(true, null);
    assertThat(pairValue("list_worker_modes")).containsOnlyKeys("bare");
    assertThat(pairValue("get_worker_info", "bare")).isEmpty();
  }

  @Test
  default void aFractionalLifetimeIsAccepted() throws IOException {
    assertThat(rpc().pair("worker_heartbeat", "w", "RUN", 90.5, map(), null))
        .containsExactly(true, null);
    clock().advance(Duration.ofSeconds(90));
    assertThat(pairValue("list_worker_modes")).containsOnlyKeys("w");
    clock().advance(Duration.ofSeconds(1));
    assertThat(pairValue("list_worker_modes")).isEmpty();
  }

  @Test
  default void unregisteredWorkersLeaveTheListings() throws IOException {
    heartbeat("w1", 6000, null);
    heartbeat("w2", 6000, null);
    rpc().ok("worker_unregister", "w1");
    assertThat(pairValue("list_worker_modes")).containsOnlyKeys("w2");
    assertThat(pairValue("mode_counts")).containsEntry("RUN", 1L);
    assertThat(rpc().pair("get_worker_info", "w1")).containsExactly(null, null);

    List<Object> unknown = rpc().pair("worker_unregister", "nobody");
    assertThat(unknown.get(0)).isEqualTo(false);
    assertThat(unknown.get(1).toString()).contains("nobody");
  }

  @Test
  default void expiredWorkersLeaveTheListings() throws IOException {
    heartbeat("short", 60, null);
    heartbeat("long", 6000, null);
    clock().advance(Duration.ofSeconds(61));
    assertThat(pairValue("list_worker_modes")).containsOnlyKeys("long");
    assertThat(pairValue("mode_counts")).containsEntry("RUN", 1L);
    assertThat(rpc().pair("get_worker_info", "short")).containsExactly(null, null);
    assertThat(rpc().pair("get_worker_info", "never-seen")).containsExactly(null, null);

    heartbeat("short", 60, null);
    assertThat(pairValue("list_worker_modes")).as("a new heartbeat revives it")
        .containsOnlyKeys("long", "short");
  }

  @Test
  default void workerStatsCountsActiveWorkersAndChildren() throws IOException {
    heartbeat("parent", 6000, null);
    heartbeat("child", 6000, "parent");
    heartbeat("lone", 6000, null);
    assertThat(rpc().call("worker_stats"))
        .isEqualTo(map("num_workers", 3L, "num_children", 1L, "num_expirable", 3L));
    rpc().ok("worker_unregister", "child");
    assertThat(rpc().call("worker_stats"))
        .isEqualTo(map("num_workers", 2L, "num_children", 0L, "num_expirable", 2L));
  }

  @Test
  default void aHeartbeatCanSetAndChangeTheParent() throws IOException {
    heartbeat("p1", 6000, null);
    heartbeat("p2", 6000, null);
    heartbeat("c", 6000, null);
    heartbeat("c", 6000, "p1");
    heartbeat("c", 6000, "p2");
    assertThat(rpc().call("worker_stats")).isEqualTo(
        map("num_workers", 3L, "num_children", 1L, "num_expirable", 3L));
    defineSpec("s");
    addUnits("s", "k");
    getOne("c", 100);
    assertThat(pairValue("get_child_work_units", "p2")).containsOnlyKeys("c");
    assertThat(pairValue("get_child_work_units", "p1")).isEmpty();
  }

  @Test
  default void childWorkUnitsCarryAbsoluteExpiryAndTheHolder() throws IOException {
    heartbeat("parent", 6000, null);
    heartbeat("child", 6000, "parent");
    heartbeat("idle", 6000, "parent");
    defineSpec("s");
    rpc().ok("add_work_units", "s", list(list(b("k"), map("d", 1L))));
    getOne("child", 100);
    clock().advance(Duration.ofSeconds(10));

    Map<Object, Object> children = pairValue("get_child_work_units", "parent");
    assertThat(children).containsKey("child");
    List<Object> units = RpcTestClient.asList(children.get("child"));
    assertThat(units).hasSize(1);
    Map<?, ?> unit = (Map<?, ?>) units.get(0);
    assertThat(unit.get("work_spec_name")).isIn("s", b("s"));
    assertThat(unit.get("work_unit_key")).isEqualTo(b("k"));
    assertThat(unit.get("work_unit_data")).isEqualTo(map("d", 1L));
    assertThat(unit.get("worker_id")).isIn("child", b("child"));
    assertThat(((Number) unit.get("expires")).longValue())
        .as("absolute Unix seconds")
        .isEqualTo(nowSeconds() - 10 + 100);
    Object idle = children.get("idle");
    assertThat(idle == null || RpcTestClient.asList(idle).isEmpty()).as("idle child").isTrue();

    update("s", b("k"), "status", 4L);
    Map<Object, Object> after = pairValue("get_child_work_units", "parent");
    assertThat(after.values()).allMatch(v -> v == null || RpcTestClient.asList(v).isEmpty());
    assertThat(pairValue("get_child_work_units", "nobody")).isEmpty();
  }
}
