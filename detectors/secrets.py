"""The secrets detector (name ``"secrets"``): provider keys, private keys, JWTs, passwords.

Policies that mean "any secret" match ``finding.entity_type in SECRET_ENTITY_TYPES``.
The patterns and their checks live in :mod:`detectors.secret_rules` (keys, config, URLs) and
:mod:`detectors.credential_phrases` (prose, command lines, auth headers); this module runs them,
finds PEM private key blocks (and, with :mod:`detectors.keys`, key bodies pasted without
their PEM lines), and resolves overlapping matches so each secret is reported once, under
its most specific type.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence

from core.scanning import Finding
from detectors.credential_phrases import (
    build_phrase_rules,
    load_english_words,
    load_prose_words,
)
from detectors.entities import PASSWORD, PRIVATE_KEY, SECRET_ENTITY_TYPES
from detectors.field_docs import documents_a_field, strip_emphasis
from detectors.keys import find_unwrapped_keys
from detectors.printed_secrets import with_repeats
from detectors.public_ids import is_public_value
from detectors.secret_kinds import is_ciphertext
from detectors.secret_rule import (
    SPECIFIC,
    AnchorCache,
    AnchoredPattern,
    SecretRule,
    lowered_in_place,
)
from detectors.secret_rules import build_rules
from detectors.secret_triggers import Triggers
from detectors.secret_values import is_documented_example, is_filler_placeholder
from detectors.settings import SecretsSettings
from detectors.token_placeholders import is_prefixed_placeholder

__all__ = ["SECRET_ENTITY_TYPES", "SecretsDetector", "find_private_keys", "shared_secrets_detector"]

NAME = "secrets"

_PEM_BEGIN = re.compile(r"-----BEGIN (?P<kind>(?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END (?P<kind>(?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----")
# One body line of a PEM block whose END line is missing (a truncated paste). Lines are
# separated by real newlines or by the escaped "\n" of a JSON string (service account files).
_PEM_LINE = re.compile(
    r"(?:\r?\n|\\(?:r\\)?n|[ \t])[ \t]*"
    r"(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version):[^\n\\]*)"
    r"[ \t]*(?=\r?\n|\\[rn]|[\"']|$)"
)
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/]")
_MIN_KEY_BODY = 40  # base64 characters; "-----BEGIN PRIVATE KEY-----\n...\n" is a doc example


def find_private_keys(text: str) -> Iterator[tuple[int, int]]:
    """Spans of PEM private key blocks, from BEGIN to END (or to the last body line).

    Linear in the text: each BEGIN is paired with the first END of the same kind before
    the next BEGIN, found by bisecting the END positions.
    """
    begins = list(_PEM_BEGIN.finditer(text))
    if not begins:
        return
    ends = list(_PEM_END.finditer(text))
    end_starts = [end.start() for end in ends]
    position = 0
    for index, begin in enumerate(begins):
        if begin.start() < position:
            continue  # inside the block reported last
        limit = begins[index + 1].start() if index + 1 < len(begins) else len(text)
        stop = None
        for end in ends[bisect.bisect_left(end_starts, begin.end()) :]:
            if end.start() >= limit:
                break
            if end["kind"] == begin["kind"]:
                stop = end.end()
                break
        if stop is None:  # truncated: take the base64 lines that follow the header
            stop = begin.end()
            while (line := _PEM_LINE.match(text, stop)) is not None:
                stop = line.end()
        body = text[begin.end() : stop]
        if len(_BASE64_CHARS.findall(body)) >= _MIN_KEY_BODY:
            yield begin.start(), stop
            position = stop


def _resolve_overlaps(candidates: list[tuple[int, Finding]]) -> list[Finding]:
    """Keep one finding per overlapping group: highest priority, then longest, then first."""
    ranked = sorted(candidates, key=lambda c: (-c[0], -(c[1].end - c[1].start), c[1].start))
    kept: list[Finding] = []
    for _, finding in ranked:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


# A value that is the next parameter of a URL-encoded form or query: the one before it
# was sent empty ("password=&password_confirmation=&submit=...").
_NEXT_PARAMETER = re.compile(r"&[\w.\[\]-]{1,64}=")
# A word closing a label in bold: "**Password policy:**" names a topic, holds no value.
_LABEL_WORD = re.compile(r"[^\W\d_]{1,32}:[*_]*")
# A JSON key right before a value: the value is that key's, whatever label came earlier.
_JSON_KEY = re.compile(r'"(?P<key>[\w .-]{1,64})"[ \t]*:[ \t]*\Z')
_CODE_KEY = re.compile(r"(?i)pin|pass|pw|pwd|code|otp|secret|key|token|cvv|cvc|puk")


def _not_a_value(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, taken as a credential's value, is something else: the
    next parameter after an empty form value, a label's last word with its colon
    (``**Password policy:**``), or a number a JSON key of another meaning holds
    (``"cell_type": "code", "execution_count": 63301`` read as a code)."""
    if text[start] == "&":
        return _NEXT_PARAMETER.match(text, start, end) is not None
    if text[end - 1] in ":*_" and _LABEL_WORD.fullmatch(text, start, end) is not None:
        return True
    if text[start].isdigit() and text[start:end].isdigit():
        key = _JSON_KEY.search(text, max(0, start - 80), start)
        return key is not None and _CODE_KEY.search(key["key"]) is None
    return False


