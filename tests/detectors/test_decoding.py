"""Base64 and hex runs: which are decoded, what they decode to, and findings over the run."""

from __future__ import annotations

import base64
import hashlib
import random
import textwrap
from collections.abc import Callable

import pytest
from secret_samples import github_token, random_token

from detectors import entities as E
from detectors.custom import CustomDetector
from detectors.decoding import (
    MAX_RUNS,
    DecodedRun,
    EncodedRun,
    decode_payload,
    decoded_runs,
    encoded_runs,
)
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector
from detectors.settings import CustomSettings, RegexRecognizerSettings

AWS_ID = "AKIAIOSFODNN7EXAMPLQ"
AWS_SECRET = random_token(40, random_token(64) + "+/")
CREDENTIALS = f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
GITHUB = github_token()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def b64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def wrapped(encoded: str, width: int = 76) -> str:
    """``encoded`` wrapped the way ``base64`` (76 columns) or PEM (64) print it."""
    return "\n".join(textwrap.wrap(encoded, width))


def found(text: str) -> list[tuple[str, int, int]]:
    """What the pattern detectors report for ``text`` through the whole chain."""
    return [(f.entity_type, f.start, f.end) for f in scan_all([SecretsDetector()], [text])[0]]


# --- runs ----------------------------------------------------------------------------------


def test_wrapped_base64_is_one_run_with_its_line_breaks() -> None:
    """Lines of equal width (and a shorter last one) form one run; the payload has no breaks."""
    encoded = b64(CREDENTIALS * 2)
    text = f"creds:\n{wrapped(encoded)}\nthanks"
    assert list(encoded_runs(text)) == [
        EncodedRun(7, 7 + len(wrapped(encoded)), encoded),
    ]


def test_a_short_word_after_a_block_is_not_part_of_it() -> None:
    """A sign-off after a wrapped block ends it, even when the block's width divides by 4."""
    encoded = b64("x" * 48)  # exactly 64 characters, no padding
    text = f"{encoded}\nThanks\n"
    assert [run.end for run in encoded_runs(text)] == [64]


@pytest.mark.parametrize("tail", ["IrpaMFaqkKrg", "taaSVpcYhhri"])
def test_a_short_last_line_of_mixed_case_letters_belongs_to_the_block(tail: str) -> None:
    """A key body's last line can be letters only; mixed case does not read as a word."""
    encoded = b64("x" * 48)  # exactly 64 characters, no padding
    text = f"{encoded}\n{tail}\n"
    assert [run.end for run in encoded_runs(text)] == [65 + len(tail)]


def test_json_escaped_line_breaks_join_lines_and_are_not_letters() -> None:
    """In text holding ``\\n`` escapes, the ``n`` is not taken as the start of a run."""
    encoded = b64(CREDENTIALS)
    text = "value: \\n" + encoded
    (run,) = encoded_runs(text)
    assert (run.start, run.payload) == (9, encoded)


@pytest.mark.parametrize(
    ("payload", "decoded"),
    [
        (b64(CREDENTIALS), CREDENTIALS),
        (b64url(CREDENTIALS), CREDENTIALS),
        (CREDENTIALS.encode().hex(), CREDENTIALS),
        (CREDENTIALS.encode().hex().upper(), CREDENTIALS),
        (b64(CREDENTIALS).rstrip("="), CREDENTIALS),  # padding dropped
    ],
    ids=["base64", "base64url", "hex", "HEX", "unpadded"],
)
def test_payload_decodes_to_its_text(payload: str, decoded: str) -> None:
    """Standard and URL-safe base64 (padded or not) and hex decode to the text they hold."""
    assert decode_payload(payload) == decoded


