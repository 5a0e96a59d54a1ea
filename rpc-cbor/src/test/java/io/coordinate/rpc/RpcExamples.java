package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static io.coordinate.rpc.WireValues.tuple;

import java.util.List;

/**
 * One well-formed call of every CBOR-RPC method, naming what {@link FuzzedJobServer} sets up
 * (spec {@code s}, units {@code u1}..{@code u3}, worker {@code w}, lock owner {@code o}). The fuzz
 * tests start from these: the dispatch test mutates their parameters, the wire seeds are these
 * calls encoded. The order is fixed, as a seed names a call by its index; new methods go at the
 * end.
 */
final class RpcExamples {
  private RpcExamples() {}

  record Call(String method, List<Object> params) {}

  static final List<Call> CALLS =
      List.of(
          call("set_work_spec", map("name", "s2", "module", "m", "run_function", "f",
              "min_gb", 0.5, "priority", 1L, "then", "s")),
          call("get_work_spec", "s"),
          call("list_work_specs", map("limit", 10L, "start", "")),
          call("control_work_spec", "s", map("status", 2L, "weight", 3L, "continuous", false,
              "interval", 1.5, "max_running", 2L, "priority", 1L)),
          call("get_work_spec_meta", "s"),
          call("del_work_spec", "s"),
          call("clear"),
          call("add_work_units", "s", list(list(b("u4"), map("n", 4L)),
              list("u5", map(), map("priority", 5L, "delay", 60L)),
              list(b("u6"), map(), null, 2.5))),
          call("count_work_units", "s"),
          call("get_work_units", "s", map("work_unit_keys", list(b("u1"), "u2"))),
          call("get_work_unit_status", "s", list(b("u1"), b("u2"), b("nope"))),
          call("prioritize_work_units", "s", map("work_unit_keys", list(b("u2")), "priority", 10L)),
          call("del_work_units", "s", map("work_unit_keys", list(b("u3")))),
          call("update_work_unit", "s", b("u1"), map("status", 4L, "data", map("done", true))),
          call("archive", map()),
          call("get_work", "w", map("lease_time", 60L, "max_jobs", 2L, "available_gb", 1.0,
              "work_spec_names", list(b("s")))),
          call("worker_heartbeat", "w", "RUN", 600L, map("pid", 1L), null),
          call("worker_unregister", "w"),
          call("list_worker_modes"),
          call("get_worker_info", "w"),
          call("mode_counts"),
          call("worker_stats"),
          call("get_child_work_units", "w"),
          call("get_config"),
          call("now"),
          call("lock", "o2", 10L, list(list("a", "c"))),
          call("locksome", "o2", 10L, list(list("a"), list("d"), tuple("e", 4L))),
          call("renew", "o", 10L, list(list("a", "b"))),
          call("readlock", list(list("a"), list("a", "b"))),
          call("unlock", "o", list(list("a", "b"))),
          call("delete_namespace", "ns"),
          call("get_work_units", "s", map("state", list(1L, 2L), "start", b("u"), "limit", 2L)),
          call("del_work_units", "s", map("state", 4L)),
          call("update_work_unit", "s", b("u2"), map("status", 3L, "lease_time", 30L,
              "worker_id", "w2")),
          call("get_work", "w"));

  private static Call call(String method, Object... params) {
    return new Call(method, list(params));
  }
}
