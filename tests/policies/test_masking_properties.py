"""Properties of masking: nothing of a masked span survives, nothing else is lost, and
pseudonymising then restoring gives the text back, however the answer is streamed."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.inspection import Action
from policies.actions import Mask, apply_masks
from policies.pseudonyms import Pseudonyms, StreamRestorer
from tests.fuzzing import examples

FUZZ = settings(max_examples=examples(300), deadline=None, database=None)

ACTIONS = st.sampled_from([Action.REDACT, Action.PSEUDONYMISE])
ENTITY_TYPES = st.sampled_from(["PERSON", "EMAIL_ADDRESS", "US_SSN", "AWS_SECRET_ACCESS_KEY"])
#: Text without "<": a literal placeholder in the prompt is out of these properties' scope.
TEXT = st.text(st.characters(blacklist_characters="<", blacklist_categories=["Cs"]), max_size=60)
#: Placeholders and masks are made of "<>", A-Z, 0-9 and "_"; secrets here share none.
SECRET = st.text(st.sampled_from("αβγδεζηθ#$%&"), min_size=1, max_size=12)
FILLER = st.text(st.sampled_from("abc xyz.,\n'é"), max_size=12)
_REPLACEMENT = re.compile(r"<[A-Z_]+(?:_[0-9]+)?>")


@st.composite
def masked_texts(draw: st.DrawFn, actions: st.SearchStrategy[Action]) -> tuple[str, list[Mask]]:
    """Any text with masks anywhere in it (overlapping, adjacent, running past its end)."""
    text = draw(TEXT)
    masks = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start + 1, len(text) + 3))
        masks.append(Mask(0, start, end, draw(ENTITY_TYPES), draw(actions)))
    return text, masks


@st.composite
def texts_with_secrets(draw: st.DrawFn) -> tuple[str, list[Mask]]:
    """Filler and secrets; each secret is masked, plus masks spilling over the filler."""
    text, masks = "", []
    for _ in range(draw(st.integers(1, 5))):
        text += draw(FILLER)
        secret = draw(SECRET)
        masks.append(Mask(0, len(text), len(text) + len(secret), draw(ENTITY_TYPES), draw(ACTIONS)))
        text += secret
    text += draw(FILLER)
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        masks.append(Mask(0, start, end, draw(ENTITY_TYPES), draw(ACTIONS)))
    return text, draw(st.permutations(masks))


@FUZZ
@given(texts_with_secrets())
def test_no_character_of_a_masked_span_survives(case: tuple[str, list[Mask]]) -> None:
    """Whatever the overlaps and order of the masks, the masked text holds no character of
    any masked span."""
    text, masks = case
    masked = apply_masks(text, masks, Pseudonyms())
    assert not set(masked) & set("αβγδεζηθ#$%&")


@FUZZ
@given(masked_texts(ACTIONS))
def test_exactly_the_unmasked_characters_survive_in_order(case: tuple[str, list[Mask]]) -> None:
    """Removing the placeholders from a masked text leaves exactly the characters no mask
    covered, in their order."""
    text, masks = case
    covered = {i for m in masks for i in range(m.start, min(m.end, len(text)))}
    masked = apply_masks(text, masks, Pseudonyms())
    assert _REPLACEMENT.sub("", masked) == "".join(
        ch for i, ch in enumerate(text) if i not in covered
    )


@FUZZ
@given(
    masked_texts(st.just(Action.PSEUDONYMISE)),
    st.lists(st.integers(min_value=0, max_value=200), max_size=12),
)
def test_pseudonymise_then_restore_is_the_identity(
    case: tuple[str, list[Mask]], cuts: list[int]
) -> None:
    """Restoring a pseudonymised text gives the original back, also when the text arrives
    cut at arbitrary points (placeholders split across pieces)."""
    text, masks = case
    table = Pseudonyms()
    masked = apply_masks(text, masks, table)
    assert table.restore(masked) == text
    restorer = StreamRestorer(table)
    bounds = [0, *sorted({min(c, len(masked)) for c in cuts}), len(masked)]
    pieces = [restorer.feed(masked[a:b]) for a, b in itertools.pairwise(bounds)]
    assert "".join(pieces) + restorer.flush() == text
