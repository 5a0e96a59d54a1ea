package io.coordinate.transfer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import io.coordinate.api.GoneException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NotFoundException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * Writes a namespace to an export file (see {@link ExportFormat}) while the backend keeps serving:
 * specs and workers, then each spec's units a page at a time, so memory stays bounded whatever the
 * size. Units that change meanwhile are written as they are when their page is read; in
 * maintenance mode the file is one consistent picture.
 */
public final class Exporter {
  /** Units read per page. */
  public static final int PAGE = 2_000;

  /** What an export reports as it goes. */
  public interface Progress {
    /** The export began; {@code units} were in the namespace then. */
    default void started(long units) {}

    /** {@code units} units are written so far. */
    default void written(long units) {}
  }

  /** What a finished export holds. */
  public record Summary(long workSpecs, long workers, long workUnits) {}

  private final ObjectMapper mapper = ExportFormat.mapper();
  private final Clock clock;

  public Exporter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Writes {@code ns} to {@code out} (which stays open) and returns what was written. Specs
   * deleted while the export runs are left out.
   *
   * @throws UncheckedIOException if {@code out} fails
   */
  public Summary export(Namespace ns, OutputStream out, Progress progress) {
    try (SequenceWriter lines =
        mapper
            .writer()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .withRootValueSeparator("\n")
            .writeValues(out)) {
      List<String> specNames = ns.workSpecNames();
      long total = 0;
      for (String name : specNames) {
        try {
          total += ns.workSpec(name).countWorkUnitStatus().total();
        } catch (NotFoundException | GoneException e) {
          // Deleted since the listing: counted as nothing.
        }
      }
      progress.started(total);
      lines.write(ExportFormat.header(ns.name(), clock.instant(), specNames.size(), total));
      long specs = 0;
      for (String name : specNames) {
        try {
          WorkSpec spec = ns.workSpec(name);
          lines.write(ExportFormat.workSpec(name, spec.definition().map(), spec.meta(false)));
          specs++;
        } catch (NotFoundException | GoneException e) {
          // Deleted since the listing.
        }
      }
      long workers = 0;
      for (Worker w : ns.workers()) {
        lines.write(ExportFormat.worker(w));
        workers++;
      }
      long units = 0;
      for (String name : specNames) {
        units += exportUnits(ns, name, lines, units, progress);
      }
      lines.write(ExportFormat.end(specs, workers, units));
      lines.flush();
      out.write('\n');
      out.flush();
      return new Summary(specs, workers, units);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long exportUnits(
      Namespace ns, String name, SequenceWriter lines, long before, Progress progress)
      throws IOException {
    long written = 0;
    try {
      WorkSpec spec = ns.workSpec(name);
      WorkUnitKey after = null;
      while (true) {
        List<WorkUnitSnapshot> page =
            spec.workUnitSnapshots(WorkUnitQuery.all().withAfter(after).withLimit(PAGE));
        for (WorkUnitSnapshot u : page) {
          lines.write(ExportFormat.workUnit(name, u));
        }
        written += page.size();
        progress.written(before + written);
        if (page.size() < PAGE) {
          return written;
        }
        after = page.getLast().key();
      }
    } catch (NotFoundException | GoneException e) {
      return written; // deleted meanwhile: what was written of it stays, the rest is gone
    }
  }
}
