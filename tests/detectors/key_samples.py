"""Builders for synthetic key material: DER structures with random contents (never real keys).

The unarmoured-key detector judges the ASN.1 structure, not the mathematics, so each
builder produces the exact layout of one format (PKCS#1, PKCS#8, SEC1, encrypted PKCS#8,
PKCS#12) or of a public look-alike (certificate, public key, CSR) around random integers.
"""

from __future__ import annotations

import base64
import random

RSA_OID = bytes.fromhex("2a864886f70d010101")  # rsaEncryption
EC_OID = bytes.fromhex("2a8648ce3d0201")  # id-ecPublicKey
P256_OID = bytes.fromhex("2a8648ce3d030107")
PBES2_OID = bytes.fromhex("2a864886f70d01050d")
PKCS7_DATA_OID = bytes.fromhex("2a864886f70d010701")
SHA256_RSA_OID = bytes.fromhex("2a864886f70d01010b")


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, *content: bytes) -> bytes:
    """One DER element with the concatenated ``content``."""
    body = b"".join(content)
    return bytes([tag]) + _length(len(body)) + body


def seq(*content: bytes) -> bytes:
    return tlv(0x30, *content)


def integer(value: int | bytes) -> bytes:
    raw = (
        value
        if isinstance(value, bytes)
        else value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big")
    )
    return tlv(0x02, raw)


def oid(raw: bytes) -> bytes:
    return tlv(0x06, raw)


def octets(raw: bytes) -> bytes:
    return tlv(0x04, raw)


def _random(rng: random.Random, size: int) -> bytes:
    return b"\x00" + bytes([rng.randrange(0x80, 0x100)]) + rng.randbytes(size - 1)


def pkcs1_rsa(seed: int = 1, bits: int = 2048) -> bytes:
    """``RSAPrivateKey``: version 0 and nine integers (``BEGIN RSA PRIVATE KEY``)."""
    rng = random.Random(seed)
    size = bits // 8
    parts = [_random(rng, size), (65537).to_bytes(3, "big"), _random(rng, size)]
    parts += [_random(rng, size // 2) for _ in range(5)]
    return seq(integer(0), *(integer(p) for p in parts))


def pkcs8(inner: bytes, algorithm: bytes = RSA_OID) -> bytes:
    """``PrivateKeyInfo`` wrapping ``inner`` (``BEGIN PRIVATE KEY``)."""
    return seq(integer(0), seq(oid(algorithm), tlv(0x05)), octets(inner))


def sec1_ec(seed: int = 2) -> bytes:
    """``ECPrivateKey`` on P-256 (``BEGIN EC PRIVATE KEY``)."""
    rng = random.Random(seed)
    public = tlv(0x03, b"\x00\x04" + rng.randbytes(64))
    return seq(integer(1), octets(rng.randbytes(32)), tlv(0xA0, oid(P256_OID)), tlv(0xA1, public))


def encrypted_pkcs8(seed: int = 3) -> bytes:
    """``EncryptedPrivateKeyInfo`` with PBES2 (``BEGIN ENCRYPTED PRIVATE KEY``)."""
    rng = random.Random(seed)
    params = seq(seq(oid(bytes.fromhex("2a864886f70d01050c")), seq(octets(rng.randbytes(16)))))
    return seq(seq(oid(PBES2_OID), params), octets(rng.randbytes(1216)))


def pkcs12(seed: int = 4) -> bytes:
    """A ``PFX`` bundle (``.p12``): version 3 and a pkcs7-data ContentInfo."""
    rng = random.Random(seed)
    return seq(integer(3), seq(oid(PKCS7_DATA_OID), tlv(0xA0, octets(rng.randbytes(1500)))))


def spki(seed: int = 5) -> bytes:
    """``SubjectPublicKeyInfo`` (``BEGIN PUBLIC KEY``): public."""
    rng = random.Random(seed)
    key = seq(integer(_random(rng, 256)), integer(65537))
    return seq(seq(oid(RSA_OID), tlv(0x05)), tlv(0x03, b"\x00" + key))


def rsa_public(seed: int = 6) -> bytes:
    """PKCS#1 ``RSAPublicKey`` (``BEGIN RSA PUBLIC KEY``): public."""
    return seq(integer(_random(random.Random(seed), 256)), integer(65537))


def certificate(seed: int = 7) -> bytes:
    """An X.509 certificate layout (``BEGIN CERTIFICATE``): public."""
    rng = random.Random(seed)
    tbs = seq(
        tlv(0xA0, integer(2)),
        integer(rng.randbytes(16)),
        seq(oid(SHA256_RSA_OID), tlv(0x05)),
        seq(tlv(0x31, seq(oid(bytes.fromhex("550403")), tlv(0x0C, b"example.com")))),
        seq(tlv(0x17, b"240101000000Z"), tlv(0x17, b"340101000000Z")),
        seq(tlv(0x31, seq(oid(bytes.fromhex("550403")), tlv(0x0C, b"example.com")))),
        spki(seed),
    )
    return seq(tbs, seq(oid(SHA256_RSA_OID), tlv(0x05)), tlv(0x03, b"\x00" + rng.randbytes(256)))


def csr(seed: int = 8) -> bytes:
    """A PKCS#10 certificate request layout (``BEGIN CERTIFICATE REQUEST``): public."""
    rng = random.Random(seed)
    info = seq(integer(0), seq(), spki(seed), tlv(0xA0))
    return seq(info, seq(oid(SHA256_RSA_OID), tlv(0x05)), tlv(0x03, b"\x00" + rng.randbytes(256)))


def openssh_body(seed: int = 9) -> bytes:
    """An ``openssh-key-v1`` private key blob (``BEGIN OPENSSH PRIVATE KEY``)."""
    rng = random.Random(seed)
    return b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none" + rng.randbytes(300)


def pem_body(der: bytes, width: int = 64) -> str:
    """``der`` as the base64 lines of a PEM block, without the BEGIN/END lines."""
    encoded = base64.b64encode(der).decode()
    return "\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))
