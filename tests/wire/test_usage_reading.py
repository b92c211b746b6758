"""Reading a usage object answers what the plain reading of each field answered, for any
mix of OpenAI, Anthropic and Responses fields and any value in them."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzzing import examples
from wire.apis.usage import MAX_TOKENS, Usage, as_dict, usage_from


def _count(value: Any) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKENS
    return value if ok else 0


def reference_usage(usage: Any) -> Usage:
    """Each field read through the same rules, one after another (usage_from as it was)."""
    if not isinstance(usage, dict):
        return Usage()
    prompt = _count(usage.get("prompt_tokens")) or _count(usage.get("input_tokens"))
    read = _count(usage.get("cache_read_input_tokens"))
    written = _count(usage.get("cache_creation_input_tokens"))
    prompt += read + written
    details = as_dict(usage.get("prompt_tokens_details")) or as_dict(
        usage.get("input_tokens_details")
    )
    cached = read or min(_count(details.get("cached_tokens")), prompt)
    completion = _count(usage.get("completion_tokens")) or _count(usage.get("output_tokens"))
    return Usage(min(prompt, MAX_TOKENS), completion, min(cached, MAX_TOKENS), written)


COUNTS = st.one_of(
    st.integers(-5, 2**33),
    st.sampled_from([0, 1, MAX_TOKENS, MAX_TOKENS + 1, -1, True, False, 2.5, "7", None]),
)
DETAILS: st.SearchStrategy[object] = st.one_of(
    st.dictionaries(st.sampled_from(["cached_tokens", "audio_tokens"]), COUNTS, max_size=2),
    st.sampled_from([None, [], "x", 3]),
)
FIELDS = [
    *("prompt_tokens", "completion_tokens", "input_tokens", "output_tokens", "total_tokens"),
    *("cache_read_input_tokens", "cache_creation_input_tokens"),
]
USAGES: st.SearchStrategy[object] = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            **dict.fromkeys(FIELDS, COUNTS),
            "prompt_tokens_details": DETAILS,
            "input_tokens_details": DETAILS,
        },
    ),
    st.sampled_from([None, [], "usage", 12]),
)


@settings(max_examples=examples(500), deadline=None, database=None)
@given(USAGES)
@example(
    {"input_tokens": 9, "prompt_tokens_details": {}, "input_tokens_details": {"cached_tokens": 4}}
)
@example(
    {"prompt_tokens": 9, "prompt_tokens_details": [], "input_tokens_details": {"cached_tokens": 4}}
)
def test_usage_is_read_as_field_by_field(usage: Any) -> None:
    """Any usage object (any fields present, any values, details of any type) reads alike."""
    assert usage_from(usage) == reference_usage(usage)
