package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link SqlConfig} reads the URLs an operator gives, and its options. */
class SqlConfigTest {

  @Test
  void jdbcUrlsAreUsedAsTheyAre() {
    SqlConfig h2 = SqlConfig.of("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
    assertThat(h2.jdbcUrl()).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
    assertThat(h2.user()).isNull();
    assertThat(h2.describe()).isEqualTo("h2:mem:x");

    SqlConfig pg = SqlConfig.of("jdbc:postgresql://db.example:6543/jobs?sslmode=require");
    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/jobs?sslmode=require");
    assertThat(pg.describe()).isEqualTo("postgresql://db.example:6543/jobs");
    assertThat(Dialect.of(pg.jdbcUrl())).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void postgresUrlsGiveUserPasswordHostPortAndDatabase() {
    SqlConfig c = SqlConfig.of("postgres://alice:s3cret@db.example:6543/jobs");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/jobs");
    assertThat(c.user()).isEqualTo("alice");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.describe())
        .isEqualTo("postgresql://db.example:6543/jobs")
        .doesNotContain("s3cret");
  }

  @Test
  void postgresUrlDefaultsArePort5432AndLocalhostAndNoPassword() {
    SqlConfig c = SqlConfig.of("postgresql://bob@db.example/jobs");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/jobs");
    assertThat(c.user()).isEqualTo("bob");
    assertThat(c.password()).isNull();

    SqlConfig local = SqlConfig.of("postgres:///jobs");
    assertThat(local.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/jobs");
    assertThat(local.user()).isNull();
  }

  @Test
  void postgresUrlCredentialsArePercentDecodedAndPlusIsAPlus() {
    SqlConfig c = SqlConfig.of("postgres://us%40er:p%3Aw+d%2F%25@127.0.0.1:5432/db");
    assertThat(c.user()).isEqualTo("us@er");
    assertThat(c.password()).isEqualTo("p:w+d/%");
  }

  @Test
  void postgresUrlsThatDoNotParseAreRejectedWithoutTheirPassword() {
    assertThatThrownBy(() -> SqlConfig.of("postgres://u:pa ss@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percent-encoded")
        .hasMessageNotContaining("pa ss");
    // An unencoded "@" in the password: the host cannot be told apart, so nothing is guessed.
    assertThatThrownBy(() -> SqlConfig.of("postgres://u:p@ss@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("p@ss");
  }

  @Test
  void postgresUrlOptionsGoToTheDriver() {
    SqlConfig c = SqlConfig.of("postgres://u:p@h:1/db?sslmode=require&socketTimeout=60");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/db?sslmode=require&socketTimeout=60");
  }

  @Test
  void aDirectoryIsAnH2FileStoreInIt(@TempDir Path dir) {
    SqlConfig c = SqlConfig.of(dir.resolve("coordinate-data").toString());
    assertThat(c.jdbcUrl())
        .isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath().resolve("coordinate-data/coordinate"));
    assertThat(Dialect.of(c.jdbcUrl())).isEqualTo(Dialect.H2);

    SqlConfig relative = SqlConfig.of("coordinate-data");
    Path expected = Path.of("coordinate-data").toAbsolutePath().resolve("coordinate");
    assertThat(relative.jdbcUrl()).isEqualTo("jdbc:h2:file:" + expected);
  }

  @Test
  void anH2FileStoreKeepsItsDataAcrossOpens(@TempDir Path dir) {
    Path data = dir.resolve("store");
    try (SqlCoordinate c = SqlCoordinate.open(data.toString())) {
      c.namespace("n")
          .setWorkSpec(Map.of("name", "s"))
          .addWorkUnit(WorkUnitKey.of("k"), Map.of("x", 1L), null);
    }
    assertThat(Files.isDirectory(data)).isTrue();
    try (SqlCoordinate c = SqlCoordinate.open(data.toString())) {
      var units = c.namespace("n").workSpec("s").workUnits(WorkUnitQuery.all());
      assertThat(units).hasSize(1);
      assertThat(units.get(0).data()).containsEntry("x", 1L);
    }
  }

  @Test
  void otherDatabasesAreRejectedWithoutTheirPassword() {
    assertThatThrownBy(() -> SqlConfig.of("mysql://root:hunter2@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("H2 or PostgreSQL")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> SqlConfig.of("jdbc:mysql://h/db"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void poolSizeHasDefaultAndMinimum() {
    SqlConfig c = SqlConfig.of("jdbc:h2:mem:x");
    assertThat(c.poolSize()).isEqualTo(SqlConfig.DEFAULT_POOL_SIZE);
    assertThat(c.withPoolSize(3).poolSize()).isEqualTo(3);
    assertThatThrownBy(() -> c.withPoolSize(1))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void schemaMustBeAPlainIdentifier() {
    SqlConfig c = SqlConfig.of("jdbc:h2:mem:x");
    assertThat(c.schema()).isNull();
    assertThat(c.withSchema("tenant_2").schema()).isEqualTo("tenant_2");
    assertThatThrownBy(() -> c.withSchema("a; DROP TABLE x"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> c.withSchema("")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void withMethodsChangeOneFieldEach() {
    SqlConfig c =
        SqlConfig.of("postgres://u:p@h/db")
            .withUser("v")
            .withPassword("q")
            .withPoolSize(4)
            .withSchema("s")
            .withConnectionTimeout(Duration.ofMillis(700));
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
    assertThat(c.user()).isEqualTo("v");
    assertThat(c.password()).isEqualTo("q");
    assertThat(c.poolSize()).isEqualTo(4);
    assertThat(c.schema()).isEqualTo("s");
    assertThat(c.connectionTimeout()).isEqualTo(Duration.ofMillis(700));
    assertThat(SqlConfig.of("jdbc:h2:mem:x").connectionTimeout())
        .isEqualTo(SqlConfig.DEFAULT_CONNECTION_TIMEOUT);
  }

  @Test
  void twoSchemasOnOneH2DatabaseAreIndependent() {
    SqlConfig db = SqlConfig.h2Memory("schemas-" + java.util.UUID.randomUUID());
    try (SqlCoordinate a = SqlCoordinate.open(db.withSchema("a"));
        SqlCoordinate b = SqlCoordinate.open(db.withSchema("b"))) {
      a.namespace("n").setWorkSpec(Map.of("name", "only_in_a"));
      b.namespace("n").setWorkSpec(Map.of("name", "only_in_b"));
      assertThat(a.namespace("n").workSpecNames()).containsExactly("only_in_a");
      assertThat(b.namespace("n").workSpecNames()).containsExactly("only_in_b");
    }
  }
}
