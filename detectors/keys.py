"""Private keys pasted without their PEM armour: base64 DER and OpenSSH key bodies.

Dropping the ``-----BEGIN ... PRIVATE KEY-----`` lines leaves a base64 body that no
header-based pattern sees. A DER structure always starts with a SEQUENCE (byte ``0x30``,
base64 ``M``; ``MII`` for the usual two-byte length), so candidates are base64 runs that
start with ``M`` (or with the base64 of ``openssh-key-v1``). A candidate is reported only
if the start of its decoded bytes parses as the DER of a private key:

* PKCS#1 RSA and OpenSSL DSA keys: ``SEQUENCE { INTEGER 0, INTEGER ... }``;
* PKCS#8 / OneAsymmetricKey: ``SEQUENCE { INTEGER 0|1, SEQUENCE { OID ... }, OCTET STRING }``;
* SEC1 EC keys: ``SEQUENCE { INTEGER 1, OCTET STRING ... }``;
* encrypted PKCS#8: ``SEQUENCE { SEQUENCE { OID pbes1/pbes2/pkcs12-pbe ... }, OCTET STRING }``;
* PKCS#12 (``.p12``/``.pfx``) bundles: ``SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-... } }``.

Certificates, CSRs and public keys (``SubjectPublicKeyInfo``, PKCS#1 ``RSAPublicKey``) are
public by design and are not reported; neither is random base64 that happens to start with
``M``. Only the first :data:`_HEADER_CHARS` characters are decoded, so a truncated paste of
a key is still recognised and a long one costs no more than a short one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass

from detectors.decoding import encoded_runs

_OPENSSH_MAGIC = b"openssh-key-v1\x00"
_OPENSSH_PREFIX = "b3BlbnNzaC1rZXktdjE"  # base64 of "openssh-key-v1"
# The smallest key worth reporting (Ed25519 PKCS#8 is 48 bytes: 64 base64 characters).
_MIN_CHARS = 64
_HEADER_CHARS = 256  # decoded to 192 bytes: every structure below is recognised by then

_SEQUENCE, _INTEGER, _OCTET_STRING, _OID = 0x30, 0x02, 0x04, 0x06
_PKCS5 = bytes.fromhex("2a864886f70d0105")  # 1.2.840.113549.1.5: PBES1, PBES2
_PKCS12_PBE = bytes.fromhex("2a864886f70d010c01")  # 1.2.840.113549.1.12.1
_PKCS7 = bytes.fromhex("2a864886f70d0107")  # 1.2.840.113549.1.7: data, signedData, ...


@dataclass(frozen=True, slots=True)
class _Element:
    """One DER TLV: ``data[start:end]`` is its content (``end`` may lie past the data)."""

    tag: int
    start: int
    end: int


def _element(data: bytes, position: int) -> _Element | None:
    """The DER element at ``position``, or None if its header is not in ``data``."""
    if position + 2 > len(data):
        return None
    tag, first = data[position], data[position + 1]
    if first < 0x80:
        return _Element(tag, position + 2, position + 2 + first)
    size = first & 0x7F
    if not 1 <= size <= 3 or position + 2 + size > len(data):
        return None  # indefinite or absurd lengths never occur in keys
    length = int.from_bytes(data[position + 2 : position + 2 + size], "big")
    start = position + 2 + size
    return _Element(tag, start, start + length)


def _children(data: bytes, parent: _Element, count: int) -> list[_Element]:
    """Up to ``count`` leading children of ``parent`` whose headers are in ``data``."""
    children: list[_Element] = []
    position = parent.start
    while len(children) < count and position < parent.end:
        child = _element(data, position)
        if child is None or child.end > parent.end:
            break
        children.append(child)
        position = child.end
    return children


def _small_int(data: bytes, element: _Element) -> int | None:
    if element.tag != _INTEGER or element.end - element.start != 1 or element.end > len(data):
        return None
    return data[element.start]


def _oid_in(data: bytes, element: _Element, prefixes: tuple[bytes, ...]) -> bool:
    """True if ``element`` is a SEQUENCE whose first child is an OID with one of ``prefixes``."""
    if element.tag != _SEQUENCE:
        return False
    first = _element(data, element.start)
    if first is None or first.tag != _OID:
        return False
    oid = data[first.start : first.end]
    return any(oid.startswith(prefix) for prefix in prefixes)


def is_private_key_der(data: bytes) -> bool:
    """True if ``data`` (possibly truncated) starts with the DER of a private key."""
    outer = _element(data, 0)
    if outer is None or outer.tag != _SEQUENCE or outer.end - outer.start < 40:
        return False
    children = _children(data, outer, 3)
    tags = [child.tag for child in children]
    if len(children) < 2:
        return False
    version = _small_int(data, children[0])
    if version == 0 and tags[1] == _INTEGER:
        return children[1].end - children[1].start >= 64  # RSA modulus or DSA prime
    if version in (0, 1) and tags[1] == _SEQUENCE and _oid_in(data, children[1], (b"",)):
        # PKCS#8 (any algorithm): the OCTET STRING follows, unless it is past the decoded
        # header (DSA parameters are long).
        return tags[2:] == [_OCTET_STRING] or children[1].end + 2 > len(data)
    if version == 1 and tags[1] == _OCTET_STRING:
        return 16 <= children[1].end - children[1].start <= 72  # SEC1 EC private scalar
    if version == 3:
        return _oid_in(data, children[1], (_PKCS7,))
    return tags[:2] == [_SEQUENCE, _OCTET_STRING] and _oid_in(
        data, children[0], (_PKCS5, _PKCS12_PBE)
    )


def _header_bytes(payload: str) -> bytes | None:
    head = payload[:_HEADER_CHARS]
    head = head[: len(head) - len(head) % 4]
    try:
        return base64.b64decode(head, validate=True)
    except (binascii.Error, ValueError):
        return None


def find_unwrapped_keys(text: str) -> Iterator[tuple[int, int]]:
    """Spans of base64 private key bodies without PEM armour (see the module docstring)."""
    for run in encoded_runs(text):
        payload = run.payload
        if len(payload) < _MIN_CHARS or not payload.startswith(("M", _OPENSSH_PREFIX)):
            continue
        data = _header_bytes(payload)
        if data is not None and (data.startswith(_OPENSSH_MAGIC) or is_private_key_der(data)):
            yield run.start, run.end
