package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon killed with SIGKILL five times while workers lease and finish units, on each durable
 * store: after each kill it starts again on the same store with no repair, and at the end every
 * acknowledged finish is there, no unit is lost, and no unit was leased twice at once.
 */
class KillUnderLoadTest {
  private static final int UNITS = 6_000;
  private static final int WORKERS = 8;
  private static final int KILLS = 5;

  @RegisterExtension final PostgresSchemas postgres = new PostgresSchemas();

  @TempDir Path directory;

  @Test
  void h2FileStoreLosesNothingAcknowledgedAcrossKills() throws Exception {
    killRepeatedlyUnderLoad("H2 file", new DaemonProcess(directory.resolve("store").toString(), "512m"));
  }

  @Test
  void postgresLosesNothingAcknowledgedAcrossKills() throws Exception {
    killRepeatedlyUnderLoad(
        "PostgreSQL",
        new DaemonProcess(postgres.url(), "512m", "--schema", postgres.newSchema()));
  }

  private static void killRepeatedlyUnderLoad(String store, DaemonProcess daemon)
      throws Exception {
    long slowestRestart = 0;
    try (daemon) {
      daemon.start();
      WorkerLoad.addUnits(daemon.rpcAddress(), UNITS);
      WorkerLoad load = WorkerLoad.start(daemon.rpcAddress(), WORKERS);
      try (load) {
        for (int kill = 1; kill <= KILLS; kill++) {
          // Kill while work is flowing: after some more finishes, at a random moment.
          int target = load.finishedCount() + UNITS / (2 * KILLS);
          long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (load.finishedCount() < target && System.nanoTime() < end) {
            DaemonProcess.sleep(10);
          }
          assertThat(load.finishedCount()).as("finishes before kill %d", kill).isGreaterThanOrEqualTo(target);
          DaemonProcess.sleep(ThreadLocalRandom.current().nextInt(0, 300));
          daemon.kill9();
          daemon.start();
          slowestRestart = Math.max(slowestRestart, daemon.lastStartMillis());
        }
        // Units whose lease reply died with the daemon come back when their lease ends.
        load.awaitAllFinished(UNITS, Duration.ofMinutes(2));
      }
      load.assertNothingLost(daemon.rpcAddress(), UNITS);
      System.out.printf(
          "%s: %d kills; %d units, %d acknowledged leases, %d acknowledged finishes,"
              + " %d broken connections; slowest restart %d ms%n",
          store, KILLS, UNITS, load.leaseCount(), load.finishedCount(), load.brokenConnections(),
          slowestRestart);
      assertThat(daemon.isAlive()).isTrue();
    }
  }
}
