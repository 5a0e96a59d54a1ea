package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The daemon's retention sweeper: {@code --retention-interval}, its default, off, and metrics. */
class RetentionDaemonTest {
  @TempDir Path dir;

  private static Coordinated.Running start(String... args) throws IOException {
    Coordinated daemon = new Coordinated();
    new CommandLine(daemon).parseArgs(args);
    return daemon.start();
  }

  private static void finishUnits(Namespace ns, String spec, int n) {
    WorkSpec s = ns.workSpec(spec);
    Worker w = ns.worker("w");
    for (int i = 0; i < n; i++) {
      WorkUnit u = s.addWorkUnit(WorkUnitKey.of("u" + i), Map.of(), WorkUnitMeta.DEFAULT);
      w.makeAttempt(u, Duration.ofMinutes(5)).finish(null);
    }
  }

  private static String metrics(Coordinated.Running running) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + running.admin().port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void theSweeperArchivesEachIntervalAndCountsWhatItArchived() throws Exception {
    Coordinated.Running running =
        start(
            "--backend", dir.resolve("data").toString(), "--cborrpc", "127.0.0.1:0",
            "--http", "127.0.0.1:0", "--retention-interval", "1");
    try {
      assertThat(running.retention()).isNotNull();
      Namespace ns = running.coordinate().namespace("");
      ns.setWorkSpec(Map.of("name", "trimmed", "retain_finished_count", 2));
      ns.setWorkSpec(Map.of("name", "kept"));
      finishUnits(ns, "trimmed", 7);
      finishUnits(ns, "kept", 3);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ns.workSpec("trimmed").countWorkUnitStatus().get(WorkUnitStatus.FINISHED) > 2
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ns.workSpec("trimmed").countWorkUnitStatus().get(WorkUnitStatus.FINISHED))
          .isEqualTo(2);
      assertThat(ns.workSpec("kept").countWorkUnitStatus().get(WorkUnitStatus.FINISHED))
          .isEqualTo(3);
      assertThat(metrics(running))
          .contains("coordinate_units_archived_total{namespace=\"\",work_spec=\"trimmed\"} 5.0");
    } finally {
      running.stop();
    }
  }

  @Test
  void theSweeperRunsByDefaultAndZeroTurnsItOff() throws Exception {
    Coordinated.Running defaults =
        start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--http", "off");
    try {
      assertThat(defaults.retention()).isNotNull();
    } finally {
      defaults.stop();
    }
    Coordinated.Running off =
        start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--http", "off",
            "--retention-interval", "0");
    try {
      assertThat(off.retention()).isNull();
    } finally {
      off.stop();
    }
  }

  @Test
  void aNegativeIntervalIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(
            () -> start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--http", "off",
                "--retention-interval", "-5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--retention-interval");
  }
}
