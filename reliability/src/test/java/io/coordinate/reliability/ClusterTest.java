package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.sql.SqlConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three daemons on one PostgreSQL schema, 16 worker connections each, working on spec A ({@code
 * max_running}, {@code then} B) whose every finish chains one unit of spec B (rate-limited).
 * Half-way through, one daemon is killed with SIGKILL and started again on the same database; its
 * workers reconnect. At the end: every unit of both specs exists and is finished, each exactly
 * once, no lease rule was broken, spec A never had more than max_running units pending at once, and
 * spec B's leases kept to its rate limit.
 *
 * <p>The size is {@value #DEFAULT_UNITS} units of A (as many of B) unless {@code
 * -Dcoordinate.cluster.units=N} or {@code COORDINATE_CLUSTER_UNITS=N} says otherwise.
 */
class ClusterTest {
  private static final int DAEMONS = 3;
  private static final int WORKERS_PER_DAEMON = 16;
  private static final int DEFAULT_UNITS = 2_000;

  /**
   * Spec A's limit, well below the 48 workers so that it bites: with A's units taking 80 to 160 ms
   * of work ({@link ClusterLoad}), A is finished at most some 65 units/s.
   */
  private static final int MAX_RUNNING_A = 8;

  /**
   * Spec B's rate limit (units leased per second across the cluster) and burst: under the most
   * that A's finishes can chain, so that B's units queue and the limit bites wherever the cluster
   * keeps A at its max_running; checked against the start times of B's attempts in the database.
   * It bounds the run's length from below: N units take at least N / 60 s.
   */
  private static final double RATE_LIMIT_B = 60;

  private static final int RATE_BURST_B = 10;

  /**
   * Each daemon's connection pool: the 16 workers of a daemon hold a connection only while a call
   * of theirs runs, and three such pools (plus a LISTEN connection each) leave room on a server with
   * PostgreSQL's default max_connections of 100 for the tests running beside this one.
   */
  private static final int POOL_SIZE = 8;

  /** The daemon that is killed; the checks and the sampler use daemon 0. */
  private static final int VICTIM = 1;

  @RegisterExtension final PostgresSchemas postgres = new PostgresSchemas();

