package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workers, each with a connection of its own, that lease and finish the units of one spec as fast
 * as they can, like Python workers would, riding out a daemon that dies or a database that goes
 * away: on a broken connection they connect again until the daemon is back.
 *
 * <p>Every lease and every finish the daemon acknowledged is recorded with the client's times, so
 * that {@link #assertNothingLost} can check afterwards what the daemon promised: an acknowledged
 * finish stays finished, every unit still exists, and no unit was handed out while a lease on it
 * was still valid.
 */
final class WorkerLoad implements AutoCloseable {
  /** The spec the load works on. */
  static final String SPEC = "reliability";

  /** Short leases, so that a lease whose reply was lost in a crash comes back soon. */
  static final Duration LEASE = Duration.ofSeconds(3);

  /** Clock skew and rounding between the test's and the daemon's idea of a lease's end. */
  static final long MARGIN_NANOS = Duration.ofMillis(200).toNanos();

  private static final long FINISHED = 4;

  /** A lease the daemon acknowledged: sent and answered at these nanoTime readings. */
  record Lease(String key, int worker, long sentNanos, long ackedNanos) {}

  /** A finish the daemon acknowledged. */
  record Finish(String key, int worker, long sentNanos, long ackedNanos) {}

  private final InetSocketAddress address;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Lease> leases = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Finish> finishes = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> errorReplies = new ConcurrentLinkedQueue<>();
  private final AtomicLong brokenConnections = new AtomicLong();
  private final AtomicLong lastSuccessNanos = new AtomicLong(System.nanoTime());

  private WorkerLoad(InetSocketAddress address) {
    this.address = address;
  }

  /** Creates the spec with {@code units} units through {@code daemon}. */
  static void addUnits(InetSocketAddress address, int units) throws IOException {
    try (RpcClient c = new RpcClient(address, Duration.ofSeconds(60))) {
      c.callPair("set_work_spec", Map.of("name", SPEC, "min_gb", 0));
      for (int from = 0; from < units; from += 1_000) {
        List<Object> batch = new ArrayList<>();
        for (int i = from; i < Math.min(units, from + 1_000); i++) {
          batch.add(List.of(key(i).getBytes(StandardCharsets.UTF_8), Map.of("n", i)));
        }
        c.callPair("add_work_units", SPEC, batch);
      }
    }
  }

  static String key(int i) {
    return String.format("u%07d", i);
  }

  /** Starts {@code workers} workers. */
  static WorkerLoad start(InetSocketAddress address, int workers) {
    WorkerLoad load = new WorkerLoad(address);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      load.threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> load.work(worker)));
    }
    return load;
  }

  private void work(int worker) {
    String workerId = "worker-" + worker;
    RpcClient client = null;
    while (!stop.get()) {
      try {
        if (client == null) {
          client = new RpcClient(address, Duration.ofSeconds(30));
        }
        long sent = System.nanoTime();
        Object work = client.callPair(
                "get_work",
                workerId,
                Map.of("lease_time", LEASE.toSeconds(), "work_spec_names", List.of(SPEC)));
        long acked = System.nanoTime();
        lastSuccessNanos.set(acked);
        List<?> tuple = (List<?>) work;
        if (tuple.get(0) == null) {
          DaemonProcess.sleep(20); // nothing to do now: leases lost in a crash come back later
          continue;
        }
        String key = RpcClient.text(tuple.get(1));
        leases.add(new Lease(key, worker, sent, acked));
        long finishSent = System.nanoTime();
        client.callPair(
            "update_work_unit",
            SPEC,
            key.getBytes(StandardCharsets.UTF_8),
            Map.of("status", FINISHED, "worker_id", workerId));
        finishes.add(new Finish(key, worker, finishSent, System.nanoTime()));
        lastSuccessNanos.set(System.nanoTime());
      } catch (RpcClient.ServerError e) {
        errorReplies.add(e.getMessage());
        DaemonProcess.sleep(50);
      } catch (IOException | RuntimeException e) {
        brokenConnections.incrementAndGet();
        closeQuietly(client);
        client = null;
        DaemonProcess.sleep(50);
      }
    }
    closeQuietly(client);
  }

  private static void closeQuietly(RpcClient client) {
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        // gone already
      }
    }
  }

  int leaseCount() {
    return leases.size();
  }

  int finishedCount() {
    return finishes.size();
  }

  List<String> errorReplies() {
    return List.copyOf(errorReplies);
  }

  long brokenConnections() {
    return brokenConnections.get();
  }

  /** When a worker last got an answer that was not an error. */
  long lastSuccessNanos() {
    return lastSuccessNanos.get();
  }

  /**
   * Waits until the daemon reports all {@code units} units finished, at most {@code limit}. (A
   * finish whose reply died with the daemon may have committed: it counts, acknowledged or not.)
   */
  void awaitAllFinished(int units, Duration limit) throws IOException {
    long end = System.nanoTime() + limit.toNanos();
    long finished = 0;
    while (System.nanoTime() < end) {
      try {
        finished = statuses(address, false).values().stream().filter(s -> s == FINISHED).count();
      } catch (RpcClient.ServerError e) {
        finished = 0; // the store is not back yet
      }
      if (finished == units) {
        return;
      }
      DaemonProcess.sleep(500);
    }
    assertThat(finished).as("units finished after %s", limit).isEqualTo(units);
  }

  /**
   * Checks, against the daemon's current view, that nothing acknowledged was lost: all {@code
   * units} units exist and are finished (every one was finished by some worker), each unit with an
   * acknowledged finish is among them, and no unit was leased again while an earlier lease on it
   * was certainly still valid or after its finish was acknowledged.
   */
  void assertNothingLost(InetSocketAddress address, int units) throws IOException {
    Map<String, Long> statuses = statuses(address, true);
    assertThat(statuses).as("units the daemon holds").hasSize(units);
    List<String> notFinished =
        statuses.entrySet().stream().filter(e -> e.getValue() != FINISHED).map(Map.Entry::getKey).toList();
    assertThat(notFinished).as("units not finished").isEmpty();

    List<String> violations = leaseViolations(leases, finishes, LEASE);
    assertThat(violations).as("leases that broke the rules").isEmpty();
    Set<String> unleased = new HashSet<>();
    finishes.forEach(f -> unleased.add(f.key()));
    leases.forEach(l -> unleased.remove(l.key()));
    assertThat(unleased).as("units with an acknowledged finish but no lease").isEmpty();
  }

  /**
   * What breaks the lease rules in an acknowledged history (keys must tell the units apart): a unit
   * leased while an earlier lease on it ({@code lease} long) was certainly still valid, or leased
   * again after its finish was acknowledged. Empty when the history keeps the rules.
   */
  static List<String> leaseViolations(
      Collection<Lease> leases, Collection<Finish> finishes, Duration lease) {
    Map<String, List<Lease>> byKey = new HashMap<>();
    for (Lease l : leases) {
      byKey.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l);
    }
    Map<String, Finish> firstFinish = new HashMap<>();
    for (Finish f : finishes) {
      firstFinish.merge(f.key(), f, (a, b) -> a.ackedNanos() <= b.ackedNanos() ? a : b);
    }
    List<String> violations = new ArrayList<>();
    long leaseNanos = lease.toNanos();
    for (var entry : byKey.entrySet()) {
      List<Lease> list = entry.getValue();
      list.sort((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()));
      for (int i = 1; i < list.size(); i++) {
        Lease earlier = list.get(i - 1);
        Lease later = list.get(i);
        // The earlier lease ran until at least its request plus the lease; the later one was
        // granted before its reply: if that is before, two workers held the unit at once.
        if (later.ackedNanos() < earlier.sentNanos() + leaseNanos - MARGIN_NANOS) {
          violations.add(entry.getKey() + ": leased to worker " + later.worker()
              + " while worker " + earlier.worker() + "'s lease was valid");
        }
      }
      Finish finish = firstFinish.get(entry.getKey());
      if (finish != null) {
        for (Lease l : list) {
          if (l.sentNanos() > finish.ackedNanos()) {
            violations.add(entry.getKey() + ": leased again to worker " + l.worker()
                + " after its finish was acknowledged");
          }
        }
      }
    }
    return violations;
  }

  /**
   * Every unit's status code (1 available, 3 pending, 4 finished, 5 failed) as the daemon says.
   * {@code quiescent}: nothing changes meanwhile, so a unit listed under two statuses is an error
   * (otherwise the later listing wins).
   */
  static Map<String, Long> statuses(InetSocketAddress address, boolean quiescent)
      throws IOException {
    return statuses(address, SPEC, quiescent);
  }

  /** Every unit's status code in spec {@code spec}, as {@link #statuses(InetSocketAddress, boolean)}. */
  static Map<String, Long> statuses(InetSocketAddress address, String spec, boolean quiescent)
      throws IOException {
    Map<String, Long> statuses = new HashMap<>();
    try (RpcClient c = new RpcClient(address, Duration.ofSeconds(60))) {
      for (long status : new long[] {1, 3, 4, 5}) {
        Object start = null;
        while (true) {
          Map<String, Object> options = new HashMap<>();
          options.put("state", status);
          options.put("limit", 10_000);
          if (start != null) {
            options.put("start", start);
          }
          List<?> page = (List<?>) c.callPair("get_work_units", spec, options);
          int fresh = 0;
          for (Object item : page) {
            Object key = ((List<?>) item).get(0);
            Long before = statuses.put(RpcClient.text(key), status);
            if (before == null) {
              fresh++;
            } else if (before != status && quiescent) {
              throw new AssertionError("unit " + RpcClient.text(key) + " has two statuses");
            }
            start = key; // "start" is inclusive: the next page begins with this key again
          }
          if (fresh == 0 || page.size() < 10_000) {
            break;
          }
        }
      }
    }
    return statuses;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }
}
