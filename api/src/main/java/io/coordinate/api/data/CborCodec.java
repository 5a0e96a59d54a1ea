package io.coordinate.api.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.coordinate.api.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Encodes and decodes the data-map value model ({@link DataValues}) as CBOR, the encoding the
 * Python {@code coordinate} client speaks.
 *
 * <p>Mapping: {@code null} is CBOR null; {@link Boolean} true/false; {@link Long} an integer;
 * {@link BigInteger} (outside the long range) a bignum, tag 2 or 3; {@link Double} a 64-bit float;
 * {@link String} a text string; {@link ByteString} a byte string; {@link List} an array; a
 * string-keyed {@link Map} a map with text keys; {@link Tuple} tag 128 wrapping an array; {@link
 * UUID} tag 37 wrapping its 16 big-endian bytes. Encoding accepts whatever {@link
 * DataValues#copyValue} accepts (an {@code Integer}, a {@code byte[]}, a map with {@link
 * ByteString} keys...) and writes its normalized form, so {@code decode(encode(x))} equals {@code
 * DataValues.copyValue(x)}: bytes stay bytes and tuples stay tuples.
 *
 * <p>Decoding returns the same normalized, deeply immutable form {@link DataValues#copyValue}
 * produces, and accepts what real clients send: map keys may be byte strings (the Python 2 client
 * sends them) and become their UTF-8 text, as in {@link DataValues}; half and single floats become
 * {@code Double}; small integers {@code Long}; {@code undefined} becomes {@code null};
 * indefinite-length strings, arrays and maps are fine. Tags other than 2, 3, 37 and 128 are ignored
 * and their content kept (a decimal fraction, tag 4, reads as its {@code [exponent, mantissa]}
 * list). A key that appears twice keeps its last value, as {@link DataValues#copyOf} does when a
 * text and a byte-string key name the same string. Malformed or truncated input, trailing bytes,
 * text strings that are not UTF-8, integer or other non-string map keys, unassigned simple values,
 * a tag 37 that is not 16 bytes, a tag 128 that is not an array, and nesting deeper than {@link
 * DataValues#MAX_DEPTH} raise {@link InvalidRequestException}.
 *
 * <p>Why {@link #decode} has its own small reader rather than Jackson's {@link CBORParser}: the
 * parser does read byte-string map keys, but in the pinned Jackson (2.18) it decodes bignums
 * against RFC 8949 (it reads the content of tags 2 and 3 as a signed number, and tag 3 as −n
 * instead of −1−n; jackson-dataformats-binary#431, fixed only behind opt-in features in 2.20) and
 * it cannot say afterwards that a number came from a tag, so the mistake cannot be undone. It also
 * turns integer map keys into names and unassigned simple values into numbers without a word.
 * Encoding uses Jackson's {@link CBORGenerator}, writing bignums itself for the same reason. {@link
 * #read(CBORParser)} serves callers that already stream with Jackson, with the limits it describes.
 *
 * <p>Thread-safe: every method works only on its arguments and one shared, immutable factory.
 */
public final class CborCodec {
  private static final int TAG_POSITIVE_BIGNUM = 2;
  private static final int TAG_NEGATIVE_BIGNUM = 3;
  private static final int TAG_UUID = 37;
  private static final int TAG_TUPLE = 128;

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Plain CBOR integers (major types 0 and 1) span −2^64 to 2^64−1. */
  private static final BigInteger CBOR_INT_MIN = BigInteger.ONE.shiftLeft(64).negate();

  private static final BigInteger CBOR_INT_MAX = CBOR_INT_MIN.negate().subtract(BigInteger.ONE);
  private static final BigInteger LONG_MAX_PLUS_ONE = LONG_MAX.add(BigInteger.ONE);

  private static final CBORFactory FACTORY = new CBORFactory();

  private CborCodec() {}

  /**
   * The CBOR encoding of one data value.
   *
   * @throws InvalidRequestException if the value is not of the model (see {@link #write})
   */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (CBORGenerator gen = FACTORY.createGenerator(out)) {
      write(gen, value);
    } catch (IOException e) {
      // Only the generator itself can fail here; a ByteArrayOutputStream never does.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The CBOR encoding of a data map; {@code null} encodes as the empty map. */
  public static byte[] encodeMap(Map<String, ?> map) {
    return encode(map == null ? Map.of() : map);
  }

  /**
   * The one data value {@code bytes} encodes, in normalized immutable form.
   *
   * @throws InvalidRequestException if the bytes are not exactly one well-formed value of the model
   */
  public static Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw malformed("no data item");
    }
    Decoder decoder = new Decoder(bytes);
    Object value = decoder.readValue(0);
    if (decoder.pos != bytes.length) {
      int trailing = bytes.length - decoder.pos;
      throw malformed(trailing + " trailing bytes after the data item");
    }
    return value;
  }

  /**
   * The data map {@code bytes} encodes.
   *
   * @throws InvalidRequestException if the bytes are malformed or hold something other than a map
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> decodeMap(byte[] bytes) {
    Object value = decode(bytes);
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidRequestException("expected a CBOR map, not " + kindOf(value));
    }
    return (Map<String, Object>) value;
  }

  /**
   * Writes one data value to {@code gen}. Containers are written with definite lengths, bignums
   * per RFC 8949. On an exception the generator's output is incomplete and must be discarded.
   *
   * @throws InvalidRequestException if the value is not of the model: an unsupported type, a map
   *     key that is not a string, text that is not valid Unicode, nesting deeper than {@link
   *     DataValues#MAX_DEPTH}
   * @throws IOException if the generator's output fails
   */
  public static void write(CBORGenerator gen, Object value) throws IOException {
    writeValue(gen, value, 0);
  }

  /**
   * Reads one data value from a Jackson parser that is positioned on the value's first token (with
   * no current token yet, it reads the next one first), and leaves it on the value's last token, so
   * {@code nextToken()} moves past it. It follows the same rules as {@link #decode}, within what
   * Jackson 2.18's parser reports: it is more lenient (an integer map key reads as its decimal
   * text, an unassigned simple value as its number, a tag before a bignum is lost). As that
   * parser misreads bignums (tags 2 and 3) without saying a number came from one, it rejects every
   * big integer it could have misread, keeping only those that plain CBOR integers give (between
   * 2^63 and 2^64−1, or −2^64 and −2^63−1, ends excluded): so it never misreads what {@link #write}
   * wrote, but a foreign bignum that Jackson happens to misread into those ranges slips through.
   * Prefer {@link #decode} on the bytes wherever integers beyond the long range may appear.
   *
   * @throws InvalidRequestException if the input is malformed, truncated, nests too deeply, or
   *     holds something outside the model
   * @throws IOException if the parser's input itself fails
   */
  public static Object read(CBORParser parser) throws IOException {
    try {
      JsonToken token = parser.currentToken();
      if (token == null) {
        token = parser.nextToken();
      }
      return readToken(parser, token, 0);
    } catch (JsonProcessingException e) {
      InvalidRequestException ex =
          new InvalidRequestException("malformed CBOR: " + e.getOriginalMessage());
      ex.initCause(e);
      throw ex;
    }
  }

  // ---- writing ----

  private static void writeValue(CBORGenerator gen, Object value, int depth) throws IOException {
    checkDepth(depth);
    switch (value) {
      case null -> gen.writeNull();
      case Boolean b -> gen.writeBoolean(b);
      case Long l -> gen.writeNumber(l.longValue());
      case Integer i -> gen.writeNumber(i.longValue());
      case Short s -> gen.writeNumber(s.longValue());
      case Byte b -> gen.writeNumber(b.longValue());
      case BigInteger big -> writeBigInteger(gen, big);
      case Double d -> gen.writeNumber(d.doubleValue());
      case Float f -> gen.writeNumber(f.doubleValue());
      case String s -> writeText(gen, s);
      case ByteString b -> writeBytes(gen, b.unsafeArray());
      case byte[] bytes -> writeBytes(gen, bytes);
      case UUID uuid -> writeUuid(gen, uuid);
      case Tuple t -> {
        gen.writeTag(TAG_TUPLE);
        writeList(gen, t.items(), depth);
      }
      case List<?> list -> writeList(gen, list, depth);
      case Map<?, ?> map -> writeMap(gen, map, depth);
      default ->
          throw new InvalidRequestException(
              "unsupported data value type: " + value.getClass().getName());
    }
  }

  private static void writeBigInteger(CBORGenerator gen, BigInteger big) throws IOException {
    if (big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
      gen.writeNumber(big.longValue()); // the model keeps these as Long
    } else if (big.signum() > 0) {
      gen.writeTag(TAG_POSITIVE_BIGNUM);
      writeBytes(gen, magnitude(big));
    } else {
      gen.writeTag(TAG_NEGATIVE_BIGNUM);
      writeBytes(gen, magnitude(big.not())); // tag 3 holds -1 - value, which is ~value
    }
  }

  /** The big-endian bytes of a non-negative number, without the two's-complement sign byte. */
  private static byte[] magnitude(BigInteger nonNegative) {
    byte[] bytes = nonNegative.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static void writeText(CBORGenerator gen, String s) throws IOException {
    try {
      gen.writeString(s);
    } catch (JsonProcessingException e) {
      // An unpaired surrogate has no UTF-8 encoding.
      throw new InvalidRequestException("text is not valid Unicode: " + e.getOriginalMessage());
    }
  }

  private static void writeBytes(CBORGenerator gen, byte[] bytes) throws IOException {
    gen.writeBinary(bytes, 0, bytes.length);
  }

  private static void writeUuid(CBORGenerator gen, UUID uuid) throws IOException {
    byte[] bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array();
    gen.writeTag(TAG_UUID);
    writeBytes(gen, bytes);
  }

  private static void writeList(CBORGenerator gen, List<?> list, int depth) throws IOException {
    gen.writeStartArray(list, list.size());
    for (Object item : list) {
      writeValue(gen, item, depth + 1);
    }
    gen.writeEndArray();
  }

  private static void writeMap(CBORGenerator gen, Map<?, ?> map, int depth) throws IOException {
    // Byte-string keys are names, as in DataValues; two keys naming the same string write a
    // repeated key, which decoding resolves as DataValues.copyOf does (the last value wins).
    gen.writeStartObject(map, map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey();
      String name;
      if (key instanceof String s) {
        name = s;
      } else if (key instanceof ByteString b) {
        name = b.toUtf8();
      } else {
        throw new InvalidRequestException("data map keys must be strings, not " + describe(key));
      }
      try {
        gen.writeFieldName(name);
      } catch (JsonProcessingException ex) {
        throw new InvalidRequestException(
            "map key is not valid Unicode: " + ex.getOriginalMessage());
      }
      writeValue(gen, e.getValue(), depth + 1);
    }
    gen.writeEndObject();
  }

  // ---- reading bytes ----

  /** A strict RFC 8949 reader over one byte array; see the class comment for why it exists. */
  private static final class Decoder {
    private static final int BREAK = 0xff;

    private final byte[] in;
    int pos;

    Decoder(byte[] in) {
      this.in = in;
    }

    /** One data item, tags included. Tags are read in a loop so a long chain cannot recurse. */
    Object readValue(int depth) {
      checkDepth(depth);
      long[] tags = null;
      int tagCount = 0;
      int initial = nextByte();
      while ((initial >>> 5) == 6) {
        long tag = argument(initial);
        if (isMeaningful(tag)) {
          if (tags == null) {
            tags = new long[4];
          } else if (tagCount == tags.length) {
            tags = Arrays.copyOf(tags, tagCount * 2);
          }
          tags[tagCount++] = tag;
        }
        initial = nextByte();
      }
      Object value = readUntagged(initial, depth);
      for (int i = tagCount - 1; i >= 0; i--) { // the innermost tag applies first
        value = applyTag(tags[i], value);
      }
      return value;
    }

    private Object readUntagged(int initial, int depth) {
      int major = initial >>> 5;
      return switch (major) {
        case 0 -> unsignedToNumber(argument(initial));
        case 1 -> negativeToNumber(argument(initial));
        case 2 -> ByteString.wrap(readString(initial, 2)); // a fresh array, never shared
        case 3 -> text(readString(initial, 3));
        case 4 -> readArray(initial, depth);
        case 5 -> readMap(initial, depth);
        case 7 -> readSimple(initial);
        default -> throw new AssertionError(major); // major 6 (tags) is consumed by the caller
      };
    }

    private Object readSimple(int initial) {
      int info = initial & 0x1f;
      return switch (info) {
        case 20 -> Boolean.FALSE;
        case 21 -> Boolean.TRUE;
        case 22, 23 -> null; // null and undefined
        case 25 -> (double) Float.float16ToFloat((short) readUnsigned(2));
        case 26 -> (double) Float.intBitsToFloat((int) readUnsigned(4));
        case 27 -> Double.longBitsToDouble(readUnsigned(8));
        case 31 -> throw malformed("unexpected break (0xff) at offset " + (pos - 1));
        case 24 -> throw malformed("unsupported simple value " + nextByte());
        default ->
            throw malformed(
                info < 24
                    ? "unsupported simple value " + info
                    : "reserved byte 0x" + Integer.toHexString(initial));
      };
    }

    private List<Object> readArray(int initial, int depth) {
      List<Object> items;
      if ((initial & 0x1f) == 31) {
        items = new ArrayList<>();
        while (peekByte() != BREAK) {
          items.add(readValue(depth + 1));
        }
        pos++;
      } else {
        long count = argument(initial);
        checkCount(count, 1);
        items = new ArrayList<>((int) Math.min(count, 64));
        for (long i = 0; i < count; i++) {
          items.add(readValue(depth + 1));
        }
      }
      return Collections.unmodifiableList(items);
    }

    private Map<String, Object> readMap(int initial, int depth) {
      Map<String, Object> map = new LinkedHashMap<>();
      if ((initial & 0x1f) == 31) {
        while (peekByte() != BREAK) {
          String key = readKey();
          map.put(key, readValue(depth + 1));
        }
        pos++;
      } else {
        long count = argument(initial);
        checkCount(count, 2);
        for (long i = 0; i < count; i++) {
          String key = readKey();
          map.put(key, readValue(depth + 1));
        }
      }
      return Collections.unmodifiableMap(map);
    }

    /** A map key: a text string, or a byte string taken as UTF-8 (the Python 2 client's keys). */
    private String readKey() {
      int initial = nextByte();
      while ((initial >>> 5) == 6) {
        if (isMeaningful(argument(initial))) {
          throw malformed("data map keys must be strings, not tagged values");
        }
        initial = nextByte();
      }
      return switch (initial >>> 5) {
        case 3 -> text(readString(initial, 3));
        case 2 -> new String(readString(initial, 2), StandardCharsets.UTF_8);
        default ->
            throw malformed(
                "data map keys must be text or byte strings, not major type " + (initial >>> 5));
      };
    }

    /** The content of a byte (major 2) or text (major 3) string, definite or chunked. */
    private byte[] readString(int initial, int major) {
      if ((initial & 0x1f) != 31) {
        return readBytes(argument(initial));
      }
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      int chunk;
      while ((chunk = nextByte()) != BREAK) {
        if ((chunk >>> 5) != major || (chunk & 0x1f) == 31) {
          throw malformed("bad chunk in an indefinite-length string at offset " + (pos - 1));
        }
        chunks.writeBytes(readBytes(argument(chunk)));
      }
      return chunks.toByteArray();
    }

    private byte[] readBytes(long length) {
      if (length < 0 || length > in.length - pos) {
        throw truncated();
      }
      byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
      pos += (int) length;
      return bytes;
    }

    private static String text(byte[] utf8) {
      if (!Utf8.isValid(utf8)) {
        throw malformed("text string is not valid UTF-8");
      }
      return new String(utf8, StandardCharsets.UTF_8);
    }

    private static Object applyTag(long tag, Object value) {
      if (tag == TAG_TUPLE) {
        if (!(value instanceof List<?> list)) {
          throw malformed("tag 128 (tuple) must wrap an array");
        }
        return new Tuple(asObjects(list));
      }
      if (!(value instanceof ByteString bytes)) {
        throw malformed(
            tag == TAG_UUID ? "tag 37 (UUID) must wrap 16 bytes" : "a bignum tag must wrap bytes");
      }
      if (tag == TAG_UUID) {
        if (bytes.size() != 16) {
          throw malformed("tag 37 (UUID) must wrap 16 bytes, not " + bytes.size());
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes.unsafeArray());
        return new UUID(buf.getLong(), buf.getLong());
      }
      BigInteger magnitude = new BigInteger(1, bytes.unsafeArray());
      return normalize(tag == TAG_POSITIVE_BIGNUM ? magnitude : magnitude.not()); // -1 - n
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asObjects(List<?> list) {
      return (List<Object>) list;
    }

    private static boolean isMeaningful(long tag) {
      return tag == TAG_POSITIVE_BIGNUM
          || tag == TAG_NEGATIVE_BIGNUM
          || tag == TAG_UUID
          || tag == TAG_TUPLE;
    }

    private static Object unsignedToNumber(long n) {
      return n >= 0 ? (Object) n : new BigInteger(Long.toUnsignedString(n));
    }

    private static Object negativeToNumber(long n) {
      // The value is -1 - n, with n unsigned: a long while n fits in 63 bits.
      return n >= 0 ? (Object) (-1 - n) : new BigInteger(Long.toUnsignedString(n)).not();
    }

    /** The argument of an initial byte: its low bits, or the 1, 2, 4 or 8 bytes that follow. */
    private long argument(int initial) {
      int info = initial & 0x1f;
      if (info < 24) {
        return info;
      }
      return switch (info) {
        case 24 -> readUnsigned(1);
        case 25 -> readUnsigned(2);
        case 26 -> readUnsigned(4);
        case 27 -> readUnsigned(8);
        case 31 ->
            throw malformed(
                "indefinite length not allowed for major type "
                    + (initial >>> 5)
                    + " at offset "
                    + (pos - 1));
        default -> throw malformed("reserved byte 0x" + Integer.toHexString(initial));
      };
    }

    private long readUnsigned(int size) {
      if (in.length - pos < size) {
        throw truncated();
      }
      long value = 0;
      for (int i = 0; i < size; i++) {
        value = (value << 8) | (in[pos++] & 0xff);
      }
      return value;
    }

    /** Rejects a count that cannot fit in what is left, before trusting it for anything. */
    private void checkCount(long count, int minBytesEach) {
      if (count < 0 || count > (in.length - pos) / minBytesEach) {
        throw truncated();
      }
    }

    private int nextByte() {
      if (pos >= in.length) {
        throw truncated();
      }
      return in[pos++] & 0xff;
    }

    private int peekByte() {
      if (pos >= in.length) {
        throw truncated();
      }
      return in[pos] & 0xff;
    }

    private InvalidRequestException truncated() {
      return malformed("input ends inside a data item (" + in.length + " bytes)");
    }
  }

  // ---- reading from a Jackson parser ----

  private static Object readToken(CBORParser parser, JsonToken token, int depth)
      throws IOException {
    if (token == null) {
      throw malformed("input ends before the data item does");
    }
    checkDepth(depth);
    // Jackson lists every tag on the item and consumes tags 2, 3 and 4 itself when they wrap what
    // they should; unknown tags are ignored, so only these two mean anything here.
    CBORParser.TagList tags = parser.getCurrentTags();
    boolean tuple = false;
    boolean uuid = false;
    if (!tags.isEmpty()) {
      tuple = tags.contains(TAG_TUPLE);
      uuid = tags.contains(TAG_UUID);
      if (tags.contains(TAG_POSITIVE_BIGNUM) || tags.contains(TAG_NEGATIVE_BIGNUM)) {
        throw malformed("a bignum tag must wrap bytes");
      }
    }
    if (tuple && token != JsonToken.START_ARRAY) {
      throw malformed("tag 128 (tuple) must wrap an array");
    }
    if (uuid && token != JsonToken.VALUE_EMBEDDED_OBJECT) {
      throw malformed("tag 37 (UUID) must wrap 16 bytes");
    }
    return switch (token) {
      case VALUE_NULL -> null; // also CBOR undefined
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> jacksonInteger(parser);
      case VALUE_NUMBER_FLOAT -> jacksonFloat(parser);
      case VALUE_EMBEDDED_OBJECT -> jacksonBytes(parser, uuid);
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          items.add(readToken(parser, next, depth + 1));
        }
        yield tuple ? new Tuple(items) : Collections.unmodifiableList(items);
      }
      case START_OBJECT -> jacksonMap(parser, depth);
      default -> throw malformed("unexpected " + token);
    };
  }

  private static Object jacksonInteger(CBORParser parser) throws IOException {
    if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return parser.getLongValue();
    }
    return trustedBigInteger(parser.getBigIntegerValue());
  }

  /**
   * A BigInteger from Jackson, if it is one a plain CBOR integer gives. Bignums can land anywhere
   * once misread; 2^63 and −2^64 are left out as well because they are what Jackson makes of the
   * bignums {@link #write} produces for −2^63−1 and −2^64−1.
   */
  private static BigInteger trustedBigInteger(BigInteger big) {
    boolean positive = big.compareTo(LONG_MAX_PLUS_ONE) > 0 && big.compareTo(CBOR_INT_MAX) <= 0;
    boolean negative = big.compareTo(CBOR_INT_MIN) > 0 && big.compareTo(LONG_MIN) < 0;
    if (!positive && !negative) {
      throw new InvalidRequestException(
          "CBOR bignums (tags 2 and 3) cannot be read reliably through Jackson's parser;"
              + " decode the bytes with CborCodec.decode instead");
    }
    return big;
  }

  private static Object jacksonFloat(CBORParser parser) throws IOException {
    if (parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
      // Jackson folds a decimal fraction (tag 4) into a BigDecimal; the model has no decimals, so
      // it reads as the tag's content, [exponent, mantissa], like any other unknown tag.
      BigDecimal decimal = parser.getDecimalValue();
      BigInteger mantissa = decimal.unscaledValue();
      Object normal =
          mantissa.bitLength() < 64 ? (Object) mantissa.longValue() : trustedBigInteger(mantissa);
      return List.of((long) -decimal.scale(), normal);
    }
    return parser.getDoubleValue(); // half and single floats widen exactly
  }

  private static Object jacksonBytes(CBORParser parser, boolean uuid) throws IOException {
    if (!(parser.getEmbeddedObject() instanceof byte[] bytes)) {
      throw malformed("unsupported embedded value");
    }
    if (!uuid) {
      return ByteString.copyOf(bytes); // copied: the parser owns its array
    }
    if (bytes.length != 16) {
      throw malformed("tag 37 (UUID) must wrap 16 bytes, not " + bytes.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    return new UUID(buf.getLong(), buf.getLong());
  }

  private static Map<String, Object> jacksonMap(CBORParser parser, int depth) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (token != JsonToken.FIELD_NAME) {
        throw malformed(
            token == null ? "input ends inside a map" : "expected a map key, not " + token);
      }
      CBORParser.TagList tags = parser.getCurrentTags();
      if (!tags.isEmpty()
          && (tags.contains(TAG_UUID)
              || tags.contains(TAG_TUPLE)
              || tags.contains(TAG_POSITIVE_BIGNUM)
              || tags.contains(TAG_NEGATIVE_BIGNUM))) {
        throw malformed("data map keys must be strings, not tagged values");
      }
      String name = parser.currentName();
      map.put(name, readToken(parser, parser.nextToken(), depth + 1));
    }
    return Collections.unmodifiableMap(map);
  }

  // ---- shared ----

  private static Object normalize(BigInteger big) {
    return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? big.longValue() : big;
  }

  private static void checkDepth(int depth) {
    if (depth > DataValues.MAX_DEPTH) {
      throw new InvalidRequestException(
          "data nests deeper than " + DataValues.MAX_DEPTH + " levels");
    }
  }

  private static InvalidRequestException malformed(String what) {
    return new InvalidRequestException("malformed CBOR: " + what);
  }

  /** The CBOR kind of a decoded value, for messages. */
  private static String kindOf(Object value) {
    return switch (value) {
      case null -> "null";
      case Boolean b -> "a boolean";
      case Long l -> "an integer";
      case BigInteger big -> "an integer";
      case Double d -> "a float";
      case String s -> "a text string";
      case ByteString b -> "a byte string";
      case UUID uuid -> "a UUID";
      case Tuple t -> "a tuple";
      case List<?> list -> "an array";
      default -> value.getClass().getSimpleName();
    };
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}
