package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.data.DataValues;
import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JobServer} over a fresh in-memory backend holding a little of everything, for the fuzz
 * tests: work specs {@code s} and {@code t} (which chains into {@code s}), units {@code u1} to
 * {@code u3} in {@code s} ({@code u1} leased to worker {@code w}), worker {@code c} a child of
 * {@code w}, and a lock held by {@code o} on {@code [a, b]}. Time stands still and maintenance mode
 * is read afresh on every call, so a run depends only on its input.
 *
 * <p>{@link #call} and {@link #handle} answer as the server does, and throw {@link Unexpected}
 * where the server would answer "internal server error" or drop the reply: an exception other
 * than {@link RpcError} or {@link CoordinateException}, or a reply the wire cannot carry.
 */
final class FuzzedJobServer implements AutoCloseable {
  private static final CBORMapper REPLIES = new CBORMapper();

  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-31T12:00:00Z"), ZoneOffset.UTC);

  /** What {@code get_config} answers: the shape of a daemon's configuration. */
  private static final Map<String, Object> CONFIG =
      DataValues.copyOf(Map.of("coordinate", Map.of("port", 5932L, "namespace", "")));

  /** The server did something it must never do; the message says what, the cause why. */
  static final class Unexpected extends AssertionError {
    private static final long serialVersionUID = 1L;

    Unexpected(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Coordinate coordinate;
  private final JobServer server;
  private final RequestHandler handler;

  FuzzedJobServer() {
    coordinate = MemoryCoordinate.create(CLOCK);
    server =
        new JobServer(
            coordinate,
            CborRpcServer.Settings.defaults()
                .withClock(CLOCK)
                .withGlobalConfig(CONFIG)
                // Read maintenance mode on every call, so that a switch shows at once.
                .withMaintenanceRefresh(Duration.ZERO),
            () -> 0);
    handler = new RequestHandler(server);
    setUp("set_work_spec", map("name", "s", "module", "m", "run_function", "f", "min_gb", 1L));
    setUp("set_work_spec", map("name", "t", "module", "m", "run_function", "f", "then", "s"));
    setUp("add_work_units", "s",
        list(list(b("u1"), map("n", 1L)), list(b("u2"), map("n", 2L)), list(b("u3"), map())));
    setUp("worker_heartbeat", "w", "RUN", 600L, map("pid", 1L), null);
    setUp("worker_heartbeat", "c", "IDLE", 600L, map(), "w");
    setUp("get_work", "w", map("lease_time", 300L));
    setUp("lock", "o", 60L, list(list("a", "b")));
  }

  private void setUp(String method, Object... params) {
    server.call(method, (List<?>) DataValues.copyValue(list(params)));
  }

  /** Turns the store's maintenance mode on, or off again. */
  void toggleMaintenance() {
    coordinate.setMaintenance(!coordinate.maintenance().on(), "fuzzing");
  }

  /** The method names the server knows. */
  List<String> methodNames() {
    return server.methodNames();
  }

  /**
   * Calls {@code method}: its reply, or null when the call was refused with an error reply (an
   * {@link RpcError} or a {@link CoordinateException}, as the server sends them).
   *
   * @throws Unexpected for any other exception, or a result the wire cannot carry
   */
  JobServer.Reply call(String method, List<?> params) {
    JobServer.Reply reply;
    try {
      reply = server.call(method, params);
    } catch (RpcError | CoordinateException e) {
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      throw new Unexpected(method + " failed with " + e, e);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("id", 1L);
    response.put("result", reply.result());
    encode(method, response);
    return reply;
  }

  /**
   * What the server sends back for one frame's content, through the same {@link RequestHandler}
   * its connections use.
   *
   * @throws Unexpected where the server answered "internal server error"
   */
  byte[] handle(byte[] frame) {
    byte[] reply = handler.reply(frame);
    Map<?, ?> decoded;
    try {
      decoded = REPLIES.readValue(reply, Map.class);
    } catch (IOException e) {
      throw new Unexpected("the reply cannot be read back: " + e, e);
    }
    if (decoded.get("error") instanceof Map<?, ?> error
        && String.valueOf(error.get("message")).startsWith("internal server error")) {
      throw new Unexpected("the server answered " + error.get("message") + " (its log says why)", null);
    }
    return reply;
  }

  private static void encode(String what, Map<String, Object> response) {
    try {
      WireEncoder.encode(response);
    } catch (RuntimeException e) {
      throw new Unexpected("the reply to " + what + " cannot be encoded: " + e, e);
    }
  }

  @Override
  public void close() {
    coordinate.close();
  }
}
