package io.coordinate.sql;

import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.SqlStatement;

/** Turns a {@link WorkUnitQuery} into a WHERE clause over work_unit and binds its values. */
final class UnitQuerySql {
  private final WorkUnitQuery query;
  private final String where;

  UnitQuerySql(WorkUnitQuery query) {
    this.query = query;
    List<String> terms = new ArrayList<>();
    terms.add("spec_id = :spec");
    if (query.keys() != null) {
      terms.add(query.keys().isEmpty() ? "1 = 0" : "unit_key IN (<keys>)");
    }
    if (query.from() != null) {
      terms.add("unit_key >= :from");
    }
    if (query.after() != null) {
      terms.add("unit_key > :after");
    }
    if (!query.statuses().isEmpty()) {
      List<String> any = new ArrayList<>();
      for (WorkUnitStatus s : query.statuses()) {
        any.add(
            switch (s) {
              case AVAILABLE ->
                  "(status = 1 AND (not_before_us IS NULL OR not_before_us <= :now))";
              case DELAYED -> "(status = 1 AND not_before_us > :now)";
              case PENDING -> "status = 2";
              case FINISHED -> "status = 3";
              case FAILED -> "status = 4";
            });
      }
      terms.add("(" + String.join(" OR ", any) + ")");
    }
    this.where = String.join(" AND ", terms);
  }

  String where() {
    return where;
  }

  boolean hasLimit() {
    return query.limit() > 0;
  }

  /** ORDER BY key and the limit, for SELECTs. */
  String orderAndLimit() {
    return " ORDER BY unit_key" + (hasLimit() ? " FETCH FIRST " + query.limit() + " ROWS ONLY" : "");
  }

  <S extends SqlStatement<S>> S bind(S statement, long specId, long now) {
    statement.bind("spec", specId);
    if (query.keys() != null && !query.keys().isEmpty()) {
      statement.bindList("keys", query.keys().stream().map(WorkUnitKey::toByteArray).toList());
    }
    if (query.from() != null) {
      statement.bind("from", query.from().toByteArray());
    }
    if (query.after() != null) {
      statement.bind("after", query.after().toByteArray());
    }
    if (!query.statuses().isEmpty()) {
      statement.bind("now", now);
    }
    return statement;
  }
}
