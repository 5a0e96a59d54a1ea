package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes a request from its bytes to the bytes of its reply, as a connection handles one frame
 * ({@link FuzzedJobServer#handle}): decoding, recovering the id of a malformed request, checking
 * the method name and parameters, the call over the in-memory backend, and encoding the reply.
 * Every frame content must get a reply of two entries (the id, and a result or an error); an
 * "internal server error" or a reply that cannot be encoded is a bug.
 *
 * <p>Seeds ({@code WireFuzzTestInputs/request}): each example of {@link RpcExamples} as a request,
 * with text strings and as the Python 2 client sends it (byte strings throughout), and malformed
 * requests. {@code scripts/fuzz wire} fuzzes.
 */
class WireFuzzTest {
  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "cbor-rpc.dict")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void request(byte[] frame) {
    try (FuzzedJobServer server = new FuzzedJobServer()) {
      byte[] reply = server.handle(frame);
      assertThat(reply[0] & 0xff).as("a map of two entries").isEqualTo(0xa2);
    }
  }
}
