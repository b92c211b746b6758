"""What of a call rests in the event log masked: the spans a rule blocks, redacts or
pseudonymises are stored as their type and keyed fingerprint, never in clear.

:func:`at_rest_masks` picks the spans, :func:`stored_texts` masks them in the stored texts,
and :class:`StoredMasks` masks the same values wherever they come back in the recorded
answer (a restored pseudonym puts a value back).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence

from core.fingerprint import Fingerprints
from core.inspection import Action
from policies.actions import Mask, replace_spans
from policies.engine import Decision, Located
from policies.extract import Location, TextPart

#: Actions whose spans never rest in clear in the event log.
_MASKED_AT_REST = frozenset({Action.BLOCK, Action.REDACT, Action.PSEUDONYMISE})
#: The type of a whole text stored as a fingerprint because a call was blocked unchecked.
UNINSPECTED = "UNINSPECTED"
#: The call's model name: inspected (a credential in it is masked like one in a prompt),
#: but not stored as a fingerprint when a call is blocked unchecked: calls are grouped and
#: searched by it, and it is the register's vocabulary, not the caller's content.
_MODEL_NAME: Location = ("model",)


class StoredMasks:
    """The values of one call that rest in the event log as fingerprint masks, and their
    masks. Holds sensitive values: its ``repr`` shows only how many."""

    def __init__(self, masks: Mapping[str, str] | None = None) -> None:
        # Longest first: a value inside a longer one must not break the longer one's mask.
        self._masks = dict(sorted((masks or {}).items(), key=lambda item: -len(item[0])))

    def __repr__(self) -> str:
        return f"<StoredMasks: {len(self._masks)} values>"

    def __len__(self) -> int:
        return len(self._masks)

    def response(self, text: str) -> str:
        """``text`` (a recorded answer: JSON or plain text) with each value masked, as
        written and JSON-escaped (pseudonyms restored into the answer put values back)."""
        for value, mask in self._masks.items():
            if value in text:
                text = text.replace(value, mask)
            escaped = json.dumps(value, ensure_ascii=False)[1:-1]
            if escaped != value and escaped in text:
                text = text.replace(escaped, mask)
        return text


def at_rest_masks(
    decision: Decision, located: Sequence[Located], texts: Sequence[TextPart]
) -> list[Mask]:
    """The spans to mask in the stored texts: every finding of a type that a rule blocks,
    redacts or pseudonymises (also when the call is blocked, when the decision itself
    carries no masks).

    Rules in monitor mode count too: they let the value through to the provider, but the
    log need not be one more copy of it (a log-only mode that masks one copy while another
    goes to the logs is the failure this prevents). Flag rules do not.

    A call blocked *unchecked* (detectors failed closed, a text too long to inspect) has no
    findings to go by, and is the likeliest to hold what the policy guards (a pasted log
    file full of keys): each of its texts is stored whole as ``<UNINSPECTED:fingerprint>``,
    but its model name.
    """
    if decision.blocked and decision.reason:
        return [
            Mask(i, 0, len(p.text), UNINSPECTED, Action.REDACT)
            for i, p in enumerate(texts)
            if p.location != _MODEL_NAME
        ]
    types = {
        entity
        for match in decision.matches
        if match.action in _MASKED_AT_REST
        for entity in match.entity_counts
    }
    return [
        Mask(
            item.text_index,
            item.finding.start,
            item.finding.end,
            item.finding.entity_type,
            Action.REDACT,
        )
        for item in located
        if item.finding.entity_type in types
    ]


def stored_texts(
    texts: Sequence[TextPart], masks: Sequence[Mask], fingerprints: Fingerprints
) -> tuple[dict[Location, str], StoredMasks]:
    """The stored text of each location ``masks`` change, and the masked values."""
    by_text: defaultdict[int, list[Mask]] = defaultdict(list)
    for mask in masks:
        by_text[mask.text_index].append(mask)
    values: dict[str, str] = {}

    def fingerprint(mask: Mask, value: str) -> str:
        values[value] = fingerprints.mask(mask.entity_type, value)
        return values[value]

    changed = {
        texts[index].location: replace_spans(texts[index].text, found, fingerprint)
        for index, found in by_text.items()
        if index < len(texts)
    }
    return changed, StoredMasks(values)
