"""A small CBOR codec (RFC 8949 subset) for the Coordinate CBOR-RPC tests.

Standard library only. It knows the three tags the Python ``coordinate`` client knows:

* 24: embedded CBOR (the frame around every message); decoding it decodes the inner item,
* 37: a UUID (16-byte byte string) <-> ``uuid.UUID``,
* 128: a Python tuple (wraps an array) <-> ``tuple``.

Like the client's decoder it raises on any other tag. Output always uses definite lengths and
writes floats as doubles; input may use indefinite lengths and half/single/double floats (the
decoder counts indefinite-length items so callers can tell).
"""

import io
import struct
import uuid

TAG_CBOR = 24
TAG_UUID = 37
TAG_TUPLE = 128

_MAJOR_UINT = 0
_MAJOR_NEGINT = 1
_MAJOR_BYTES = 2
_MAJOR_TEXT = 3
_MAJOR_ARRAY = 4
_MAJOR_MAP = 5
_MAJOR_TAG = 6
_MAJOR_SIMPLE = 7

_BREAK = object()


class CBORError(ValueError):
    """Malformed or unsupported CBOR."""


# ---------------------------------------------------------------------------------------------
# Encoding


def _head(major, n):
    if n < 0:
        raise CBORError("negative length or argument %d" % n)
    if n < 24:
        return bytes([(major << 5) | n])
    if n < 0x100:
        return bytes([(major << 5) | 24, n])
    if n < 0x10000:
        return bytes([(major << 5) | 25]) + struct.pack(">H", n)
    if n < 0x100000000:
        return bytes([(major << 5) | 26]) + struct.pack(">I", n)
    if n < 0x10000000000000000:
        return bytes([(major << 5) | 27]) + struct.pack(">Q", n)
    raise CBORError("integer out of the 64-bit CBOR range: %d" % n)


def _encode(obj, out, depth):
    if depth > 500:
        raise CBORError("value nested too deeply")
    if obj is None:
        out.append(b"\xf6")
    elif obj is True:
        out.append(b"\xf5")
    elif obj is False:
        out.append(b"\xf4")
    elif isinstance(obj, int):
        if obj >= 0:
            out.append(_head(_MAJOR_UINT, obj))
        else:
            out.append(_head(_MAJOR_NEGINT, -1 - obj))
    elif isinstance(obj, float):
        out.append(b"\xfb" + struct.pack(">d", obj))
    elif isinstance(obj, (bytes, bytearray, memoryview)):
        b = bytes(obj)
        out.append(_head(_MAJOR_BYTES, len(b)))
        out.append(b)
    elif isinstance(obj, str):
        b = obj.encode("utf-8")
        out.append(_head(_MAJOR_TEXT, len(b)))
        out.append(b)
    elif isinstance(obj, tuple):
        out.append(_head(_MAJOR_TAG, TAG_TUPLE))
        _encode(list(obj), out, depth + 1)
    elif isinstance(obj, list):
        out.append(_head(_MAJOR_ARRAY, len(obj)))
        for item in obj:
            _encode(item, out, depth + 1)
    elif isinstance(obj, dict):
        out.append(_head(_MAJOR_MAP, len(obj)))
        for k, v in obj.items():
            _encode(k, out, depth + 1)
            _encode(v, out, depth + 1)
    elif isinstance(obj, uuid.UUID):
        out.append(_head(_MAJOR_TAG, TAG_UUID))
        out.append(_head(_MAJOR_BYTES, 16))
        out.append(obj.bytes)
    else:
        raise CBORError("cannot encode a value of type %s" % type(obj).__name__)


def dumps(obj):
    """The CBOR encoding of ``obj`` (definite lengths, floats as doubles)."""
    out = []
    _encode(obj, out, 0)
    return b"".join(out)


def frame(obj):
    """A wire message: tag 24 around a byte string holding the encoding of ``obj``."""
    body = dumps(obj)
    return _head(_MAJOR_TAG, TAG_CBOR) + _head(_MAJOR_BYTES, len(body)) + body


# ---------------------------------------------------------------------------------------------
# Decoding


