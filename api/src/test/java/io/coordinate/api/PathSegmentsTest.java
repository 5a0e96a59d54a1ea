package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathSegmentsTest {
  @Test
  void namesArePercentEncodedWithTheTildeRule() {
    assertThat(PathSegments.ofName("")).isEqualTo("~");
    assertThat(PathSegments.ofName("~x")).isEqualTo("~~x");
    assertThat(PathSegments.ofName("x~")).isEqualTo("x~");
    assertThat(PathSegments.ofName("a/b c")).isEqualTo("a%2Fb%20c");
    assertThat(PathSegments.ofName("é+%")).isEqualTo("%C3%A9%2B%25");
    for (String name : List.of("", "~", "~~x", "a/b c", "é+%", "..", "?#&=")) {
      assertThat(PathSegments.name(PathSegments.ofName(name))).as(name).isEqualTo(name);
    }
    assertThat(PathSegments.name("a+b")).isEqualTo("a+b");
    assertThat(PathSegments.name("%7E")).isEmpty();
  }

  @Test
  void malformedNameSegmentsAreRefused() {
    for (String bad : List.of("%", "%4", "%zz", "%C3")) {
      assertThatThrownBy(() -> PathSegments.name(bad)).as(bad)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void keysAreBase64UrlAndTheEmptyKeyATilde() {
    WorkUnitKey binary = WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
    assertThat(PathSegments.ofKey(binary)).isEqualTo("_wCA");
    assertThat(PathSegments.key("_wCA")).isEqualTo(binary);
    assertThat(PathSegments.ofKey(WorkUnitKey.of(""))).isEqualTo("~");
    assertThat(PathSegments.key("~")).isEqualTo(WorkUnitKey.of(""));
    assertThatThrownBy(() -> PathSegments.key("~~")).isInstanceOf(InvalidRequestException.class);
  }
}
