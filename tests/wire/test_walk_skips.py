"""The request walk does not visit values that can hold no text (numbers, booleans, nulls,
strings of fields that carry none); skipping them changes no extraction of any body."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.extract import extract_request
from proxy.call.apis import Api
from tests.policies.test_extract_properties import APIS, BODIES, FUZZ
from wire.apis import walk


def _visiting_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "_yields_nothing", lambda value, field, free: False)


@FUZZ
@given(APIS, BODIES)
def test_skipping_changes_no_extraction(api: Api, body: Any) -> None:
    """Any body of any API yields the same texts, locations, roles and attachments as a walk
    that visits every value."""
    skipped = extract_request(api, body)
    with pytest.MonkeyPatch.context() as patch:
        _visiting_everything(patch)
        visited = extract_request(api, body)
    assert skipped == visited


@FUZZ
@given(st.lists(st.integers() | st.floats(allow_nan=False) | st.none(), max_size=50))
def test_token_arrays_and_numbers_hold_no_text(tokens: list[Any]) -> None:
    """Token id arrays and other scalars in a body are not texts, under any field."""
    body = {"model": "m", "input": tokens, "dimensions": 3, "user": "someone's note"}
    texts = [part.text for part in extract_request(Api.EMBEDDINGS, body).texts]
    assert texts == ["m", "someone's note"]
