package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Maintenance mode as Python clients see it: get_work hands out nothing with a message, changes to
 * the queue are refused in-band, and reads and workers finishing what they hold go on.
 */
interface MaintenanceContract extends RpcFixture {

  @Test
  default void inMaintenanceGetWorkAnswersNothingWithTheReason() throws IOException {
    defineSpec("s");
    addUnits("s", "u1", "u2");
    setMaintenance(true);
    try {
      List<Object> one = rpc().pair("get_work", "w1", map("lease_time", 60L, "max_jobs", 1L));
      assertThat(RpcTestClient.asList(one.get(0))).containsExactly(null, null, null);
      assertThat(one.get(1).toString()).contains("maintenance mode", "database upgrade");
      List<Object> many = rpc().pair("get_work", "w1", map("lease_time", 60L, "max_jobs", 5L));
      assertThat(RpcTestClient.asList(many.get(0))).isEmpty();
      assertThat(many.get(1).toString()).contains("maintenance mode");
    } finally {
      setMaintenance(false);
    }
    assertThat(getOne("w1", 60)).hasSize(3).doesNotContainNull();
  }

  @Test
  default void inMaintenanceChangesAreRefusedInBandAndChangeNothing() throws IOException {
    defineSpec("s");
    addUnits("s", "u1");
    setMaintenance(true);
    try {
      assertRefused(rpc().pair("add_work_units", "s", list(list(b("u2"), map()))), false);
      assertRefused(rpc().pair("set_work_spec", map("name", "t", "min_gb", 0L)), false);
      assertRefused(rpc().pair("control_work_spec", "s", map("status", 2L)), false);
      assertRefused(rpc().pair("del_work_units", "s", map("all", true)), 0L);
      assertRefused(rpc().pair("del_work_spec", "s"), false);
      assertRefused(
          rpc().pair("prioritize_work_units", "s", map("work_unit_keys", list(b("u1")),
              "priority", 5L)), false);
      assertThatThrownBy(() -> rpc().call("clear"))
          .hasMessageContaining("maintenance mode");
      // Reads go on.
      List<Object> counts = rpc().pair("count_work_units", "s");
      assertThat(counts.get(1)).isNull();
      assertThat(counts.get(0)).isEqualTo(map(1L, 1L));
    } finally {
      setMaintenance(false);
    }
    List<Object> specs = rpc().pair("list_work_specs", map());
    assertThat(RpcTestClient.asList(specs.get(0))).hasSize(1);
    rpc().ok("add_work_units", "s", list(list(b("u2"), map())));
    assertThat(rpc().pair("count_work_units", "s").get(0)).isEqualTo(map(1L, 2L));
  }

  @Test
  default void inMaintenanceWorkersFinishWhatTheyHold() throws IOException {
    defineSpec("s");
    addUnits("s", "u1");
    List<Object> work = getOne("w1", 600);
    setMaintenance(true);
    try {
      assertThat(update("s", work.get(1), "status", 4L, "data", map("out", 1L)))
          .containsExactly(true, null);
      assertThat(statusCode("s", work.get(1))).isEqualTo(4L);
    } finally {
      setMaintenance(false);
    }
  }

  private static void assertRefused(List<Object> reply, Object failure) {
    assertThat(Arrays.asList(reply.get(0))).containsExactly(failure);
    assertThat(reply.get(1)).asString().contains("maintenance mode", "database upgrade");
  }
}
