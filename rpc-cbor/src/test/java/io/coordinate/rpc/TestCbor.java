package io.coordinate.rpc;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small CBOR reader and writer for tests, independent of the codec the server uses, so a test
 * sees the bytes as a Python client would.
 *
 * <p>Reading is as strict as the Python 2 client's tag mapper: only tags 37 (UUID) and 128 (tuple)
 * are known, any other tag fails, and so does an indefinite length (the server promises definite
 * lengths). Byte strings read as {@link ByteString}, text as {@link String}, tuples as {@link
 * Tuple}, arrays as {@link List}. Map keys may be integers (read as {@link Long}: {@code
 * count_work_units} answers {@code {status: count}}); byte and text string keys both read as {@link
 * String}, as Python 2 treats {@code 'k'} and {@code u'k'} as the same key.
 *
 * <p>Writing can send every Java {@link String} as a byte string, map keys included, which is what
 * the Python 2 client does with its {@code str} values; {@link Raw} splices bytes in unchanged.
 */
final class TestCbor {
  private TestCbor() {}

  /** Bytes written as they are, to put a hostile item where a value belongs. */
  record Raw(byte[] bytes) {}

  /** A text string even when strings are written as byte strings. */
  record Text(String text) {}

  // ---------------------------------------------------------------------------------------
  // Writing
  // ---------------------------------------------------------------------------------------