  @Test
  void threeDaemonsOnOneDatabaseLoseNothingAndKeepMaxRunningAcrossAKill() throws Exception {
    long testStart = System.nanoTime();
    String url = postgres.url();
    String schema = postgres.newSchema();
    int units = units();
    List<DaemonProcess> daemons = new ArrayList<>();
    for (int d = 0; d < DAEMONS; d++) {
      daemons.add(new DaemonProcess(url, "512m", "--schema", schema, "--pool-size", "" + POOL_SIZE));
    }
    try {
      for (DaemonProcess d : daemons) {
        d.start(); // one at a time: the first creates the tables
      }
      List<InetSocketAddress> addresses = daemons.stream().map(DaemonProcess::rpcAddress).toList();
      InetSocketAddress admin = addresses.get(0);
      defineSpecs(admin);
      ClusterLoad.addUnits(admin, units);

      long begun = System.nanoTime();
      long begunMicros = System.currentTimeMillis() * 1_000;
      long restarted;
      long killed;
      DaemonProcess victim = daemons.get(VICTIM);
      ClusterLoad load = ClusterLoad.start(addresses, WORKERS_PER_DAEMON, 0);
      try (load) {
        // Kill mid-run, while work flows: once half of all units (A and B) are finished.
        Duration limit = Duration.ofSeconds(120 + units / 50);
        long end = System.nanoTime() + limit.toNanos();
        while (load.finishedCount() < units && System.nanoTime() < end) {
          DaemonProcess.sleep(10);
        }
        assertThat(load.finishedCount())
            .as("finishes before the kill (%d broken connections; error replies: %s)",
                load.brokenConnections(), load.errorReplies().stream().limit(5).toList())
            .isGreaterThanOrEqualTo(units);
        DaemonProcess.sleep(ThreadLocalRandom.current().nextInt(0, 300));
        killed = System.nanoTime();
        victim.kill9();
        DaemonProcess.sleep(1_000); // its workers go to the other daemons meanwhile
        victim.start();
        restarted = System.nanoTime();
        // Units whose lease reply died with the daemon come back when their lease ends.
        ClusterLoad.awaitAllFinished(admin, units, limit);
      }
      long loadEnd = System.nanoTime();
      double seconds = (loadEnd - begun) / 1e9;

      // Every unit of both specs exists, is finished, and the keys are exactly those expected.
      Set<String> expectedA = new HashSet<>();
      Set<String> expectedB = new HashSet<>();
      for (int i = 0; i < units; i++) {
        expectedA.add(ClusterLoad.keyA(i));
        expectedB.add(ClusterLoad.keyB(ClusterLoad.keyA(i)));
      }
      assertAllFinished(admin, ClusterLoad.SPEC_A, expectedA);
      assertAllFinished(admin, ClusterLoad.SPEC_B, expectedB);

      // Exactly once, as the database records it: one finished attempt per unit.
      Map<String, Long> attempts = new HashMap<>();
      long[] startsB;
      try (Connection db = connect(url, schema)) {
        List<String> notOnce = finishedAttemptsOtherThanOne(db, attempts);
        List<String> histories = new ArrayList<>();
        for (String unit : notOnce.stream().limit(5).toList()) {
          histories.add(history(db, unit, load, begun, begunMicros));
        }
        assertThat(notOnce).as("units without exactly one finished attempt: %s", histories).isEmpty();
        startsB = attemptStarts(db, ClusterLoad.SPEC_B);
      }

      // Exactly once, as the workers saw it, and the lease rules.
      Map<String, Integer> ackedFinishes = new HashMap<>();
      load.finishes().forEach(f -> ackedFinishes.merge(f.key(), 1, Integer::sum));
      assertThat(ackedFinishes.entrySet().stream().filter(e -> e.getValue() > 1).toList())
          .as("units whose finish was acknowledged twice").isEmpty();
      assertThat(WorkerLoad.leaseViolations(load.leases(), load.finishes(), ClusterLoad.LEASE))
          .as("leases that broke the rules").isEmpty();
      Set<String> unleased = new HashSet<>(ackedFinishes.keySet());
      load.leases().forEach(l -> unleased.remove(l.key())); // (AssertJ's containsAll is quadratic)
      assertThat(unleased).as("units with an acknowledged finish but no lease").isEmpty();

      // max_running: the workers' certain holding intervals never overlap beyond it, nor does
      // the pending count the daemon reported.
      int peak = ClusterLoad.peakHeld(load.heldA());
      assertThat(peak).as("spec A leases held at once (client intervals)").isLessThanOrEqualTo(MAX_RUNNING_A);
      assertThat(load.maxPendingSampled()).as("spec A pending (daemon's count)").isLessThanOrEqualTo(MAX_RUNNING_A);
      // The workload pressed the limit, or the two checks above would prove little.
      assertThat(load.maxPendingSampled()).as("spec A pending at its highest").isEqualTo(MAX_RUNNING_A);

      assertThat(rateViolations(startsB, RATE_LIMIT_B, RATE_BURST_B))
          .as("spec B leases beyond its rate limit").isEmpty();
      String rate = String.format(Locale.ROOT, "%.0f/s burst %d, fullest run %.1f",
          RATE_LIMIT_B, RATE_BURST_B, fullestRun(startsB, RATE_LIMIT_B));

      // The kill was felt, and the restarted daemon served again on the same database.
      assertThat(load.brokenConnections()).as("connections broken by the kill").isPositive();
      assertThat(load.lastLeaseNanosBy(VICTIM)).as("a lease from the restarted daemon").isGreaterThan(restarted);
      for (DaemonProcess d : daemons) {
        assertThat(d.isAlive()).isTrue();
      }

      System.out.printf(
          Locale.ROOT,
          "cluster: %d daemons, %d workers; %,d + %,d units in %.1f s (%,.0f units/s);"
              + " setup %.1f s, checks %.1f s;"
              + " %,d attempts; %,d acknowledged leases (by daemon %s), %,d acknowledged finishes;"
              + " %d broken connections, %d connections away from home; restart %d ms;"
              + " spec A held at once: %d (client), %d (daemon, %,d samples), max_running %d;"
              + " %,d empty get_work answers, slowest get_work %d ms (sent at %.1f s;"
              + " the kill at %.1f s);"
              + " %d finishes sent after the lease may have run out;"
              + " spec B rate limit %s; %d error replies %s%n",
          DAEMONS, DAEMONS * WORKERS_PER_DAEMON, units, units, seconds, 2 * units / seconds,
          (begun - testStart) / 1e9, (System.nanoTime() - loadEnd) / 1e9,
          attempts.values().stream().mapToLong(Long::longValue).sum(), load.leases().size(),
          leasesByDaemon(load), load.finishedCount(), load.brokenConnections(),
          load.awayConnections(), victim.lastStartMillis(), peak, load.maxPendingSampled(),
          load.samples(), MAX_RUNNING_A, load.emptyGetWorks(), load.slowestGetWorkMillis(),
          (load.slowestGetWorkAtNanos() - begun) / 1e9, (killed - begun) / 1e9, load.overrunLeases(),
          rate, load.errorReplies().size(), load.errorReplies().stream().limit(3).toList());
    } finally {
      for (DaemonProcess d : daemons) {
        d.close();
      }
    }
  }

