"""The .p7m structure check reads BER/DER headers without copying (filechecks._ber_element): it must agree with
asn1crypto's public parser on every well-formed element and refuse what is truncated or nested without end."""
import pytest
from asn1crypto import parser

from ot24portal.filestore.filechecks import _ber_element

WELL_FORMED = {
    "short length": b"\x04\x03abc",
    "long length": b"\x04\x81\x80" + b"x" * 128,
    "two length octets": b"\x04\x82\x01\x00" + b"y" * 256,
    "high tag number": b"\x9f\x81\x00\x02hi",
    "constructed": b"\x30\x06\x02\x01\x01\x02\x01\x02",
    "indefinite": b"\x30\x80\x02\x01\x01\x00\x00",
    "nested indefinite": b"\x30\x80\xa0\x80\x04\x01z\x00\x00\x02\x01\x05\x00\x00",
    "empty": b"\x05\x00",
}


@pytest.mark.parametrize("encoded", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_agrees_with_asn1crypto_public_parser(encoded):
    _class, _method, _tag, header, contents, trailer = parser.parse(encoded + b"TRAILING")
    assert _ber_element(encoded + b"TRAILING", 0, len(encoded) + 8) == (len(header), len(header) + len(contents) + len(trailer))


@pytest.mark.parametrize("encoded", [
    b"", b"\x04", b"\x04\x05abc", b"\x04\x82\x01", b"\x9f\x81", b"\x30\x80\x02\x01\x01",
    b"\x04\x80\x00\x00",  # indefinite length on a primitive
    b"\x04\x89" + b"\x01" * 9,  # a length of nine octets
])
def test_refuses_truncated_or_malformed(encoded):
    with pytest.raises(ValueError):
        _ber_element(encoded, 0, len(encoded))


def test_refuses_indefinite_nesting_without_end():
    hostile = b"\x30\x80" * 10_000
    with pytest.raises(ValueError):
        _ber_element(hostile, 0, len(hostile))


def test_reads_the_element_in_place_within_its_parent():
    data = b"\x30\x08" + b"\x04\x02ab" + b"\x04\x02cd"
    assert _ber_element(data, 2, len(data)) == (4, 6)
    assert _ber_element(data, 6, len(data)) == (8, 10)
