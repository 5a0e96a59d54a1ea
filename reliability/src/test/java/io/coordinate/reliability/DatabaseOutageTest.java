package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL goes away under load (a proxy between daemon and database cuts every connection and
 * refuses new ones) and comes back: meanwhile the daemon answers every request with a clear error
 * in bounded time; it serves again within 5 s of the database's return; nothing acknowledged is
 * lost.
 */
class DatabaseOutageTest {
  private static final int UNITS = 4_000;
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  /** The daemon's wait for a database connection is 5 s by default; allow for a loaded machine. */
  private static final Duration ERROR_WITHIN = Duration.ofSeconds(8);
  private static final Duration RECOVERY_WITHIN = Duration.ofSeconds(5);

  @RegisterExtension final PostgresSchemas postgres = new PostgresSchemas();

  @Test
  void theDaemonAnswersErrorsDuringAnOutageAndRecoversWithinFiveSeconds() throws Exception {
    String direct = postgres.url();
    URI server = URI.create(SqlConfig.of(direct).jdbcUrl().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort());
        DaemonProcess daemon =
            new DaemonProcess(
                viaPort(direct, proxy.port()), "512m", "--schema", postgres.newSchema())) {
      daemon.start();
      WorkerLoad.addUnits(daemon.rpcAddress(), UNITS);
      WorkerLoad load = WorkerLoad.start(daemon.rpcAddress(), 8);
      List<String> errors = new ArrayList<>();
      long slowestError;
      long recoveryNanos;
      try (load; RpcClient probe = new RpcClient(daemon.rpcAddress(), Duration.ofSeconds(60))) {
        while (load.finishedCount() < UNITS / 4) {
          DaemonProcess.sleep(10);
        }
        proxy.cut();
        long cutAt = System.nanoTime();
        slowestError = 0;
        while (System.nanoTime() - cutAt < OUTAGE.toNanos()) {
          long sent = System.nanoTime();
          try {
            probe.call("count_work_units", WorkerLoad.SPEC);
          } catch (RpcClient.ServerError e) {
            errors.add(e.getMessage());
          }
          slowestError = Math.max(slowestError, System.nanoTime() - sent);
        }
        proxy.restore();
        long restoredAt = System.nanoTime();
        while (true) {
          try {
            probe.call("count_work_units", WorkerLoad.SPEC);
            break;
          } catch (RpcClient.ServerError e) {
            assertThat(Duration.ofNanos(System.nanoTime() - restoredAt))
                .as("still failing after the database returned: %s", e.getMessage())
                .isLessThan(Duration.ofSeconds(30));
            DaemonProcess.sleep(50);
          }
        }
        recoveryNanos = System.nanoTime() - restoredAt;
        load.awaitAllFinished(UNITS, Duration.ofMinutes(2));
      }
      System.out.printf(
          "outage %s: %d error replies to the probe, slowest %d ms, e.g. \"%s\"; served again %d ms"
              + " after the database returned; %d error replies to workers%n",
          OUTAGE, errors.size(), slowestError / 1_000_000, errors.isEmpty() ? "" : errors.get(0),
          recoveryNanos / 1_000_000, load.errorReplies().size());
      assertThat(errors).as("error replies during the outage").isNotEmpty();
      assertThat(errors).allSatisfy(m -> assertThat(m).containsIgnoringCase("database"));
      assertThat(Duration.ofNanos(slowestError)).as("slowest answer during the outage").isLessThan(ERROR_WITHIN);
      assertThat(Duration.ofNanos(recoveryNanos)).as("time to serve again").isLessThan(RECOVERY_WITHIN);
      assertThat(load.errorReplies()).as("workers saw the outage as error replies").isNotEmpty();
      load.assertNothingLost(daemon.rpcAddress(), UNITS);
      assertThat(daemon.isAlive()).isTrue();
    }
  }

  /** {@code url} (postgres://user:password@host:port/db) pointed at {@code port} on loopback. */
  private static String viaPort(String url, int port) {
    return url.replaceFirst("@[^/@]+/", "@127.0.0.1:" + port + "/");
  }
}
