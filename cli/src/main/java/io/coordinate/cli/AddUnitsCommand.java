package io.coordinate.cli;

import io.coordinate.api.CoordinateException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate add-units SPEC FILE}: adds units from a file or standard input, streamed in
 * batches, one request each, so that a file of millions of units never sits in memory. Each batch
 * is atomic on the daemon; when one fails, the batches before it stay added and the message says
 * how many units that was.
 */
@Command(
    name = "add-units",
    description = {
      "Adds work units from a file or standard input, one a line.",
      "Each line is a key"
          + " (UTF-8 text, or base64 with --key-base64), or a JSON object {\"key\": ..., \"data\":"
          + " {...}, \"priority\": n} (data and priority optional; a binary key as {\"$bytes\":"
          + " base64}). A unit whose key exists already is replaced and queued again.",
      "Shows a progress bar on standard error when it is a terminal (or with --progress), and"
          + " ends with \"added N units\"."
    })
final class AddUnitsCommand extends DaemonCommand {

  /** Units sent in one request unless --batch-size says otherwise. */
  static final int DEFAULT_BATCH = 5000;

  /** A batch is sent early once its lines add up to this, to keep requests well under the daemon's limit. */
  static final long BATCH_CHARS = 8L << 20;

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1", paramLabel = "FILE|-", description = "the units; - reads standard input")
  String file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "keys, json-lines, or auto: JSON lines when the first line starts with {"
          + " (default: auto)",
      converter = FormatConverter.class)
  UnitReader.Format format = UnitReader.Format.AUTO;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "units per request (default: " + DEFAULT_BATCH + ")")
  int batchSize = DEFAULT_BATCH;

  @Option(
      names = "--progress",
      negatable = true,
      description = "show a progress bar on standard error (default: when it is a terminal)")
  Boolean progress;

  @Mixin KeyOption keys;

  record Added(String workSpec, long added) {}

  @Override
  int run(Session session) {
    if (batchSize < 1 || batchSize > 100_000) {
      throw usage("--batch-size must be between 1 and 100000: " + batchSize);
    }
    WorkSpec workSpec = session.workSpec(spec);
    long added = 0;
    try (Input input = Input.open(file, env());
        Progress bar = showProgress()
            ? Progress.bar(env().err(), "adding to " + spec, input.size(), env().errIsTerminal())
            : Progress.NONE) {
      UnitReader reader = new UnitReader(input, format, keys.base64);
      List<NewWorkUnit> batch = new ArrayList<>(Math.min(batchSize, 10_000));
      long chars = 0;
      for (NewWorkUnit unit = reader.next(); unit != null; unit = reader.next()) {
        batch.add(unit);
        chars += reader.lastLineChars();
        if (batch.size() >= batchSize || chars >= BATCH_CHARS) {
          added += send(workSpec, batch, reader.lineNumber());
          chars = 0;
          bar.update(input.bytesRead(), added);
        }
      }
      if (!batch.isEmpty()) {
        added += send(workSpec, batch, reader.lineNumber());
      }
      bar.update(input.bytesRead(), added);
    } catch (IOException e) {
      throw CliFailure.failed("cannot read " + file + ": " + e.getMessage(), e);
    } catch (CliFailure e) {
      throw added == 0 ? e : CliFailure.failed(e.getMessage() + addedBefore(added), e);
    } catch (RuntimeException e) {
      if (added > 0) {
        err().println("note:" + addedBefore(added).substring(1));
      }
      throw e;
    }
    if (json()) {
      Json.printDocument(out(), new Added(spec, added));
    } else {
      out().println("added " + added + (added == 1 ? " unit" : " units"));
    }
    return ExitCodes.OK;
  }

  private boolean showProgress() {
    return progress != null ? progress : env().errIsTerminal() && !json();
  }

  /** Sends a batch and empties it; a refused batch names the lines it came from. */
  private static int send(WorkSpec workSpec, List<NewWorkUnit> batch, long lastLine) {
    int n = batch.size();
    try {
      workSpec.addWorkUnits(batch);
    } catch (CoordinateException e) {
      if (CoordinateException.isInvalid(e)) {
        throw CliFailure.failed("the daemon refused the batch of " + n + " units ending at line "
            + lastLine + ": " + e.getMessage(), e);
      }
      throw e;
    }
    batch.clear();
    return n;
  }

  private static String addedBefore(long added) {
    return added == 0 ? "" : "; the " + added + " units before it were added";
  }

  /** Reads --format case-insensitively, with a dash or an underscore. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<UnitReader.Format> {
    @Override
    public UnitReader.Format convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
        case "auto" -> UnitReader.Format.AUTO;
        case "keys" -> UnitReader.Format.KEYS;
        case "json-lines", "jsonl" -> UnitReader.Format.JSON_LINES;
        default -> throw new picocli.CommandLine.TypeConversionException(
            "expected keys, json-lines or auto, not " + value);
      };
    }
  }
}
