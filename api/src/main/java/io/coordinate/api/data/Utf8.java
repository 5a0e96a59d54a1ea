package io.coordinate.api.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

final class Utf8 {
  private Utf8() {}

  static boolean isValid(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return strictDecode(bytes);
      }
    }
    return true; // plain ASCII, the common case, without a decoder
  }

  private static boolean strictDecode(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