  static byte[] encode(Object value, boolean stringsAsBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value, stringsAsBytes);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object value, boolean stringsAsBytes) {
    switch (value) {
      case null -> out.write(0xf6);
      case Boolean b -> out.write(b ? 0xf5 : 0xf4);
      case Long l -> writeInt(out, l);
      case Integer i -> writeInt(out, i);
      case Double d -> {
        out.write(0xfb);
        out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
      }
      case String s -> {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        head(out, stringsAsBytes ? 2 : 3, utf8.length);
        out.writeBytes(utf8);
      }
      case Text t -> {
        byte[] utf8 = t.text().getBytes(StandardCharsets.UTF_8);
        head(out, 3, utf8.length);
        out.writeBytes(utf8);
      }
      case ByteString b -> {
        head(out, 2, b.size());
        out.writeBytes(b.toByteArray());
      }
      case byte[] b -> {
        head(out, 2, b.length);
        out.writeBytes(b);
      }
      case UUID u -> {
        head(out, 6, 37);
        head(out, 2, 16);
        out.writeBytes(
            ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array());
      }
      case Tuple t -> {
        head(out, 6, 128);
        write(out, t.items(), stringsAsBytes);
      }
      case List<?> list -> {
        head(out, 4, list.size());
        for (Object item : list) {
          write(out, item, stringsAsBytes);
        }
      }
      case Map<?, ?> map -> {
        head(out, 5, map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          write(out, e.getKey(), stringsAsBytes);
          write(out, e.getValue(), stringsAsBytes);
        }
      }
      case Raw r -> out.writeBytes(r.bytes());
      default -> throw new IllegalArgumentException("cannot encode " + value.getClass());
    }
  }

  private static void writeInt(ByteArrayOutputStream out, long v) {
    if (v >= 0) {
      head(out, 0, v);
    } else {
      head(out, 1, -1 - v);
    }
  }

  /** A CBOR head with the shortest argument encoding. */
  static void head(ByteArrayOutputStream out, int major, long argument) {
    int m = major << 5;
    if (argument < 24) {
      out.write(m | (int) argument);
    } else if (argument < 0x100) {
      out.write(m | 24);
      out.write((int) argument);
    } else if (argument < 0x10000) {
      out.write(m | 25);
      out.write((int) (argument >>> 8));
      out.write((int) argument);
    } else if (argument < 0x100000000L) {
      out.write(m | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (argument >>> shift));
      }
    } else {
      out.write(m | 27);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (argument >>> shift));
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Reading
  // ---------------------------------------------------------------------------------------

  /** The one item in {@code bytes}; fails on trailing bytes. */
  static Object decode(byte[] bytes) {
    Reader r = new Reader(bytes);
    Object value = r.item(0);
    if (r.pos != bytes.length) {
      throw new IllegalArgumentException((bytes.length - r.pos) + " trailing bytes after the item");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<Object, Object> decodeMap(byte[] bytes) {
    Object value = decode(bytes);
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("expected a map, got " + value);
    }
    return (Map<Object, Object>) value;
  }

  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    Object item(int depth) {
      if (depth > 200) {
        throw new IllegalArgumentException("nested too deeply");
      }
      int initial = next();
      int major = initial >>> 5;
      if ((initial & 0x1f) == 31) {
        throw new IllegalArgumentException(
            "indefinite length (major type " + major + ") at offset " + (pos - 1));
      }
      return switch (major) {
        case 0 -> unsigned(argument(initial));
        case 1 -> {
          long n = argument(initial);
          yield n >= 0 ? (Object) (-1 - n) : new BigInteger(Long.toUnsignedString(n)).not();
        }
        case 2 -> ByteString.wrap(bytes(argument(initial)));
        case 3 -> text(bytes(argument(initial)));
        case 4 -> {
          long n = argument(initial);
          List<Object> list = new ArrayList<>();
          for (long i = 0; i < n; i++) {
            list.add(item(depth + 1));
          }
          yield Collections.unmodifiableList(list);
        }
        case 5 -> {
          long n = argument(initial);
          Map<Object, Object> map = new LinkedHashMap<>();
          for (long i = 0; i < n; i++) {
            Object key = item(depth + 1);
            if (key instanceof ByteString b) {
              key = b.toUtf8();
            }
            if (map.containsKey(key)) {
              throw new IllegalArgumentException("duplicate map key " + key);
            }
            map.put(key, item(depth + 1));
          }
          yield Collections.unmodifiableMap(map);
        }
        case 6 -> tagged(argument(initial), depth);
        default -> simple(initial);
      };
    }

    private Object tagged(long tag, int depth) {
      Object content = item(depth + 1);
      if (tag == 128) {
        if (!(content instanceof List<?> list)) {
          throw new IllegalArgumentException("tag 128 must wrap an array");
        }
        return new Tuple(new ArrayList<>(list));
      }
      if (tag == 37) {
        if (!(content instanceof ByteString b) || b.size() != 16) {
          throw new IllegalArgumentException("tag 37 must wrap 16 bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(b.toByteArray());
        return new UUID(buf.getLong(), buf.getLong());
      }
      // The Python client's tag mapper raises on any other tag.
      throw new IllegalArgumentException("unknown tag " + tag);
    }

    private Object simple(int initial) {
      return switch (initial & 0x1f) {
        case 20 -> false;
        case 21 -> true;
        case 22 -> null;
        case 25 -> (double) Float.float16ToFloat((short) fixed(2));
        case 26 -> (double) Float.intBitsToFloat((int) fixed(4));
        case 27 -> Double.longBitsToDouble(fixed(8));
        default -> throw new IllegalArgumentException(
            "unexpected simple value 0x" + Integer.toHexString(initial));
      };
    }

    private static Object unsigned(long n) {
      return n >= 0 ? (Object) n : new BigInteger(Long.toUnsignedString(n));
    }

    private static String text(byte[] utf8) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(utf8))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("text string is not UTF-8", e);
      }
    }

    private long argument(int initial) {
      int info = initial & 0x1f;
      if (info < 24) {
        return info;
      }
      return switch (info) {
        case 24 -> fixed(1);
        case 25 -> fixed(2);
        case 26 -> fixed(4);
        case 27 -> fixed(8);
        default -> throw new IllegalArgumentException("reserved additional info " + info);
      };
    }

    private long fixed(int size) {
      long v = 0;
      for (int i = 0; i < size; i++) {
        v = (v << 8) | next();
      }
      return v;
    }

    private byte[] bytes(long length) {
      if (length < 0 || length > in.length - pos) {
        throw new IllegalArgumentException("string runs past the end");
      }
      byte[] b = Arrays.copyOfRange(in, pos, pos + (int) length);
      pos += (int) length;
      return b;
    }

    private int next() {
      if (pos >= in.length) {
        throw new IllegalArgumentException("truncated item");
      }
      return in[pos++] & 0xff;
    }
  }
}
