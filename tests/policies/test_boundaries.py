"""Secrets split over consecutive texts of one call are found, one piece in each text."""

from __future__ import annotations

import base64
import random
import string
import textwrap
import zlib

import pytest

from core.scanning import Finding
from detectors import entities as E
from detectors.checks import base62_encode
from detectors.custom import CustomDetector
from detectors.service import ScanService
from detectors.settings import (
    CustomSettings,
    DetectorSettings,
    RegexRecognizerSettings,
    SecretsSettings,
)
from policies.boundaries import (
    WINDOW_CHARS,
    WindowScanner,
    scan_boundaries,
    with_boundary_findings,
)
from policies.engine import PolicyEngine
from policies.inspector import evaluate_request
from policies.scanning import DetectorScanner
from tests.policies.factories import call_info, chat, secrets_detector
from tests.policies.pattern_detection import cached_pack

_RNG = random.Random(8)
_BODY = "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(30))
#: A classic GitHub token with a valid checksum (random, never real).
GITHUB = f"ghp_{_BODY}{base62_encode(zlib.crc32(_BODY.encode()), 6)}"
#: Base64 lines of a PEM body (random bytes, not a key).
PEM_BODY_LINES = textwrap.wrap(base64.b64encode(_RNG.randbytes(300)).decode(), 64)
SECRETS = WindowScanner([secrets_detector()])


def pieces(texts: list[str], scanner: WindowScanner = SECRETS) -> list[list[tuple[str, str]]]:
    """(entity type, text of the span) added per text by boundary scanning."""
    added = scan_boundaries(scanner, texts, [[] for _ in texts])
    return [
        [(f.entity_type, text[f.start : f.end]) for f in found]
        for text, found in zip(texts, added, strict=True)
    ]


@pytest.mark.parametrize("cut", [4, 10, 20, 39])
def test_token_split_over_two_messages_is_found_in_both(cut: int) -> None:
    """A GitHub token split anywhere yields one finding per message, over each piece.

    What each message shows alone is passed in, as the inspector does: "my token is"
    followed by 20 random characters is a generic secret by itself.
    """
    texts = [f"my token is {GITHUB[:cut]}", f"{GITHUB[cut:]} - is it still valid?"]
    alone = SECRETS.scan(texts)
    added = scan_boundaries(SECRETS, texts, alone)
    spans = [
        [(f.entity_type, t[f.start : f.end]) for f in a] for t, a in zip(texts, added, strict=True)
    ]
    assert spans == [
        [(E.GITHUB_TOKEN, GITHUB[:cut])],
        [(E.GITHUB_TOKEN, GITHUB[cut:])],
    ]


def test_pem_header_in_one_message_and_body_in_the_next() -> None:
    """A BEGIN line ending one message and base64 lines starting the next are one key."""
    body = "\n".join(PEM_BODY_LINES)
    texts = ["here is the key:\n-----BEGIN RSA PRIVATE KEY-----", f"{body}\nwhat now?"]
    first, second = pieces(texts)
    assert first == [(E.PRIVATE_KEY, "-----BEGIN RSA PRIVATE KEY-----")]
    assert second == [(E.PRIVATE_KEY, body[: len(second[0][1])])]
    assert len(second[0][1]) >= 64


def test_context_in_one_message_and_value_in_the_next() -> None:
    """``password:`` ending one message makes the start of the next a PASSWORD."""
    texts = ["the db password:", "Tr0ub4dor&3x and the host is db1"]
    assert pieces(texts) == [[], [(E.PASSWORD, "Tr0ub4dor&3x")]]


@pytest.mark.parametrize(
    "texts",
    [
        [f"token {GITHUB[:12]}", GITHUB[12:25], f"{GITHUB[25:]} end"],
        ["token ", *GITHUB, " end"],  # one character per message
    ],
    ids=["three-pieces", "forty-pieces"],
)
def test_token_split_over_many_messages_is_found_in_each(texts: list[str]) -> None:
    """A token spread over several messages is masked in every one of them."""
    found = pieces(texts)
    token_pieces = [
        value for per_text in found for kind, value in per_text if kind == E.GITHUB_TOKEN
    ]
    assert "".join(token_pieces) == GITHUB
    assert [kind for per_text in found for kind, _ in per_text] == [E.GITHUB_TOKEN] * len(
        token_pieces
    )


