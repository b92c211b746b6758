"""Every printing of a found credential in a text that is read whole.

A program prints a value it is about to name: psql reports ``syntax error at or near "X"``
on the line above ``LINE 1: CREATE ROLE etl LOGIN PASSWORD X``. The secrets detector finds
a value printed again only where it is printed *later* than the finding that names it
(:func:`detectors.printed_secrets.with_repeats`), because a streamed answer has released
the earlier place before the name arrives, and the streamed and the whole answer must mask
the same. A text that is never streamed out piece by piece (a prompt: the proxy holds the
whole request before it scans it; ``llm-proxy scan``; the evaluation) has no such limit:
:func:`with_every_printing` adds every other place the text prints a found credential's
value, earlier ones included, across all the texts of one request.

Only values that cannot be an ordinary word or number printed elsewhere by chance: a
four-digit PIN or a password that is one English word ("sunshine") also found elsewhere in
the prompt is left where the detector found it (:func:`_distinctive`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from core.scanning import Finding
from detectors.entities import PRIVATE_KEY, SECRET_ENTITY_TYPES
from detectors.printed_secrets import _TOKEN_CHARS as TOKEN_CHARS

#: The credential kinds whose values are looked for again; a private key block is reported
#: where it stands (it spans lines, and the detector finds every block).
_PRINTED_AGAIN = SECRET_ENTITY_TYPES - {PRIVATE_KEY}
#: Characters: a value this long (and not a word or number, :func:`_distinctive`) is
#: looked for again. "S3cr3t!" (7) is; "hunter" (6 letters) and "1234" are not.
_MIN_LENGTH = 6
#: Characters: a value this long is looked for again whatever its characters (the
#: detector's own later-place rule, :data:`detectors.printed_secrets._MIN_REPEATED`).
_MIN_ANY = 12


def _distinctive(value: str) -> bool:
    """Whether ``value`` printed elsewhere is the credential, not a word or a number that
    happens to be spelled the same: no blank, and either :data:`_MIN_ANY` characters or
    more, or :data:`_MIN_LENGTH` or more mixing letters with digits or symbols or in a script
    without case (six kana or kanji, "持っていました隠す", say what a phrase does, not a word)."""
    if len(value) < _MIN_LENGTH or any(ch.isspace() for ch in value):
        return False
    if len(value) >= _MIN_ANY or _uncased_letters(value):
        return True
    return not value.isalpha() and not value.isdigit() and any(ch.isalpha() for ch in value)


def _uncased_letters(value: str) -> bool:
    return value.isalpha() and not any(ch.isupper() or ch.islower() for ch in value)


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole token, not part of a longer run of token
    characters (another id that contains the value)."""
    return (start == 0 or text[start - 1] not in TOKEN_CHARS) and (
        end == len(text) or text[end] not in TOKEN_CHARS
    )


def with_every_printing(
    texts: Sequence[str], results: Sequence[list[Finding]]
) -> list[list[Finding]]:
    """``results`` (findings per text of ``texts``, read as one whole) with every other
    place any text prints a found credential's value, whole and not overlapping a finding,
    reported as that finding again. The first finding of a value gives its entity type.

    Only for texts read whole, never for an answer that may be streamed (see the module's
    docstring). ``results`` is returned as it is when nothing is added."""
    values: dict[str, Finding] = {}
    for text, found in zip(texts, results, strict=True):
        for finding in found:
            if finding.entity_type in _PRINTED_AGAIN:
                value = text[finding.start : finding.end]
                if value not in values and _distinctive(value):
                    values[value] = finding
    if not values:
        return list(results)
    expanded: list[list[Finding]] = []
    for text, found in zip(texts, results, strict=True):
        taken = [(f.start, f.end) for f in found]
        extra: list[Finding] = []
        for value, finding in values.items():
            at = text.find(value)
            while at >= 0:
                end = at + len(value)
                if _alone(text, at, end) and all(end <= s or at >= e for s, e in taken):
                    extra.append(dataclasses.replace(finding, start=at, end=end))
                    taken.append((at, end))
                at = text.find(value, end)
        expanded.append(sorted([*found, *extra], key=_by_place) if extra else found)
    return expanded


def _by_place(finding: Finding) -> tuple[int, int]:
    return finding.start, finding.end
