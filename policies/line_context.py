"""Command lines whose password may come any distance after the command: ``mysql`` with a
long list of options before ``-pX``, ``curl ... -u user:X`` after long headers.

A streamed answer is scanned with only the last :data:`~policies.holdback.CONTEXT_CHARS`
released characters before its pending text; a rule whose match may reach further back
than that from its value (a pattern unbounded within the line, ``[^\\n|;&]*?``) would no
longer see its command. So while the released text's last line holds such a command, the
scan context keeps that line from the command on (up to :data:`LINE_CONTEXT_CHARS`).

The commands are the triggers of the secrets detector's rules whose pattern may read an
unbounded number of characters other than blanks before its value (from the parsed
pattern, :func:`policies.value_first.value_margins`).
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Iterable
from typing import Final

from detectors.secret_rule import AnchoredPattern, SecretRule
from policies.holdback import CONTEXT_CHARS
from policies.value_first import ValueFirstPhrases, default_phrases, default_rules, value_margins

#: How much of a command line the scan context keeps, at most.
LINE_CONTEXT_CHARS: Final = 2048


class LongLines:
    """Where, in released text, a command line a password may still follow begins."""

    def __init__(self, rules: Iterable[SecretRule]) -> None:
        triggers: set[str] = set()
        for rule in rules:
            matcher = rule.pattern
            pattern = matcher.pattern if isinstance(matcher, AnchoredPattern) else matcher
            unbounded = (
                isinstance(pattern, re.Pattern)
                and bool(pattern.groupindex)
                and value_margins(pattern).solid_before is None
            )
            if unbounded:
                triggers.update(rule.triggers)
        #: The lowercase triggers of those rules ("mysql", "curl").
        self.triggers = frozenset(triggers)

    def __call__(self, released: str) -> int | None:
        """The start of the released text's last line if it holds a trigger and is too long
        for the usual context (at most :data:`LINE_CONTEXT_CHARS` back), else ``None``."""
        line = max(released.rfind("\n") + 1, len(released) - LINE_CONTEXT_CHARS)
        if not self.triggers or len(released) - line <= CONTEXT_CHARS:
            return None
        lowered = released[line:].lower()
        found = [at for trigger in self.triggers if (at := lowered.find(trigger)) >= 0]
        return line + min(found) if found else None


@functools.cache
def default_long_lines() -> LongLines:
    """The long command lines of the default secrets detector's rules."""
    return LongLines(default_rules())


async def default_shapes_loaded() -> tuple[ValueFirstPhrases, LongLines]:
    """:func:`~policies.value_first.default_phrases` and :func:`default_long_lines`, built
    in a worker thread the first time (not to stall the event loop)."""
    if default_phrases.cache_info().currsize and default_long_lines.cache_info().currsize:
        return default_phrases(), default_long_lines()
    return await asyncio.to_thread(lambda: (default_phrases(), default_long_lines()))
