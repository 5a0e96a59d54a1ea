package io.coordinate.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.coordinate.api.Attempt;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.Worker;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coordinate workers}: the workers as a tree (parents over children), with their work. */
@Command(
    name = "workers",
    description = {
      "Shows the workers as a tree, with the units they are working on.",
      "A parent is above its children; each worker shows whether it is active, its mode and its"
          + " last heartbeat."
    })
final class WorkersCommand extends DaemonCommand {

  @Option(names = "--active", description = "only active workers")
  boolean activeOnly;

  /** A unit a worker is working on; JSON shows its key as {@link Keys#json} does. */
  record Work(
      String workSpec, @JsonIgnore WorkUnitKey unitKey, String startTime, String expirationTime) {
    @JsonProperty("key")
    Object key() {
      return Keys.json(unitKey);
    }
  }

  record WorkerView(
      String name, String parent, boolean active, String mode, String lastUpdate,
      String expiration, List<Work> activeAttempts) {}

  record WorkerList(String namespace, List<WorkerView> workers) {}

  @Override
  int run(Session session) {
    Namespace ns = session.existingNamespace().orElse(null);
    Map<String, WorkerView> byName = new LinkedHashMap<>();
    for (Worker w : ns == null ? List.<Worker>of() : ns.workers()) {
      boolean active = w.isActive();
      if (activeOnly && !active) {
        continue;
      }
      List<Work> work = new ArrayList<>();
      for (Attempt a : w.activeAttempts()) {
        work.add(new Work(a.workUnit().workSpec().name(), a.workUnit().key(),
            UnitCommand.text(a.startTime()), UnitCommand.text(a.expirationTime())));
      }
      byName.put(w.name(), new WorkerView(w.name(), w.parent().map(Worker::name).orElse(null),
          active, w.mode(), UnitCommand.text(w.lastUpdate()), UnitCommand.text(w.expiration()),
          work));
    }
    List<WorkerView> workers = List.copyOf(byName.values());
    if (json()) {
      Json.printDocument(out(), new WorkerList(session.target().namespace(), workers));
      return ExitCodes.OK;
    }
    if (workers.isEmpty()) {
      out().println("no " + (activeOnly ? "active " : "") + "workers in "
          + session.target().namespaceLabel());
      return ExitCodes.OK;
    }
    Map<String, List<WorkerView>> children = new LinkedHashMap<>();
    List<WorkerView> roots = new ArrayList<>();
    for (WorkerView w : workers) {
      if (w.parent() != null && byName.containsKey(w.parent())) {
        children.computeIfAbsent(w.parent(), p -> new ArrayList<>()).add(w);
      } else {
        roots.add(w); // a parent that is hidden (inactive) or gone leaves its children at the top
      }
    }
    Set<String> printed = new HashSet<>();
    for (WorkerView root : roots) {
      print(out(), root, children, 0, printed);
    }
    // Workers whose parents form a loop have no root; show them rather than lose them.
    for (WorkerView w : workers) {
      if (!printed.contains(w.name())) {
        print(out(), w, children, 0, printed);
      }
    }
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, WorkerView w, Map<String, List<WorkerView>> children,
      int depth, Set<String> printed) {
    if (!printed.add(w.name())) {
      return;
    }
    String indent = "  ".repeat(depth);
    out.println(indent + w.name() + "  " + (w.active() ? "active" : "inactive")
        + (w.mode().isEmpty() ? "" : "  mode " + w.mode())
        + "  last heartbeat " + w.lastUpdate());
    for (Work work : w.activeAttempts()) {
      out.println(indent + "    working on " + work.workSpec() + " "
          + Keys.display(work.unitKey()) + " since " + work.startTime() + ", expires "
          + work.expirationTime());
    }
    for (WorkerView child : children.getOrDefault(w.name(), List.of())) {
      print(out, child, children, depth + 1, printed);
    }
  }
}