@pytest.mark.parametrize(
    "payload",
    [
        hashlib.sha256(b"release.tar.gz").hexdigest(),  # a hash is not a secret
        "9fceb02d0ae598e95dc970b74767f19372d61af8",  # a git SHA
        base64.b64encode(b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(600)).decode(),
        base64.b64encode(random.Random(2).randbytes(48)).decode(),
        "src/main/java/com/example/project/service/Handler",  # a path made of base64 letters
        "A+B/C-D_E" * 5,  # two alphabets mixed
    ],
    ids=["sha256", "git-sha", "png", "random", "path", "mixed-alphabets"],
)
def test_binary_or_invalid_payload_is_not_decoded(payload: str) -> None:
    """Hashes, images, random bytes and look-alike paths do not decode to text."""
    assert decode_payload(payload) is None


def test_decoding_is_bounded_per_text() -> None:
    """At most MAX_RUNS runs of one text are decoded; the rest are left alone."""
    text = " ".join(b64(f"message number {i:04d} of many") for i in range(MAX_RUNS + 10))
    runs = list(decoded_runs(text))
    assert len(runs) == MAX_RUNS
    first = b64("message number 0000 of many")
    assert runs[0] == DecodedRun(0, len(first), "message number 0000 of many")


# --- findings through the chain ------------------------------------------------------------


@pytest.mark.parametrize(
    ("encode", "layout"),
    [
        (b64, str),
        (b64, wrapped),
        (b64url, str),
        (lambda t: t.encode().hex(), str),
        (lambda t: b64(b64(t)), str),  # encoded twice
    ],
    ids=["base64", "base64-76-columns", "base64url", "hex", "double-base64"],
)
def test_secret_in_encoded_run_is_reported_over_the_whole_run(
    encode: Callable[[str], str], layout: Callable[[str], str]
) -> None:
    """The AWS key pair inside an encoded run: both types, each over the encoded run."""
    run = layout(encode(CREDENTIALS))
    text = f"please debug: {run} (from my laptop)"
    span = (14, 14 + len(run))
    assert found(text) == [(E.AWS_ACCESS_KEY_ID, *span), (E.AWS_SECRET_ACCESS_KEY, *span)]


def test_github_token_in_hex_is_found() -> None:
    """A hex-encoded GitHub token is a GITHUB_TOKEN over the hex run."""
    run = f"token={GITHUB}".encode().hex()
    assert found(f"x {run}") == [(E.GITHUB_TOKEN, 2, 2 + len(run))]


def test_pem_key_in_base64_is_a_private_key() -> None:
    """A whole PEM file, base64-encoded (a Kubernetes secret), is a PRIVATE_KEY."""
    body = "\n".join(random_token(64, seed=s) for s in range(5))
    pem = f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
    run = b64(pem)
    assert found(f"tls.key: {run}") == [(E.PRIVATE_KEY, 9, 9 + len(run))]


def test_custom_recognizer_sees_decoded_text_too() -> None:
    """The policy's own recognizers run on decoded text (they are pattern detectors)."""
    custom = CustomDetector(
        CustomSettings(
            regexes=(RegexRecognizerSettings(entity_type="EMPLOYEE_ID", pattern=r"EMP-\d{6}"),)
        )
    )
    run = b64("record for EMP-123456 attached, see the HR file")
    result = scan_all([custom], [f"data {run}"])[0]
    assert [(f.entity_type, f.start, f.end, f.detector) for f in result] == [
        ("EMPLOYEE_ID", 5, 5 + len(run), "custom")
    ]


@pytest.mark.parametrize(
    "text",
    [
        f"The release digest is {hashlib.sha256(b'x').hexdigest()} for v2.",
        "logo: " + base64.b64encode(b"GIF89a" + random.Random(3).randbytes(400)).decode(),
        "summary: " + b64("The quarterly report shows revenue growth in all regions."),
        "see " + b64url('{"alg":"HS256","typ":"JWT"}') + " for the header",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it",
    ],
    ids=["sha256", "image", "prose", "jwt-header", "git-sha"],
)
def test_ordinary_encoded_content_has_no_finding(text: str) -> None:
    """Hashes, images and base64 of harmless text produce no finding."""
    assert found(text) == []