class SecretsDetector:
    """Finds credentials with precise patterns and checks (see :mod:`secret_rules`)."""

    def __init__(self, settings: SecretsSettings | None = None) -> None:
        self._settings = settings if settings is not None else SecretsSettings()
        disabled = set(self._settings.disabled)
        prose_words, english_words = load_prose_words(), load_english_words()
        self._rules: tuple[SecretRule, ...] = tuple(
            r
            for r in (
                *build_rules(self._settings, prose_words, english_words),
                *build_phrase_rules(prose_words, english_words),
            )
            if r.entity_type not in disabled and r.score >= self._settings.min_score
        )
        self._private_keys = PRIVATE_KEY not in disabled
        self._triggers = Triggers(self._rules)

    @property
    def name(self) -> str:
        """``"secrets"``."""
        return NAME

    @property
    def rules(self) -> tuple[SecretRule, ...]:
        """The rules this detector runs, in order (the streamed hold-back reads their
        patterns to know what could still become a finding)."""
        return self._rules

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text, in text order; each secret reported once."""
        return [self.find(text) for text in texts]

    def find(self, text: str) -> list[Finding]:
        """Findings in one text, sorted by offset."""
        lowered = text.lower()
        candidates: list[tuple[int, Finding]] = []
        if self._private_keys:
            blocks = find_private_keys(text) if "private key" in lowered else iter(())
            candidates.extend(
                (SPECIFIC, Finding(PRIVATE_KEY, start, end, 1.0, NAME))
                for spans in (blocks, find_unwrapped_keys(text))
                for start, end in spans
            )
        in_place = lowered if len(lowered) == len(text) else lowered_in_place(text)
        anchors: AnchorCache = {}
        for rule in self._triggers.rules_for(lowered):
            pattern = rule.pattern
            matches = (
                pattern.finditer_lowered(text, in_place, anchors)
                if isinstance(pattern, AnchoredPattern)
                else pattern.finditer(text)
            )
            for match in matches:
                start, end = rule.value_span(match)
                if start == end:
                    continue
                if rule.check is not None and not rule.check(text[start:end], match, text):
                    continue
                if _not_a_value(text, start, end):
                    continue
                if is_documented_example(text[start:end]):
                    continue  # AKIAIOSFODNN7EXAMPLE, quoted from a vendor's docs
                if is_prefixed_placeholder(text[start:end]):
                    continue  # HRKU-AAxxxx..., sk-proj-...: a vendor's prefix, then filler
                if is_filler_placeholder(text[start:end], elided=rule.entity_type != PASSWORD):
                    continue  # AccountKey=xxxx..., .../B00000000/XXXX...: filler after names
                if is_ciphertext(text[start:end]):
                    continue  # a Fernet token under "token =": encrypted data, not its key
                if is_public_value(text, start, end, rule.entity_type):
                    continue  # Twilio's AC... ids, phc_..., "search-only key X": public
                if documents_a_field(text[start:end]):
                    continue  # "X-Api-Key: v2-required-header", "Password: **required**"
                inner, outer = strip_emphasis(text[start:end])
                emphasised = outer - inner < end - start
                value = text[start + inner : start + outer]
                if emphasised and rule.check is not None and not rule.check(value, match, text):
                    continue  # "**changeme**": the check judges the password, not the emphasis
                start, end = start + inner, start + outer  # "**Tr0ub4dor&3**": the password
                finding = Finding(rule.entity_type, start, end, rule.score, NAME)
                candidates.append((rule.priority, finding))
        return with_repeats(text, _resolve_overlaps(candidates))


def shared_secrets_detector(settings: SecretsSettings | None = None) -> SecretsDetector:
    """The secrets detector of ``settings`` (the defaults when ``None``), built once per
    process and settings: the detection, the streamed hold-back's shapes
    (:func:`policies.value_first.default_rules`) and the windows between a call's texts
    (:mod:`policies.boundaries`) read the same one. A detector holds no state a scan
    changes, so threads share it; each build costs ~0.25 s of CPU (its rules and word
    lists), which a start paid twice and a first chat call once more (h191)."""
    return _shared(settings if settings is not None else SecretsSettings())


@functools.lru_cache(maxsize=8)
def _shared(settings: SecretsSettings) -> SecretsDetector:
    return SecretsDetector(settings)
