"""Tokens a call used, read from provider JSON (answers and stream events alike).

Usage objects come in two forms, OpenAI's (``prompt_tokens``/``completion_tokens``) and
Anthropic's and the Responses API's (``input_tokens``/``output_tokens``); :func:`usage_from`
reads either, so each API's module only says *where* its usage is.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Usage(NamedTuple):
    """Tokens a call used, as the provider reported them. ``prompt_tokens`` counts every
    input token; ``cached_tokens`` (cache reads) and ``cache_write_tokens`` (Anthropic's
    cache writes) are the parts of it that are priced differently.

    A NamedTuple, not a frozen dataclass: one is built per answer (and per usage event of a
    stream), and a tuple's construction costs half a frozen dataclass's ``__init__`` (issue
    11). Nothing serialises, replaces or orders it; it is read by field name only.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


#: A Usage built without the Python ``__new__`` a named tuple has (one per answer).
_new_usage = tuple.__new__

#: The largest token count the event log stores (a UInt32 column).
MAX_TOKENS = 2**32 - 1


def _int(value: Any) -> int:
    """A token count from provider JSON: a non-negative int the store can hold, else 0.

    SECURITY: provider answers are untrusted input; a negative or oversized count made
    every insert of the event log fail (issue 9 fuzz run), and a negative one made the
    token counter raise.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKENS:
        return value
    return 0


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: any field may have any type."""
    return value if isinstance(value, dict) else {}


def usage_from(usage: Any) -> Usage:
    """Read a usage object in OpenAI (prompt/completion) or Anthropic/Responses form."""
    if not isinstance(usage, dict):
        return Usage()
    # A field this form does not have is 0 without asking _int (a usage object has a few of
    # the eight fields read here; this is read for every answer).
    get = usage.get
    prompt = get("prompt_tokens")
    completion = get("completion_tokens")
    if (
        type(prompt) is int
        and type(completion) is int
        and 0 < prompt <= MAX_TOKENS
        and 0 < completion <= MAX_TOKENS
        and "cache_read_input_tokens" not in usage
        and "cache_creation_input_tokens" not in usage
    ):
        # OpenAI's usual answer: both counts plain ints in range and no Anthropic cache
        # fields, read without the general path's _int calls (the same Usage; issue 11).
        details = get("prompt_tokens_details")
        if type(details) is dict and details:
            cached = details.get("cached_tokens")
            if type(cached) is int and 0 <= cached <= MAX_TOKENS:
                return _new_usage(Usage, (prompt, completion, min(cached, prompt), 0))
            if "cached_tokens" not in details:
                return _new_usage(Usage, (prompt, completion, 0, 0))
    return _usage_of(usage)


def _usage_of(usage: dict[str, Any]) -> Usage:
    """:func:`usage_from` of any usage object, each field as its form allows."""
    get = usage.get
    # A count that is a plain int in range is taken as it is, without a call (an answer's
    # prompt and completion counts nearly always are); anything else goes through _int,
    # as every count did before (tests/wire/test_usage_reading.py holds the two alike).
    prompt = get("prompt_tokens")
    if type(prompt) is not int or not 0 < prompt <= MAX_TOKENS:
        prompt = _int(prompt) or _int(get("input_tokens"))
    # Anthropic reports cached input separately from input_tokens; OpenAI counts its
    # cached tokens inside prompt_tokens (input_tokens in the Responses API).
    read = _int(usage["cache_read_input_tokens"]) if "cache_read_input_tokens" in usage else 0
    written = (
        _int(usage["cache_creation_input_tokens"]) if "cache_creation_input_tokens" in usage else 0
    )
    prompt += read + written
    details = get("prompt_tokens_details")
    if not isinstance(details, dict) or not details:  # what as_dict(...) or as_dict(...) read
        details = as_dict(get("input_tokens_details"))
    cached = read or (
        min(_int(details["cached_tokens"]), prompt) if "cached_tokens" in details else 0
    )
    completion = get("completion_tokens")
    if type(completion) is not int or not 0 < completion <= MAX_TOKENS:
        completion = _int(completion) or _int(get("output_tokens"))
    return Usage(min(prompt, MAX_TOKENS), completion, min(cached, MAX_TOKENS), written)


def usage_in(value: Any) -> Usage | None:
    """The usage object under ``value["usage"]``, read; ``None`` when there is none.

    With ``stream_options.include_usage`` OpenAI sends ``"usage": null`` in every chunk
    but the last: that is no usage (what :func:`usage_from` reads of it, zero tokens,
    changes nothing), and no :class:`Usage` is built per event for it."""
    if isinstance(value, dict):
        usage = value.get("usage")
        if isinstance(usage, dict):
            return usage_from(usage)
    return None


def is_usage_only_chunk(payload: dict[str, Any]) -> bool:
    """The final chunk OpenAI's ``stream_options.include_usage`` adds: no choices, only usage."""
    return payload.get("choices") == [] and "usage" in payload


def ask_stream_usage(body: dict[str, Any]) -> dict[str, Any] | None:
    """``body`` asking with ``stream_options.include_usage`` for a final usage-only chunk;
    ``None`` when it asks already, or when its ``stream_options`` is not an object (the
    caller's error, left for the provider to refuse)."""
    options = body.get("stream_options")
    if options is None or (isinstance(options, dict) and not options.get("include_usage")):
        return {**body, "stream_options": {**(options or {}), "include_usage": True}}
    return None
