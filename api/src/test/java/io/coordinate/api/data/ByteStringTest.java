package io.coordinate.api.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteStringTest {
  private static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.copyOf(b);
  }

  @Test
  void ordersBytesUnsigned() {
    assertThat(bytes(0x80)).isGreaterThan(bytes(0x7f));
    assertThat(bytes(0xff)).isGreaterThan(bytes(0x00));
    assertThat(bytes(0x01, 0xff)).isLessThan(bytes(0x02));
  }

  @Test
  void ordersAPrefixFirst() {
    assertThat(ByteString.EMPTY).isLessThan(bytes(0x00));
    assertThat(ByteString.utf8("a")).isLessThan(ByteString.utf8("aa"));
    assertThat(ByteString.utf8("ab")).isGreaterThan(ByteString.utf8("aa"));
  }

  @Test
  void sortsAsUnsignedBytes() {
    List<ByteString> list =
        new ArrayList<>(List.of(bytes(0xc3, 0xa9), bytes(0x7f), ByteString.EMPTY, bytes(0x80)));
    list.sort(null);
    assertThat(list).containsExactly(ByteString.EMPTY, bytes(0x7f), bytes(0x80), bytes(0xc3, 0xa9));
  }

  @Test
  void comparesEqualOnlyWhenEqual() {
    assertThat(bytes(1, 2).compareTo(bytes(1, 2))).isZero();
    assertThat(bytes(1, 2)).isEqualTo(bytes(1, 2));
  }

  @Test
  void isEqualByContent() {
    ByteString a = ByteString.copyOf(new byte[] {1, 2, 3});
    ByteString b = ByteString.wrap(new byte[] {1, 2, 3});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(bytes(1, 2)).isNotEqualTo(bytes(1, 2, 4));
    assertThat(ByteString.utf8("key")).isEqualTo(bytes('k', 'e', 'y'));
    assertThat(ByteString.utf8("")).isSameAs(ByteString.EMPTY);
    assertThat(ByteString.copyOf(new byte[0])).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void isNotEqualToOtherTypes() {
    assertThat(ByteString.utf8("a")).isNotEqualTo("a");
    assertThat(ByteString.utf8("a").equals(new byte[] {'a'})).isFalse();
  }

  @Test
  void copiesOnTheWayIn() {
    byte[] source = {1, 2, 3};
    ByteString b = ByteString.copyOf(source);
    source[0] = 9;
    assertThat(b.byteAt(0)).isEqualTo((byte) 1);
  }

  @Test
  void copiesOnTheWayOut() {
    ByteString b = bytes(1, 2, 3);
    byte[] out = b.toByteArray();
    out[0] = 9;
    assertThat(b.toByteArray()).containsExactly(1, 2, 3);
  }

  @Test
  void copiesARange() {
    byte[] source = {0, 1, 2, 3, 4};
    ByteString b = ByteString.copyOf(source, 1, 3);
    source[2] = 9;
    assertThat(b).isEqualTo(bytes(1, 2, 3));
    assertThat(b.size()).isEqualTo(3);
    assertThat(ByteString.copyOf(source, 2, 0)).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void showsUtf8AsText() {
    assertThat(ByteString.utf8("héllo ✓").toString()).isEqualTo("héllo ✓");
    assertThat(ByteString.utf8("héllo").toUtf8()).isEqualTo("héllo");
    assertThat(ByteString.EMPTY.toString()).isEmpty();
  }

  @Test
  void showsOtherBytesAsHex() {
    assertThat(bytes(0xff, 0x00, 0x7f).toString()).isEqualTo("0xff007f");
    // A lone continuation byte and an encoded surrogate are not UTF-8.
    assertThat(bytes('a', 0x80).toString()).isEqualTo("0x6180");
    assertThat(bytes(0xed, 0xa0, 0x80).isValidUtf8()).isFalse();
    assertThat(bytes(0xc3, 0xa9).isValidUtf8()).isTrue();
  }

  @Test
  void replacesMalformedUtf8WhenDecoding() {
    assertThat(bytes('a', 0xff).toUtf8()).isEqualTo("a\uFFFD");
  }

  @Test
  void formatsHex() {
    assertThat(bytes(0x00, 0xab, 0x10).toHex()).isEqualTo("00ab10");
    assertThat(ByteString.EMPTY.toHex()).isEmpty();
  }

  @Test
  void hashesStablyEvenWhenTheHashIsZero() {
    // Arrays.hashCode of an empty array is 1, of {-31} is 0: the cached hash must still be right.
    ByteString zeroHash = bytes(-31);
    assertThat(zeroHash.hashCode()).isZero();
    assertThat(zeroHash.hashCode()).isEqualTo(bytes(-31).hashCode());
  }
}
