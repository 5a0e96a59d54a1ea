package io.coordinate.cli;

import io.coordinate.api.WorkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coordinate archive SPEC [--max N]}: applies a spec's retention policy now. */
@Command(
    name = "archive",
    description = {
      "Archives now the finished and failed units of a work spec that are beyond its retention"
          + " policy (see the retention command): deletes them with their attempts, the earliest"
          + " ended first.",
      "The daemon does the same by itself every --retention-interval."
    })
final class ArchiveCommand extends DaemonCommand {
  /** Units asked for per request: each request is a few short transactions on the daemon. */
  static final int BATCH = 1_000;

  @Parameters(paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Option(names = "--max", paramLabel = "N", description = "archive at most N units (default: all due)")
  Long max;

  record Archived(String workSpec, long archived) {}

  @Override
  int run(Session session) {
    if (max != null && max < 0) {
      throw usage("--max must not be negative: " + max);
    }
    WorkSpec workSpec = session.workSpec(spec);
    long limit = max == null ? Long.MAX_VALUE : max;
    long archived = 0;
    while (archived < limit) {
      int want = (int) Math.min(BATCH, limit - archived);
      int n = workSpec.archive(want);
      archived += n;
      if (n < want) {
        break;
      }
    }
    if (json()) {
      Json.printDocument(out(), new Archived(spec, archived));
    } else {
      out().println("archived " + archived + (archived == 1 ? " unit" : " units"));
    }
    return ExitCodes.OK;
  }
}
