"""Building stored rows: log content modes and encoding."""

from __future__ import annotations

import hashlib

import orjson
import pytest

from proxy.store.rows import build_row, encode_event
from proxy.store.settings import ContentMode
from tests.store.factories import make_event

PROMPT = '{"messages":[{"role":"user","content":"mail bob@example.com"}]}'
REDACTED = '{"messages":[{"role":"user","content":"mail <EMAIL_ADDRESS>"}]}'
RESPONSE = "Done."


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("mode", "forwarded", "entities", "expected"),
    [
        ("full", REDACTED, ("EMAIL_ADDRESS",), (PROMPT, REDACTED, RESPONSE, "", "")),
        ("redacted", REDACTED, ("EMAIL_ADDRESS",), (REDACTED, "", RESPONSE, "", "")),
        ("redacted", "", ("EMAIL_ADDRESS",), ("", "", RESPONSE, _sha(PROMPT), "")),
        ("redacted", "", (), (PROMPT, "", RESPONSE, "", "")),
        ("hash", REDACTED, ("EMAIL_ADDRESS",), ("", "", "", _sha(PROMPT), _sha(RESPONSE))),
        ("none", REDACTED, ("EMAIL_ADDRESS",), ("", "", "", "", "")),
    ],
)
def test_content_modes(
    mode: str, forwarded: str, entities: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    """Each mode keeps exactly its text: redacted never keeps a raw prompt with findings."""
    event = make_event(
        prompt=PROMPT,
        prompt_forwarded=forwarded,
        response=RESPONSE,
        entity_types=entities,
        content_mode=mode,
    )
    row = build_row(event, ContentMode.FULL)
    got = tuple(
        row[k]
        for k in ("prompt", "prompt_forwarded", "response", "prompt_sha256", "response_sha256")
    )
    assert got == expected
    assert row["content_mode"] == mode
    assert row["entity_types"] == entities
    assert (row["prompt_chars"], row["response_chars"]) == (len(PROMPT), len(RESPONSE))


@pytest.mark.parametrize("requested", ["", "bogus"])
def test_unset_or_unknown_mode_uses_the_default(requested: str) -> None:
    """An event without a valid mode is stored with the configured default."""
    row = build_row(make_event(content_mode=requested), ContentMode.HASH)
    assert row["content_mode"] == "hash"
    assert row["prompt"] == ""


def test_encoded_row_is_one_json_line_with_utc_timestamp() -> None:
    """The spooled form is a single JSON object with an explicit UTC offset."""
    line = encode_event(make_event(prompt="line one\nline two"), ContentMode.FULL)
    assert b"\n" not in line
    decoded = orjson.loads(line)
    assert decoded["ts"].endswith("+00:00")
    assert decoded["prompt"] == "line one\nline two"


def test_lone_surrogates_do_not_break_encoding() -> None:
    """Text that is not valid UTF-8 is encoded with replacement characters."""
    decoded = orjson.loads(encode_event(make_event(prompt="bad \ud800 text"), ContentMode.FULL))
    assert decoded["prompt"] == "bad ? text"
