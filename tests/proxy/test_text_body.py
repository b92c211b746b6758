"""Reading a pass-through body as text: which bodies are text, and the way back to bytes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.call.text_body import FORM, TextBody, text_body
from tests.fuzzing import examples

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
CONTENT_TYPES = st.sampled_from(
    ["text/plain", "text/csv", FORM, "application/octet-stream", "application/x-ndjson"]
)
CHARSETS = st.none() | st.sampled_from(
    ["utf-8", "latin-1", "utf-16", "ascii", "idna", "base64", "rot13", "no-such-charset"]
)


@given(
    content_type=CONTENT_TYPES,
    charset=CHARSETS,
    raw=st.binary(max_size=64) | st.text(max_size=64).map(str.encode),
    judged=JSON_VALUES | st.fixed_dictionaries({"text": JSON_VALUES, "form": JSON_VALUES}),
)
@settings(
    max_examples=examples(300),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_any_body_and_any_judged_view_never_raise(
    content_type: str, charset: str | None, raw: bytes, judged: Any
) -> None:
    """Any bytes in any declared charset read as text or opaque, and any value in place of
    the policy's view encodes to bytes or to "unchanged": a caller's odd body is never a
    500."""
    body = text_body(content_type, charset, raw)
    if body is not None:
        assert body.view()
        out = body.encoded(judged)
        assert out is None or isinstance(out, bytes)


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [("image/png", b"plain ascii"), ("text/plain", b"\xff\xfe\x00binary"), (FORM, b"a=\x00")],
    ids=["declared binary", "not UTF-8", "a NUL"],
)
def test_what_is_not_text_stays_opaque(content_type: str, raw: bytes) -> None:
    """A binary type, bytes not in the charset, or a NUL: forwarded unread."""
    assert text_body(content_type, None, raw) is None


def test_a_form_is_read_field_by_field() -> None:
    """A form's fields are decoded and read as ``name=value``, its label with its value."""
    body = text_body(FORM, None, b"password=Autumn2024%21&note=a+b")
    assert body == TextBody(
        "password=Autumn2024%21&note=a+b", "utf-8", (("password", "Autumn2024!"), ("note", "a b"))
    )
    assert body.view() == {"form": ["password=Autumn2024!", "note=a b"]}
