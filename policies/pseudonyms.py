"""Consistent placeholders for one call, and putting the real values back into the answer.

A :class:`Pseudonyms` table lives for one call only: the same value gets the same
placeholder (``<PERSON_1>``) everywhere in the prompt, the provider sees only placeholders,
and :meth:`Pseudonyms.restore` (or a :class:`StreamRestorer` for streamed answers) turns
the placeholders in the answer back into the values. The table is never logged: its
``repr`` shows only how many values it holds.
"""

from __future__ import annotations

import json
import re

#: A placeholder issued by :class:`Pseudonyms`: ``<ENTITY_TYPE_N>``.
PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)_([1-9][0-9]*)>")
# The unfinished start of a placeholder at the end of a piece of a stream.
_PARTIAL = re.compile(r"<[A-Z0-9_]*\Z")


def redaction_mask(entity_type: str) -> str:
    """What a redacted value is replaced with: ``<EMAIL_ADDRESS>``."""
    return f"<{entity_type}>"


class Pseudonyms:
    """The value ↔ placeholder table of one call. Holds sensitive values: never log it."""

    def __init__(self) -> None:
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counters: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"<Pseudonyms: {len(self._by_value)} values>"

    def __len__(self) -> int:
        return len(self._by_value)

    @property
    def longest_placeholder(self) -> int:
        return max((len(p) for p in self._by_placeholder), default=0)

    def placeholder(self, entity_type: str, value: str) -> str:
        """The placeholder for ``value``: the same one every time within this call."""
        known = self._by_value.get(value)
        if known is not None:
            return known
        number = self._counters.get(entity_type, 0) + 1
        self._counters[entity_type] = number
        placeholder = f"<{entity_type}_{number}>"
        self._by_value[value] = placeholder
        self._by_placeholder[placeholder] = value
        return placeholder

    def restore(self, text: str, *, json_string: bool = False) -> str:
        """``text`` with every placeholder of this table replaced by its value.

        ``json_string``: ``text`` is JSON (a tool call's arguments), where a placeholder sits
        inside a string literal, so the value is put back JSON-escaped: a name with a quote
        or backslash must not break the arguments.
        """
        if not self._by_placeholder or "<" not in text:
            return text

        def value(match: re.Match[str]) -> str:
            found = self._by_placeholder.get(match[0])
            if found is None:
                return match[0]
            return json.dumps(found, ensure_ascii=False)[1:-1] if json_string else found

        return PLACEHOLDER.sub(value, text)


class StreamRestorer:
    """Restores placeholders in text that arrives piece by piece.

    A placeholder may be split across pieces (``"<PERS"``, ``"ON_1> said"``): an
    unfinished ``<...`` at the end of a piece is held back until the next piece completes
    it or shows it is not a placeholder, at most as long as the longest placeholder.
    """

    def __init__(self, table: Pseudonyms, *, json_string: bool = False) -> None:
        self._table = table
        self._json_string = json_string
        self._held = ""

    def feed(self, text: str) -> str:
        """The restored text that can be sent now."""
        if not len(self._table):
            return text
        text = self._held + text
        self._held = ""
        partial = _PARTIAL.search(text)
        if partial is not None and len(partial[0]) < self._table.longest_placeholder:
            self._held = partial[0]
            text = text[: partial.start()]
        return self._table.restore(text, json_string=self._json_string)

    def flush(self) -> str:
        """What is still held, at the end of the text."""
        held, self._held = self._held, ""
        return self._table.restore(held, json_string=self._json_string)
