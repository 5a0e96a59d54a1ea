package io.coordinate.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.coordinate.api.InvalidRequestException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link CborCodec} over arbitrary nested values of the whole data model. The value
 * generators mix in the edge cases that matter (NaN, ±0, ±Infinity, the long and 64-bit limits,
 * empty containers), so jqwik's own edge-case combination, which is slow on a recursive generator,
 * is switched off for them.
 */
class CborCodecPropertiesTest {
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
  private static final CBORFactory JACKSON = new CBORFactory();

  @Property(edgeCases = EdgeCasesMode.NONE)
  void roundTripGivesTheNormalizedCopy(@ForAll("values") Object value) {
    Object decoded = CborCodec.decode(CborCodec.encode(value));
    assertThat(decoded).isEqualTo(DataValues.copyValue(value));
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void mapsRoundTripThroughTheMapMethods(@ForAll("maps") Map<String, Object> map) {
    assertThat(CborCodec.decodeMap(CborCodec.encodeMap(map))).isEqualTo(DataValues.copyOf(map));
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void decodedValuesAreNormalizedAndImmutable(@ForAll("values") Object value) {
    Object decoded = CborCodec.decode(CborCodec.encode(value));
    assertThat(DataValues.copyValue(decoded)).isEqualTo(decoded);
    assertDeeplyImmutable(decoded);
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void encodingDependsOnlyOnTheNormalizedValue(@ForAll("values") Object value) {
    byte[] once = CborCodec.encode(DataValues.copyValue(value));
    byte[] twice = CborCodec.encode(CborCodec.decode(CborCodec.encode(value)));
    assertThat(twice).isEqualTo(once);
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void jacksonReadAgreesWithDecode(@ForAll("valuesWithoutBignums") Object value) throws Exception {
    byte[] bytes = CborCodec.encode(value);
    try (CBORParser parser = JACKSON.createParser(bytes)) {
      assertThat(CborCodec.read(parser)).isEqualTo(CborCodec.decode(bytes));
      assertThat(parser.nextToken()).isNull();
    }
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void jacksonReadNeverMisreadsWhatWriteWrote(@ForAll("beyondLong") BigInteger big)
      throws Exception {
    byte[] bytes = CborCodec.encode(List.of(big, Tuple.of(big)));
    Object read;
    try (CBORParser parser = JACKSON.createParser(bytes)) {
      read = CborCodec.read(parser);
    } catch (InvalidRequestException refused) {
      assertThat(refused).hasMessageContaining("CborCodec.decode");
      return;
    }
    assertThat(read).isEqualTo(CborCodec.decode(bytes));
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void everyProperPrefixIsRejected(
      @ForAll("values") Object value, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
    byte[] bytes = CborCodec.encode(value);
    byte[] prefix = Arrays.copyOf(bytes, cut % bytes.length);
    assertThatThrownBy(() -> CborCodec.decode(prefix)).isInstanceOf(InvalidRequestException.class);
  }

  @Property(tries = 2000)
  void arbitraryBytesDecodeOrFailCleanly(@ForAll("garbage") byte[] bytes) throws Exception {
    assertDecodesOrRejects(bytes);
  }

  @Property(edgeCases = EdgeCasesMode.NONE)
  void corruptedEncodingsDecodeOrFailCleanly(
      @ForAll("values") Object value,
      @ForAll @IntRange(min = 0, max = 10_000) int at,
      @ForAll byte replacement)
      throws Exception {
    byte[] bytes = CborCodec.encode(value);
    bytes[at % bytes.length] = replacement;
    assertDecodesOrRejects(bytes);
  }

  /** Either a value, or InvalidRequestException: never another exception, never a hang. */
  private static void assertDecodesOrRejects(byte[] bytes) throws Exception {
    Throwable thrown = catchThrowable(() -> CborCodec.decode(bytes));
    assertThat(thrown)
        .satisfiesAnyOf(
            t -> assertThat(t).isNull(),
            t -> assertThat(t).isInstanceOf(InvalidRequestException.class));
    try (CBORParser parser = JACKSON.createParser(bytes)) {
      Throwable fromJackson = catchThrowable(() -> CborCodec.read(parser));
      assertThat(fromJackson)
          .satisfiesAnyOf(
              t -> assertThat(t).isNull(),
              t -> assertThat(t).isInstanceOf(InvalidRequestException.class));
    }
  }

  private static void assertDeeplyImmutable(Object value) {
    switch (value) {
      case Map<?, ?> map -> {
        assertThat(catchThrowable(() -> map.clear()))
            .isInstanceOf(UnsupportedOperationException.class);
        map.values().forEach(CborCodecPropertiesTest::assertDeeplyImmutable);
      }
      case List<?> list -> {
        assertThat(catchThrowable(() -> list.add(null)))
            .isInstanceOf(UnsupportedOperationException.class);
        list.forEach(CborCodecPropertiesTest::assertDeeplyImmutable);
      }
      case Tuple tuple -> assertDeeplyImmutable(tuple.items());
      case null, default -> {}
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<Object> values() {
    return value(3, true);
  }

  @Provide
  Arbitrary<Object> valuesWithoutBignums() {
    return value(3, false);
  }

  @Provide
  Arbitrary<Map<String, Object>> maps() {
    return Arbitraries.maps(text(), value(2, true)).ofMaxSize(5);
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    // Random bytes, biased towards the initial bytes that start interesting items.
    Arbitrary<Byte> interesting =
        Arbitraries.of(
            (byte) 0x1b, (byte) 0x3b, (byte) 0x5f, (byte) 0x7f, (byte) 0x9f, (byte) 0xbf,
            (byte) 0xc2, (byte) 0xc3, (byte) 0xd8, (byte) 0x25, (byte) 0x80, (byte) 0xa1,
            (byte) 0xf9, (byte) 0xfa, (byte) 0xfb, (byte) 0xff, (byte) 0x41, (byte) 0x61);
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(weighted(1, interesting), weighted(1, any))
        .array(byte[].class)
        .ofMaxSize(40);
  }

  private static Arbitrary<Object> value(int depth, boolean bignums) {
    Arbitrary<Object> scalar = scalar(bignums);
    if (depth == 0) {
      return scalar.injectNull(0.05);
    }
    Arbitrary<Object> inner = value(depth - 1, bignums);
    Arbitrary<Object> keys = Arbitraries.oneOf(text(), byteStrings());
    return Arbitraries.<Object>frequencyOf(
            weighted(6, scalar),
            weighted(1, inner.list().ofMaxSize(4)),
            weighted(1, inner.list().ofMaxSize(4).map(Tuple::new)),
            weighted(1, Arbitraries.maps(keys, inner).ofMaxSize(4)))
        .injectNull(0.05);
  }

  private static Arbitrary<Object> scalar(boolean bignums) {
    Arbitrary<Object> numbers =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.of(
                Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 23L, 24L, -24L, -25L, 255L, 256L, 65535L,
                65536L, 0xffff_ffffL, 0x1_0000_0000L),
            Arbitraries.integers(),
            Arbitraries.shorts(),
            Arbitraries.longs().map(BigInteger::valueOf), // in range: normalizes to Long
            doubles(),
            Arbitraries.floats().injectDuplicates(0.1));
    Arbitrary<Object> others =
        Arbitraries.oneOf(
            Arbitraries.of(true, false),
            text(),
            byteStrings(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
            uuids(),
            Arbitraries.just(Tuple.of()),
            Arbitraries.just(List.of()),
            Arbitraries.just(Map.of()));
    return bignums
        ? Arbitraries.oneOf(numbers, bigIntegers(), others)
        : Arbitraries.oneOf(numbers, others);
  }

  private static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.of(
            Double.NaN,
            Double.longBitsToDouble(0x7ff0_0000_0000_0001L), // another NaN bit pattern
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0d,
            0.0d,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Double.MIN_NORMAL));
  }

  @Provide
  Arbitrary<BigInteger> beyondLong() {
    return bigIntegers();
  }

  /** Integers beyond the long range, both just beyond it and far beyond, and the 64-bit edges. */
  private static Arbitrary<BigInteger> bigIntegers() {
    BigInteger limit = BigInteger.ONE.shiftLeft(200);
    BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
    BigInteger longMin = BigInteger.valueOf(Long.MIN_VALUE);
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers()
            .between(limit.negate(), limit)
            .filter(b -> b.compareTo(longMin) < 0 || b.compareTo(longMax) > 0),
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(n -> longMax.add(big(n))),
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(n -> longMin.subtract(big(n))),
        Arbitraries.of(
            longMax.add(BigInteger.ONE),
            longMin.subtract(BigInteger.ONE),
            TWO_TO_64.subtract(BigInteger.ONE),
            TWO_TO_64,
            TWO_TO_64.negate(),
            TWO_TO_64.negate().subtract(BigInteger.ONE)));
  }

  private static BigInteger big(long n) {
    return BigInteger.valueOf(n);
  }

  /** Text from whole code points (never a lone surrogate), ASCII-heavy, up to 4-byte UTF-8. */
  private static Arbitrary<String> text() {
    Arbitrary<Integer> codePoints =
        Arbitraries.frequencyOf(
            weighted(6, Arbitraries.integers().between(0, 0x7f)),
            weighted(1, Arbitraries.integers().between(0x80, 0xd7ff)),
            weighted(1, Arbitraries.integers().between(0xe000, 0x10ffff)));
    return codePoints
        .list()
        .ofMaxSize(10)
        .map(
            cps -> {
              StringBuilder sb = new StringBuilder();
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
  }

  /** Byte strings of any bytes, so mostly not UTF-8. */
  private static Arbitrary<ByteString> byteStrings() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(ByteString::copyOf);
  }

  /** A choice for {@code frequencyOf} (jqwik's Tuple, not the data model's). */
  private static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> weighted(
      int weight, Arbitrary<? extends T> arbitrary) {
    return net.jqwik.api.Tuple.of(weight, arbitrary);
  }

  private static Arbitrary<UUID> uuids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
  }
}
