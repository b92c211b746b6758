"""An authenticator's seed written in lower-case groups of four after what names it ("setup
key: jbsw y3dp ...") streams as the whole answer reads it: masked whole, however the answer
is cut. The hold-back held no such run, so its first groups went out in clear before the
run showed it was a seed (found by the leak hunt over tuning10's e-mails, h164)."""

from __future__ import annotations

import asyncio

import pytest

from policies.holdback import open_seed_groups
from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import redacted, split, streamed

SEED_8 = "jbsw y3dp ehpk 3pxp kqkk 3ave myjn mnyh"
SEED_4 = "mzxw 6ytb oi7q ggpa"
#: Answers and the seed each writes.
ANSWERS = {
    "eight-groups": (f"Setup key for the authenticator app: {SEED_8}\nThen tap Verify.", SEED_8),
    "four-groups": (f"Your TOTP seed is {SEED_4} - keep it with the recovery codes.", SEED_4),
}


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


def _cuttings(text: str) -> dict[str, list[list[str]]]:
    """The answer cut in two at every place, a character a piece, a word a piece."""
    words = [word + " " for word in text.split(" ")]
    words[-1] = words[-1][:-1]
    return {
        "every-cut": [split(text, [cut]) for cut in range(1, len(text))],
        "chars": [list(text)],
        "words": [words],
    }


@pytest.mark.parametrize("cutting", ["every-cut", "chars", "words"])
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_grouped_seed_streams_masked_whole(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str, cutting: str
) -> None:
    """However the answer is cut, the stream equals the whole answer, which masks the
    seed as one value; no group of it goes out."""
    text, seed = ANSWERS[name]
    whole = loop.run(redacted(inspector, text))
    assert whole == text.replace(seed, "<GENERIC_SECRET>")
    for pieces in _cuttings(text)[cutting]:
        sent = loop.run(streamed(inspector, pieces))
        assert "".join(sent) == whole, pieces
        assert not any(group in piece for group in seed.split() for piece in sent), pieces


@pytest.mark.parametrize(
    ("text", "released", "start"),
    [
        ("jbsw ", "Setup key for the app: ", 0),  # the first group, its name released
        ("jbsw y3dp eh", "Setup key: ", 0),  # groups going on, the last unfinished
        ("Your TOTP seed is mzxw 6ytb ", "", 18),  # the name in the same text
        ("ключ: mzxw 6ytb ", "", 6),
    ],
)
def test_groups_after_a_key_or_seed_are_held_from_the_first(
    text: str, released: str, start: int
) -> None:
    """The hold-back starts exactly at the run's first group."""
    assert open_seed_groups(text, released) == start
    assert text[start:].split(maxsplit=1)[0] in SEED_8 + SEED_4


@pytest.mark.parametrize(
    ("text", "released"),
    [
        ("we will meet here next week ", "Hello team, "),  # four-letter words, nothing named
        (f"{SEED_8}\n", "Setup key: "),  # the run ended with its line
        ("then type it ", "Setup key: jbsw y3dp "),  # a word of another shape ended it
        ("scan the QR codes ", "Setup key: "),  # no group of four at the end
    ],
)
def test_other_text_is_not_held_as_a_seed(text: str, released: str) -> None:
    """Prose without a key or seed named before it, a run that ended, and words of other
    lengths are not held by this shape."""
    assert open_seed_groups(text, released) is None
