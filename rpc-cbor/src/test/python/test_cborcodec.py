"""Tests of the test CBOR codec: RFC 8949 Appendix A vectors plus the three tags.

Run with ``python3 -m unittest test_cborcodec`` from this directory (PythonWorkerTest does).
"""

import io
import math
import unittest
import uuid

import cborcodec
from cborcodec import CBORError, dumps, frame, loads, read_frame


class EncodeTest(unittest.TestCase):
    def test_rfc_vectors(self):
        vectors = [
            (0, "00"),
            (23, "17"),
            (24, "1818"),
            (1000000, "1a000f4240"),
            (18446744073709551615, "1bffffffffffffffff"),
            (-1, "20"),
            (-1000, "3903e7"),
            (-18446744073709551616, "3bffffffffffffffff"),
            (1.1, "fb3ff199999999999a"),
            (False, "f4"),
            (True, "f5"),
            (None, "f6"),
            (b"", "40"),
            (b"\x01\x02\x03\x04", "4401020304"),
            ("", "60"),
            ("a", "6161"),
            ("\u00fc", "62c3bc"),
            ([], "80"),
            ([1, [2, 3], [4, 5]], "8301820203820405"),
            ({}, "a0"),
            ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
        ]
        for value, hexed in vectors:
            with self.subTest(value=value):
                self.assertEqual(dumps(value).hex(), hexed)
                self.assertEqual(loads(bytes.fromhex(hexed)), value)

    def test_long_lengths_are_definite(self):
        value = list(range(300))
        encoded = dumps(value)
        self.assertEqual(encoded[:3].hex(), "99012c")
        self.assertEqual(loads(encoded), value)

    def test_out_of_range_int_is_refused(self):
        with self.assertRaises(CBORError):
            dumps(2**64)
        with self.assertRaises(CBORError):
            dumps(-(2**64) - 1)

    def test_unknown_type_is_refused(self):
        with self.assertRaises(CBORError):
            dumps({1, 2})


class DecodeTest(unittest.TestCase):
    def test_half_single_double_floats(self):
        self.assertEqual(loads(bytes.fromhex("f93c00")), 1.0)
        self.assertEqual(loads(bytes.fromhex("f97bff")), 65504.0)
        self.assertEqual(loads(bytes.fromhex("f90001")), 5.960464477539063e-08)
        self.assertEqual(loads(bytes.fromhex("f9c400")), -4.0)
        self.assertEqual(loads(bytes.fromhex("fa47c35000")), 100000.0)
        self.assertEqual(loads(bytes.fromhex("fa7f7fffff")), 3.4028234663852886e38)
        self.assertEqual(loads(bytes.fromhex("fb7e37e43c8800759c")), 1.0e300)
        self.assertTrue(math.isinf(loads(bytes.fromhex("f97c00"))))
        self.assertTrue(math.isnan(loads(bytes.fromhex("f97e00"))))

    def test_indefinite_lengths_are_read_and_counted(self):
        dec = cborcodec.Decoder(io.BytesIO(bytes.fromhex("bf61610161629f0203ffff")))
        self.assertEqual(dec.load(), {"a": 1, "b": [2, 3]})
        self.assertEqual(dec.indefinite_items, 2)
        self.assertEqual(loads(bytes.fromhex("5f42010243030405ff")), b"\x01\x02\x03\x04\x05")
        self.assertEqual(loads(bytes.fromhex("7f657374726561646d696e67ff")), "streaming")
        self.assertEqual(loads(bytes.fromhex("9fff")), [])

    def test_malformed_input(self):
        for hexed in ["18", "5f4101", "62c3", "1c", "ff", "a1", "00ff", "62fffe"]:
            with self.subTest(hexed=hexed):
                with self.assertRaises(CBORError):
                    loads(bytes.fromhex(hexed))

    def test_unknown_tag_is_refused(self):
        # tag 1 (epoch date): the Python client's decoder raises on it, so must we
        with self.assertRaises(CBORError):
            loads(bytes.fromhex("c11a514b67b0"))


class TagTest(unittest.TestCase):
    def test_tuple_is_tag_128(self):
        self.assertEqual(dumps((1, b"x")).hex(), "d880820141" + "78")
        value = loads(dumps([(b"k", {b"a": (1, 2)}), [b"k2", {}]]))
        self.assertEqual(value, [(b"k", {b"a": (1, 2)}), [b"k2", {}]])
        self.assertIsInstance(value[0], tuple)
        self.assertIsInstance(value[1], list)
        self.assertIsInstance(value[0][1][b"a"], tuple)

    def test_uuid_is_tag_37(self):
        u = uuid.UUID("12345678-1234-5678-1234-567812345678")
        encoded = dumps(u)
        self.assertEqual(encoded[:3].hex(), "d82550")
        self.assertEqual(loads(encoded), u)
        with self.assertRaises(CBORError):
            loads(bytes.fromhex("d8254101"))

    def test_frame_is_tag_24_around_bytes(self):
        message = {b"id": 1, b"method": b"now", b"params": []}
        framed = frame(message)
        self.assertEqual(framed[:2], b"\xd8\x18")
        self.assertEqual(loads(framed), message)
        value, indefinite = read_frame(io.BytesIO(framed + framed))
        self.assertEqual(value, message)
        self.assertEqual(indefinite, 0)

    def test_read_frame_rejects_bad_frames(self):
        with self.assertRaises(EOFError):
            read_frame(io.BytesIO(b""))
        with self.assertRaises(CBORError):
            read_frame(io.BytesIO(dumps({b"id": 1})))  # not tag 24
        with self.assertRaises(CBORError):
            read_frame(io.BytesIO(frame({b"id": 1})[:-1]))  # truncated
        with self.assertRaises(CBORError):
            read_frame(io.BytesIO(b"\xd8\x18\x41\x00"[:2]))  # header only


if __name__ == "__main__":
    unittest.main()