  private static int units() {
    String value = System.getProperty("coordinate.cluster.units");
    if (value == null || value.isBlank()) {
      value = System.getenv("COORDINATE_CLUSTER_UNITS");
    }
    return value == null || value.isBlank() ? DEFAULT_UNITS : Integer.parseInt(value.strip());
  }

  private static void defineSpecs(InetSocketAddress address) throws Exception {
    Map<String, Object> a = new HashMap<>();
    a.put("name", ClusterLoad.SPEC_A);
    a.put("min_gb", 0);
    a.put("max_running", MAX_RUNNING_A);
    a.put("then", ClusterLoad.SPEC_B);
    Map<String, Object> b = new HashMap<>();
    b.put("name", ClusterLoad.SPEC_B);
    b.put("min_gb", 0);
    b.put("rate_limit", RATE_LIMIT_B);
    b.put("rate_burst", RATE_BURST_B);
    try (RpcClient c = new RpcClient(address, Duration.ofSeconds(60))) {
      c.callPair("set_work_spec", a);
      c.callPair("set_work_spec", b);
    }
  }

  private static void assertAllFinished(InetSocketAddress address, String spec, Set<String> keys)
      throws Exception {
    Map<String, Long> statuses = WorkerLoad.statuses(address, spec, true);
    Set<String> missing = new HashSet<>(keys);
    missing.removeAll(statuses.keySet());
    Set<String> extra = new HashSet<>(statuses.keySet());
    extra.removeAll(keys);
    List<String> notFinished =
        statuses.entrySet().stream().filter(e -> e.getValue() != 4).map(Map.Entry::getKey).toList();
    assertThat(missing.size()).as("units of %s missing, e.g. %s", spec, some(missing)).isZero();
    assertThat(extra.size()).as("units of %s not expected, e.g. %s", spec, some(extra)).isZero();
    assertThat(notFinished.size()).as("units of %s not finished, e.g. %s", spec, some(notFinished)).isZero();
  }

  private static List<String> some(Collection<String> items) {
    return items.stream().sorted().limit(10).toList();
  }

