"""Entity types no text without a digit can hold, and the cheap test that rules them out.

A streamed answer is scanned again at every upstream read (the pending text with the end
of the released text, :mod:`policies.stream`), and at the upstream's pace that is one scan
per word. The PII detector (Presidio) costs most of such a scan even when the window is
short, and under the default policy all it is asked for on output is card numbers, IBANs
and national ID numbers: values made of digits. Prose windows mostly hold none, and then
the scan needs to ask only for the other types (the secrets detector's), or none at all.

SECURITY: a type belongs in :data:`DIGIT_ENTITY_TYPES` only if every pattern of its
recognizer needs an ASCII digit to match; ``tests/policies/test_digit_free.py`` reads the
recognizers' patterns and fails for a type that does not. Only ASCII text is ruled out:
the detectors scan ASCII text as it is, while other text is folded first (fullwidth and
superscript digits become digits, :mod:`detectors.normalize`). Presidio does not scan
decoded base64 or hex (:data:`detectors.views.MODEL_DETECTORS`), so an encoded card stays
what it was: text without findings of these types.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

#: PII types whose every match holds an ASCII digit (card numbers, IBANs' check digits,
#: SSN, ITIN, National Insurance numbers). Not the Italian fiscal code: letters may stand
#: for its digits.
DIGIT_ENTITY_TYPES: Final = frozenset({"CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_ITIN", "UK_NINO"})

_DIGIT: Final = re.compile(r"[0-9]")


def digit_free(texts: Sequence[str]) -> bool:
    """True if every one of ``texts`` is ASCII without a digit: none can hold a finding of
    :data:`DIGIT_ENTITY_TYPES`."""
    return all(text.isascii() and _DIGIT.search(text) is None for text in texts)
