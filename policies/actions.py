"""Masking actions on text: redact (``<EMAIL_ADDRESS>``) and pseudonymise (``<PERSON_1>``).

The engine decides *which* spans to mask and how (:class:`Mask`); this module only applies
masks to a string. Overlapping masks (two detectors finding the same e-mail address inside a
URL, say) are merged into one span so no fragment of a value survives between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.inspection import Action
from policies.pseudonyms import Pseudonyms, redaction_mask


@dataclass(frozen=True, slots=True)
class Mask:
    """Replace ``text[start:end]`` of text number ``text_index`` according to ``action``."""

    text_index: int
    start: int
    end: int
    entity_type: str
    #: :attr:`Action.REDACT` or :attr:`Action.PSEUDONYMISE`.
    action: Action


def merge_masks(masks: Iterable[Mask]) -> list[Mask]:
    """Masks of one text without overlaps, in order.

    Overlapping masks become one covering both; it keeps the entity type of the longest
    and the stronger action.
    """
    merged: list[Mask] = []
    for mask in sorted(masks, key=lambda m: (m.start, -m.end)):
        if merged and mask.start < merged[-1].end:
            last = merged[-1]
            longest = last if last.end - last.start >= mask.end - mask.start else mask
            action = max(last.action, mask.action, key=lambda a: a.severity)
            merged[-1] = Mask(
                last.text_index,
                last.start,
                max(last.end, mask.end),
                longest.entity_type,
                action,
            )
        else:
            merged.append(mask)
    return merged


def apply_masks(text: str, masks: Iterable[Mask], pseudonyms: Pseudonyms) -> str:
    """``text`` with each mask applied; pseudonyms are issued from ``pseudonyms``."""

    def replacement(mask: Mask, value: str) -> str:
        if mask.action is Action.PSEUDONYMISE:
            return pseudonyms.placeholder(mask.entity_type, value)
        return redaction_mask(mask.entity_type)

    return replace_spans(text, masks, replacement)


def replace_spans(text: str, masks: Iterable[Mask], replacement: Callable[[Mask, str], str]) -> str:
    """``text`` with the span of each mask (merged, see :func:`merge_masks`) replaced by
    ``replacement(mask, value)``."""
    pieces: list[str] = []
    position = 0
    for mask in merge_masks(masks):
        start, end = max(mask.start, position), min(mask.end, len(text))
        if start >= end:
            continue
        pieces.append(text[position:start])
        pieces.append(replacement(mask, text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
