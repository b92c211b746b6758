"""The request path's short cuts to a stored row and its proof give exactly what the plain
definitions give: the columns in their stored order, and :func:`row_digest`'s digest."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from proxy.store.chain import CONTENT_COLUMNS, content_digest, row_digest, text_digest
from proxy.store.rows import encode_proved
from proxy.store.settings import ContentMode
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
