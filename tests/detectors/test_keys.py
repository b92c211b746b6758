"""Private keys pasted without their PEM lines: DER structure decides, public material passes."""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import key_samples as K
import pytest

from detectors import entities as E
from detectors.keys import find_unwrapped_keys, is_private_key_der
from detectors.secrets import SecretsDetector
from detectors.settings import SecretsSettings

PRIVATE: dict[str, Callable[[], bytes]] = {
    "pkcs1-rsa": K.pkcs1_rsa,
    "pkcs8-rsa": lambda: K.pkcs8(K.pkcs1_rsa()),
    "pkcs8-ec": lambda: K.pkcs8(K.sec1_ec(), K.EC_OID),
    "sec1-ec": K.sec1_ec,
    "encrypted-pkcs8": K.encrypted_pkcs8,
    "pkcs12": K.pkcs12,
    "rsa-1024": lambda: K.pkcs1_rsa(bits=1024),
    "rsa-4096": lambda: K.pkcs1_rsa(bits=4096),
}
PUBLIC: dict[str, Callable[[], bytes]] = {
    "certificate": K.certificate,
    "public-key": K.spki,
    "rsa-public-key": K.rsa_public,
    "certificate-request": K.csr,
}


@pytest.mark.parametrize("build", PRIVATE.values(), ids=PRIVATE.keys())
def test_unarmoured_private_key_is_found_over_its_body(build: Callable[[], bytes]) -> None:
    """A private key's base64 body without BEGIN/END lines is a PRIVATE_KEY over the body."""
    body = K.pem_body(build())
    text = f"my key:\n{body}\nthanks"
    found = SecretsDetector().find(text)
    assert [(f.entity_type, text[f.start : f.end]) for f in found] == [(E.PRIVATE_KEY, body)]


@pytest.mark.parametrize("build", PUBLIC.values(), ids=PUBLIC.keys())
def test_public_key_material_is_not_a_secret(build: Callable[[], bytes]) -> None:
    """Certificates, public keys and CSRs are public by design: no finding."""
    text = f"our cert:\n{K.pem_body(build())}\nok"
    assert SecretsDetector().find(text) == []


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(lambda b: b.replace("\n", ""), id="one-line"),
        pytest.param(lambda b: b.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda b: b.replace("\n", "\\n"), id="json-escaped"),
        pytest.param(lambda b: "\n".join(b.splitlines()[:4]), id="truncated"),
        pytest.param(lambda b: K.pem_body(K.pkcs1_rsa(), width=76), id="76-columns"),
    ],
)
def test_unarmoured_key_is_found_in_any_layout(layout: Callable[[str], str]) -> None:
    """One line, CRLF, JSON-escaped line breaks, 76 columns or a truncated paste: found."""
    body = layout(K.pem_body(K.pkcs1_rsa()))
    text = f'"key": "{body}"'
    assert list(find_unwrapped_keys(text)) == [(8, 8 + len(body))]


def test_openssh_key_body_is_found() -> None:
    """The base64 body of an OpenSSH private key (openssh-key-v1) is a PRIVATE_KEY."""
    body = K.pem_body(K.openssh_body(), width=70)
    assert [f.entity_type for f in SecretsDetector().find(f"id_ed25519:\n{body}\n")] == [
        E.PRIVATE_KEY
    ]


@pytest.mark.parametrize(
    "text",
    [
        # base64 of random bytes that start with a DER SEQUENCE header, then noise
        base64.b64encode(b"\x30\x82\x04\xa2" + bytes(range(200))).decode(),
        # base64 of prose starting with "0" (0x30, so it too starts with "M")
        base64.b64encode(b"0 errors and 12 warnings were reported by the linter today").decode(),
        # an image and random bytes
        base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2).decode(),
        "M" + "A" * 100,
        # too short to be a key
        base64.b64encode(K.pkcs1_rsa()[:40]).decode(),
    ],
    ids=["sequence-then-noise", "prose", "image", "letters", "short"],
)
def test_base64_that_is_not_a_private_key_is_not_reported(text: str) -> None:
    """Random, textual or image base64 - even starting with "M" - is not key material."""
    assert list(find_unwrapped_keys(f"data: {text} end")) == []


def test_pem_block_is_reported_once_over_the_whole_block() -> None:
    """With the BEGIN/END lines present, one finding covers the block (not its body too)."""
    body = K.pem_body(K.pkcs1_rsa())
    block = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    found = SecretsDetector().find(f"key: {block}")
    assert [(f.entity_type, f.start, f.end) for f in found] == [(E.PRIVATE_KEY, 5, 5 + len(block))]


def test_disabling_private_keys_disables_unarmoured_keys_too() -> None:
    """``disabled: [PRIVATE_KEY]`` also turns off the unarmoured-key check."""
    detector = SecretsDetector(SecretsSettings(disabled=(E.PRIVATE_KEY,)))
    assert detector.find(K.pem_body(K.pkcs1_rsa())) == []


def test_der_check_needs_a_private_structure() -> None:
    """The DER check accepts each private layout and rejects the public ones and junk."""
    assert all(is_private_key_der(build()) for build in PRIVATE.values())
    assert not any(is_private_key_der(build()) for build in PUBLIC.values())
    assert not is_private_key_der(b"\x30\x82")
    assert not is_private_key_der(b"")


OPENSSL = shutil.which("openssl")


@pytest.fixture(scope="module")
def real_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Keys and certificates made by openssl now (throwaway), as PEM text by name."""
    if OPENSSL is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("keys")

    def run(*args: str) -> None:
        subprocess.run([OPENSSL, *args], check=True, capture_output=True, cwd=folder)  # noqa: S603

    run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "rsa8.pem")
    run("pkey", "-in", "rsa8.pem", "-traditional", "-out", "rsa1.pem")
    run("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ec.pem")
    run("genpkey", "-algorithm", "ed25519", "-out", "ed25519.pem")
    run("pkcs8", "-topk8", "-in", "rsa8.pem", "-passout", "pass:x", "-out", "enc.pem")
    run("req", "-x509", "-key", "rsa8.pem", "-subj", "/CN=t", "-days", "1", "-out", "cert.pem")
    run("pkey", "-in", "rsa8.pem", "-pubout", "-out", "pub.pem")
    run("req", "-new", "-key", "rsa8.pem", "-subj", "/CN=t", "-out", "csr.pem")
    return {path.stem: path.read_text() for path in Path(folder).glob("*.pem")}


@pytest.mark.parametrize(
    ("name", "private"),
    [
        ("rsa8", True),
        ("rsa1", True),
        ("ec", True),
        ("ed25519", True),
        ("enc", True),
        ("cert", False),
        ("pub", False),
        ("csr", False),
    ],
)
def test_real_openssl_output_without_pem_lines(
    real_keys: dict[str, str], name: str, private: bool
) -> None:
    """Bodies of keys openssl made are found; its certificates, public keys and CSRs are not."""
    body = "\n".join(line for line in real_keys[name].splitlines() if not line.startswith("-----"))
    found = [(f.entity_type, f.start, f.end) for f in SecretsDetector().find(f"x {body} y")]
    assert found == ([(E.PRIVATE_KEY, 2, 2 + len(body))] if private else [])
