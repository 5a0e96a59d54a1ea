package io.coordinate.cli;

import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate units SPEC}: a work spec's units in key order with status and priority. The
 * table puts the key last so that it streams page by page without re-aligning; {@code --json}
 * gives one JSON line per unit.
 */
@Command(
    name = "units",
    description = {
      "Lists a work spec's units in key order with status and priority.",
      "Keys that are not plain text show as base64:<base64url>; --json gives each key as a string"
          + " or {\"$bytes\": base64}. When more units remain, a note on standard error says how"
          + " to continue (--after)."
    })
final class UnitsCommand extends DaemonCommand {

  /** Units listed when --limit is not given. */
  static final int DEFAULT_LIMIT = 100;

  @Parameters(paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Option(
      names = {"-s", "--status"},
      paramLabel = "STATUS",
      split = ",",
      description = "only units in these statuses: available, pending, finished, failed, delayed"
          + " (repeat or separate with commas)")
  List<WorkUnitStatus> statuses = List.of();

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "list at most N units; 0 lists all (default: " + DEFAULT_LIMIT + ")")
  int limit = DEFAULT_LIMIT;

  @Option(
      names = "--after",
      paramLabel = "KEY",
      description = "start after this key (the last one of the previous listing)")
  String after;

  @Mixin KeyOption keys;

  /** One unit as --json writes it. */
  record UnitLine(Object key, String status, double priority) {}

  private void print(UnitListing.Row row) {
    String status = row.status().name().toLowerCase(Locale.ROOT);
    if (json()) {
      Json.printLine(out(), new UnitLine(Keys.json(row.key()), status, row.priority()));
    } else {
      out().println(String.format("%-9s  %10s  %s", status, Numbers.format(row.priority()),
          Keys.display(row.key())));
    }
  }

  @Override
  int run(Session session) {
    if (limit < 0) {
      throw usage("--limit must not be negative: " + limit);
    }
    WorkSpec workSpec = session.workSpec(spec);
    WorkUnitKey cursor = after == null ? null : keys.parse(after);
    if (!json()) {
      out().println(String.format("%-9s  %10s  %s", "status", "priority", "key"));
    }
    try (UnitListing listing = new UnitListing(workSpec,
        statuses.isEmpty() ? EnumSet.noneOf(WorkUnitStatus.class) : EnumSet.copyOf(statuses))) {
      long listed = 0;
      while (limit == 0 || listed < limit) {
        int want = limit == 0 ? UnitListing.PAGE : (int) Math.min(UnitListing.PAGE, limit - listed);
        List<UnitListing.Row> page = listing.page(cursor, want);
        for (UnitListing.Row row : page) {
          print(row);
        }
        listed += page.size();
        if (!page.isEmpty()) {
          cursor = page.getLast().key();
        }
        if (page.size() < want && (page.isEmpty() || !listing.hasMoreAfter(cursor))) {
          return ExitCodes.OK;
        }
      }
      if (listing.hasMoreAfter(cursor)) {
        out().flush();
        err().println("more units follow: continue with --after " + Keys.argument(cursor));
      }
    }
    return ExitCodes.OK;
  }
}
