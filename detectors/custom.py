"""Custom recognizers (detector ``"custom"``) built from settings, usually from policy YAML.

Two kinds, each reporting its own entity type:

* regexes, optionally scored up by nearby context words (or dropped without one) and
  validated (Luhn for card-like numbers, mod 97 for IBAN-like accounts);
* keyword/phrase lists (project code names, customer names), matched case-insensitively
  on word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.scanning import Finding
from detectors.checks import iban_valid, luhn_valid
from detectors.settings import (
    CustomSettings,
    KeywordRecognizerSettings,
    RegexRecognizerSettings,
    ValidationKind,
)

NAME = "custom"

_VALIDATORS: dict[ValidationKind, Callable[[str], bool]] = {
    "luhn": luhn_valid,
    "iban": iban_valid,
}


def _word_pattern(words: Sequence[str], *, case_sensitive: bool) -> re.Pattern[str]:
    """One alternation matching any of ``words`` as whole words, longest first.

    Inner whitespace matches any whitespace run. The boundaries are lookarounds on word
    characters rather than ``\\b`` so phrases that start or end with punctuation work too.
    """
    parts = sorted({" ".join(w.split()) for w in words}, key=len, reverse=True)
    escaped = (r"\s+".join(re.escape(token) for token in part.split(" ")) for part in parts)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + r")(?!\w)", flags)


@dataclass(frozen=True, slots=True)
class _RegexRule:
    settings: RegexRecognizerSettings
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None

    @classmethod
    def build(cls, settings: RegexRecognizerSettings) -> _RegexRule:
        flags = re.IGNORECASE if settings.ignore_case else 0
        context = (
            _word_pattern(settings.context, case_sensitive=False) if settings.context else None
        )
        return cls(settings, re.compile(settings.pattern, flags), context)

    def find(self, text: str) -> list[Finding]:
        s = self.settings
        validate = _VALIDATORS[s.validation] if s.validation is not None else None
        findings: list[Finding] = []
        for match in self.pattern.finditer(text):
            start, end = match.span("value") if "value" in self.pattern.groupindex else match.span()
            if start < 0 or start == end:
                continue
            if validate is not None and not validate(text[start:end]):
                continue
            score = s.score
            if self.context is not None:
                window_start = max(0, start - s.context_window)
                window_end = min(len(text), end + s.context_window)
                near = self.context.search(text[window_start:start]) or self.context.search(
                    text[end:window_end]
                )
                if near:
                    score = max(score, s.context_score)
                elif s.require_context:
                    continue
            findings.append(Finding(s.entity_type, start, end, score, NAME))
        return findings


@dataclass(frozen=True, slots=True)
class _KeywordRule:
    settings: KeywordRecognizerSettings
    pattern: re.Pattern[str]

    @classmethod
    def build(cls, settings: KeywordRecognizerSettings) -> _KeywordRule:
        return cls(
            settings, _word_pattern(settings.keywords, case_sensitive=settings.case_sensitive)
        )

    def find(self, text: str) -> list[Finding]:
        s = self.settings
        return [
            Finding(s.entity_type, m.start(), m.end(), s.score, NAME)
            for m in self.pattern.finditer(text)
        ]


class CustomDetector:
    """Runs the configured regex and keyword recognizers."""

    def __init__(self, settings: CustomSettings) -> None:
        self._rules: tuple[_RegexRule | _KeywordRule, ...] = (
            *(_RegexRule.build(r) for r in settings.regexes),
            *(_KeywordRule.build(k) for k in settings.keywords),
        )

    @property
    def name(self) -> str:
        """``"custom"``."""
        return NAME

    @property
    def empty(self) -> bool:
        """True when no recognizer is configured (the registry then leaves it out)."""
        return not self._rules

    def scan(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings per text, in text order, sorted by offset; identical spans once."""
        results: list[list[Finding]] = []
        for text in texts:
            found = {f for rule in self._rules for f in rule.find(text)}
            results.append(sorted(found, key=lambda f: (f.start, f.end, f.entity_type)))
        return results