  private static Connection connect(String url, String schema) throws SQLException {
    SqlConfig config = SqlConfig.of(url);
    Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path TO \"" + schema + "\"");
    }
    return c;
  }

  /**
   * The units (as {@code spec/key}) whose count of finished attempts in the database is not one;
   * fills {@code attempts} with each unit's count of attempts of any status.
   */
  private static List<String> finishedAttemptsOtherThanOne(
      Connection db, Map<String, Long> attempts) throws SQLException {
    List<String> wrong = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                // attempt.status 3 is finished (the SQL backend's codes).
                "SELECT s.name, u.unit_key, COUNT(a.id),"
                    + " COUNT(CASE WHEN a.status = 3 THEN 1 END)"
                    + " FROM work_unit u JOIN work_spec s ON s.id = u.spec_id"
                    + " LEFT JOIN attempt a ON a.unit_id = u.id GROUP BY s.name, u.unit_key")) {
      while (rs.next()) {
        String unit = rs.getString(1) + "/" + new String(rs.getBytes(2), StandardCharsets.UTF_8);
        attempts.put(unit, rs.getLong(3));
        if (rs.getLong(4) != 1) {
          wrong.add(unit);
        }
      }
    }
    return wrong;
  }

  /**
   * What happened to {@code unit} ({@code spec/key}): its attempts in the database (worker,
   * status, start, end and expiration) and the leases and finishes the workers recorded (request
   * sent and answer received), in ms since the load began.
   */
  private static String history(
      Connection db, String unit, ClusterLoad load, long begunNanos, long begunMicros)
      throws SQLException {
    int slash = unit.indexOf('/');
    StringBuilder out = new StringBuilder("\n" + unit + ": attempts");
    try (var s =
            db.prepareStatement(
                "SELECT w.name, a.status, a.start_us, a.end_us, a.expiration_us FROM attempt a"
                    + " JOIN work_unit u ON u.id = a.unit_id JOIN work_spec s ON s.id = u.spec_id"
                    + " JOIN worker w ON w.id = a.worker_id"
                    + " WHERE s.name = ? AND u.unit_key = ? ORDER BY a.start_us, a.id")) {
      s.setString(1, unit.substring(0, slash));
      s.setBytes(2, unit.substring(slash + 1).getBytes(StandardCharsets.UTF_8));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long end = rs.getLong(4);
          out.append(String.format(Locale.ROOT, " [%s status %d start %d end %s expires %d]",
              rs.getString(1), rs.getInt(2), (rs.getLong(3) - begunMicros) / 1_000,
              rs.wasNull() ? "-" : Long.toString((end - begunMicros) / 1_000),
              (rs.getLong(5) - begunMicros) / 1_000));
        }
      }
    }
    out.append("; leases");
    for (WorkerLoad.Lease l : load.leases()) {
      if (l.key().equals(unit)) {
        out.append(String.format(Locale.ROOT, " [worker %d sent %d acked %d]", l.worker(),
            (l.sentNanos() - begunNanos) / 1_000_000, (l.ackedNanos() - begunNanos) / 1_000_000));
      }
    }
    out.append("; finishes");
    for (WorkerLoad.Finish f : load.finishes()) {
      if (f.key().equals(unit)) {
        out.append(String.format(Locale.ROOT, " [worker %d sent %d acked %d]", f.worker(),
            (f.sentNanos() - begunNanos) / 1_000_000, (f.ackedNanos() - begunNanos) / 1_000_000));
      }
    }
    return out.toString();
  }

  /** The start times (microseconds) of every attempt on units of {@code spec}, in order. */
  private static long[] attemptStarts(Connection db, String spec) throws SQLException {
    List<Long> starts = new ArrayList<>();
    try (var s =
            db.prepareStatement(
                "SELECT a.start_us FROM attempt a JOIN work_unit u ON u.id = a.unit_id"
                    + " JOIN work_spec s ON s.id = u.spec_id WHERE s.name = ? ORDER BY a.start_us")) {
      s.setString(1, spec);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          starts.add(rs.getLong(1));
        }
      }
    }
    return starts.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Where sorted start times break a token bucket of {@code rate} per second and {@code burst}: a
   * run of k starts from t_i to t_j needs k <= burst + rate (t_j - t_i), plus one for rounding.
   * With f(j) = j - rate t_j, that is f(j) - min over i <= j of f(i) + 1 <= burst + 1.
   */
  static List<String> rateViolations(long[] startsMicros, double rate, int burst) {
    List<String> violations = new ArrayList<>();
    double lowest = Double.POSITIVE_INFINITY;
    for (int j = 0; j < startsMicros.length; j++) {
      double f = j - rate * startsMicros[j] / 1e6;
      lowest = Math.min(lowest, f);
      double run = f - lowest + 1;
      if (run > burst + 1 && violations.size() < 10) {
        violations.add(String.format(Locale.ROOT,
            "start %d at %d µs: %.1f starts in a run where at most %d fit", j, startsMicros[j], run, burst + 1));
      }
    }
    return violations;
  }

  /** The largest f(j) - min f(i) + 1 of {@link #rateViolations}: how full the bucket was drawn. */
  static double fullestRun(long[] startsMicros, double rate) {
    double lowest = Double.POSITIVE_INFINITY;
    double fullest = 0;
    for (int j = 0; j < startsMicros.length; j++) {
      double f = j - rate * startsMicros[j] / 1e6;
      lowest = Math.min(lowest, f);
      fullest = Math.max(fullest, f - lowest + 1);
    }
    return fullest;
  }

  private static String leasesByDaemon(ClusterLoad load) {
    List<String> parts = new ArrayList<>();
    for (int d = 0; d < DAEMONS; d++) {
      parts.add(String.format(Locale.ROOT, "%,d", load.leasesBy(d)));
    }
    return String.join(" / ", parts);
  }
}
