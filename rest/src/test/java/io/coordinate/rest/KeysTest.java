package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.WorkUnitKey;
import org.junit.jupiter.api.Test;

/** Work unit keys in URLs, apart from any store. */
class KeysTest {
  /** Not valid UTF-8: a lone continuation byte after a NUL. */
  private static final WorkUnitKey BINARY =
      WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
  private static final String BINARY_B64 = "_wCA";

  @Test
  void keysAreUnpaddedBase64UrlAndDecodeStrictly() {
    assertThat(Keys.encode(BINARY)).isEqualTo(BINARY_B64);
    assertThat(Keys.decode(BINARY_B64)).isEqualTo(BINARY);
    assertThat(Keys.encode(WorkUnitKey.of("a"))).isEqualTo("YQ");
    assertThat(Keys.text(BINARY)).isNull();
    assertThat(Keys.text(WorkUnitKey.of("é"))).isEqualTo("é");
    for (String bad : new String[] {"YQ==", "YR", "Y", "a+b/", "a b", "!!"}) {
      assertThatThrownBy(() -> Keys.decode(bad))
          .as(bad)
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.code()).isEqualTo("invalid_request"));
    }
  }
}
