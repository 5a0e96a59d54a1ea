package io.coordinate.bench;

import io.coordinate.api.data.ByteString;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes the CBOR of a CBOR-RPC reply, more leniently than the API's codec: map keys may be of
 * any type ({@code count_work_units} answers with integer statuses), so maps come back as {@code
 * Map<Object, Object>}.
 *
 * <p>Values: unsigned and negative integers as {@link Long} (or {@link BigInteger} when larger),
 * byte strings as {@link ByteString}, text as {@link String}, arrays as {@link List}, maps as
 * {@link LinkedHashMap} whose byte-string keys that are valid UTF-8 become {@link String} (the
 * server may send keys either way), tag 128 as {@link Tup}, tag 37 as {@link UUID}, other tags as
 * their content, floats as {@link Double}, {@code null}/{@code undefined} as {@code null}.
 * Indefinite lengths are accepted. Malformed input throws {@link IllegalArgumentException}.
 */
final class ReplyDecoder {
  /** A Python tuple (tag 128), kept apart from lists so result shapes can be told apart. */
  record Tup(List<Object> items) {}

  private static final Object BREAK = new Object();

  private final ByteBuffer in;

  private ReplyDecoder(byte[] bytes) {
    this.in = ByteBuffer.wrap(bytes);
  }

  /** The one data item {@code bytes} holds. */
  static Object decode(byte[] bytes) {
    ReplyDecoder d = new ReplyDecoder(bytes);
    Object value = d.item();
    if (value == BREAK || d.in.hasRemaining()) {
      throw new IllegalArgumentException("not exactly one CBOR item");
    }
    return value;
  }

  private Object item() {
    try {
      return read();
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated CBOR", e);
    }
  }

  private Object read() {
    int initial = in.get() & 0xff;
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (major == 7) {
      return simple(info);
    }
    if (info == 31) {
      return indefinite(major);
    }
    long arg = argument(info);
    return switch (major) {
      case 0 -> arg >= 0 ? (Object) arg : new BigInteger(Long.toUnsignedString(arg));
      case 1 -> arg >= 0 ? (Object) (-1 - arg)
          : BigInteger.ONE.negate().subtract(new BigInteger(Long.toUnsignedString(arg)));
      case 2 -> ByteString.wrap(bytes(arg));
      case 3 -> new String(bytes(arg), StandardCharsets.UTF_8);
      case 4 -> {
        List<Object> list = new ArrayList<>((int) Math.min(arg, 1024));
        for (long i = 0; i < arg; i++) {
          list.add(value());
        }
        yield list;
      }
      case 5 -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (long i = 0; i < arg; i++) {
          Object key = key(value());
          map.put(key, value());
        }
        yield map;
      }
      case 6 -> tagged(arg, value());
      default -> throw new IllegalArgumentException("bad CBOR major type " + major);
    };
  }

  /** An item that must not be a break. */
  private Object value() {
    Object v = read();
    if (v == BREAK) {
      throw new IllegalArgumentException("unexpected CBOR break");
    }
    return v;
  }

  private Object indefinite(int major) {
    switch (major) {
      case 2, 3 -> {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Object chunk = read(); chunk != BREAK; chunk = read()) {
          b.writeBytes(
              chunk instanceof ByteString bs
                  ? bs.toByteArray()
                  : ((String) chunk).getBytes(StandardCharsets.UTF_8));
        }
        return major == 2
            ? ByteString.copyOf(b.toByteArray())
            : b.toString(StandardCharsets.UTF_8);
      }
      case 4 -> {
        List<Object> list = new ArrayList<>();
        for (Object v = read(); v != BREAK; v = read()) {
          list.add(v);
        }
        return list;
      }
      case 5 -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Object k = read(); k != BREAK; k = read()) {
          map.put(key(k), value());
        }
        return map;
      }
      default -> throw new IllegalArgumentException("indefinite length on major type " + major);
    }
  }

  private static Object key(Object key) {
    return key instanceof ByteString b && b.isValidUtf8() ? b.toUtf8() : key;
  }

  private static Object tagged(long tag, Object content) {
    if (tag == 128 && content instanceof List<?> items) {
      return new Tup(new ArrayList<>(items));
    }
    if (tag == 37 && content instanceof ByteString b && b.size() == 16) {
      ByteBuffer u = ByteBuffer.wrap(b.toByteArray());
      return new UUID(u.getLong(), u.getLong());
    }
    return content;
  }

  private Object simple(int info) {
    return switch (info) {
      case 20 -> Boolean.FALSE;
      case 21 -> Boolean.TRUE;
      case 22, 23 -> null;
      case 25 -> (double) Float.float16ToFloat(in.getShort());
      case 26 -> (double) in.getFloat();
      case 27 -> in.getDouble();
      case 31 -> BREAK;
      default -> {
        if (info == 24) {
          in.get();
        }
        throw new IllegalArgumentException("unassigned CBOR simple value");
      }
    };
  }

  private long argument(int info) {
    if (info < 24) {
      return info;
    }
    return switch (info) {
      case 24 -> in.get() & 0xffL;
      case 25 -> in.getShort() & 0xffffL;
      case 26 -> in.getInt() & 0xffffffffL;
      case 27 -> in.getLong();
      default -> throw new IllegalArgumentException("bad CBOR additional info " + info);
    };
  }

  private byte[] bytes(long length) {
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("truncated CBOR string");
    }
    byte[] b = new byte[(int) length];
    in.get(b);
    return b;
  }
}