@pytest.mark.parametrize(
    "texts",
    [
        ["Summarise this report.", "The quarterly numbers are attached below."],
        ["My key is ", "not something I will paste here."],
        ["commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "and 3f2b8c1e-9d4a-4b7e-8f6a"],
        ["Tokens look like ghp_", "x" * 36],
        ["-----BEGIN PRIVATE KEY-----", "...\n-----END PRIVATE KEY-----"],
    ],
    ids=["prose", "key-word", "hashes", "placeholder-token", "doc-example"],
)
def test_ordinary_neighbours_yield_nothing(texts: list[str]) -> None:
    """Consecutive ordinary messages, look-alikes and doc examples yield no finding."""
    assert pieces(texts) == [[], []]


def test_a_token_longer_than_the_window_is_not_reported_from_its_cut_piece() -> None:
    """Where a window cuts a text, what the cut makes look like a secret is not reported."""
    rng = random.Random(5)
    long_token = "sk-" + "".join(rng.choice(string.ascii_letters) for _ in range(WINDOW_CHARS * 2))
    texts = ["Here is a string:", f"{long_token} (it is just data)"]
    assert pieces(texts) == [[], []]


def test_secret_already_found_in_a_text_is_not_added_again() -> None:
    """A secret wholly inside one text (found by its own scan) is not duplicated."""
    text = f"token {GITHUB} here"
    start = text.index(GITHUB)
    found = [[Finding(E.GITHUB_TOKEN, start, start + len(GITHUB), 1.0, "secrets")], []]
    assert scan_boundaries(SECRETS, [text, "next message"], found) == [[], []]


def test_an_entity_complete_in_one_text_does_not_spill_into_the_next() -> None:
    """An e-mail address ending one message is not extended over the next message's first
    word by the direct join: the next message gets no finding."""
    custom = CustomSettings(
        regexes=(
            RegexRecognizerSettings(
                entity_type="EMAIL_ADDRESS", pattern=r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
            ),
        )
    )
    scanner = WindowScanner([CustomDetector(custom)])
    texts = ["write to alice.smith@example.com", "please"]
    start = texts[0].index("alice")
    found = [[Finding("EMAIL_ADDRESS", start, len(texts[0]), 0.9, "custom")], []]
    assert scan_boundaries(scanner, texts, found) == [[], []]


def test_custom_recognizers_apply_at_boundaries() -> None:
    """The configured custom recognizers also see the joined windows."""
    custom = CustomSettings(
        regexes=(RegexRecognizerSettings(entity_type="EMPLOYEE_ID", pattern=r"EMP-\d{6}"),)
    )
    scanner = WindowScanner([CustomDetector(custom)])
    assert pieces(["employee EMP-12", "3456 left"], scanner) == [
        [("EMPLOYEE_ID", "EMP-12")],
        [("EMPLOYEE_ID", "3456")],
    ]


async def test_detection_service_settings_decide_what_boundaries_report() -> None:
    """The service's own settings apply: with GITHUB_TOKEN disabled the pieces are generic."""
    settings = DetectorSettings(
        enabled=("secrets",),
        secrets=SecretsSettings(disabled=(E.GITHUB_TOKEN,)),
        service={"workers": 0},  # type: ignore[arg-type]
    )
    async with ScanService(settings) as service:
        texts = [f"token {GITHUB[:10]}", GITHUB[10:]]
        merged = await with_boundary_findings(service, texts, [[], []])
    assert [[f.entity_type for f in found] for found in merged] == [
        [E.GENERIC_SECRET],
        [E.GENERIC_SECRET],
    ]


async def test_findings_are_merged_in_offset_order() -> None:
    """The call's findings come back per text, boundary pieces merged in offset order."""
    first = f"AKIAIOSFODNN7EXAMPLQ then {GITHUB[:8]}"
    known = Finding(E.AWS_ACCESS_KEY_ID, 0, 20, 0.9, "secrets")
    merged = await with_boundary_findings(
        DetectorScanner([secrets_detector()]), [first, GITHUB[8:]], [[known], []]
    )
    assert [(f.entity_type, f.start, f.end) for f in merged[0]] == [
        (E.AWS_ACCESS_KEY_ID, 0, 20),
        (E.GITHUB_TOKEN, len(first) - 8, len(first)),
    ]
    assert [(f.start, f.end) for f in merged[1]] == [(0, len(GITHUB) - 8)]


async def test_split_token_blocks_the_request_with_the_default_policy() -> None:
    """The default policy blocks a call whose two messages hold the halves of a token."""
    evaluation = await evaluate_request(
        PolicyEngine(cached_pack()),
        call_info(),
        chat(f"use {GITHUB[:20]}", f"{GITHUB[20:]} for the clone"),
        DetectorScanner([secrets_detector()]),
    )
    assert evaluation.decision.blocked
    assert evaluation.decision.blocking_entity_types == [E.GITHUB_TOKEN]
    # Text 0 is the model name; the halves are the two messages.
    assert sorted(item.text_index for item in evaluation.findings) == [1, 2]


async def test_a_token_split_between_the_model_name_and_a_message_is_not_joined() -> None:
    """The model name is read on its own, not as prose next to the first message: the
    halves of a token in the model field and the message are two unrelated strings to the
    provider too, and the call is allowed."""
    body = {
        "model": f"ft:{GITHUB[:20]}",
        "messages": [{"role": "user", "content": f"{GITHUB[20:]} for the clone"}],
    }
    evaluation = await evaluate_request(
        PolicyEngine(cached_pack()), call_info(), body, DetectorScanner([secrets_detector()])
    )
    assert not evaluation.decision.blocked
    assert evaluation.findings == ()


async def test_texts_on_either_side_of_the_model_name_are_still_joined() -> None:
    """A token split between a message and a field after the model name is found in both
    halves, the model name between them left out of the window."""
    body = {
        "messages": [{"role": "user", "content": f"use {GITHUB[:20]}"}],
        "model": "gpt-4o-mini",
        "user": f"{GITHUB[20:]}",
    }
    evaluation = await evaluate_request(
        PolicyEngine(cached_pack()), call_info(), body, DetectorScanner([secrets_detector()])
    )
    assert evaluation.decision.blocking_entity_types == [E.GITHUB_TOKEN]
    texts = evaluation.extracted.texts
    assert texts[1].location == ("model",)
    found = sorted(
        (item.text_index, item.finding.start, item.finding.end) for item in evaluation.findings
    )
    assert found == [(0, 4, 24), (2, 0, len(GITHUB) - 20)]
