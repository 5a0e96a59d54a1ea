package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Workers spread evenly over several daemons that share one database, each with a connection of its
 * own, working on two chained specs as Python workers would: {@code get_work} on either spec, some
 * milliseconds of work, then {@code update_work_unit} with status FINISHED. The finish of a unit
 * of {@link #SPEC_A} carries an {@code output} that creates one unit of {@link #SPEC_B}, keyed
 * {@code "b-" + key}.
 *
 * <p>On a broken connection a worker connects again: to its own daemon if that answers, else to
 * the next one. A worker away from its own daemon tries to go back to it every second, so that a
 * daemon that was killed and restarted gets its workers back.
 *
 * <p>Every lease and finish the daemons acknowledged is recorded with the client's times (in the
 * form {@link WorkerLoad#leaseViolations} checks, keys written {@code spec/key}), and for spec A
 * the interval in which the worker certainly held its lease, for the max_running check ({@link
 * #peakHeld}). A sampler asks one daemon for spec A's pending count every 20 ms.
 */
final class ClusterLoad implements AutoCloseable {
  static final String SPEC_A = "cluster-a";
  static final String SPEC_B = "cluster-b";

  /**
   * Long enough that no lease runs out before its worker finishes: at the start, with 48 workers
   * at once on spec A's lock and the daemons not yet warm, a get_work has been seen to take 6 s,
   * and the lease's time runs from before that wait. Short enough that units whose lease reply
   * died with a daemon come back while the rest of the run goes on.
   */
  static final Duration LEASE = Duration.ofSeconds(20);

  /** A worker away from its own daemon tries to go back this often. */
  private static final Duration HOME_RETRY = Duration.ofSeconds(1);

  /** How long a worker waits after an empty get_work. */
  private static final Duration IDLE = Duration.ofMillis(50);

  private static final long FINISHED = 4;
  private static final long PENDING = 3;

  /**
   * A unit of A takes 80 to 160 ms of work, one of B 2 to 8 ms: A's leases are held long enough
   * that more workers would hold one at once than A's max_running allows, so the limit bites.
   */
  private static final int WORK_MILLIS_A_MIN = 80;
  private static final int WORK_MILLIS_A_MAX = 160;
  private static final int WORK_MILLIS_B_MIN = 2;
  private static final int WORK_MILLIS_B_MAX = 8;

  /** An interval (nanoTime readings) during which the daemons certainly counted a lease as pending. */
  record Held(long fromNanos, long toNanos) {}

  /**
   * The options of every worker's {@code get_work}, in one place: one unit at a time, of either
   * spec, with a short lease.
   */
  static Map<String, Object> getWorkOptions() {
    Map<String, Object> options = new HashMap<>();
    options.put("lease_time", LEASE.toSeconds());
    options.put("max_jobs", 1);
    options.put("work_spec_names", List.of(SPEC_A, SPEC_B));
    options.put("wait", 2); // long-poll: a worker that finds nothing waits for work to appear
    return options;
  }

  static String keyA(int i) {
    return String.format("a%07d", i);
  }

  /** The key of the unit of spec B that the finish of unit {@code keyA} of spec A creates. */
  static String keyB(String keyA) {
    return "b-" + keyA;
  }

  /** Adds units 0 to {@code units} - 1 to spec A, which must exist. */
  static void addUnits(InetSocketAddress address, int units) throws IOException {
    try (RpcClient c = new RpcClient(address, Duration.ofSeconds(60))) {
      for (int from = 0; from < units; from += 1_000) {
        List<Object> batch = new ArrayList<>();
        for (int i = from; i < Math.min(units, from + 1_000); i++) {
          batch.add(List.of(keyA(i).getBytes(StandardCharsets.UTF_8), Map.of("n", i)));
        }
        c.callPair("add_work_units", SPEC_A, batch);
      }
    }
  }

  private final List<InetSocketAddress> daemons;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ConcurrentLinkedQueue<WorkerLoad.Lease> leases = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<WorkerLoad.Finish> finishes = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Held> heldA = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> errorReplies = new ConcurrentLinkedQueue<>();
  private final AtomicLong brokenConnections = new AtomicLong();
  private final AtomicLong awayConnections = new AtomicLong();
  private final AtomicLong emptyGetWorks = new AtomicLong();
  private final AtomicLong overrunLeases = new AtomicLong();
  private final AtomicLong slowestGetWorkNanos = new AtomicLong();
  private final AtomicLong slowestGetWorkAt = new AtomicLong();
  private final AtomicLongArray leasesByDaemon;
  private final AtomicLongArray lastLeaseNanosByDaemon;
  private final AtomicLong maxPendingSampled = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();

  private ClusterLoad(List<InetSocketAddress> daemons) {
    this.daemons = List.copyOf(daemons);
    this.leasesByDaemon = new AtomicLongArray(daemons.size());
    this.lastLeaseNanosByDaemon = new AtomicLongArray(daemons.size());
  }

  /**
   * Starts {@code workersPerDaemon} workers per daemon, and the pending-count sampler on daemon
   * {@code sampled}.
   */
  static ClusterLoad start(List<InetSocketAddress> daemons, int workersPerDaemon, int sampled) {
    ClusterLoad load = new ClusterLoad(daemons);
    for (int w = 0; w < workersPerDaemon * daemons.size(); w++) {
      int worker = w;
      load.threads.add(Thread.ofPlatform().name("cluster-worker-" + w).start(() -> load.work(worker)));
    }
    load.threads.add(
        Thread.ofPlatform().name("pending-sampler").start(() -> load.sample(daemons.get(sampled))));
    return load;
  }

  private void work(int worker) {
    String workerId = "cluster-worker-" + worker;
    int home = worker % daemons.size();
    RpcClient client = null;
    int at = -1;
    long nextHomeTry = 0;
    Map<String, Object> getWork = getWorkOptions();
    while (!stop.get()) {
      try {
        if (client != null && at != home && System.nanoTime() > nextHomeTry) {
          closeQuietly(client);
          client = null;
        }
        if (client == null) {
          for (int i = 0; i < daemons.size() && client == null; i++) {
            int d = (home + i) % daemons.size();
            try {
              client = new RpcClient(daemons.get(d), Duration.ofSeconds(30));
              at = d;
            } catch (IOException e) {
              // down: try the next one
            }
          }
          if (client == null) {
            throw new IOException("no daemon answers");
          }
          if (at != home) {
            awayConnections.incrementAndGet();
            nextHomeTry = System.nanoTime() + HOME_RETRY.toNanos();
          }
        }
        long sent = System.nanoTime();
        List<?> tuple = (List<?>) client.callPair("get_work", workerId, getWork);
        long acked = System.nanoTime();
        if (acked - sent > slowestGetWorkNanos.get()) {
          slowestGetWorkNanos.accumulateAndGet(acked - sent, Math::max);
          slowestGetWorkAt.set(sent);
        }
        if (tuple.get(0) == null) {
          // Nothing now (A at its limit, B not chained yet): back off as a worker without work
          // does, rather than spend the daemons' time on empty answers.
          emptyGetWorks.incrementAndGet();
          DaemonProcess.sleep(IDLE.toMillis());
          continue;
        }
        String spec = RpcClient.text(tuple.get(0));
        byte[] key = (byte[]) tuple.get(1);
        String text = new String(key, StandardCharsets.UTF_8);
        leases.add(new WorkerLoad.Lease(spec + "/" + text, worker, sent, acked));
        leasesByDaemon.incrementAndGet(at);
        lastLeaseNanosByDaemon.set(at, acked);

        boolean a = spec.equals(SPEC_A);
        DaemonProcess.sleep(
            a
                ? ThreadLocalRandom.current().nextInt(WORK_MILLIS_A_MIN, WORK_MILLIS_A_MAX + 1)
                : ThreadLocalRandom.current().nextInt(WORK_MILLIS_B_MIN, WORK_MILLIS_B_MAX + 1));

        Map<String, Object> finish = new HashMap<>();
        finish.put("status", FINISHED);
        finish.put("worker_id", workerId);
        if (a) {
          finish.put("data", Map.of("output", Map.of(keyB(text), Map.of("from", text))));
        }
        long finishSent = System.nanoTime();
        if (finishSent > sent + LEASE.toNanos() - WorkerLoad.MARGIN_NANOS) {
          overrunLeases.incrementAndGet(); // the lease may have run out: a stalled worker or daemon
        }
        if (a) {
          // Held from the lease's reply until the finish is sent, and certainly no longer than
          // the lease ran from its request (the daemon's clock starts it later, not earlier).
          long end = Math.min(finishSent, sent + LEASE.toNanos() - WorkerLoad.MARGIN_NANOS);
          heldA.add(new Held(acked, end));
        }
        client.callPair("update_work_unit", spec, key, finish);
        finishes.add(new WorkerLoad.Finish(spec + "/" + text, worker, finishSent, System.nanoTime()));
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

  /** Records the highest pending count of spec A that the daemon reported. */
  private void sample(InetSocketAddress address) {
    RpcClient client = null;
    while (!stop.get()) {
      try {
        if (client == null) {
          client = new RpcClient(address, Duration.ofSeconds(30));
        }
        long pending = count(client.callPair("count_work_units", SPEC_A), PENDING);
        maxPendingSampled.accumulateAndGet(pending, Math::max);
        samples.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        closeQuietly(client);
        client = null;
      }
      DaemonProcess.sleep(20);
    }
    closeQuietly(client);
  }

  /** The count for {@code status} in a {@code count_work_units} value (keys arrive as numbers or text). */
  static long count(Object counts, long status) {
    if (counts instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) {
        if (RpcClient.text(e.getKey()).equals(Long.toString(status))) {
          return ((Number) e.getValue()).longValue();
        }
      }
    }
    return 0;
  }

  /**
   * Waits until the daemon at {@code address} reports {@code units} finished units in each spec,
   * at most {@code limit}. A finish whose reply died with a daemon may have committed: it counts.
   */
  static void awaitAllFinished(InetSocketAddress address, int units, Duration limit)
      throws IOException {
    long end = System.nanoTime() + limit.toNanos();
    long a = 0;
    long b = 0;
    while (System.nanoTime() < end) {
      try (RpcClient c = new RpcClient(address, Duration.ofSeconds(30))) {
        a = count(c.callPair("count_work_units", SPEC_A), FINISHED);
        b = count(c.callPair("count_work_units", SPEC_B), FINISHED);
      } catch (IOException e) {
        // not answering yet: try again
      }
      if (a == units && b == units) {
        return;
      }
      DaemonProcess.sleep(500);
    }
    assertThat(new long[] {a, b}).as("finished units of A and B after %s", limit)
        .containsExactly(units, units);
  }

  /**
   * The most intervals open at one instant. An interval ending where another begins does not
   * overlap it.
   */
  static int peakHeld(Collection<Held> intervals) {
    List<long[]> events = new ArrayList<>();
    for (Held h : intervals) {
      if (h.toNanos() > h.fromNanos()) {
        events.add(new long[] {h.fromNanos(), +1});
        events.add(new long[] {h.toNanos(), -1});
      }
    }
    events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    int open = 0;
    int peak = 0;
    for (long[] e : events) {
      open += (int) e[1];
      peak = Math.max(peak, open);
    }
    return peak;
  }

  List<WorkerLoad.Lease> leases() {
    return List.copyOf(leases);
  }

  List<WorkerLoad.Finish> finishes() {
    return List.copyOf(finishes);
  }

  List<Held> heldA() {
    return List.copyOf(heldA);
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

  /** Connections a worker made to a daemon other than its own. */
  long awayConnections() {
    return awayConnections.get();
  }

  /** get_work answers without a unit. */
  long emptyGetWorks() {
    return emptyGetWorks.get();
  }

  /** Finishes sent when the lease they end may already have run out. */
  long overrunLeases() {
    return overrunLeases.get();
  }

  /** The longest a get_work took to be answered, in ms. */
  long slowestGetWorkMillis() {
    return slowestGetWorkNanos.get() / 1_000_000;
  }

  /** When the slowest get_work was sent (nanoTime). */
  long slowestGetWorkAtNanos() {
    return slowestGetWorkAt.get();
  }

  long leasesBy(int daemon) {
    return leasesByDaemon.get(daemon);
  }

  /** When daemon {@code daemon} last acknowledged a lease (nanoTime; 0 if never). */
  long lastLeaseNanosBy(int daemon) {
    return lastLeaseNanosByDaemon.get(daemon);
  }

  long maxPendingSampled() {
    return maxPendingSampled.get();
  }

  long samples() {
    return samples.get();
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

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
  }
}
