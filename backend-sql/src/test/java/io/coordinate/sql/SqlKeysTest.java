package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import io.coordinate.sql.TestStores.Store;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Work unit keys are bytes, not text: keys that are not UTF-8 survive exactly, and keys sort by
 * unsigned bytes ({@code 0x80} after {@code 0x7f}) in listings, in ranges, in lease order and in
 * the database's own index, on every store.
 */
class SqlKeysTest {
  @RegisterExtension final TestStores stores = new TestStores();

  private static final List<byte[]> KEYS =
      List.of(
          bytes(0x7f),
          bytes(0x80),
          bytes(0xff),
          bytes(0xff, 0xfe, 0x00, 0x80), // not UTF-8, with a NUL inside
          bytes(0xc3, 0x28), // an invalid UTF-8 sequence
          bytes(0xe2, 0x82), // a truncated one
          bytes(0x00),
          bytes(0x00, 0x00),
          bytes(0x7f, 0xff),
          bytes(0x80, 0x00),
          "a".getBytes(StandardCharsets.UTF_8),
          "é".getBytes(StandardCharsets.UTF_8)); // 0xc3 0xa9

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** The keys in unsigned byte order, as hex, computed independently of the backend. */
  private static List<String> expectedOrder() {
    List<byte[]> sorted = new ArrayList<>(KEYS);
    sorted.sort(Arrays::compareUnsigned);
    return sorted.stream().map(SqlKeysTest::hex).toList();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static List<String> hexKeys(List<WorkUnit> units) {
    return units.stream().map(u -> hex(u.key().toByteArray())).toList();
  }

  private WorkSpec specWithKeys(SqlConfig config) {
    WorkSpec spec = stores.open(config).namespace("keys").setWorkSpec(Map.of("name", "s"));
    List<byte[]> shuffled = new ArrayList<>(KEYS);
    Collections.shuffle(shuffled, new Random(7));
    for (byte[] k : shuffled) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of("key", ByteString.copyOf(k)), null);
    }
    return spec;
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void keysThatAreNotUtf8SurviveExactly(Store store) {
    WorkSpec spec = specWithKeys(store.config(stores));
    for (byte[] k : KEYS) {
      WorkUnit unit = spec.workUnit(WorkUnitKey.of(k));
      assertThat(unit.key().toByteArray()).containsExactly(k);
      assertThat(unit.data().get("key")).isEqualTo(ByteString.copyOf(k));
    }
    assertThat(spec.workUnits(WorkUnitQuery.all())).hasSize(KEYS.size());
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void listingsAndRangesUseUnsignedByteOrder(Store store) {
    WorkSpec spec = specWithKeys(store.config(stores));
    List<String> expected = expectedOrder();
    assertThat(hexKeys(spec.workUnits(WorkUnitQuery.all()))).containsExactlyElementsOf(expected);
    WorkUnitQuery from80 = WorkUnitQuery.all().withFrom(WorkUnitKey.of(bytes(0x80)));
    assertThat(hexKeys(spec.workUnits(from80)))
        .containsExactly("80", "8000", "c328", "c3a9", "e282", "ff", "fffe0080");
    WorkUnitQuery after7fff = WorkUnitQuery.all().withAfter(WorkUnitKey.of(bytes(0x7f, 0xff)));
    assertThat(hexKeys(spec.workUnits(after7fff))).startsWith("80", "8000");
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void leasesAtOnePriorityComeInUnsignedKeyOrder(Store store) {
    WorkSpec spec = specWithKeys(store.config(stores));
    Worker w = spec.namespace().worker("w");
    List<String> leased = new ArrayList<>();
    for (List<Attempt> got = w.requestAttempts(AttemptRequest.one());
        !got.isEmpty();
        got = w.requestAttempts(AttemptRequest.one())) {
      leased.add(hex(got.get(0).workUnit().key().toByteArray()));
      got.get(0).finish(null);
    }
    assertThat(leased).containsExactlyElementsOf(expectedOrder());
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void theDatabaseItselfOrdersTheKeyColumnUnsigned(Store store) throws Exception {
    SqlConfig config = store.config(stores);
    specWithKeys(config);
    List<String> inDatabase = new ArrayList<>();
    try (Connection c = TestStores.connect(config);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT unit_key FROM work_unit ORDER BY unit_key")) {
      while (rs.next()) {
        inDatabase.add(hex(rs.getBytes(1)));
      }
    }
    assertThat(inDatabase).containsExactlyElementsOf(expectedOrder());
  }
}
