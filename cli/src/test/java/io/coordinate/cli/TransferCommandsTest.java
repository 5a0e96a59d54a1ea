package io.coordinate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.data.ByteString;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import io.coordinate.sql.SqlTestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code maintenance}, {@code export} and {@code import} against real daemons. */
class TransferCommandsTest {
  @RegisterExtension final SqlTestStores stores = new SqlTestStores();
  @TempDir Path dir;

  @Test
  void maintenanceModeIsShownSetAndRefusesChanges() throws Exception {
    try (TestDaemon daemon = TestDaemon.start(MemoryCoordinate.create())) {
      daemon.backend().namespace("").setWorkSpec(Map.of("name", "s"));
      Cli cli = Cli.of(daemon, dir);
      assertThat(cli.run("maintenance").out()).isEqualTo("maintenance mode is off\n");
      Cli.Result on = cli.run("maintenance", "on", "--reason", "moving house");
      assertThat(on.exitCode()).isZero();
      assertThat(on.out()).startsWith("maintenance mode is on (moving house) since ");
      assertThat(daemon.backend().maintenance().on()).isTrue();

      Cli.Result refused = cli.stdin("k1\n").run("add-units", "s", "-");
      assertThat(refused.exitCode()).isEqualTo(ExitCodes.MAINTENANCE);
      assertThat(refused.err()).contains("maintenance mode (moving house)");
      assertThat(cli.run("--json", "maintenance").out())
          .contains("\"on\" : true", "\"reason\" : \"moving house\"");
      assertThat(cli.run("maintenance", "sideways").exitCode()).isEqualTo(ExitCodes.USAGE);

      assertThat(cli.run("maintenance", "off").out()).startsWith("maintenance mode is off");
      assertThat(cli.stdin("k1\n").run("add-units", "s", "-").exitCode()).isZero();
    }
  }

  /**
   * 100,000 units (some finished and failed, with bytes in their data, one with a binary key) and
   * their workers move from a daemon on PostgreSQL to a fresh one on H2 through an export file;
   * every unit compares equal.
   */
  @Test
  void aNamespaceMovesFromPostgresToAFreshH2DaemonUnitForUnit() throws Exception {
    Coordinate source = SqlCoordinate.open(stores.postgresSchema());
    Namespace ns = source.namespace("prod");
    WorkSpec fetch = ns.setWorkSpec(Map.of("name", "fetch", "then", "parse", "priority", 5L));
    WorkSpec parse = ns.setWorkSpec(Map.of("name", "parse", "max_running", 10L));
    List<NewWorkUnit> chunk = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      chunk.add(NewWorkUnit.of(WorkUnitKey.of(String.format("url-%06d", i)),
          Map.of("n", (long) i, "blob", ByteString.copyOf(new byte[] {(byte) i, (byte) 0xff})),
          WorkUnitMeta.ofPriority(i % 10)));
      if (chunk.size() == 10_000) {
        fetch.addWorkUnits(chunk);
        chunk.clear();
      }
    }
    parse.addWorkUnit(WorkUnitKey.of(new byte[] {0, (byte) 0x80, (byte) 0xfe}), Map.of(),
        WorkUnitMeta.DEFAULT);
    Worker parent = ns.worker("host-1");
    parent.heartbeat("RUN", Map.of("pid", 42L), Duration.ofHours(1));
    Worker child = ns.worker("host-1-child");
    child.setParent(parent);
    for (int round = 0; round < 10; round++) {
      for (Attempt a : child.requestAttempts(AttemptRequest.of(100).withWorkSpecs("fetch"))) {
        if (a.workUnit().key().toUtf8().hashCode() % 3 == 0) {
          a.fail(Map.of("traceback", "Traceback: " + a.workUnit().key()));
        } else {
          a.finish(Map.of("done", true));
        }
      }
    }
    child.requestAttempts(AttemptRequest.of(5).withWorkSpecs("fetch")); // left pending

    Path file = dir.resolve("prod.jsonl");
    try (TestDaemon from = TestDaemon.start(source)) {
      Cli.Result exported = Cli.of(from, dir).terminal(true).run("-n", "prod", "export",
          file.toString());
      assertThat(exported.exitCode()).as(exported.err()).isZero();
      assertThat(exported.out()).isEqualTo(
          "exported 100001 units, 2 work specs and 2 workers of namespace \"prod\" to "
              + file + "\n");
      assertThat(exported.err()).as("a progress bar").contains("exporting", "units");
      assertThat(Files.exists(dir.resolve("prod.jsonl.partial"))).isFalse();

      Coordinate target = SqlCoordinate.open(SqlConfig.h2Memory("fresh-" + UUID.randomUUID()));
      try (TestDaemon to = TestDaemon.start(target)) {
        Cli cli = Cli.of(to, dir);
        Cli.Result refused = cli.run("import", file.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("maintenance mode on", "--resume-at 2");

        cli.run("maintenance", "on");
        Cli.Result imported = cli.terminal(true).run("import", file.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).isEqualTo(
            "imported 100001 units, 2 work specs and 2 workers into namespace \"prod\"\n");
        assertThat(imported.err()).as("a progress bar").contains("importing", "units");

        assertSameUnits(source.namespace("prod"), target.namespace("prod"));
        Namespace copy = target.namespace("prod");
        assertThat(copy.workSpec("fetch").meta(false)).isEqualTo(fetch.meta(false));
        assertThat(copy.workSpec("parse").definition()).isEqualTo(parse.definition());
        assertThat(copy.findWorker("host-1-child").orElseThrow().parent()).map(Worker::name)
            .contains("host-1");

        // Going on from a line already applied changes nothing.
        Cli.Result again = cli.run("import", file.toString(), "--resume-at", "60000");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertSameUnits(source.namespace("prod"), target.namespace("prod"));
      }
    }
  }

  private static void assertSameUnits(Namespace expected, Namespace actual) {
    for (String spec : expected.workSpecNames()) {
      WorkUnitKey after = null;
      long compared = 0;
      while (true) {
        WorkUnitQuery page = WorkUnitQuery.all().withAfter(after).withLimit(10_000);
        List<WorkUnitSnapshot> want = expected.workSpec(spec).workUnitSnapshots(page);
        List<WorkUnitSnapshot> got = actual.workSpec(spec).workUnitSnapshots(page);
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
          WorkUnitSnapshot w = want.get(i);
          WorkUnitSnapshot g = got.get(i);
          assertThat(g.key()).isEqualTo(w.key());
          assertThat(g.data()).isEqualTo(w.data());
          assertThat(g.meta()).isEqualTo(w.meta());
          assertThat(g.lastAttempt())
              .isEqualTo(w.lastAttempt() == null ? null : w.lastAttempt().restored());
        }
        compared += want.size();
        if (want.size() < 10_000) {
          break;
        }
        after = want.getLast().key();
      }
      assertThat(compared).isEqualTo(expected.workSpec(spec).countWorkUnitStatus().total());
    }
  }
}
