"""Chain proofs made as rows are built: the same as proving the spooled line, and carried
by the feed only for batches whose every record has one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from proxy.store.chain import prove_payload
from proxy.store.feed import Feed
from proxy.store.rows import encode_event, encode_proved
from proxy.store.settings import ContentMode
from proxy.store.spool import Spool
from tests.store.factories import make_event

CASES: list[dict[str, Any]] = [
    {},
    {"content_mode": "redacted", "prompt_forwarded": '{"m":"<EMAIL_ADDRESS>"}'},
    {"content_mode": "redacted", "entity_types": ("EMAIL_ADDRESS",)},
    {"content_mode": "hash"},
    {"content_mode": "none"},
    {"content_mode": "bogus"},
    {"entity_types": ("IBAN_CODE", "PERSON"), "entity_counts": {"PERSON": 2, "IBAN_CODE": 1}},
    {"rules": ("pii-default", "secrets"), "decision": "redact"},
    {"cost": None},
    {"cost": 0.000123456789},
    {"latency_ms": 1234.56789, "ttfb_ms": 0.1},
    {"latency_ms": 3.4028235e38, "ttfb_ms": 1e-45},
    {"ts": datetime(2026, 3, 1, 12, 0, 0, 999_999)},  # naive: stored as UTC
    {"ts": datetime(2026, 3, 1, 12, 0, 0, 123_456, tzinfo=timezone(timedelta(hours=5)))},
    {"ts": datetime(1969, 12, 31, 23, 59, 59, 999_500, tzinfo=UTC)},
    {"prompt": "lone \ud800 surrogate", "response": "and \udfff here"},
    {"prompt": "", "response": "", "stream": True, "status_code": 499, "error": "client_closed"},
    {"prompt": "naïve café ☕ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "user": "zoë", "team": 'R&D "quotes"'},
]


@pytest.mark.parametrize("changes", CASES)
def test_a_proof_made_at_build_equals_the_proof_of_the_spooled_line(
    changes: dict[str, Any],
) -> None:
    """``encode_proved`` gives the stored line and exactly the proof the writer would compute
    from that line, for every content mode and awkward value."""
    event = make_event(**changes)
    row = encode_proved(event, ContentMode.FULL)
    assert row.payload == encode_event(event, ContentMode.FULL)
    assert (row.proof, row.ts_ms) == prove_payload(row.payload)


def test_proofs_match_on_random_events() -> None:
    """Random texts, numbers and times give the same proof built or parsed back."""
    rng = random.Random(11)
    alphabet = 'ab "\\\n\t\u00e9\u2028\U0001f600<>{}'
    for _ in range(300):
        event = make_event(
            prompt="".join(rng.choices(alphabet, k=rng.randint(0, 80))),
            response="".join(rng.choices(alphabet, k=rng.randint(0, 40))),
            latency_ms=rng.uniform(0, 1e6),
            ttfb_ms=rng.random(),
            prompt_tokens=rng.randint(0, 2**31),
            ts=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.randint(0, 10**12)),
        )
        mode = rng.choice(list(ContentMode))
        row = encode_proved(event, mode)
        assert (row.proof, row.ts_ms) == prove_payload(row.payload)


def _feed(tmp_path: Path) -> tuple[Spool, Feed]:
    spool = Spool(tmp_path / "spool", max_bytes=1 << 24, segment_bytes=1 << 20)
    spool.open()
    feed = Feed(spool, max_items=100, max_bytes=1 << 20, batch_rows=10, batch_bytes=1 << 20)
    feed.go_live(spool.live_end())
    return spool, feed


def test_the_feed_hands_out_the_proofs_of_a_batch(tmp_path: Path) -> None:
    """Records pushed with their proofs come out of the feed with them, in order."""
    spool, feed = _feed(tmp_path)
    start = spool.live_end()
    rows = [encode_proved(make_event(), ContentMode.FULL) for _ in range(3)]
    for row in rows:
        feed.push(row.payload, (row.proof, row.ts_ms))
    taken = feed.take(start, wait=0)
    assert [r.payload for r in taken.records] == [row.payload for row in rows]
    assert taken.proofs == [(row.proof, row.ts_ms) for row in rows]
    spool.close()


def test_a_batch_with_a_record_without_proof_has_no_proofs(tmp_path: Path) -> None:
    """One record pushed without a proof makes the writer prove the whole batch itself."""
    spool, feed = _feed(tmp_path)
    start = spool.live_end()
    first, second = (encode_proved(make_event(), ContentMode.FULL) for _ in range(2))
    feed.push(first.payload, (first.proof, first.ts_ms))
    feed.push(second.payload)
    taken = feed.take(start, wait=0)
    assert len(taken.records) == 2
    assert taken.proofs is None
    spool.close()


def test_stored_times_are_isoformat_in_any_order_of_calls() -> None:
    """The stored ``ts`` is ``isoformat(timespec="milliseconds")`` of the call's time and
    its epoch milliseconds are the line's, for UTC times in any order (the part up to the
    second is remembered between rows), across seconds, days and 1970."""
    rng = random.Random(5)
    base = datetime(2026, 11, 30, 23, 59, 58, tzinfo=UTC)
    times = [base + timedelta(microseconds=rng.randint(-3_000_000, 3_000_000)) for _ in range(400)]
    times += [
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
    ]
    times += [datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), base, base]
    for ts in times:
        row = encode_proved(make_event(ts=ts), ContentMode.FULL)
        stored = orjson.loads(row.payload)["ts"]
        assert stored == ts.isoformat(timespec="milliseconds")
        assert row.ts_ms == prove_payload(row.payload)[1]
