package io.coordinate.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.coordinate.api.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborCodecTest {
  private static final UUID SAMPLE_UUID = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static String hexOf(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String encodeHex(Object value) {
    return hexOf(CborCodec.encode(value));
  }

  private static Object decodeHex(String hex) {
    return CborCodec.decode(hex(hex));
  }

  // ---- exact encodings ----

  @Test
  void encodesScalars() {
    assertThat(encodeHex(null)).isEqualTo("f6");
    assertThat(encodeHex(true)).isEqualTo("f5");
    assertThat(encodeHex(false)).isEqualTo("f4");
    assertThat(encodeHex(0L)).isEqualTo("00");
    assertThat(encodeHex(-1L)).isEqualTo("20");
    assertThat(encodeHex(500L)).isEqualTo("1901f4");
    assertThat(encodeHex(Long.MAX_VALUE)).isEqualTo("1b7fffffffffffffff");
    assertThat(encodeHex(Long.MIN_VALUE)).isEqualTo("3b7fffffffffffffff");
    assertThat(encodeHex(1.5d)).isEqualTo("fb3ff8000000000000");
  }

  @Test
  void encodesTextAsTextAndBytesAsBytes() {
    assertThat(encodeHex("ab")).isEqualTo("626162");
    assertThat(encodeHex(ByteString.utf8("ab"))).isEqualTo("426162");
    assertThat(encodeHex(new byte[] {(byte) 0xff})).isEqualTo("41ff");
    assertThat(encodeHex(ByteString.EMPTY)).isEqualTo("40");
  }

  @Test
  void encodesUuidAsTag37() {
    assertThat(encodeHex(SAMPLE_UUID)).isEqualTo("d82550" + "00112233445566778899aabbccddeeff");
  }

  @Test
  void encodesTupleAsTag128ArrayAndListAsPlainArray() {
    assertThat(encodeHex(Tuple.of(1L, 2L))).isEqualTo("d880820102");
    assertThat(encodeHex(List.of(1L, 2L))).isEqualTo("820102");
    assertThat(encodeHex(Tuple.of())).isEqualTo("d88080");
  }

  @Test
  void encodesMapsWithTextKeysInOrder() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", 1L);
    map.put("a", ByteString.utf8("x"));
    assertThat(encodeHex(map)).isEqualTo("a2" + "6162" + "01" + "6161" + "4178");
    assertThat(hexOf(CborCodec.encodeMap(null))).isEqualTo("a0");
  }

  @Test
  void encodesByteStringKeysAsTextNames() {
    assertThat(encodeHex(Map.of(ByteString.utf8("k"), 1L))).isEqualTo("a1616b01");
  }

  @Test
  void encodesBigIntegersBeyondLongAsBignums() {
    assertThat(encodeHex(TWO_TO_64)).isEqualTo("c249010000000000000000");
    // Tag 3 holds -1 - n: -(2^64) - 1 is stored as 2^64.
    assertThat(encodeHex(TWO_TO_64.negate().subtract(BigInteger.ONE)))
        .isEqualTo("c349010000000000000000");
    // Content is the minimal unsigned magnitude: no two's-complement sign byte.
    assertThat(encodeHex(TWO_TO_64.subtract(BigInteger.ONE))).isEqualTo("c248ffffffffffffffff");
    assertThat(encodeHex(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)))
        .isEqualTo("c3488000000000000000");
    assertThat(encodeHex(BigInteger.valueOf(5))).isEqualTo("05");
  }

  @Test
  void encodesUnnormalizedInputAsItsNormalForm() {
    assertThat(encodeHex(7)).isEqualTo(encodeHex(7L));
    assertThat(encodeHex((short) 7)).isEqualTo(encodeHex(7L));
    assertThat(encodeHex(1.5f)).isEqualTo(encodeHex(1.5d));
    assertThat(encodeHex(new byte[] {1, 2})).isEqualTo(encodeHex(ByteString.copyOf(new byte[] {1, 2})));
  }

  // ---- decoding what clients send ----

  @Test
  void decodesUuidTag() {
    assertThat(decodeHex("d82550 00112233445566778899aabbccddeeff")).isEqualTo(SAMPLE_UUID);
  }

  @Test
  void decodesTupleTagAsTuple() {
    assertThat(decodeHex("d880 820102")).isEqualTo(Tuple.of(1L, 2L));
    assertThat(decodeHex("820102")).isEqualTo(List.of(1L, 2L)).isNotInstanceOf(Tuple.class);
  }

  @Test
  void decodesByteStringsAndTextStringsApart() {
    assertThat(decodeHex("4161")).isEqualTo(ByteString.utf8("a"));
    assertThat(decodeHex("6161")).isEqualTo("a");
    assertThat(decodeHex("42ff00")).isEqualTo(ByteString.copyOf(new byte[] {(byte) 0xff, 0}));
  }

  @Test
  void decodesByteStringMapKeysAsNames() {
    // What the Python 2 client sends: {'id': 1, 'method': 'get_work'} with byte-string keys and
    // a byte-string value.
    Object decoded = decodeHex("a2 426964 01 466d6574686f64 48676574 5f776f726b");
    assertThat(decoded).isEqualTo(Map.of("id", 1L, "method", ByteString.utf8("get_work")));
  }

  @Test
  void decodesMixedAndChunkedKeys() {
    assertThat(decodeHex("a2 4161 01 6162 02")).isEqualTo(Map.of("a", 1L, "b", 2L));
    assertThat(decodeHex("a1 5f 4161 4162 ff 01")).isEqualTo(Map.of("ab", 1L));
    assertThat(decodeHex("a1 7f 6161 6162 ff 01")).isEqualTo(Map.of("ab", 1L));
  }

  @Test
  void decodesNonUtf8KeyLikeDataValues() {
    Object decoded = decodeHex("a1 41ff 01");
    assertThat(decoded).isEqualTo(Map.of("\uFFFD", 1L));
    assertThat(decoded)
        .isEqualTo(DataValues.copyValue(Map.of(ByteString.copyOf(new byte[] {(byte) 0xff}), 1L)));
  }

  @Test
  void keepsTheLastValueOfARepeatedKey() {
    assertThat(decodeHex("a2 6161 01 4161 02")).isEqualTo(Map.of("a", 2L));
  }

  @Test
  void decodesSmallAndLargeIntegersAsLong() {
    assertThat(decodeHex("05")).isEqualTo(5L);
    assertThat(decodeHex("3863")).isEqualTo(-100L);
    assertThat(decodeHex("1a ffffffff")).isEqualTo(4294967295L);
    assertThat(decodeHex("3b 7fffffffffffffff")).isEqualTo(Long.MIN_VALUE);
    assertThat(decodeHex("1b ffffffffffffffff")).isEqualTo(TWO_TO_64.subtract(BigInteger.ONE));
    assertThat(decodeHex("3b ffffffffffffffff")).isEqualTo(TWO_TO_64.negate());
  }

  @Test
  void decodesBignumsPerRfc8949() {
    // Appendix A of RFC 8949.
    assertThat(decodeHex("c2 49 010000000000000000")).isEqualTo(TWO_TO_64);
    assertThat(decodeHex("c3 49 010000000000000000"))
        .isEqualTo(TWO_TO_64.negate().subtract(BigInteger.ONE));
    // The content is an unsigned magnitude, and tag 3 means -1 - n.
    assertThat(decodeHex("c2 49 ffffffffffffffffff"))
        .isEqualTo(BigInteger.ONE.shiftLeft(72).subtract(BigInteger.ONE));
    assertThat(decodeHex("c3 49 ffffffffffffffffff")).isEqualTo(BigInteger.ONE.shiftLeft(72).negate());
    assertThat(decodeHex("c2 5f 41 01 48 0000000000000000 ff")).isEqualTo(TWO_TO_64);
  }

  @Test
  void decodesBignumsInLongRangeAsLong() {
    assertThat(decodeHex("c2 41 05")).isEqualTo(5L);
    assertThat(decodeHex("c2 41 ff")).isEqualTo(255L);
    assertThat(decodeHex("c3 40")).isEqualTo(-1L);
    assertThat(decodeHex("c3 41 ff")).isEqualTo(-256L);
    assertThat(decodeHex("c2 48 7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
    assertThat(decodeHex("c3 48 7fffffffffffffff")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void decodesEveryFloatWidthAsDouble() {
    assertThat(decodeHex("f9 3e00")).isEqualTo(1.5d);
    assertThat(decodeHex("fa 3fc00000")).isEqualTo(1.5d);
    assertThat(decodeHex("fb 3ff8000000000000")).isEqualTo(1.5d);
    assertThat(decodeHex("f9 7c00")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(decodeHex("f9 7e00")).isEqualTo(Double.NaN);
    assertThat(decodeHex("f9 8000")).isEqualTo(-0.0d);
  }

  @Test
  void decodesUndefinedAsNull() {
    assertThat(decodeHex("f7")).isNull();
    assertThat(decodeHex("82 f7 f6")).isEqualTo(Arrays.asList(null, null));
  }

  @Test
  void decodesIndefiniteLengthItems() {
    assertThat(decodeHex("9f 01 02 ff")).isEqualTo(List.of(1L, 2L));
    assertThat(decodeHex("bf 6161 01 ff")).isEqualTo(Map.of("a", 1L));
    assertThat(decodeHex("5f 4161 4162 ff")).isEqualTo(ByteString.utf8("ab"));
    assertThat(decodeHex("7f 6161 6162 ff")).isEqualTo("ab");
    assertThat(decodeHex("d880 9f 01 ff")).isEqualTo(Tuple.of(1L));
  }

  @Test
  void ignoresUnknownTags() {
    assertThat(decodeHex("d9d9f7 01")).isEqualTo(1L); // self-described CBOR
    assertThat(decodeHex("d818 4101")).isEqualTo(ByteString.copyOf(new byte[] {1}));
    assertThat(decodeHex("c0 74 323031332d30332d32315432303a30343a30305a"))
        .isEqualTo("2013-03-21T20:04:00Z");
    assertThat(decodeHex("d880 d881 820102")).isEqualTo(Tuple.of(1L, 2L));
    // A decimal fraction reads as its content, [exponent, mantissa].
    assertThat(decodeHex("c4 82 21 196ab3")).isEqualTo(List.of(-2L, 27315L));
  }

  @Test
  void decodesNestedValuesWithTheirTypes() {
    String hex =
        "a1 6464617461 83" // {"data": [
            + " d880 82 4161 6162" // (b"a", "b"),
            + " d825 50 00112233445566778899aabbccddeeff" // uuid,
            + " a0]"; // {}]}
    assertThat(decodeHex(hex.replace("]", "")))
        .isEqualTo(
            Map.of(
                "data", List.of(Tuple.of(ByteString.utf8("a"), "b"), SAMPLE_UUID, Map.of())));
  }

  @Test
  void decodedContainersAreImmutable() {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) decodeHex("a1 6161 81 01");
    assertThatThrownBy(() -> map.put("b", 1L)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) map.get("a");
    assertThatThrownBy(() -> list.add(2L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void roundTripsEveryKindOfValue() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("null", null);
    map.put("bool", true);
    map.put("int", 42);
    map.put("long", Long.MIN_VALUE);
    map.put("big", TWO_TO_64.negate());
    map.put("double", Double.NaN);
    map.put("negzero", -0.0d);
    map.put("text", "héllo ✓ \uD83D\uDE00");
    map.put("bytes", new byte[] {(byte) 0x80, 0, (byte) 0xff});
    map.put("list", Arrays.asList(1, null, List.of()));
    map.put("tuple", Tuple.of(Tuple.of(), List.of(Tuple.of("x"))));
    map.put("map", Map.of("inner", Map.of()));
    map.put("uuid", SAMPLE_UUID);

    Map<String, Object> decoded = CborCodec.decodeMap(CborCodec.encodeMap(map));

    assertThat(decoded).isEqualTo(DataValues.copyOf(map));
    assertThat(decoded.keySet()).containsExactlyElementsOf(map.keySet());
    assertThat(decoded.get("tuple")).isInstanceOf(Tuple.class);
    assertThat(((Tuple) decoded.get("tuple")).get(1)).isInstanceOf(List.class);
    assertThat(decoded.get("bytes")).isInstanceOf(ByteString.class);
  }

  @Test
  void nanRoundTripsUnderDoubleEquals() {
    Object decoded = CborCodec.decode(CborCodec.encode(List.of(Double.NaN)));
    assertThat(decoded).isEqualTo(List.of(Double.NaN));
    assertThat(((List<?>) decoded).get(0)).isInstanceOf(Double.class);
  }

  // ---- bad input ----

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "empty input, ''",
    "truncated array, 8201",
    "truncated map, a16161",
    "truncated text, 64616263",
    "truncated length, 19",
    "truncated tag, d880",
    "truncated tuple, d88082",
    "reserved byte, 1c",
    "stray break, ff",
    "reserved simple value, fc",
    "break in definite map, a16161ff",
    "array as map key, a18001",
    "null as map key, a1f601",
    "invalid UTF-8 text, 61ff",
    "mismatched chunk, 7f4161ff",
    "huge declared length, 5b7fffffffffffffff00",
    "trailing bytes, 0102",
    "integer map key, a10102",
    "tagged map key, a1d8254161 01",
    "unassigned simple value, f0",
    "one-byte simple value, f820",
    "indefinite integer, 1f",
    "indefinite tag, df01",
    "nested chunk, 5f5f4100ffff",
    "unclosed indefinite array, 9f01",
    "huge array count, 9b7fffffffffffffff00",
    "huge map count, ba0000ffff00",
  })
  void rejectsMalformedInput(String what, String hex) {
    assertThatThrownBy(() -> decodeHex(hex))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("malformed CBOR");
  }

  @Test
  void rejectsUuidOfWrongLength() {
    assertThatThrownBy(() -> decodeHex("d825 4100"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> decodeHex("d825 51 00112233445566778899aabbccddeeff00"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> decodeHex("d825 6161"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 37");
  }

  @Test
  void rejectsMeaningfulTagsOnTheWrongContent() {
    assertThatThrownBy(() -> decodeHex("d880 01"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 128");
    assertThatThrownBy(() -> decodeHex("d880 a0"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 128");
    assertThatThrownBy(() -> decodeHex("c2 6161"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("bignum");
    assertThatThrownBy(() -> decodeHex("a1 d825 4161 01"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("keys must be strings");
    assertThatThrownBy(() -> decodeHex("d880 c2 4101"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 128");
    assertThatThrownBy(() -> decodeHex("d880 d880 80"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 128");
  }

  @Test
  void rejectsALongChainOfTagsWithoutOverflowingTheStack() {
    byte[] bytes = new byte[200_001];
    for (int i = 0; i < 200_000; i += 2) {
      bytes[i] = (byte) 0xd8;
      bytes[i + 1] = (byte) 0x80;
    }
    bytes[200_000] = (byte) 0x80;
    assertThatThrownBy(() -> CborCodec.decode(bytes))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("tag 128");
    byte[] unknown = bytes.clone();
    for (int i = 1; i < 200_000; i += 2) {
      unknown[i] = (byte) 0x81; // tag 129 means nothing here and is skipped
    }
    assertThat(CborCodec.decode(unknown)).isEqualTo(List.of());
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> CborCodec.decode("{\"json\": true}".getBytes()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> CborCodec.decode("hello world".getBytes()))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void decodeMapRejectsOtherTopLevelValues() {
    for (String hex : List.of("80", "f6", "01", "6161", "d88080")) {
      assertThatThrownBy(() -> CborCodec.decodeMap(hex(hex)))
          .as(hex)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("expected a CBOR map");
    }
    assertThat(CborCodec.decodeMap(hex("a0"))).isEmpty();
  }

  @Test
  void limitsNestingLikeDataValues() {
    int ok = DataValues.MAX_DEPTH + 1;
    byte[] deepest = new byte[ok];
    Arrays.fill(deepest, 0, ok - 1, (byte) 0x81); // arrays of one item...
    deepest[ok - 1] = (byte) 0x80; // ...around an empty one
    assertThat(CborCodec.decode(deepest)).isEqualTo(DataValuesTest.nestedLists(ok));

    byte[] tooDeep = new byte[ok + 1];
    Arrays.fill(tooDeep, 0, ok, (byte) 0x81);
    tooDeep[ok] = (byte) 0x80;
    assertThatThrownBy(() -> CborCodec.decode(tooDeep))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("deeper than");
  }

  @Test
  void rejectsVeryDeepInputWithoutOverflowingTheStack() {
    byte[] bytes = new byte[100_000];
    Arrays.fill(bytes, (byte) 0x9f); // indefinite arrays, never closed
    assertThatThrownBy(() -> CborCodec.decode(bytes)).isInstanceOf(InvalidRequestException.class);
  }

  // ---- values outside the model ----

  @Test
  void refusesToEncodeUnsupportedValues() {
    for (Object bad : List.of(new Date(0), new Object(), Map.of(1, "one"))) {
      assertThatThrownBy(() -> CborCodec.encode(bad))
          .as("%s", bad)
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> CborCodec.encode("lone \uD800 surrogate"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Unicode");
    assertThatThrownBy(() -> CborCodec.encode(DataValuesTest.nestedLists(DataValues.MAX_DEPTH + 2)))
        .isInstanceOf(InvalidRequestException.class);
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> CborCodec.encode(cycle)).isInstanceOf(InvalidRequestException.class);
  }

  // ---- streaming ----

  @Test
  void streamsSeveralValuesThroughOneGeneratorAndParser() throws Exception {
    CBORFactory factory = new CBORFactory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator gen = factory.createGenerator(out)) {
      CborCodec.write(gen, Tuple.of(ByteString.utf8("k"), 1));
      CborCodec.write(gen, Map.of("a", List.of()));
      CborCodec.write(gen, "last");
    }

    try (CBORParser parser = factory.createParser(out.toByteArray())) {
      // No current token yet: read() moves to the first one itself.
      assertThat(CborCodec.read(parser)).isEqualTo(Tuple.of(ByteString.utf8("k"), 1L));
      assertThat(parser.currentToken()).isEqualTo(JsonToken.END_ARRAY);
      parser.nextToken();
      assertThat(CborCodec.read(parser)).isEqualTo(Map.of("a", List.of()));
      assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
      parser.nextToken();
      assertThat(CborCodec.read(parser)).isEqualTo("last");
      assertThat(parser.nextToken()).isNull();
    }
  }

  @Test
  void readsAValueEmbeddedInALargerMessage() throws Exception {
    // {"id": 7, "params": [b"spec", (1, 2)]}, reading only the params value.
    byte[] message = hex("a2 626964 07 66706172616d73 82 4473706563 d880 820102");
    try (CBORParser parser = new CBORFactory().createParser(message)) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(parser.nextFieldName()).isEqualTo("id");
      parser.nextToken();
      assertThat(parser.nextFieldName()).isEqualTo("params");
      parser.nextToken();
      assertThat(CborCodec.read(parser))
          .isEqualTo(List.of(ByteString.utf8("spec"), Tuple.of(1L, 2L)));
      assertThat(parser.nextToken()).isEqualTo(JsonToken.END_OBJECT);
    }
  }

  @Test
  void readAcceptsPlain64BitIntegersButNotBignums() throws Exception {
    assertThat(readHex("1b ffffffffffffffff")).isEqualTo(TWO_TO_64.subtract(BigInteger.ONE));
    assertThat(readHex("1b 8000000000000001")).isEqualTo(new BigInteger("9223372036854775809"));
    assertThat(readHex("3b fffffffffffffffe")).isEqualTo(TWO_TO_64.negate().add(BigInteger.ONE));
    assertThat(readHex("3b 7fffffffffffffff")).isEqualTo(Long.MIN_VALUE);
    List<String> refused =
        List.of(
            "c2 49 010000000000000000",
            "c3 40",
            "c2 41 ff",
            // What Jackson makes of write()'s -2^63-1 and -2^64-1, so refused even when plain.
            "1b 8000000000000000",
            "3b ffffffffffffffff",
            hexOf(CborCodec.encode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE))),
            hexOf(CborCodec.encode(TWO_TO_64.negate().subtract(BigInteger.ONE))));
    for (String bignum : refused) {
      assertThatThrownBy(() -> readHex(bignum))
          .as(bignum)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("CborCodec.decode");
    }
  }

  @Test
  void readFollowsTheSameRulesAsDecode() throws Exception {
    for (String hex :
        List.of(
            "a2 426964 01 466d6574686f64 48676574 5f776f726b",
            "d880 820102",
            "d82550 00112233445566778899aabbccddeeff",
            "9f f9 3e00 fa 3fc00000 f7 5f 4161 ff 7f 6161 ff ff",
            "bf 5f 4161 4162 ff d9d9f7 01 ff",
            "c4 82 21 196ab3")) {
      assertThat(readHex(hex)).as(hex).isEqualTo(decodeHex(hex));
    }
    for (String bad : List.of("d825 4100", "d880 01", "c2 6161", "a1 d825 4161 01", "8201")) {
      assertThatThrownBy(() -> readHex(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
    }
  }

  private static Object readHex(String hex) throws Exception {
    try (CBORParser parser = new CBORFactory().createParser(hex(hex))) {
      return CborCodec.read(parser);
    }
  }

  @Test
  void readReportsMalformedStreamsAsInvalidRequests() throws Exception {
    try (CBORParser parser = new CBORFactory().createParser(hex("83 01 02"))) {
      assertThatThrownBy(() -> CborCodec.read(parser))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("malformed CBOR");
    }
  }
}
