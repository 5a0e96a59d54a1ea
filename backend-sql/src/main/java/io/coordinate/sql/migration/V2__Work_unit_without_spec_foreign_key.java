package io.coordinate.sql.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Drops the foreign key from {@code work_unit.spec_id} to {@code work_spec}. The database checked it
 * row by row, which made up half the cost of a bulk add; the backend now keeps the rule itself: an
 * add locks its spec's row for the transaction, and destroying a spec or a namespace locks the spec
 * rows and deletes their units explicitly (see {@code SqlWorkSpec.upsert}). In Java because the
 * constraint's name was chosen by each database.
 */
public final class V2__Work_unit_without_spec_foreign_key extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    // work_unit has no other foreign key. The catalog queries are each database's own: the
    // driver's metadata call takes a fifth of a second on PostgreSQL.
    String query =
        c.getMetaData().getDatabaseProductName().equals("PostgreSQL")
            ? "SELECT conname FROM pg_constraint WHERE conrelid = 'work_unit'::regclass"
                + " AND contype = 'f'"
            : "SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = 'WORK_UNIT'"
                + " AND CONSTRAINT_TYPE = 'FOREIGN KEY'";
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("ALTER TABLE work_unit DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
      }
    }
  }
}
