"""Deltas handed from output inspection to the recorder: the same payload and reader get the
first read's list once; anything else is read afresh, and the hand-over stays bounded."""

from __future__ import annotations

from typing import Any

from wire.apis import deltas as shared
from wire.apis.deltas import Delta, deltas_to_share, shared_deltas


class Counting:
    """A reader that counts its reads."""

    def __init__(self) -> None:
        self.reads = 0

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        self.reads += 1
        return [Delta((0,), ("text",), str(payload.get("text", "")))]


def test_a_shared_read_is_taken_once_by_the_same_reader_only() -> None:
    """The recorder gets the inspector's list for the same payload once; another reader or
    another equal payload reads afresh."""
    first, other = Counting(), Counting()
    payload = {"text": "hello"}
    kept = deltas_to_share(first, payload)
    assert shared_deltas(other, payload) == kept
    assert other.reads == 1
    assert shared_deltas(first, dict(payload)) == kept
    assert first.reads == 2
    assert shared_deltas(first, payload) is kept
    assert first.reads == 2
    assert shared_deltas(first, payload) == kept
    assert first.reads == 3


def test_reads_never_taken_leave_first_in_first_out() -> None:
    """However many events are shared and never taken, the hand-over holds a bounded number."""
    reader = Counting()
    payloads = [{"text": str(n)} for n in range(3 * shared._HANDED_MAX)]
    for payload in payloads:
        deltas_to_share(reader, payload)
    assert len(shared._HANDED) <= shared._HANDED_MAX
    assert shared_deltas(reader, payloads[-1])[0].text == payloads[-1]["text"]
    before = reader.reads
    shared_deltas(reader, payloads[0])  # long gone: read afresh
    assert reader.reads == before + 1
