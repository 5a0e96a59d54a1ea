package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Coordinate;
import io.coordinate.api.data.DataValues;
import io.coordinate.memory.MemoryCoordinate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the fuzz tests found the server answering with "internal server error" (their inputs
 * are kept among the fuzz tests' seeds). Each is a client's mistake and gets an error reply that
 * says what is wrong.
 */
class FuzzFindingsTest {
  private Coordinate coordinate;
  private JobServer server;

  @BeforeEach
  void start() {
    coordinate = MemoryCoordinate.create();
    server = new JobServer(coordinate, CborRpcServer.Settings.defaults(), () -> 0);
    call("set_work_spec", map("name", "s", "module", "m", "run_function", "f"));
  }

  @AfterEach
  void stop() {
    coordinate.close();
  }

  private JobServer.Reply call(String method, Object... params) {
    return server.call(method, (List<?>) DataValues.copyValue(list(params)));
  }

  @Test
  void aNullKeyPathIsAnErrorReply() {
    assertThatThrownBy(() -> call("renew", "o", 10L, list((Object) null)))
        .isInstanceOf(RpcError.class)
        .hasMessage("each key path must be a list of labels, got null");
  }

  @Test
  void aNullWorkUnitKeyIsAnErrorReply() {
    assertThatThrownBy(() -> call("get_work_units", "s", map("work_unit_keys", list(b("u"), null))))
        .isInstanceOf(RpcError.class)
        .hasMessage("work unit keys must be byte or text strings, got null");
  }
}
