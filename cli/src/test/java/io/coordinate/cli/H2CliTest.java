package io.coordinate.cli;

import io.coordinate.api.Coordinate;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.util.UUID;

/** The commands against a daemon on the SQL store, in an in-memory H2 database. */
class H2CliTest extends CliContract {
  @Override
  Coordinate newBackend() {
    return SqlCoordinate.open(SqlConfig.h2Memory("cli-" + UUID.randomUUID()));
  }
}
