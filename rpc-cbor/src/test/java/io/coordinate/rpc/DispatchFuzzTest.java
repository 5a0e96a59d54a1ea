package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.DataValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the method dispatch, {@link JobServer#call}, over the in-memory backend: a few calls in a
 * row, each an example of {@link RpcExamples} with its parameters kept, changed or replaced (see
 * {@link FuzzedValues}), or any method name with any parameters; between calls the store's
 * maintenance mode may be switched. Every call must answer, or be refused with {@link RpcError} or
 * a {@code CoordinateException} (the server's error replies), and its answer must encode for the
 * wire; anything else is a bug ({@link FuzzedJobServer.Unexpected}).
 *
 * <p>Seeds ({@code DispatchFuzzTestInputs/call}): {@code example-n-*} is the one byte {@code n},
 * which makes example {@code n} unchanged; {@code sequence-*} are two calls in a row. (Choices read
 * the input from its end, see {@link FuzzedValues}.) {@code scripts/fuzz dispatch} fuzzes.
 */
class DispatchFuzzTest {
  private static final int MAX_CALLS = 6;

  @FuzzTest(maxDuration = "30s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void call(FuzzedDataProvider data) {
    try (FuzzedJobServer server = new FuzzedJobServer()) {
      for (int i = 0; i < MAX_CALLS; i++) {
        step(server, data);
        if (data.remainingBytes() == 0 || !data.consumeBoolean()) {
          break;
        }
      }
    }
  }

  /** One call, or a switch of maintenance mode. */
  private static void step(FuzzedJobServer server, FuzzedDataProvider data) {
    int pick = data.consumeInt(0, RpcExamples.CALLS.size() + 1);
    if (pick == RpcExamples.CALLS.size() + 1) {
      server.toggleMaintenance();
      return;
    }
    String method;
    List<Object> params;
    if (pick < RpcExamples.CALLS.size()) {
      RpcExamples.Call example = RpcExamples.CALLS.get(pick);
      method = example.method();
      params = params(data, example.params());
    } else {
      method =
          data.consumeBoolean() ? data.pickValue(server.methodNames()) : data.consumeString(32);
      params = params(data, List.of());
    }
    List<?> wire = asDecoded(params);
    if (wire != null) {
      server.call(method, wire);
    }
  }

  /** Parameters after {@code example}: as many or a few more or fewer, each maybe changed. */
  private static List<Object> params(FuzzedDataProvider data, List<Object> example) {
    int n =
        switch (data.consumeInt(0, 3)) {
          case 0, 1 -> example.size();
          case 2 -> Math.max(0, example.size() - 1);
          default -> data.consumeInt(0, 6);
        };
    List<Object> params = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      params.add(i < example.size()
          ? FuzzedValues.mutate(data, example.get(i), 1)
          : FuzzedValues.value(data, 1));
    }
    return params;
  }

  /**
   * The parameters as the server receives them: normalized and immutable, as decoding makes them;
   * null when they could not have been decoded at all (nested too deeply inside a request).
   */
  private static List<?> asDecoded(List<Object> params) {
    try {
      Object request = DataValues.copyValue(Map.of("params", params));
      return (List<?>) ((Map<?, ?>) request).get("params");
    } catch (InvalidRequestException e) {
      return null;
    }
  }

  /** The examples stay complete: every method the server knows has one. */
  @Test
  void everyMethodHasAnExample() {
    try (FuzzedJobServer server = new FuzzedJobServer()) {
      assertThat(RpcExamples.CALLS.stream().map(RpcExamples.Call::method).distinct())
          .containsExactlyInAnyOrderElementsOf(server.methodNames());
    }
  }

  /** Each example succeeds: the fuzzer starts from them, so they should reach the backend. */
  @Test
  void everyExampleSucceeds() {
    for (RpcExamples.Call example : RpcExamples.CALLS) {
      try (FuzzedJobServer server = new FuzzedJobServer()) {
        JobServer.Reply reply = server.call(example.method(), asDecoded(example.params()));
        assertThat(reply).as("%s", example).isNotNull();
        assertThat(reply.outcome()).as("%s", example).isEqualTo(RpcMetrics.OK);
      }
    }
  }
}
