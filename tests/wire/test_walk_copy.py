"""The body :func:`wire.apis.walk.rewrite` returns is a deep copy with every value kept.

The copy is made by orjson in C where it can be (issue 11); what orjson would change or
refuses is copied in Python instead, so no value a lenient parse let in is lost.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from wire.apis.walk import rewrite

_NESTED_PAST_ORJSON = 300  # orjson writes 254 levels at most


def _deep(levels: int) -> dict[str, Any]:
    body: dict[str, Any] = {"text": "bottom"}
    for _ in range(levels):
        body = {"inner": body}
    return body


def _values(body: Any) -> list[Any]:
    """Every value under ``body``, each container's entries in order."""
    out, stack = [], [body]
    while stack:
        node = stack.pop()
        items = node.values() if isinstance(node, dict) else node
        for item in items:
            if isinstance(item, dict | list):
                stack.append(item)
            else:
                out.append(item)
    return out


@pytest.mark.parametrize(
    ("odd", "kept"),
    [
        pytest.param(math.nan, math.isnan, id="nan-not-null"),
        pytest.param(math.inf, lambda v: v == math.inf, id="infinity-not-null"),
        pytest.param(-math.inf, lambda v: v == -math.inf, id="minus-infinity-not-null"),
        pytest.param("a\ud800b", lambda v: v == "a\ud800b", id="lone-surrogate"),
        pytest.param(2**70, lambda v: v == 2**70 and type(v) is int, id="int-past-64-bits"),
        pytest.param(-0.0, lambda v: math.copysign(1, v) == -1, id="negative-zero"),
    ],
)
def test_values_orjson_cannot_copy_are_kept(odd: Any, kept: Any) -> None:
    """A value orjson writes otherwise (NaN as null) or refuses is the same in the copy."""
    body = {"messages": [{"role": "user", "content": "hello"}], "score": odd, "n": [odd]}
    out = rewrite(body, {("messages", 0, "content"): "masked"})
    assert out["messages"][0]["content"] == "masked"
    assert kept(out["score"])
    assert kept(out["n"][0])
    assert body["messages"][0]["content"] == "hello"


def test_copy_shares_no_container() -> None:
    """Changing the copy's containers leaves the body as it was."""
    body = {"output": [{"content": [{"type": "output_text", "text": "hi", "annotations": []}]}]}
    out = rewrite(body, {("output", 0, "content", 0, "text"): "HI"})
    out["output"][0]["content"][0]["annotations"].append("x")
    out["output"][0]["content"].append({})
    assert body == {
        "output": [{"content": [{"type": "output_text", "text": "hi", "annotations": []}]}]
    }


def test_nesting_past_orjson_is_copied() -> None:
    """A body deeper than orjson writes is still copied, and rewritten at its bottom."""
    body = _deep(_NESTED_PAST_ORJSON)
    location = (*["inner"] * _NESTED_PAST_ORJSON, "text")
    out = rewrite(body, {location: "masked"})
    assert _values(out) == ["masked"]
    assert _values(body) == ["bottom"]


def test_order_and_types_kept() -> None:
    """Keys keep their order, and numbers their type (1 stays an int, 1.0 a float)."""
    body = {"z": 1, "a": 1.0, "m": True, "b": None, "text": "t", "list": [1, 1.0, False]}
    out = rewrite(body, {("text",): "u"})
    assert list(out) == list(body)
    assert [type(v) for v in _values(out)] == [type(v) for v in _values(body)]
