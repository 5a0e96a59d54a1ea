package io.coordinate.cli;

import io.coordinate.client.RemoteCoordinate;
import io.coordinate.transfer.ExportReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate import FILE}: applies an export file to a daemon in maintenance mode, in
 * batches of consecutive lines, one request and one transaction each. When a batch fails, the
 * batches before it stay applied and the message says from which line to resume.
 */
@Command(
    name = "import",
    description = {
      "Imports an export file into a daemon in maintenance mode (coordinate maintenance on),"
          + " into the namespace the file came from unless --into names another.",
      "Sent in batches (one transaction each); an import that stops says which --resume-at"
          + " line goes on from where it stopped. Shows a progress bar on standard error when it"
          + " is a terminal."
    })
final class ImportCommand extends DaemonCommand {

  /** Units sent in one request unless --batch-size says otherwise. */
  static final int DEFAULT_BATCH = 5_000;

  @Parameters(paramLabel = "FILE|-", description = "the export file; - reads standard input")
  String file;

  @Option(names = "--into", paramLabel = "NAMESPACE",
      description = "the namespace to import into (default: the one the file was exported from)")
  String into;

  @Option(names = "--resume-at", paramLabel = "LINE",
      description = "go on from this line, as a stopped import said (default: the start)")
  long resumeAt = 2;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "units per request (default: " + DEFAULT_BATCH + ")")
  int batchSize = DEFAULT_BATCH;

  @Option(
      names = "--progress",
      negatable = true,
      description = "show a progress bar on standard error (default: when it is a terminal)")
  Boolean progress;

  record Imported(String namespace, long workSpecs, long workers, long workUnits, long nextLine) {}

  @Override
  int run(Session session) {
    if (batchSize < 1 || batchSize > 10_000) {
      throw usage("--batch-size must be between 1 and 10000: " + batchSize);
    }
    if (resumeAt < 2) {
      throw usage("--resume-at must be 2 or more (line 1 is the header)");
    }
    RemoteCoordinate remote = session.remote();
    long specs = 0;
    long workers = 0;
    long units = 0;
    long position = resumeAt;
    try (InputStream in = file.equals("-") ? env().in() : Files.newInputStream(Path.of(file));
        ExportReader reader = new ExportReader(in)) {
      String namespace = into != null ? into : reader.namespace();
      long skipped = reader.skipTo(resumeAt);
      try (Progress bar = showProgress()
          ? Progress.units(env().err(), "importing into " + Target.describeNamespace(namespace),
              reader.expectedUnits(), env().errIsTerminal())
          : Progress.NONE) {
        bar.update(0, skipped);
        for (ExportReader.Batch b = reader.next(batchSize); !b.lines().isEmpty();
            b = reader.next(batchSize)) {
          position = b.firstLine();
          RemoteCoordinate.Imported done = remote.importLines(namespace, position, b.lines());
          specs += done.workSpecs();
          workers += done.workers();
          units += done.workUnits();
          position = done.position();
          bar.update(0, skipped + units);
        }
      } catch (RuntimeException e) {
        err().println("the import stopped before line " + position + "; the lines before it are"
            + " applied. Once the cause is fixed, go on with: coordinate import " + file
            + (into == null ? "" : " --into " + into) + " --resume-at " + position);
        throw e;
      }
      Imported summary = new Imported(namespace, specs, workers, units, position);
      if (json()) {
        Json.printDocument(out(), summary);
      } else {
        out().println("imported " + units + " units, " + specs + " work specs and " + workers
            + " workers into " + Target.describeNamespace(namespace));
      }
      return ExitCodes.OK;
    } catch (IOException | UncheckedIOException e) {
      throw CliFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private boolean showProgress() {
    return progress != null ? progress : env().errIsTerminal() && !json();
  }
}
