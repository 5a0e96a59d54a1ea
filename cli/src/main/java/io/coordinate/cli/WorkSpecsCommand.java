package io.coordinate.cli;

import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpecMeta;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coordinate work-specs}: the work specs with their scheduling settings. */
@Command(
    name = "work-specs",
    description = {
      "Lists the work specs with their scheduling settings.",
      "Columns: paused, priority, weight and max_running (0: unlimited)."
    })
final class WorkSpecsCommand extends DaemonCommand {

  record SpecLine(
      String name, boolean paused, int priority, int weight, int maxRunning, boolean continuous,
      String then) {}

  record SpecList(String namespace, List<SpecLine> workSpecs) {}

  @Override
  int run(Session session) {
    List<SpecLine> rows = new ArrayList<>();
    Namespace ns = session.existingNamespace().orElse(null);
    for (String name : ns == null ? List.<String>of() : ns.workSpecNames()) {
      WorkSpecMeta m = ns.workSpec(name).meta(false);
      rows.add(new SpecLine(name, m.paused(), m.priority(), m.weight(), m.maxRunning(),
          m.continuous(), m.nextWorkSpecName().isEmpty() ? null : m.nextWorkSpecName()));
    }
    if (json()) {
      Json.printDocument(out(), new SpecList(session.target().namespace(), rows));
      return ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      out().println("no work specs in " + session.target().namespaceLabel());
      return ExitCodes.OK;
    }
    Table table = new Table("work spec", "paused", "priority", "weight", "max_running")
        .alignRight(2, 3, 4);
    for (SpecLine r : rows) {
      table.add(r.name(), r.paused() ? "yes" : "no", r.priority(), r.weight(), r.maxRunning());
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
