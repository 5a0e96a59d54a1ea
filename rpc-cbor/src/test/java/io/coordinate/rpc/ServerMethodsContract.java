package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Daemon-level methods and behaviour that does not belong to one area. */
interface ServerMethodsContract extends RpcFixture {

  @Test
  default void getConfigAnswersTheServersConfiguration() throws IOException {
    assertThat(rpc().pair("get_config")).containsExactly(serverConfig(), null);
  }

  @Test
  default void nowIsTheBareUnixTime() throws IOException {
    assertThat(rpc().call("now")).isEqualTo(nowSeconds());
    clock().advance(Duration.ofSeconds(42));
    assertThat(rpc().call("now")).isEqualTo(nowSeconds());
  }

  @Test
  default void aTextStyleClientIsServedAlike() throws IOException {
    RpcTestClient text = newClient(false);
    Map<Object, Object> spec = map("name", "s", "module", "m", "run_function", "f");
    assertThat(RpcTestClient.asList(text.call("set_work_spec", spec))).containsExactly(true, null);
    text.call("add_work_units", "s", list(list("k", map("v", "text"))));
    List<Object> work =
        RpcTestClient.asList(
            RpcTestClient.asList(text.call("get_work", "w", map("lease_time", 60L))).get(0));
    assertThat(work).containsExactly(b("s"), b("k"), map("v", "text"));
    assertThat(RpcTestClient.asList(text.call("update_work_unit", "s", "k", map("status", 4L))))
        .containsExactly(true, null);
    assertThat(statusCode("s", b("k"))).isEqualTo(4L);
  }

  @Test
  default void repliesAlwaysCarryTheRequestId() throws IOException {
    for (String method : List.of("now", "clear", "list_work_specs", "no_such_method")) {
      long id = rpc().send(method);
      assertThat(rpc().receive().get("id")).as("id of %s", method).isEqualTo(id);
    }
  }

  @Test
  default void aNamespaceDestroyedBehindTheServersBackIsServedFresh() throws IOException {
    defineSpec("old");
    destroyNamespaceBehindServer();
    defineSpec("new");
    List<Object> specs = rpc().pair("list_work_specs", map());
    assertThat(RpcTestClient.asList(specs.get(0))).hasSize(1);
    assertThat(rpc().call("get_work_spec", "old")).isNull();
    addUnits("new", "k");
    assertThat(getOne("w", 60).get(1)).isEqualTo(b("k"));
  }
}
