package io.coordinate.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.Worker;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.sql.SqlCoordinate;
import io.coordinate.sql.SqlConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace written to an export file and read back into another store holds the same specs,
 * workers and units; an import cut off half-way resumes from its position; bad files are refused
 * with the line that is wrong.
 */
class ExportImportTest {
  private final MutableClock clock = new MutableClock();
  private final List<Coordinate> opened = new ArrayList<>();
  private Coordinate source;

  @BeforeEach
  void fillSource() {
    source = open(MemoryCoordinate.create(clock));
    Namespace ns = source.namespace("prod");
    WorkSpec first =
        ns.setWorkSpec(Map.of("name", "first", "then", "second", "priority", 3L, "nice", 2L));
    ns.setWorkSpec(Map.of("name", "second", "max_running", 2L, "rate_limit", 3L,
        "retain_failed_count", 9L));
    // A rate limit and retention of its own, not the definition's: the export must carry them.
    first.setMeta(first.meta(false).withPaused(true).withMaxRetries(4)
        .withRateLimit(new RateLimit(12.5, 40))
        .withRetention(new Retention(Duration.ofDays(2), 500, Duration.ofMinutes(90), 0)));
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      units.add(NewWorkUnit.of(WorkUnitKey.of(String.format("u%05d", i)),
          Map.of("i", (long) i, "raw", ByteString.copyOf(new byte[] {(byte) i, 0}),
              "pair", Tuple.of("a", (long) i), "id", new UUID(i, i)),
          new WorkUnitMeta(i % 7, i % 100 == 0 ? clock.instant().plusSeconds(3600) : null)));
    }
    units.add(NewWorkUnit.of(WorkUnitKey.of(new byte[] {(byte) 0xff, 0, 1}), Map.of()));
    first.addWorkUnits(units);
    WorkSpec second = ns.workSpec("second");
    second.addWorkUnits(List.of(NewWorkUnit.of("s1", Map.of()), NewWorkUnit.of("s2", Map.of())));
    Worker parent = ns.worker("parent");
    parent.heartbeat("RUN", Map.of("host", "h1"), Duration.ofMinutes(10));
    Worker child = ns.worker("child");
    child.setParent(parent);
    Worker gone = ns.worker("gone");
    gone.deactivate();
    first.setMeta(first.meta(false).withPaused(false));
    for (int i = 0; i < 30; i++) {
      Attempt a = child.requestAttempts(AttemptRequest.one().withWorkSpecs("first")).get(0);
      if (i % 3 == 0) {
        a.finish(Map.of("out", (long) i));
      } else if (i % 3 == 1) {
        a.fail(Map.of("traceback", "Traceback " + i));
      } // else: left pending
    }
    first.setMeta(first.meta(false).withPaused(true));
  }

  @AfterEach
  void closeAll() {
    opened.forEach(Coordinate::close);
  }

  private Coordinate open(Coordinate c) {
    opened.add(c);
    return c;
  }

  private byte[] export(Coordinate from) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicLong total = new AtomicLong(-1);
    AtomicLong written = new AtomicLong();
    Exporter.Summary s =
        new Exporter(clock)
            .export(from.namespace("prod"), out, new Exporter.Progress() {
              @Override
              public void started(long units) {
                total.set(units);
              }

              @Override
              public void written(long units) {
                written.set(units);
              }
            });
    assertThat(s).isEqualTo(new Exporter.Summary(2, 3, 2_503));
    assertThat(total.get()).isEqualTo(2_503);
    assertThat(written.get()).isEqualTo(2_503);
    return out.toByteArray();
  }

  /** Imports the whole file in batches of {@code batchUnits}; returns the batches sent. */
  private int importAll(byte[] file, Namespace into, long from, int batchUnits) {
    Importer importer = new Importer(clock);
    int batches = 0;
    try (ExportReader reader = new ExportReader(new ByteArrayInputStream(file))) {
      reader.skipTo(from);
      for (ExportReader.Batch b = reader.next(batchUnits); !b.lines().isEmpty();
          b = reader.next(batchUnits)) {
        importer.apply(into, reader.records(b), b.firstLine());
        batches++;
      }
    }
    return batches;
  }

  private static void assertSameNamespace(Namespace expected, Namespace actual) {
    assertThat(actual.workSpecNames()).isEqualTo(expected.workSpecNames());
    for (String name : expected.workSpecNames()) {
      WorkSpec e = expected.workSpec(name);
      WorkSpec a = actual.workSpec(name);
      assertThat(a.definition().map()).isEqualTo(e.definition().map());
      WorkSpecMeta em = e.meta(false);
      assertThat(a.meta(false)).as(name).isEqualTo(em);
      List<WorkUnitSnapshot> want = e.workUnitSnapshots(WorkUnitQuery.all());
      List<WorkUnitSnapshot> got = a.workUnitSnapshots(WorkUnitQuery.all());
      assertThat(got).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        WorkUnitSnapshot w = want.get(i);
        WorkUnitSnapshot g = got.get(i);
        assertThat(g.key()).isEqualTo(w.key());
        assertThat(g.data()).as("%s data", w.key()).isEqualTo(w.data());
        assertThat(g.meta()).as("%s meta", w.key()).isEqualTo(w.meta());
        assertThat(g.lastAttempt()).as("%s last attempt", w.key())
            .isEqualTo(w.lastAttempt() == null ? null : w.lastAttempt().restored());
      }
    }
    assertThat(actual.workers()).extracting(Worker::name)
        .containsExactlyElementsOf(expected.workers().stream().map(Worker::name).toList());
    Worker child = actual.findWorker("child").orElseThrow();
    assertThat(child.parent()).map(Worker::name).contains("parent");
    assertThat(actual.findWorker("parent").orElseThrow().data()).isEqualTo(Map.of("host", "h1"));
    assertThat(actual.findWorker("gone").orElseThrow().isActive()).isFalse();
  }

  @Test
  void aNamespaceExportedAndImportedIntoAnotherStoreIsTheSame() {
    byte[] file = export(source);
    Coordinate target = open(MemoryCoordinate.create(clock));
    int batches = importAll(file, target.namespace("prod"), 2, 1_000);
    // first: 2,501 units in 3 batches, the first also carrying the specs and workers before
    // them; second: 2 units in 1 (a batch never mixes specs); then the end record.
    assertThat(batches).isEqualTo(3 + 1 + 1);
    assertSameNamespace(source.namespace("prod"), target.namespace("prod"));
  }

  @Test
  void intoH2TooAndTheSameFileExportsAgainIdentically() {
    byte[] file = export(source);
    Coordinate h2 = open(SqlCoordinate.open(
        SqlConfig.h2Memory("transfer-" + UUID.randomUUID()).withClock(clock)));
    importAll(file, h2.namespace("prod"), 2, 700);
    assertSameNamespace(source.namespace("prod"), h2.namespace("prod"));
    // The pending attempts were restored expired, so a second export differs only there.
    String again = new String(export(h2), StandardCharsets.UTF_8);
    assertThat(again).doesNotContain("\"status\":\"pending\"");
  }

  @Test
  void anImportCutOffResumesFromTheFirstBatchNotAcknowledged() {
    byte[] file = export(source);
    Coordinate target = open(MemoryCoordinate.create(clock));
    Namespace ns = target.namespace("prod");
    Importer importer = new Importer(clock);
    long resumeAt;
    try (ExportReader reader = new ExportReader(new ByteArrayInputStream(file))) {
      importer.apply(ns, reader.records(reader.next(500)), 2); // specs, workers, 500 units
      ExportReader.Batch b1 = reader.next(500);
      importer.apply(ns, reader.records(b1), b1.firstLine());
      ExportReader.Batch b2 = reader.next(500);
      importer.apply(ns, reader.records(b2), b2.firstLine());
      // The acknowledgement of b2 was lost: resume from b2 again.
      resumeAt = b2.firstLine();
    }
    importAll(file, ns, resumeAt, 500);
    assertSameNamespace(source.namespace("prod"), ns);
  }

  @Test
  void badFilesAreRefusedNamingTheLine() {
    byte[] file = export(source);
    String text = new String(file, StandardCharsets.UTF_8);
    String[] lines = text.split("\n");

    String newer = text.replaceFirst("\"version\":2", "\"version\":3");
    assertThatThrownBy(() -> new ExportReader(stream(newer)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("line 1").hasMessageContaining("version 3");
    assertThatThrownBy(() -> new ExportReader(stream("{\"type\":\"work_spec\"}\n")))
        .hasMessageContaining("line 1").hasMessageContaining("header");

    String cut = String.join("\n", List.of(lines).subList(0, 40)) + "\n";
    Coordinate target = open(MemoryCoordinate.create(clock));
    assertThatThrownBy(() -> importAll(cut.getBytes(StandardCharsets.UTF_8),
            target.namespace("prod"), 2, 1_000))
        .hasMessageContaining("cut short");

    String garbled =
        text.replace(lines[10], "{\"type\":\"work_unit\",\"spec\":\"first\",\"unit\":{}}");
    Coordinate other = open(MemoryCoordinate.create(clock));
    assertThatThrownBy(() -> importAll(garbled.getBytes(StandardCharsets.UTF_8),
            other.namespace("prod"), 2, 1_000))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("line 11");
    assertThat(other.namespace("prod").workSpecNames()).as("the bad batch applied nothing")
        .isEmpty();
  }

  @Test
  void rateLimitsAndRetentionTravelAndAVersionOneFileKeepsTheDefinitions() {
    byte[] file = export(source);
    String text = new String(file, StandardCharsets.UTF_8);
    assertThat(text).contains("\"version\":2").contains("\"rate_limit\":12.5")
        .contains("\"retain_finished_seconds\":172800.0");
    Coordinate target = open(MemoryCoordinate.create(clock));
    importAll(file, target.namespace("prod"), 2, 1_000);
    WorkSpecMeta first = target.namespace("prod").workSpec("first").meta(false);
    assertThat(first.rateLimit()).isEqualTo(new RateLimit(12.5, 40));
    assertThat(first.retention())
        .isEqualTo(new Retention(Duration.ofDays(2), 500, Duration.ofMinutes(90), 0));

    // A version 1 file has neither field: the specs keep what their definitions say.
    String v1 =
        text.replaceFirst("\"version\":2", "\"version\":1")
            .replaceAll(",\"rate_limit\":[^,]*,\"rate_burst\":[^,]*", "")
            .replaceAll(",\"retain_finished_seconds\":[^,]*,\"retain_finished_count\":[^,]*"
                + ",\"retain_failed_seconds\":[^,]*,\"retain_failed_count\":[^,}]*", "");
    assertThat(v1).doesNotContain("rate_burst").doesNotContain("retain_finished");
    Coordinate old = open(MemoryCoordinate.create(clock));
    importAll(v1.getBytes(StandardCharsets.UTF_8), old.namespace("prod"), 2, 1_000);
    assertThat(old.namespace("prod").workSpec("first").meta(false).rateLimit())
        .isEqualTo(RateLimit.NONE);
    WorkSpecMeta second = old.namespace("prod").workSpec("second").meta(false);
    assertThat(second.rateLimit()).isEqualTo(RateLimit.of(3));
    assertThat(second.retention()).isEqualTo(Retention.NONE.withFailedCount(9));

    // A bad value is refused, naming its line, before anything is applied.
    String bad = text.replace("\"rate_limit\":12.5", "\"rate_limit\":-12.5");
    Coordinate refused = open(MemoryCoordinate.create(clock));
    assertThatThrownBy(() -> importAll(bad.getBytes(StandardCharsets.UTF_8),
            refused.namespace("prod"), 2, 1_000))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("rate_limit");
    assertThat(refused.namespace("prod").workSpecNames()).isEmpty();
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
