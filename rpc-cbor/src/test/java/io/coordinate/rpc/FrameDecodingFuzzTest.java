package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.CborCodec;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what the server does with a connection's bytes before any method runs: {@link
 * Frames#read} cuts them into frames, {@link CborCodec#decodeMap} decodes a frame as a request,
 * and {@link RequestScan#of} recovers the id and method of a request that does not decode.
 *
 * <p>Whatever the bytes, reading ends in frames no larger than the limit, a clean end of input,
 * {@link Frames.FramingException} or {@link EOFException}; decoding gives a map or {@link
 * InvalidRequestException}; the scan never throws. Anything else fails the test, and so does an
 * input taking longer than the timeout (which Jazzer also applies to each input while fuzzing).
 * The seeds are in {@code FrameDecodingFuzzTestInputs/decode}; {@code scripts/fuzz frames}
 * fuzzes.
 */
class FrameDecodingFuzzTest {
  /** A small limit, so that frames just below and above it are within the fuzzer's reach. */
  private static final int MAX_FRAME = 1024;

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "cbor-rpc.dict")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void decode(byte[] input) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    while (true) {
      byte[] frame;
      try {
        frame = Frames.read(in, MAX_FRAME);
      } catch (Frames.FramingException | EOFException e) {
        break; // the documented ends of a broken stream
      }
      if (frame == null) {
        break;
      }
      assertThat(frame.length).isLessThanOrEqualTo(MAX_FRAME);
      decodeRequest(frame);
    }
    // The whole input as one frame's content: reaches the decoder without a valid header.
    decodeRequest(input);
  }

  /** A request map, or a malformed one whose id and method the scan looks for. */
  private static void decodeRequest(byte[] content) {
    Map<String, Object> request;
    try {
      request = CborCodec.decodeMap(content);
    } catch (InvalidRequestException e) {
      RequestScan.Found found = RequestScan.of(content);
      assertThat(found).isNotNull();
      return;
    }
    // What decodes re-encodes: the reply path writes such values back.
    assertThat(CborCodec.decodeMap(CborCodec.encode(request))).isEqualTo(request);
  }
}
