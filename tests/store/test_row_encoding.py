"""The request path's one-pass row and proof (``rows.proved_line``) give exactly the line,
proof and time the field-by-field definitions give, for generated events."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.call.events import CallEvent
from proxy.store.chain import (
    CONTENT_COLUMNS,
    content_digest,
    prove_payload,
    row_digest,
    text_digest,
)
from proxy.store.rows import encode_event, encode_proved, proved_line
from proxy.store.settings import ContentMode
from tests.fuzzing import examples
from tests.store.factories import make_event
from tests.store.rows_before import encode_proved_before

FUZZ = settings(max_examples=examples(200), deadline=None, database=None)

#: Any code point, lone surrogates included (a JSON body may decode to them).
_ANY_CHAR = st.characters(blacklist_categories=())
_TEXT = st.one_of(
    st.text(_ANY_CHAR, max_size=40),
    st.text(st.characters(max_codepoint=0x7F), max_size=200),
    # Huge texts: a short piece repeated to hundreds of kilobytes.
    st.builds(
        lambda piece, times: piece * times,
        st.text(_ANY_CHAR, min_size=1, max_size=8),
        st.integers(1_000, 10_000),
    ),
)
_NAME = st.one_of(st.sampled_from(["", "alice", "zoë", 'R&D "q"']), st.text(_ANY_CHAR, max_size=12))


def _float32_tie() -> st.SearchStrategy[float]:
    """A double exactly halfway between two neighbouring Float32 values."""

    def halfway(bits: int) -> float:
        low: float = struct.unpack("<f", struct.pack("<I", bits))[0]
        high: float = struct.unpack("<f", struct.pack("<I", bits + 1))[0]
        return (low + high) / 2

    return st.integers(0, 0x7F7F_FFFE).map(halfway)


_MS = st.one_of(
    st.floats(min_value=0, max_value=3.4e38, allow_nan=False),
    _float32_tie(),
    st.integers(0, 10**6).map(lambda n: n / 1000 + 0.0005),  # round(x, 3) ties
    st.integers(0, 10**6),
)
_TS = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),  # naive: stored as UTC
    st.datetimes(
        timezones=st.sampled_from(
            [timezone(timedelta(hours=5)), timezone(-timedelta(hours=9, minutes=30))]
        )
    ),
)
_MODE = st.sampled_from(["", "full", "redacted", "hash", "none", "bogus"])


def _events() -> st.SearchStrategy[CallEvent]:
    return st.builds(
        make_event,
        ts=_TS,
        user=_NAME,
        team=_NAME,
        client_request_id=_NAME,
        upstream_model=_NAME,
        stream=st.booleans(),
        status_code=st.integers(0, 599),
        upstream_status=st.integers(0, 599),
        decision=st.sampled_from(["allow", "flag", "redact", "block", "error"]),
        rules=st.lists(_NAME, max_size=3).map(tuple),
        entity_types=st.lists(
            st.sampled_from(["PERSON", "EMAIL_ADDRESS", "CREDIT_CARD"]), max_size=3
        ).map(tuple),
        entity_counts=st.dictionaries(
            st.sampled_from(["PERSON", "EMAIL_ADDRESS", "IBAN_CODE"]),
            st.integers(0, 2**31),
            max_size=3,
        ),
        prompt=_TEXT,
        prompt_forwarded=st.one_of(st.just(""), _TEXT),
        response=_TEXT,
        prompt_tokens=st.integers(0, 2**40),
        completion_tokens=st.integers(0, 2**40),
        latency_ms=_MS,
        ttfb_ms=_MS,
        error=_NAME,
        content_mode=_MODE,
        cost=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    )


def _same_as_before(event: CallEvent, mode: ContentMode) -> None:
    payload, (proof, ts_ms) = proved_line(event, mode)
    assert (payload, proof, ts_ms) == encode_proved_before(event, mode)
    assert tuple(encode_proved(event, mode)) == (payload, proof, ts_ms)


@FUZZ
@given(event=_events(), mode=st.sampled_from(list(ContentMode)))
def test_the_line_and_proof_are_the_ones_made_before(event: CallEvent, mode: ContentMode) -> None:
    """For any event (unicode and lone surrogates, huge texts, Float32 and rounding ties,
    any time zone, every content mode) the line, proof and epoch ms are those of the
    field-by-field build before the one-pass encoder."""
    _same_as_before(event, mode)


@FUZZ
@given(event=_events(), mode=st.sampled_from(list(ContentMode)))
def test_the_proof_is_the_reference_digest_of_the_stored_line(
    event: CallEvent, mode: ContentMode
) -> None:
    """The proof is ``row_digest`` over the stored line's columns read back, and the proof
    the writer would compute from the line; the line is ``encode_event``'s."""
    payload, (proof, ts_ms) = proved_line(event, mode)
    assert payload == encode_event(event, mode)
    row = orjson.loads(payload)
    content = content_digest([text_digest(row.get(c) or "") for c in CONTENT_COLUMNS])
    assert proof.content == content
    assert proof.digest == row_digest({**row, "ts": ts_ms}, content)
    assert (proof, ts_ms) == prove_payload(payload)


NONE_FIELDS = [
    "user",
    "client_request_id",
    "error",
    "upstream_model",
    "entity_counts",
    "latency_ms",
    "ttfb_ms",
    "status_code",
    "prompt_tokens",
    "rules",
    "prompt_forwarded",
    "cost",
]


@pytest.mark.parametrize("name", NONE_FIELDS)
def test_a_none_where_a_value_belongs_is_proved_as_before(name: str) -> None:
    """An event carrying None in a field (outside its type) gets the line and proof it got
    before: the chain's normalised long way, not an error."""
    for mode in ContentMode:
        _same_as_before(make_event(**{name: None}), mode)


@pytest.mark.parametrize("changes", [{"latency_ms": 3.5e38}, {"ttfb_ms": 1e39}])
def test_a_value_no_float32_holds_fails_as_before(changes: dict[str, Any]) -> None:
    """A duration beyond Float32 fails to encode as it did (the log counts an encode error)."""
    event = make_event(**changes)
    with pytest.raises(OverflowError):
        encode_proved_before(event, ContentMode.FULL)
    with pytest.raises(OverflowError):
        proved_line(event, ContentMode.FULL)


def test_the_stored_time_of_a_utc_and_an_offset_call() -> None:
    """A UTC time and the same moment at an offset give the same epoch ms (and their own
    ISO text)."""
    moment = datetime(2026, 11, 30, 18, 0, 0, 123_456, tzinfo=UTC)
    shifted = moment.astimezone(timezone(timedelta(hours=5)))
    _, (_, utc_ms) = proved_line(make_event(ts=moment), ContentMode.FULL)
    _, (_, offset_ms) = proved_line(make_event(ts=shifted), ContentMode.FULL)
    assert utc_ms == offset_ms
