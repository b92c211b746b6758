"""The request path's short cuts to a stored row and its proof give exactly what the plain
definitions give: the columns in their stored order, and :func:`row_digest`'s digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.store.chain import CONTENT_COLUMNS, content_digest, epoch_ms, row_digest, text_digest
from proxy.store.rows import _UtcStamps, encode_proved
from proxy.store.settings import ContentMode
from tests.fuzzing import examples
from tests.store.factories import make_event
from tests.store.test_row_proofs import CASES

#: The order the row's JSON line has always listed its columns in.
STORED_ORDER = [
    "request_id",
    "client_request_id",
    "ts",
    "user",
    "team",
    "app",
    "key_id",
    "client_ip",
    "method",
    "endpoint",
    "provider",
    "model",
    "upstream_model",
    "stream",
    "status_code",
    "upstream_status",
    "decision",
    "rules",
    "entity_types",
    "entity_counts",
    "content_mode",
    "prompt",
    "prompt_forwarded",
    "response",
    "prompt_sha256",
    "response_sha256",
    "prompt_chars",
    "response_chars",
    "prompt_tokens",
    "completion_tokens",
    "cost",
    "latency_ms",
    "ttfb_ms",
    "error",
]


@pytest.mark.parametrize("changes", CASES)
@pytest.mark.parametrize("mode", list(ContentMode))
def test_the_proof_made_on_the_request_path_is_the_reference_digest(
    changes: dict[str, Any], mode: ContentMode
) -> None:
    """The row's proof equals ``row_digest`` over the stored line's columns, and its content
    digest the digest of each stored text, for every content mode and awkward value."""
    proved = encode_proved(make_event(**changes), mode)
    row = orjson.loads(proved.payload)
    content = content_digest([text_digest(row.get(c) or "") for c in CONTENT_COLUMNS])
    assert proved.proof.content == content
    assert proved.proof.digest == row_digest({**row, "ts": proved.ts_ms}, content)
    assert proved.proof.request_id == row["request_id"]


def test_the_line_lists_the_columns_in_their_stored_order() -> None:
    """A row's JSON line has every column, in the order lines have always had them."""
    event = make_event(entity_counts={"PERSON": 1}, rules=("r",), cost=0.5)
    row = orjson.loads(encode_proved(event, ContentMode.FULL).payload)
    assert list(row) == STORED_ORDER
    assert row["entity_counts"] == {"PERSON": 1}
    assert row["prompt_chars"] == len(event.prompt)
    assert row["latency_ms"] == event.latency_ms


@settings(max_examples=examples(200), deadline=None, database=None)
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1, 1, 2),
            max_value=datetime(9999, 12, 30),
            timezones=st.just(UTC),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_rows_stamp_is_its_iso_text_and_epoch_milliseconds_in_any_order(
    moments: list[datetime],
) -> None:
    """Row stamps taken one after another, in or out of order, within or across seconds,
    each read as ``isoformat(timespec="milliseconds")`` and its epoch milliseconds: the
    memo of the last second never leaks into another second's stamp."""
    stamps = _UtcStamps()
    for ts in moments + moments[::-1] + [m + timedelta(microseconds=999) for m in moments]:
        text, ms = stamps.stamp(ts)
        assert text == ts.isoformat(timespec="milliseconds")
        assert ms == (ts - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
        assert ms == epoch_ms(text)
