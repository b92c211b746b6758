"""Which path segments the caller wrote, and how a path rests before and after the policy."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.call.judged_path import _masked
from proxy.call.path_segments import UNREAD, caller_segments, unread_view
from tests.fuzzing import examples
from wire.apis.registry import WIRE_APIS

#: The paths the default proxy serves: every caller of these functions passes its own.
SERVED = WIRE_APIS.served_paths

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize(
    ("path", "rests"),
    [
        ("/v1/chat/completions", "/v1/chat/completions"),
        ("/v1/files/file-8jQpTsKcBz9sJqY2kD/content", f"/v1/files/file-{UNREAD}/content"),
        ("/v1/models/ft:gpt-4o-mini:acme::7qTVM5AR", "/v1/models/ft:gpt-4o-mini:acme::7qTVM5AR"),
        ("/v1/messages/batches/msgbatch_01Hkc7", f"/v1/messages/batches/msgbatch_{UNREAD}"),
        ("/v1/files/sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1y", f"/v1/files/{UNREAD}"),
        (
            "/v1/batches/call_ghp_16C7e42F292c6912E7710c8/cancel",
            f"/v1/batches/call_{UNREAD}/cancel",
        ),
        ("/v1/vector_stores/Autumn2024!/files", f"/v1/vector_stores/{UNREAD}/files"),
        ("/v1/files/c1/content", f"/v1/files/{UNREAD}/content"),
        ("/v1/files/file-", f"/v1/files/{UNREAD}"),
    ],
    ids=[
        *("served", "file-id", "fine-tuned", "anthropic-batch", "key", "key-after-id"),
        *("password", "short", "prefix-alone"),
    ],
)
def test_route_words_rest_as_sent_and_what_is_read_unread(path: str, rests: str) -> None:
    """Route words and fine-tuned model ids are no caller text; any other segment is read,
    of a provider id the part after its prefix (the prefix stays shown), so until the path
    is judged that part rests unread (h149: a key glued after ``file-`` is still a key)."""
    assert unread_view(path, SERVED) == rests


@given(path=st.text(max_size=80))
@settings(max_examples=examples(200))
def test_any_path_keeps_its_shape_and_no_caller_segment(path: str) -> None:
    """Whatever a request's path holds, its unread view has as many segments, each a route
    word or issued id as sent, or unread."""
    view = unread_view(path, SERVED).split("/")
    sent = path.split("/")
    assert len(view) == len(sent)
    callers = set(caller_segments(path, SERVED))
    for index, (shown, segment) in enumerate(zip(view, sent, strict=True)):
        if index in callers:
            assert shown.endswith(UNREAD)
            assert segment.startswith(shown.removesuffix(UNREAD))
        else:
            assert shown == segment


@given(stored=JSON_VALUES, count=st.integers(min_value=1, max_value=3))
@settings(max_examples=examples(200))
def test_any_stored_view_gives_a_string_per_segment(stored: Any, count: int) -> None:
    """The policy's stored view may be any JSON: each caller segment rests as a string."""
    indexes = tuple(range(2, 2 + count))
    for value in (stored, {"path": stored}, {"path": [stored] * count}):
        masked = _masked(indexes, value, ["file-"] * count)
        assert set(masked) == set(indexes)
        assert all(isinstance(text, str) for text in masked.values())
        assert all(text.startswith("file-") for text in masked.values())
