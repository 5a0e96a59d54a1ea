package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.conformance.MutableClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the method contracts run against: a server on a real socket over some backend, a
 * Python-style client connected to it, and the clock both share. Helpers here only send requests;
 * each contract asserts the replies it is about.
 */
interface RpcFixture {
  /** A Python-style client connected to the server. */
  RpcTestClient rpc();

  /** A further client (closed with the fixture); text-style if {@code pythonStyle} is false. */
  RpcTestClient newClient(boolean pythonStyle) throws IOException;

  /** The clock of the server and the backend; it stands still until a test moves it. */
  MutableClock clock();

  /** Destroys the served namespace through the Java API, behind the server's back. */
  void destroyNamespaceBehindServer();

  /**
   * Turns the store's maintenance mode on (reason "database upgrade") or off through the Java
   * API; the server sees it at its next request.
   */
  void setMaintenance(boolean on);

  /** What {@code get_config} must answer. */
  Map<String, Object> serverConfig();

  /** The clock's time as Unix seconds. */
  default long nowSeconds() {
    return clock().instant().getEpochSecond();
  }

  /** Defines a spec named {@code name} with module/run_function set, plus extra keys and values. */
  default void defineSpec(String name, Object... extra) throws IOException {
    Map<Object, Object> spec =
        map("name", name, "min_gb", 0L, "module", "coordinate.tests", "run_function", "run");
    Map<Object, Object> more = map(extra);
    spec.putAll(more);
    rpc().ok("set_work_spec", spec);
  }

  /** Adds units with these keys (as byte strings) and data {@code {"n": index}}. */
  default void addUnits(String spec, String... keys) throws IOException {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      items.add(list(b(keys[i]), map("n", (long) i)));
    }
    rpc().ok("add_work_units", spec, items);
  }

  /** {@code get_work} for one unit with a lease of {@code lease} seconds; the reply's value. */
  default List<Object> getOne(String worker, long lease) throws IOException {
    List<Object> reply = rpc().pair("get_work", worker, map("lease_time", lease, "max_jobs", 1L));
    return RpcTestClient.asList(reply.get(0));
  }

  /** {@code update_work_unit}'s reply. */
  default List<Object> update(String spec, Object key, Object... options) throws IOException {
    return rpc().pair("update_work_unit", spec, key, map(options));
  }

  /** The status map of one unit (null if the unit does not exist). */
  @SuppressWarnings("unchecked")
  default Map<Object, Object> statusOf(String spec, Object key) throws IOException {
    List<Object> reply = rpc().pair("get_work_unit_status", spec, list(key));
    assertThat(reply.get(1)).isNull();
    List<Object> slots = RpcTestClient.asList(reply.get(0));
    assertThat(slots).hasSize(1);
    return (Map<Object, Object>) slots.get(0);
  }

  /** The Python status code of one unit. */
  default long statusCode(String spec, Object key) throws IOException {
    Map<Object, Object> status = statusOf(spec, key);
    assertThat(status).as("status of %s", key).isNotNull();
    return (Long) status.get("status");
  }

  /** {@code count_work_units}'s map. */
  @SuppressWarnings("unchecked")
  default Map<Object, Object> counts(String spec) throws IOException {
    List<Object> reply = rpc().pair("count_work_units", spec);
    assertThat(reply.get(1)).isNull();
    return (Map<Object, Object>) reply.get(0);
  }

  /** The data of one unit through {@code get_work_units} by key. */
  default Object dataOf(String spec, Object key) throws IOException {
    List<Object> reply = rpc().pair("get_work_units", spec, map("work_unit_keys", list(key)));
    List<Object> entries = RpcTestClient.asList(reply.get(0));
    assertThat(entries).hasSize(1);
    return RpcTestClient.asList(entries.get(0)).get(1);
  }

  /** The keys {@code get_work_units} lists with these options, as text. */
  default List<String> listedKeys(String spec, Object... options) throws IOException {
    List<Object> reply = rpc().pair("get_work_units", spec, map(options));
    assertThat(reply.get(1)).isNull();
    List<String> keys = new ArrayList<>();
    for (Object entry : RpcTestClient.asList(reply.get(0))) {
      keys.add(((io.coordinate.api.data.ByteString) RpcTestClient.asList(entry).get(0)).toUtf8());
    }
    return keys;
  }
}
