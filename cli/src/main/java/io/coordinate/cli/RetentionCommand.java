package io.coordinate.cli;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate retention SPEC [--finished-for D] [--finished-count N] [--failed-for D]
 * [--failed-count N] [--keep-all]}: shows or changes how long finished and failed units are kept.
 */
@Command(
    name = "retention",
    description = {
      "Shows or changes how long a work spec keeps its finished and failed units.",
      "Units beyond the policy are archived (deleted with their attempts) by the daemon's"
          + " retention sweep, or at once by the archive command. A duration is seconds, or a"
          + " number with s, m, h or d; 0 keeps units forever and a count of 0 keeps any number."
          + " Options not given stay as they are; without options the policy is shown."
    })
final class RetentionCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Option(names = "--finished-for", paramLabel = "D", description = "keep finished units this long")
  String finishedFor;

  @Option(names = "--finished-count", paramLabel = "N", description = "keep this many finished units")
  Integer finishedCount;

  @Option(names = "--failed-for", paramLabel = "D", description = "keep failed units this long")
  String failedFor;

  @Option(names = "--failed-count", paramLabel = "N", description = "keep this many failed units")
  Integer failedCount;

  @Option(names = "--keep-all", description = "remove the policy: keep every unit")
  boolean keepAll;

  record Policy(
      String workSpec,
      double retainFinishedSeconds,
      int retainFinishedCount,
      double retainFailedSeconds,
      int retainFailedCount) {}

  @Override
  int run(Session session) {
    boolean changes =
        finishedFor != null || finishedCount != null || failedFor != null || failedCount != null;
    if (keepAll && changes) {
      throw usage("--keep-all takes no other option");
    }
    // Checked before the daemon is asked anything, so a bad option changes nothing.
    Duration finishedDuration = finishedFor == null ? null : duration(finishedFor, "--finished-for");
    Duration failedDuration = failedFor == null ? null : duration(failedFor, "--failed-for");
    if (finishedCount != null && finishedCount < 0) {
      throw usage("--finished-count must not be negative: " + finishedCount);
    }
    if (failedCount != null && failedCount < 0) {
      throw usage("--failed-count must not be negative: " + failedCount);
    }
    WorkSpec workSpec = session.workSpec(spec);
    Retention r = workSpec.meta(false).retention();
    if (keepAll || changes) {
      if (keepAll) {
        r = Retention.NONE;
      }
      if (finishedDuration != null) {
        r = r.withFinishedFor(finishedDuration);
      }
      if (finishedCount != null) {
        r = r.withFinishedCount(finishedCount);
      }
      if (failedDuration != null) {
        r = r.withFailedFor(failedDuration);
      }
      if (failedCount != null) {
        r = r.withFailedCount(failedCount);
      }
      workSpec.setMeta(workSpec.meta(false).withRetention(r));
    }
    if (json()) {
      Json.printDocument(
          out(),
          new Policy(spec, seconds(r.finishedFor()), r.finishedCount(), seconds(r.failedFor()),
              r.failedCount()));
    } else {
      out().println("work spec " + spec + " keeps finished units "
          + describe(r.finishedFor(), r.finishedCount()) + "; failed units "
          + describe(r.failedFor(), r.failedCount()));
    }
    return ExitCodes.OK;
  }

  private static String describe(Duration keepFor, int keepCount) {
    if (keepFor.isZero() && keepCount == 0) {
      return "forever";
    }
    String time = keepFor.isZero() ? null : "for " + Numbers.format(seconds(keepFor)) + " s";
    String count = keepCount == 0 ? null : "at most " + keepCount;
    return time == null ? count : count == null ? time : time + ", " + count;
  }

  private static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  /** Seconds, or a number followed by s, m, h or d. */
  private Duration duration(String text, String option) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    double unit = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 's' -> unit = 1;
        case 'm' -> unit = 60;
        case 'h' -> unit = 3600;
        case 'd' -> unit = 86400;
        default -> unit = 0;
      }
      if (unit != 0) {
        t = t.substring(0, t.length() - 1).strip();
      } else {
        unit = 1;
      }
    }
    double value;
    try {
      value = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw usage(option + " must be seconds, or a number with s, m, h or d: " + text);
    }
    try {
      return Retention.seconds(value * unit, option);
    } catch (InvalidRequestException e) {
      throw usage(e.getMessage());
    }
  }
}
