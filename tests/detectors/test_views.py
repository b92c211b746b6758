"""The detector chain over normalised views: hidden characters hide nothing, spans stay exact."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from secret_samples import github_token

from core.scanning import Detector, Finding
from detectors import entities as E
from detectors.pii import PresidioDetector
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector

ZWSP, RLO, PDF = "\u200b", "\u202e", "\u202c"
GITHUB = github_token()
AWS_ID = "AKIAIOSFODNN7EXAMPLQ"


def fullwidth(text: str) -> str:
    """``text`` with ASCII digits and letters in their fullwidth forms."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


@pytest.fixture(scope="module")
def chain(pii: PresidioDetector, secrets_detector: SecretsDetector) -> list[Detector]:
    """The default detectors: Presidio (PII) and secrets."""
    return [pii, secrets_detector]


def findings(chain: list[Detector], text: str) -> list[tuple[str, str]]:
    """(entity type, original text of the span) for each finding in ``text``."""
    return [(f.entity_type, text[f.start : f.end]) for f in scan_all(chain, [text])[0]]


# (text before, value as written, text after, entity type): the finding spans the value.
POSITIVES = [
    ("Paid with ", fullwidth("4111 1111 1111 1111"), " yesterday.", "CREDIT_CARD"),
    ("Paid with ", "４１１１\u3000１１１１\u3000１１１１\u3000１１１１", ".", "CREDIT_CARD"),
    ("Paid with ", "4111.1111.1111.1111", " yesterday.", "CREDIT_CARD"),
    ("Paid with ", "5555.5555.5555.4444", ".", "CREDIT_CARD"),
    ("Paid with ", "3782.822463.10005", ".", "CREDIT_CARD"),
    ("Paid with ", "4111\u00a01111\u00a01111\u00a01111", ".", "CREDIT_CARD"),
    ("Mail ", f"alice.smi{ZWSP}th@example.com", " today.", "EMAIL_ADDRESS"),
    ("Mail ", f"alice{ZWSP}.smith@exam{ZWSP}ple.com", " today.", "EMAIL_ADDRESS"),
    ("Mail ", "ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", " today.", "EMAIL_ADDRESS"),
    ("token ", f"{GITHUB[:10]}{ZWSP}{GITHUB[10:]}", " leaked", E.GITHUB_TOKEN),
    ("token ", f"{GITHUB[:4]}{RLO}{GITHUB[4:20]}{PDF}{GITHUB[20:]}", " leaked", E.GITHUB_TOKEN),
    ("id ", fullwidth(AWS_ID), " here", E.AWS_ACCESS_KEY_ID),
    # a zero-width space glued to the key: found in the original, where it separates
    ("word", f"{ZWSP}{AWS_ID}", " here", E.AWS_ACCESS_KEY_ID),
]


@pytest.mark.parametrize(("before", "value", "after", "entity_type"), POSITIVES)
def test_hidden_value_is_found_over_its_original_span(
    chain: list[Detector], before: str, value: str, after: str, entity_type: str
) -> None:
    """Fullwidth, dotted, invisible-laced values are found; the span covers the value as written."""
    text = before + value + after
    found = [(t, v) for t, v in findings(chain, text) if t == entity_type]
    expected = value.removeprefix(ZWSP)  # the glued case reports the key itself
    assert found == [(entity_type, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "Card 4111.1111.1111.1112 was declined.",  # Luhn still required
        "Upgrade to 4.1111.2.1 or 2024.0115.1 soon.",
        "Server 10.0.0.1 and build 2023.11.24.1 are fine.",
        "ＨＥＬＬＯ ＷＯＲＬＤ, ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ ｗｉｔｈｏｕｔ ｄｉｇｉｔｓ",
        f"Zero{ZWSP}width spaces in ordinary{ZWSP} prose",
        "Grüße aus Köln – naïve café ½ price…",
        "Order ４５２９-８８１２-３３０１ shipped",  # fullwidth order number, not a card
    ],
)
def test_normalised_hard_negatives_have_no_structured_finding(
    chain: list[Detector], text: str
) -> None:
    """Normalising creates no card, key or e-mail where there is none."""
    structured = {E.PRIVATE_KEY, "CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN"}
    assert [f for f in findings(chain, text) if f[0] in structured | E.SECRET_ENTITY_TYPES] == []


def test_ascii_text_is_scanned_exactly_as_before(chain: list[Detector]) -> None:
    """For ASCII text without encoded runs the chain returns what the detectors return."""
    text = f"Contact John Smith at john@example.com, key {AWS_ID}, card 4111 1111 1111 1111."
    direct = sorted(
        [*chain[0].scan([text])[0], *chain[1].scan([text])[0]],
        key=lambda f: (f.start, f.end, f.entity_type, f.detector),
    )
    assert scan_all(chain, [text])[0] == direct


class _Recorder:
    """A non-pattern detector that records the texts it is given and finds nothing."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @property
    def name(self) -> str:
        return "presidio"

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        self.seen.extend(texts)
        return [[] for _ in texts]


def test_ner_sees_the_view_and_the_original_only_when_invisibles_were_removed() -> None:
    """NER scans the view; the original too only if invisible characters were dropped."""
    recorder = _Recorder()
    scan_all([recorder], ["plain", "ｆｕｌｌ", f"zero{ZWSP}width"])
    assert recorder.seen == ["plain", "full", "zerowidth", f"zero{ZWSP}width"]


def test_ner_never_sees_decoded_text() -> None:
    """Decoded base64 is scanned by the pattern detectors only."""
    recorder = _Recorder()
    scan_all([recorder, SecretsDetector()], ["data QUtJQUlPU0ZPRE5ON0VYQU1QTFEgaXMgdGhlIGtleQ=="])
    assert recorder.seen == ["data QUtJQUlPU0ZPRE5ON0VYQU1QTFEgaXMgdGhlIGtleQ=="]
