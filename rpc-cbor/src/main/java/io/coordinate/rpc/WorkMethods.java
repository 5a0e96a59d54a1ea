package io.coordinate.rpc;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.MaintenanceException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code get_work}: leasing work units to a worker. */
final class WorkMethods {
  /** Leases outside 1 s .. 1 day fall back to this, as the Python server does. */
  static final Duration DEFAULT_LEASE = UnitMethods.DEFAULT_LEASE;

  /** Python workers run only classic Python specs: those whose runtime is "". */
  private static final List<String> PYTHON_RUNTIMES = List.of("");

  private static final Tuple NOTHING = Tuple.of(null, null, null);

  private final JobServer server;

  WorkMethods(JobServer server) {
    this.server = server;
  }

  void register() {
    server.pair("get_work", 1, 2, null, this::getWork);
  }

  /**
   * {@code get_work(worker_id, {lease_time, max_jobs, available_gb, work_spec_names})}. With
   * max_jobs absent or 1 the value is one {@code (spec, key, data)} tuple, or {@code (None, None,
   * None)} when there is nothing to do; with more, a list of such tuples (empty when there is
   * nothing: the Python client iterates it).
   */
  private Object getWork(Params p) {
    String workerId = p.string(0, "worker id");
    Map<String, Object> options = p.optionalMap(1, "options");
    Object maxJobsOption = options.get("max_jobs");
    int maxJobs = Numbers.optionalInt(maxJobsOption, 1, "max_jobs");
    if (maxJobs < 1) {
      maxJobs = 1;
    }
    double availableGb = options.get("available_gb") == null
        ? 0 : Numbers.requireDouble(options.get("available_gb"), "available_gb");
    List<String> specNames = new ArrayList<>();
    if (options.get("work_spec_names") != null) {
      List<?> names = Params.asList(options.get("work_spec_names"));
      if (names == null) {
        throw new RpcError("get_work: work_spec_names must be a list of names");
      }
      for (Object n : names) {
        String name = Params.asString(n);
        if (name == null) {
          throw new RpcError("get_work: work_spec_names must be a list of names");
        }
        specNames.add(name);
      }
    }
    MaintenanceState maintenance = server.maintenance().current();
    if (maintenance.on()) {
      // Nothing to do, and why: workers poll again later instead of raising on each poll.
      String why = MaintenanceException.refusing("handing out work", maintenance).getMessage();
      return JobServer.soft(maxJobsOption == null || maxJobs == 1 ? NOTHING : List.of(), why);
    }
    AttemptRequest request =
        new AttemptRequest(
            maxJobs,
            lease(options.get("lease_time")),
            availableGb,
            specNames,
            PYTHON_RUNTIMES,
            wait(options.get("wait")));
    long start = System.nanoTime(); // the lease and the data it hands out: what workers wait for
    List<Object> units;
    try {
      List<Attempt> attempts = server.namespace().worker(workerId).requestAttempts(request);
      units = new ArrayList<>(attempts.size());
      for (Attempt a : attempts) {
        units.add(
            Tuple.of(
                ByteString.utf8(a.workUnit().workSpec().name()),
                a.workUnit().key().bytes(),
                a.data()));
      }
    } catch (RuntimeException e) {
      server.metrics().getWorkFailed(System.nanoTime() - start);
      throw e;
    }
    if (!request.waits()) { // a long-poll's time is mostly the wait it asked for
      server.metrics().getWork(units.size(), System.nanoTime() - start);
    }
    if (maxJobsOption == null || maxJobs == 1) {
      return JobServer.ok(units.isEmpty() ? NOTHING : units.get(0));
    }
    return JobServer.ok(units);
  }

  /**
   * How long to wait for work when there is none, in seconds: absent (as from every Python client)
   * is 0, answering at once; at most {@link AttemptRequest#MAX_WAIT}.
   */
  static Duration wait(Object option) {
    if (option == null) {
      return Duration.ZERO;
    }
    double seconds = Numbers.requireDouble(option, "wait");
    if (!(seconds >= 0 && seconds <= AttemptRequest.MAX_WAIT.toSeconds())) {
      throw new RpcError(
          "get_work: wait must be between 0 and " + AttemptRequest.MAX_WAIT.toSeconds()
              + " seconds");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** The requested lease: 300 s when absent or outside 1 s .. 1 day. */
  static Duration lease(Object option) {
    if (option == null) {
      return DEFAULT_LEASE;
    }
    double seconds = Numbers.requireDouble(option, "lease_time");
    if (seconds < 1 || seconds > UnitMethods.MAX_LEASE.toSeconds()) {
      return DEFAULT_LEASE;
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
