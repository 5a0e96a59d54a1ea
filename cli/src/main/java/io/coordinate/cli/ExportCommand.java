package io.coordinate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.transfer.ExportFormat;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate export FILE}: the namespace as an export file (docs/export-format.md), streamed
 * from the daemon while it serves. The file appears under its name only once it is whole.
 */
@Command(
    name = "export",
    description = {
      "Writes the namespace (work specs, workers, work units with their last attempt) to an"
          + " export file, streamed while the daemon serves; - writes standard output.",
      "The file gets its name only once complete. In maintenance mode it is one consistent"
          + " picture. Shows a progress bar on standard error when it is a terminal."
    })
final class ExportCommand extends DaemonCommand {

  @Parameters(paramLabel = "FILE|-", description = "where to write; - for standard output")
  String file;

  @Option(
      names = "--progress",
      negatable = true,
      description = "show a progress bar on standard error (default: when it is a terminal)")
  Boolean progress;

  record Exported(String namespace, String file, long workSpecs, long workers, long workUnits) {}

  private static final String UNIT_PREFIX = "{\"type\":\"" + ExportFormat.WORK_UNIT + "\"";
  private static final String END_PREFIX = "{\"type\":\"" + ExportFormat.END + "\"";

  @Override
  int run(Session session) {
    String namespace = session.target().namespace();
    if (session.existingNamespace().isEmpty()) {
      throw CliFailure.failed("there is no " + session.target().namespaceLabel() + " to export");
    }
    boolean toStdout = file.equals("-");
    Path target = toStdout ? null : Path.of(file);
    Path partial = toStdout ? null : target.resolveSibling(target.getFileName() + ".partial");
    long units = 0;
    String end = null;
    try (InputStream stream = session.remote().openExport(namespace);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        OutputStream raw = toStdout ? env().out() : Files.newOutputStream(partial);
        Writer out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
      String header = lines.readLine();
      if (header == null) {
        throw CliFailure.unavailable("the daemon sent an empty export");
      }
      long expected = ExportFormat.mapper().readTree(header).path("work_units").asLong(-1);
      out.write(header);
      out.write('\n');
      try (Progress bar = showProgress()
          ? Progress.units(env().err(), "exporting " + session.target().namespaceLabel(),
              expected, env().errIsTerminal())
          : Progress.NONE) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          out.write(line);
          out.write('\n');
          if (line.startsWith(UNIT_PREFIX)) {
            bar.update(0, ++units);
          } else if (line.startsWith(END_PREFIX)) {
            end = line;
          }
        }
      }
      out.flush();
    } catch (IOException e) {
      deleteQuietly(partial);
      throw CliFailure.unavailable("the export stopped: " + e.getMessage());
    } catch (RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    }
    if (end == null) {
      deleteQuietly(partial);
      throw CliFailure.unavailable("the export was cut short (no end record): try again");
    }
    JsonNode counts = readTree(end);
    if (!toStdout) {
      try {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw CliFailure.failed("cannot name the export " + target + ": " + e.getMessage(), e);
      }
    }
    Exported summary = new Exported(namespace, file, counts.path("work_specs").asLong(),
        counts.path("workers").asLong(), counts.path("work_units").asLong());
    if (json()) {
      if (toStdout) {
        return ExitCodes.OK; // standard output holds the file itself
      }
      Json.printDocument(out(), summary);
    } else {
      (toStdout ? err() : out()).println("exported " + summary.workUnits() + " units, "
          + summary.workSpecs() + " work specs and " + summary.workers() + " workers of "
          + session.target().namespaceLabel() + (toStdout ? "" : " to " + file));
    }
    return ExitCodes.OK;
  }

  private static JsonNode readTree(String line) {
    try {
      return ExportFormat.mapper().readTree(line);
    } catch (IOException e) {
      throw CliFailure.unavailable("the export's end record is not JSON: " + e.getMessage());
    }
  }

  private boolean showProgress() {
    return progress != null ? progress : env().errIsTerminal() && !file.equals("-");
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Best effort: the partial file is named as such.
      }
    }
  }
}
