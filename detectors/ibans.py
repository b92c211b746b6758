"""IBANs as people type and paste them: Presidio's recognizer, plus lower case.

Presidio's :class:`IbanRecognizer` reads capitals only ("GB82 WEST 1234 5698 7654 32").
Customers type their IBAN in lower case in chats and forms ("iban: de89 3704 0044 0532
0130 00", "gb42rcsj36625528306456"), and the account is the same: a lower-case candidate
whose letters are all lower case is checked as Presidio checks a capital one (the country's
format and the mod-97 check digits), so a hex digest or a word that begins with two letters
and two digits is no IBAN unless it passes both.

A lower-case IBAN's groups are not held back in streamed answers as capital ones are
(``policies.holdback`` holds runs of digits and capitals), so only an IBAN written as one
token (no blanks) is read here; a spaced lower-case one would reach the client group by
group before the last group showed it was an IBAN.
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, RecognizerResult
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

# One token: two lower-case letters, two check digits and 11-30 letters or digits, with at
# least one lower-case letter (capitals alone are Presidio's).
_LOWER_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[a-z]{2}[0-9]{2}[a-z0-9]{11,30}(?![A-Za-z0-9])")


class IbanRecognizer(pr.IbanRecognizer):
    """Presidio's IBAN recognizer that also reads an IBAN typed in lower case (module doc)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """IBANs in ``text``: Presidio's, and those written as one lower-case token."""
        # Presidio annotates these parameters without "| None", yet defaults them to None.
        results: list[RecognizerResult] = super().analyze(
            text,
            entities,
            nlp_artifacts,  # type: ignore[arg-type]
            regex_flags,  # type: ignore[arg-type]
        )
        for match in _LOWER_CANDIDATE.finditer(text):
            if self.validate_result(match.group().upper()) is True:
                results.append(self._result(match.start(), match.end()))
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            "IBAN_CODE",
            start,
            end,
            self.MAX_SCORE,
            AnalysisExplanation(
                type(self).__name__,
                self.MAX_SCORE,
                pattern_name="IBAN (lower case)",
                pattern=_LOWER_CANDIDATE.pattern,
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
