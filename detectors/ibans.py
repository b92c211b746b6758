"""IBANs as people type and paste them: Presidio's recognizer, plus the forms it misses.

Presidio's :class:`IbanRecognizer` reads capitals in groups of four with blanks or dashes
between them ("GB82 WEST 1234 5698 7654 32"). People also write their IBAN

* in lower case, in chats and forms ("iban: de89 3704 0044 0532 0130 00",
  "gb42rcsj36625528306456");
* with dots between the groups ("DE89.3704.0044.0532.0130.00");
* wrapped over two lines, as e-mails and copies out of PDFs break it
  ("FI04 4529 0914 2547\\n33").

The account is the same: such a candidate (:data:`GROUPED_CANDIDATE`) is checked as
Presidio checks a capital one, the country's format and the mod-97 check digits, on its
longest run of whole groups (of four, as IBANs are printed, but for the last of a line)
that passes, so a hex digest, a word that begins with two letters and two digits or the
number on the line after an IBAN is no part of one unless the whole passes both. Its
letters are all of one case: "GB42rcsj..." is a token, not an IBAN someone typed.

A stream must not release an IBAN's first groups before its last shows it is one:
:func:`detectors.iban_forms.open_iban` is the hold-back shape for these forms
(``policies.holdback``).
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, RecognizerResult
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors.iban_forms import GROUP, GROUPED_CANDIDATE, IBAN_MAX_CHARS, IBAN_MIN_CHARS


class IbanRecognizer(pr.IbanRecognizer):
    """Presidio's IBAN recognizer that also reads IBANs typed in lower case, with dots, or
    over two lines (module doc)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """IBANs in ``text``: Presidio's, and the other forms of the module doc."""
        # Presidio annotates these parameters without "| None", yet defaults them to None.
        results: list[RecognizerResult] = super().analyze(
            text,
            entities,
            nlp_artifacts,  # type: ignore[arg-type]
            regex_flags,  # type: ignore[arg-type]
        )
        taken = [(r.start, r.end) for r in results]
        for match in GROUPED_CANDIDATE.finditer(text):
            start = match.start()
            if any(s < match.end() and start < e for s, e in taken):
                continue  # Presidio's own reading of it
            end = self._longest_valid(match[0])
            if end is not None:
                results.append(self._result(start, start + end))
        return results

    def _longest_valid(self, run: str) -> int | None:
        """Where the longest IBAN at the start of ``run`` (whole groups) ends, if any."""
        ends: list[int] = []
        size = 0
        previous: re.Match[str] | None = None
        for group in GROUP.finditer(run):
            # IBANs are printed in groups of four: a shorter or longer group ends the run
            # on its line. Presidio's format check matches a country's pattern at the start
            # only, so "tr43...33x in the gateway" passed as a Turkish IBAN of 31 characters
            # whenever mod 97 happened to hold.
            if (
                previous is not None
                and len(previous[0]) != 4
                and "\n" not in run[previous.end() : group.start()]
            ):
                break
            previous = group
            size += len(group[0])
            if size > IBAN_MAX_CHARS:
                break
            if size >= IBAN_MIN_CHARS:
                ends.append(group.end())
        for end in reversed(ends):
            compact = "".join(GROUP.findall(run, 0, end))
            if compact.upper() != compact and compact.lower() != compact:
                continue  # mixed case: a token, not an IBAN someone typed
            if self.validate_result(compact.upper()) is True:
                return end
        return None

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            "IBAN_CODE",
            start,
            end,
            self.MAX_SCORE,
            AnalysisExplanation(
                type(self).__name__,
                self.MAX_SCORE,
                pattern_name="IBAN (lower case, dotted or wrapped)",
                pattern=GROUPED_CANDIDATE.pattern,
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
