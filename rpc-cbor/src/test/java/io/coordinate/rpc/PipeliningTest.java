package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client may send many requests before reading: each is answered, in order, with its id. */
class PipeliningTest {

  @Test
  void twoHundredPipelinedRequestsAreAnsweredInOrderWithTheirIds() throws IOException {
    try (Coordinate coordinate = MemoryCoordinate.create();
        CborRpcServer server =
            CborRpcServer.start(
                coordinate,
                CborRpcServer.Settings.defaults()
                    .withAddress(new InetSocketAddress("127.0.0.1", 0)));
        RpcTestClient client = new RpcTestClient(server.address())) {
      client.ok("set_work_spec", map("name", "s", "module", "m", "run_function", "f"));
      List<Object> units = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        units.add(list(b(String.format("k%03d", i)), map("i", (long) i)));
      }
      client.ok("add_work_units", "s", units);

      // 100 get_work interleaved with 100 requests of other kinds, all sent before any read.
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ids.add(client.send("get_work", "w", map("lease_time", 60L, "max_jobs", 1L)));
        ids.add(i % 2 == 0 ? client.send("now") : client.send("no_such_method", (long) i));
      }
      assertThat(ids).hasSize(200).doesNotHaveDuplicates();

      for (int i = 0; i < 100; i++) {
        Map<Object, Object> work = client.receive(); // receive() checks the id against the send
        assertThat(work.get("id")).isEqualTo(ids.get(2 * i));
        List<Object> pair = RpcTestClient.asList(RpcTestClient.result(work));
        assertThat(RpcTestClient.asList(pair.get(0)))
            .as("units are handed out in key order")
            .containsExactly(b("s"), b(String.format("k%03d", i)), map("i", (long) i));
        Map<Object, Object> other = client.receive();
        assertThat(other.get("id")).isEqualTo(ids.get(2 * i + 1));
        if (i % 2 == 0) {
          assertThat(other.get("result")).isInstanceOf(Long.class);
        } else {
          assertThat(RpcTestClient.errorMessage(other)).contains("no_such_method");
        }
      }
      assertThat(RpcTestClient.asList(client.call("count_work_units", "s")).get(0))
          .isEqualTo(Map.of(3L, 100L));
    }
  }
}
