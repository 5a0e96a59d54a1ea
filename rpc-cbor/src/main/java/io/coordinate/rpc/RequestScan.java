package io.coordinate.rpc;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.CborCodec;
import io.coordinate.api.data.DataValues;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Best-effort recovery of a malformed request's {@code id} and {@code method}. When a request
 * cannot be decoded as a whole (bad CBOR deep inside its parameters, data outside the model), its
 * error reply should still carry its id: the Python client checks the id of every reply before it
 * looks at the error, and would otherwise fail with an assertion instead of the server's message.
 *
 * <p>The scan walks only the structure of the top-level map, skipping values without building
 * them, and decodes just the two values it looks for. It never throws and never allocates more than
 * those two values: on anything it cannot follow it gives up with what it has.
 */
final class RequestScan {
  private static final int BREAK = 0xff;

  /** What was found; either may be null. */
  record Found(Object id, String method) {
    static final Found NOTHING = new Found(null, null);
  }

  private final byte[] in;
  private int pos;

  private RequestScan(byte[] in) {
    this.in = in;
  }

  /** The id and method name of the request in {@code frame}, as far as they can be read. */
  static Found of(byte[] frame) {
    RequestScan scan = new RequestScan(frame);
    Object id = null;
    String method = null;
    try {
      int initial = scan.next();
      if (initial >>> 5 != 5) {
        return Found.NOTHING;
      }
      boolean indefinite = (initial & 0x1f) == 31;
      long count = indefinite ? Long.MAX_VALUE : scan.argument(initial);
      for (long i = 0; i < count; i++) {
        if (indefinite && scan.peek() == BREAK) {
          break;
        }
        String key = scan.stringKey();
        int start = scan.pos;
        scan.skip(0);
        if ("id".equals(key)) {
          id = scan.decode(start);
        } else if ("method".equals(key)) {
          method = Params.asString(scan.decode(start));
        }
      }
    } catch (RuntimeException e) {
      // Truncated or malformed structure: keep what was found before it.
    }
    return new Found(id, method);
  }

  /** The value between {@code start} and the current position, or null if it does not decode. */
  private Object decode(int start) {
    try {
      return CborCodec.decode(Arrays.copyOfRange(in, start, pos));
    } catch (InvalidRequestException e) {
      return null;
    }
  }

  /** A text or byte string key as text; anything else is skipped and reads as null. */
  private String stringKey() {
    int initial = peek();
    int major = initial >>> 5;
    if ((major == 2 || major == 3) && (initial & 0x1f) != 31) {
      next();
      int length = length(argument(initial));
      String key = new String(in, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return key;
    }
    skip(0);
    return null;
  }

  /** Moves past one data item, tags and nested items included. */
  private void skip(int depth) {
    if (depth > DataValues.MAX_DEPTH + 1) {
      throw new IllegalStateException("nested too deeply");
    }
    int initial = next();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    switch (major) {
      case 0, 1 -> argument(initial);
      case 2, 3 -> {
        if (info == 31) {
          while (peek() != BREAK) {
            skip(depth + 1); // chunks
          }
          pos++;
        } else {
          pos += length(argument(initial));
        }
      }
      case 4, 5 -> {
        int perEntry = major == 5 ? 2 : 1;
        if (info == 31) {
          while (peek() != BREAK) {
            skip(depth + 1);
          }
          pos++;
        } else {
          long items = argument(initial);
          if (items < 0 || items > (in.length - pos) / perEntry) {
            throw new IllegalStateException("more items than bytes");
          }
          for (long i = 0; i < items * perEntry; i++) {
            skip(depth + 1);
          }
        }
      }
      case 6 -> {
        argument(initial);
        skip(depth + 1);
      }
      default -> {
        if (info == 31 || (info > 27 && info < 31)) {
          throw new IllegalStateException("unexpected break or reserved value");
        }
        if (info >= 24) {
          argument(initial);
        }
      }
    }
  }

  /** A string length that fits in what is left. */
  private int length(long n) {
    if (n < 0 || n > in.length - pos) {
      throw new IllegalStateException("string runs past the end");
    }
    return (int) n;
  }

  private long argument(int initial) {
    int info = initial & 0x1f;
    if (info < 24) {
      return info;
    }
    int size =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw new IllegalStateException("no argument");
        };
    long v = 0;
    for (int i = 0; i < size; i++) {
      v = (v << 8) | next();
    }
    return v;
  }

  private int next() {
    if (pos >= in.length) {
      throw new IllegalStateException("truncated");
    }
    return in[pos++] & 0xff;
  }

  private int peek() {
    if (pos >= in.length) {
      throw new IllegalStateException("truncated");
    }
    return in[pos] & 0xff;
  }
}
