package io.coordinate.cli;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptState;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitMeta;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code coordinate unit SPEC KEY}: one unit in full, with its attempts. */
@Command(
    name = "unit",
    description = {
      "Shows one work unit with its attempts.",
      "Status, priority, data, the active attempt (worker, status, times) and the history of"
          + " attempts, numbered from 0."
    })
final class UnitCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1", paramLabel = "KEY", description = "the unit's key")
  String key;

  @Mixin KeyOption keys;

  /** One attempt; {@code number} is its place in the unit's history, from 0. */
  record AttemptView(
      int number, String worker, String status, String startTime, String endTime,
      String expirationTime, Map<String, Object> data) {}

  record UnitView(
      String workSpec, Object key, String status, double priority, String notBefore,
      Map<String, Object> data, AttemptView activeAttempt, List<AttemptView> attempts) {}

  @Override
  int run(Session session) {
    WorkUnit unit = session.workSpec(spec).workUnit(keys.parse(key));
    String status = unit.status().name().toLowerCase(Locale.ROOT);
    WorkUnitMeta meta = unit.meta();
    Map<String, Object> data = unit.data();
    List<Attempt> attempts = unit.attempts();
    Optional<Attempt> active = unit.activeAttempt();
    List<AttemptView> history = new ArrayList<>();
    for (int i = 0; i < attempts.size(); i++) {
      history.add(view(i, attempts.get(i)));
    }
    AttemptView activeView = active
        .map(a -> {
          int i = attempts.indexOf(a);
          return i >= 0 ? history.get(i) : view(-1, a);
        })
        .orElse(null);
    UnitView view = new UnitView(spec, Keys.json(unit.key()), status, meta.priority(),
        text(meta.notBefore()), data, activeView, history);
    if (json()) {
      Json.printDocument(out(), view);
    } else {
      print(view, unit);
    }
    return ExitCodes.OK;
  }

  private void print(UnitView v, WorkUnit unit) {
    var out = out();
    out.println("work spec:  " + v.workSpec());
    out.println("key:        " + Keys.display(unit.key()));
    out.println("status:     " + v.status());
    out.println("priority:   " + Numbers.format(v.priority()));
    if (v.notBefore() != null) {
      out.println("not before: " + v.notBefore());
    }
    out.println("data:       " + Json.indented(v.data()).replace("\n", "\n            "));
    AttemptView a = v.activeAttempt();
    if (a == null) {
      out.println("active attempt: none");
    } else {
      out.println("active attempt: " + (a.number() >= 0 ? "#" + a.number() + " " : "")
          + "by worker " + a.worker() + ", " + a.status() + ", started " + a.startTime()
          + (a.endTime() != null ? ", ended " + a.endTime() : ", expires " + a.expirationTime()));
    }
    if (v.attempts().isEmpty()) {
      out.println("attempts:   none");
      return;
    }
    out.println("attempts:");
    Table table = new Table("#", "worker", "status", "started", "ended", "expires").alignRight(0);
    for (AttemptView h : v.attempts()) {
      table.add(h.number(), h.worker(), h.status(), h.startTime(),
          h.endTime() == null ? "-" : h.endTime(), h.expirationTime());
    }
    java.io.StringWriter text = new java.io.StringWriter();
    table.print(new java.io.PrintWriter(text));
    text.toString().lines().forEach(line -> out.println("  " + line));
  }

  private static AttemptView view(int number, Attempt attempt) {
    AttemptState s = attempt.state();
    return new AttemptView(number, attempt.worker().name(),
        s.status().name().toLowerCase(Locale.ROOT), text(s.startTime()),
        s.endTime().map(UnitCommand::text).orElse(null), text(s.expirationTime()), s.data());
  }

  /** An instant to the millisecond in ISO-8601 UTC, or {@code null}. */
  static String text(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