class Decoder:
    """Reads CBOR items from a binary file-like object (``read(n)``)."""

    def __init__(self, fp):
        self._fp = fp
        #: how many indefinite-length strings, arrays and maps were read
        self.indefinite_items = 0

    def _read(self, n):
        data = self._fp.read(n)
        if data is None or len(data) < n:
            if not data:
                raise EOFError("end of input")
            raise CBORError("truncated input: wanted %d bytes, got %d" % (n, len(data)))
        return data

    def _argument(self, info):
        if info < 24:
            return info
        if info == 24:
            return self._read(1)[0]
        if info == 25:
            return struct.unpack(">H", self._read(2))[0]
        if info == 26:
            return struct.unpack(">I", self._read(4))[0]
        if info == 27:
            return struct.unpack(">Q", self._read(8))[0]
        raise CBORError("reserved additional information %d" % info)

    def load(self):
        """The next complete item; ``EOFError`` if the input ends before it starts."""
        return self._item(0, allow_break=False)

    def _item(self, depth, allow_break):
        if depth > 500:
            raise CBORError("input nested too deeply")
        initial = self._read(1)[0]
        major, info = initial >> 5, initial & 0x1F
        try:
            return self._item_body(major, info, depth, allow_break)
        except EOFError:
            # The item had started, so running out of input here is truncation, not a clean end.
            raise CBORError("truncated input inside an item") from None

    def _item_body(self, major, info, depth, allow_break):
        if major == _MAJOR_UINT:
            return self._argument(info)
        if major == _MAJOR_NEGINT:
            return -1 - self._argument(info)
        if major in (_MAJOR_BYTES, _MAJOR_TEXT):
            if info == 31:
                self.indefinite_items += 1
                chunks = []
                while True:
                    b = self._read(1)[0]
                    if b == 0xFF:
                        break
                    if b >> 5 != major or b & 0x1F == 31:
                        raise CBORError("bad chunk in an indefinite-length string")
                    chunks.append(self._read(self._argument(b & 0x1F)))
                raw = b"".join(chunks)
            else:
                raw = self._read(self._argument(info))
            if major == _MAJOR_BYTES:
                return raw
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise CBORError("text string is not UTF-8: %s" % e) from None
        if major == _MAJOR_ARRAY:
            items = []
            if info == 31:
                self.indefinite_items += 1
                while True:
                    v = self._item(depth + 1, allow_break=True)
                    if v is _BREAK:
                        break
                    items.append(v)
            else:
                for _ in range(self._argument(info)):
                    items.append(self._item(depth + 1, allow_break=False))
            return items
        if major == _MAJOR_MAP:
            result = {}
            if info == 31:
                self.indefinite_items += 1
                while True:
                    k = self._item(depth + 1, allow_break=True)
                    if k is _BREAK:
                        break
                    self._put(result, k, self._item(depth + 1, allow_break=False))
            else:
                for _ in range(self._argument(info)):
                    k = self._item(depth + 1, allow_break=False)
                    self._put(result, k, self._item(depth + 1, allow_break=False))
            return result
        if major == _MAJOR_TAG:
            tag = self._argument(info)
            inner = self._item(depth + 1, allow_break=False)
            return self._tagged(tag, inner)
        # major 7: simple values and floats
        if info == 20:
            return False
        if info == 21:
            return True
        if info == 22:
            return None
        if info == 25:
            return struct.unpack(">e", self._read(2))[0]
        if info == 26:
            return struct.unpack(">f", self._read(4))[0]
        if info == 27:
            return struct.unpack(">d", self._read(8))[0]
        if info == 31:
            if allow_break:
                return _BREAK
            raise CBORError("unexpected break")
        raise CBORError("unsupported simple value (additional information %d)" % info)

    @staticmethod
    def _put(result, key, value):
        try:
            result[key] = value
        except TypeError:
            raise CBORError("unhashable map key of type %s" % type(key).__name__) from None

    def _tagged(self, tag, inner):
        if tag == TAG_CBOR:
            if not isinstance(inner, bytes):
                raise CBORError("tag 24 must wrap a byte string")
            nested_fp = io.BytesIO(inner)
            nested = Decoder(nested_fp)
            try:
                value = nested.load()
            except EOFError:
                raise CBORError("tag 24 wraps an empty byte string") from None
            if nested_fp.read(1):
                raise CBORError("trailing bytes inside tag 24")
            self.indefinite_items += nested.indefinite_items
            return value
        if tag == TAG_UUID:
            if not isinstance(inner, bytes) or len(inner) != 16:
                raise CBORError("tag 37 must wrap a 16-byte byte string")
            return uuid.UUID(bytes=inner)
        if tag == TAG_TUPLE:
            if not isinstance(inner, list):
                raise CBORError("tag 128 must wrap an array")
            return tuple(inner)
        raise CBORError("unknown tag %d" % tag)


def loads(data):
    """Decodes exactly one item from ``data`` (trailing bytes are an error)."""
    fp = io.BytesIO(data)
    dec = Decoder(fp)
    value = dec.load()
    if fp.read(1):
        raise CBORError("trailing bytes after the item")
    return value


def read_frame(fp):
    """Reads one wire message from ``fp``: it must be tag 24 around a byte string.

    Returns ``(value, indefinite_items)``; raises ``EOFError`` at a clean end of input.
    """
    dec = Decoder(fp)
    first = dec._read(1)
    if first != b"\xd8" or dec._read(1) != b"\x18":
        raise CBORError("message is not tag 24 (starts with 0x%s)" % first.hex())
    try:
        body = dec._item(0, allow_break=False)
    except EOFError:
        raise CBORError("truncated frame") from None
    if not isinstance(body, bytes):
        raise CBORError("tag 24 must wrap a byte string")
    inner_fp = io.BytesIO(body)
    inner = Decoder(inner_fp)
    try:
        value = inner.load()
    except EOFError:
        raise CBORError("empty frame") from None
    if inner_fp.read(1):
        raise CBORError("trailing bytes inside the frame")
    return value, dec.indefinite_items + inner.indefinite_items
