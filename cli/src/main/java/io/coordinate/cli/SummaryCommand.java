package io.coordinate.cli;

import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coordinate summary}: every work spec with its units counted by status. */
@Command(
    name = "summary",
    description = {
      "Counts each work spec's units by status.",
      "Columns: available, pending, finished, failed, delayed (available later), total, and"
          + " whether the spec is paused."
    })
final class SummaryCommand extends DaemonCommand {

  /** One work spec's line. */
  record SpecCounts(
      String name, boolean paused, long available, long pending, long finished, long failed,
      long delayed, long total) {}

  record Summary(String namespace, List<SpecCounts> workSpecs) {}

  @Override
  int run(Session session) {
    List<SpecCounts> rows = new ArrayList<>();
    Namespace ns = session.existingNamespace().orElse(null);
    for (String name : ns == null ? List.<String>of() : ns.workSpecNames()) {
      WorkSpec spec = ns.workSpec(name);
      WorkUnitCounts c = spec.countWorkUnitStatus();
      rows.add(new SpecCounts(name, spec.meta(false).paused(),
          c.get(WorkUnitStatus.AVAILABLE), c.get(WorkUnitStatus.PENDING),
          c.get(WorkUnitStatus.FINISHED), c.get(WorkUnitStatus.FAILED),
          c.get(WorkUnitStatus.DELAYED), c.total()));
    }
    if (json()) {
      Json.printDocument(out(), new Summary(session.target().namespace(), rows));
      return ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      out().println("no work specs in " + session.target().namespaceLabel());
      return ExitCodes.OK;
    }
    Table table = new Table("work spec", "paused", "available", "pending", "finished", "failed",
        "delayed", "total").alignRight(2, 3, 4, 5, 6, 7);
    for (SpecCounts r : rows) {
      table.add(r.name(), r.paused() ? "yes" : "no", r.available(), r.pending(), r.finished(),
          r.failed(), r.delayed(), r.total());
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
