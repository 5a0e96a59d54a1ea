package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Recovering the id and method of requests that do not decode as a whole. */
class RequestScanTest {
  private static final TestCbor.Raw INT_KEYED_MAP = new TestCbor.Raw(new byte[] {(byte) 0xa1, 1, 2});

  @Test
  void findsIdAndMethodWhateverTheirOrderAndKeyType() {
    byte[] bytesKeys =
        TestCbor.encode(map("params", list(INT_KEYED_MAP), "method", "m", "id", 9L), true);
    assertThat(RequestScan.of(bytesKeys)).isEqualTo(new RequestScan.Found(9L, "m"));
    byte[] textKeys =
        TestCbor.encode(map("id", 10L, "method", "m", "params", list(INT_KEYED_MAP)), false);
    assertThat(RequestScan.of(textKeys)).isEqualTo(new RequestScan.Found(10L, "m"));
  }

  @Test
  void readsAnIndefiniteLengthMapAndSkipsExtraKeys() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0xbf);
    b.writeBytes(TestCbor.encode("extra", true));
    b.writeBytes(TestCbor.encode(map("deep", list(list(1L, 2.5, null, true))), true));
    b.writeBytes(TestCbor.encode(7L, true)); // a non-string key, skipped
    b.writeBytes(TestCbor.encode("seven", true));
    b.writeBytes(TestCbor.encode("id", true));
    b.writeBytes(TestCbor.encode(3L, true));
    b.write(0xff);
    assertThat(RequestScan.of(b.toByteArray())).isEqualTo(new RequestScan.Found(3L, null));
  }

  @Test
  void keepsWhatItFoundBeforeTheInputBreaks() {
    byte[] whole = TestCbor.encode(map("id", 4L, "method", "now", "params", list("x", "y")), true);
    byte[] cut = Arrays.copyOf(whole, whole.length - 3);
    assertThat(RequestScan.of(cut)).isEqualTo(new RequestScan.Found(4L, "now"));
  }

  @Test
  void givesUpQuietlyOnAnythingElse() {
    assertThat(RequestScan.of(new byte[0])).isEqualTo(RequestScan.Found.NOTHING);
    assertThat(RequestScan.of(new byte[] {(byte) 0x82, 1, 2})).isEqualTo(RequestScan.Found.NOTHING);
    // A map announcing 2^64-1 entries, and one nested far too deeply.
    byte[] huge = {(byte) 0xbb, -1, -1, -1, -1, -1, -1, -1, -1};
    assertThat(RequestScan.of(huge)).isEqualTo(RequestScan.Found.NOTHING);
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    deep.write(0xa2);
    deep.writeBytes(TestCbor.encode("params", true));
    for (int i = 0; i < 100_000; i++) {
      deep.write(0x81);
    }
    deep.write(0);
    deep.writeBytes(TestCbor.encode("id", true));
    deep.write(5);
    assertThat(RequestScan.of(deep.toByteArray()).id()).isNull();
  }

  @Test
  void anIdThatDoesNotDecodeIsNull() {
    byte[] request = TestCbor.encode(map("id", INT_KEYED_MAP, "method", "now"), true);
    assertThat(RequestScan.of(request)).isEqualTo(new RequestScan.Found(null, "now"));
  }
}
