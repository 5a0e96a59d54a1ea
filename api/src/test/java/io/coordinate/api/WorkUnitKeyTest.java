package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkUnitKeyTest {
  @Test
  void textAndItsUtf8BytesAreTheSameKey() {
    WorkUnitKey fromText = WorkUnitKey.of("é");
    WorkUnitKey fromBytes = WorkUnitKey.of(new byte[] {(byte) 0xc3, (byte) 0xa9});
    assertThat(fromText).isEqualTo(fromBytes).hasSameHashCodeAs(fromBytes);
    assertThat(fromText).isEqualTo(new WorkUnitKey(ByteString.utf8("é")));
    assertThat(fromText).isNotEqualTo(WorkUnitKey.of("e"));
  }

  @Test
  void ordersUnsignedByteWise() {
    assertThat(WorkUnitKey.of(new byte[] {(byte) 0x80}))
        .isGreaterThan(WorkUnitKey.of(new byte[] {0x7f}));
    assertThat(WorkUnitKey.of("a")).isLessThan(WorkUnitKey.of("aa")).isLessThan(WorkUnitKey.of("b"));
    assertThat(WorkUnitKey.of("")).isLessThan(WorkUnitKey.of(new byte[] {0}));
    // Upper-case ASCII sorts before lower-case, and both before any non-ASCII byte.
    List<WorkUnitKey> keys =
        new ArrayList<>(List.of(WorkUnitKey.of("é"), WorkUnitKey.of("b"), WorkUnitKey.of("B")));
    keys.sort(null);
    assertThat(keys).containsExactly(WorkUnitKey.of("B"), WorkUnitKey.of("b"), WorkUnitKey.of("é"));
  }

  @Test
  void comparesZeroExactlyWhenEqual() {
    assertThat(WorkUnitKey.of("k").compareTo(WorkUnitKey.of(new byte[] {'k'}))).isZero();
    assertThat(WorkUnitKey.of("k").compareTo(WorkUnitKey.of("k\0"))).isNegative();
  }

  @Test
  void copiesBytesInAndOut() {
    byte[] source = {'a', 'b'};
    WorkUnitKey key = WorkUnitKey.of(source);
    source[0] = 'z';
    byte[] out = key.toByteArray();
    out[1] = 'z';
    assertThat(key.toUtf8()).isEqualTo("ab");
    assertThat(key.toByteArray()).containsExactly('a', 'b');
  }

  @Test
  void showsTextOrHex() {
    assertThat(WorkUnitKey.of("unit-1")).hasToString("unit-1");
    assertThat(WorkUnitKey.of("unit-1").isUtf8()).isTrue();
    WorkUnitKey binary = WorkUnitKey.of(new byte[] {(byte) 0xff, 0x01});
    assertThat(binary).hasToString("0xff01");
    assertThat(binary.isUtf8()).isFalse();
    assertThat(binary.toUtf8()).isEqualTo("\uFFFD\u0001");
  }

  @Test
  void rejectsNullBytes() {
    assertThatThrownBy(() -> new WorkUnitKey(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void base64UrlNamesEveryKeyWithOneSpelling() {
    assertThat(WorkUnitKey.of("u1").toBase64Url()).isEqualTo("dTE");
    WorkUnitKey binary = WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
    assertThat(binary.toBase64Url()).isEqualTo("_wCA");
    assertThat(WorkUnitKey.fromBase64Url("_wCA")).isEqualTo(binary);
    assertThat(WorkUnitKey.fromBase64Url("")).isEqualTo(WorkUnitKey.of(""));
    for (String bad : List.of("dTE=", "/wCA", "dTF", "d", "a b")) {
      assertThatThrownBy(() -> WorkUnitKey.fromBase64Url(bad))
          .as(bad)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("base64url");
    }
  }
}
