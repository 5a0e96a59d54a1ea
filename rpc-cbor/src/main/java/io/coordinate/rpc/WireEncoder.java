package io.coordinate.rpc;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.CborCodec;
import io.coordinate.api.data.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes replies. Like {@link CborCodec}, except that maps may also have integer keys, which some
 * replies need ({@code count_work_units} answers {@code {status: count}} with integer statuses, as
 * the Python client reads them). Data values are written by {@link CborCodec#write}, so bytes stay
 * bytes and tuples stay tuples.
 */
final class WireEncoder {
  /**
   * Jackson's default buffer pool keeps buffers per thread: with a virtual thread per connection,
   * every connection would keep its own ~20 KiB for as long as it lives. A shared bounded pool
   * lends them to whichever connection is encoding.
   */
  private static final CBORFactory FACTORY =
      CBORFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();

  private WireEncoder() {}

  static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (CBORGenerator gen = FACTORY.createGenerator(out)) {
      write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(CBORGenerator gen, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      gen.writeStartObject(map, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object key = e.getKey();
        if (key instanceof Long || key instanceof Integer) {
          gen.writeFieldId(((Number) key).longValue());
        } else if (key instanceof String s) {
          gen.writeFieldName(s);
        } else if (key instanceof ByteString b) {
          gen.writeFieldName(b.toUtf8());
        } else {
          throw new IllegalArgumentException("reply map key of type " + key.getClass());
        }
        write(gen, e.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof List<?> list) {
      gen.writeStartArray(list, list.size());
      for (Object item : list) {
        write(gen, item);
      }
      gen.writeEndArray();
    } else if (value instanceof Tuple t) {
      gen.writeTag(128);
      write(gen, t.items());
    } else {
      CborCodec.write(gen, value);
    }
  }
}
