package io.coordinate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.data.ByteString;
import org.junit.jupiter.api.Test;

/** How keys are shown in tables and JSON and read from arguments. */
class KeysTest {
  @Test
  void plainTextIsShownAsItIsAndAnythingElseInBase64() {
    assertThat(Keys.display(WorkUnitKey.of("https://example.com/ä?q=1"))).isEqualTo(
        "https://example.com/ä?q=1");
    assertThat(Keys.display(WorkUnitKey.of("a b"))).isEqualTo("a b");
    assertThat(Keys.display(WorkUnitKey.of(""))).isEqualTo("base64:");
    assertThat(Keys.display(WorkUnitKey.of(" lead"))).isEqualTo("base64:IGxlYWQ");
    assertThat(Keys.display(WorkUnitKey.of("line\nbreak"))).isEqualTo("base64:bGluZQpicmVhaw");
    assertThat(Keys.display(WorkUnitKey.of("rtl\u202eoverride"))).startsWith("base64:");
    assertThat(Keys.display(WorkUnitKey.of("base64:AP8"))).isEqualTo("base64:YmFzZTY0OkFQOA");
    assertThat(Keys.display(WorkUnitKey.of(new byte[] {(byte) 0xc3, 0x28})))
        .isEqualTo("base64:wyg");
  }

  @Test
  void jsonHasTextOrTaggedBytes() {
    assertThat(Keys.json(WorkUnitKey.of("a\tb"))).isEqualTo("a\tb");
    assertThat(Keys.json(WorkUnitKey.of(new byte[] {0, (byte) 0xff})))
        .isEqualTo(ByteString.copyOf(new byte[] {0, (byte) 0xff}));
    assertThat(Json.compact(Keys.json(WorkUnitKey.of(new byte[] {0, (byte) 0xff}))))
        .isEqualTo("{\"$bytes\":\"AP8=\"}");
  }

  @Test
  void argumentsAreTextOrBase64InEitherAlphabet() {
    assertThat(Keys.parse("AP8", false)).isEqualTo(WorkUnitKey.of("AP8"));
    WorkUnitKey bytes = WorkUnitKey.of(new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThat(Keys.parse("-_8", true)).isEqualTo(bytes);
    assertThat(Keys.parse("+/8=", true)).isEqualTo(bytes);
    assertThat(Keys.parse("", true)).isEqualTo(WorkUnitKey.of(""));
    assertThatThrownBy(() -> Keys.parse("a*b", true))
        .isInstanceOf(CliFailure.class)
        .hasMessageStartingWith("key \"a*b\" is not base64");
  }

  @Test
  void aKeyIsNamedAgainAsAShellArgument() {
    assertThat(Keys.argument(WorkUnitKey.of("it's"))).isEqualTo("'it'\\''s'");
    assertThat(Keys.argument(WorkUnitKey.of(new byte[] {0}))).isEqualTo("AA (with --key-base64)");
  }
}
