"""A credential a stream masked, printed again beyond the reach of its scans.

The secrets detector masks a found value again wherever the text prints it later
(:func:`detectors.printed_secrets.with_repeats`), however far from the first place: the
whole answer is read in one scan. A stream scans its pending text with only the end of
what it released (:func:`policies.stream_channel.scan_context`), so a value printed again
after a private key block or a few hundred characters of prose went out in clear (or as
another kind: a card's digits told as a password came back a card) while the whole answer
masked it. Each channel remembers the values of the credentials it decided and finds them
again in later scans, as the detector does within one text.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.scanning import Finding
from detectors.entities import SECRET_ENTITY_TYPES
from detectors.printed_secrets import printed_again, repeatable

#: A finding and its place in a channel's pending text (start, end).
Placed = tuple[Finding, int, int]


class PrintedValues:
    """The values of the credentials a channel has masked, each with the finding that first
    named it (its kind and detector are those of every later printing)."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[str, Finding] = {}

    def remember(self, pending: str, decided: Iterable[Placed]) -> None:
        """Keep the values of the credentials among ``decided`` (places in ``pending``)."""
        for finding, start, end in decided:
            if finding.entity_type not in SECRET_ENTITY_TYPES or not 0 <= start < end:
                continue
            value = pending[start:end]
            if end <= len(pending) and repeatable(value, finding):
                self._values.setdefault(value, finding)

    def __len__(self) -> int:
        return len(self._values)

    def found_in(self, window: str, findings: list[Finding], after: int = 0) -> list[Finding]:
        """``findings`` of a scan of ``window`` with every place it prints a remembered
        value again that ends after ``after`` (the start of the text still pending:
        :func:`detectors.printed_secrets.printed_again`)."""
        if not self._values:
            return findings
        return printed_again(window, self._values, findings, after)
