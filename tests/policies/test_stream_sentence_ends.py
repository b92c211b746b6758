"""A full stop after a masked value reaches the caller, however the stream is cut.

``AB 12 34 56 C. -----BEGIN EC PRIVATE KEY-----`` streamed with its first chunk ending at
``C. -`` (the hold-back waits on ``. -`` as a run that may go on, so the cut lands at the
national insurance number's end) released the mask at the cut and took the full stop for
the rest of a masked token still being written, dropping it: the stream read
``<UK_NINO> <PRIVATE_KEY>`` where the whole answer reads ``<UK_NINO>. <PRIVATE_KEY>``
(a hypothesis draw of ``test_reads_of_any_size_give_the_whole_answer_redacted``). The
number ends in its letter; the full stop is the sentence's, and the whole answer keeps it.
"""

from __future__ import annotations

import asyncio

import pytest

from core.inspection import Action
from policies.actions import Mask
from policies.inspector import PolicyInspector
from policies.stream_channel import cuts_a_masked_token
from tests.policies.pattern_detection import cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import EC_KEY, redacted, split
from tests.policies.test_stream import chat_text
from tests.policies.test_stream_reads import CountingScanner, relayed

NINO = "AB 12 34 56 C"


@pytest.mark.parametrize("before", ["", "Hello "])
@pytest.mark.parametrize("dashes", [1, 2])
def test_a_full_stop_after_a_masked_number_is_kept_when_the_cut_follows_it(
    loop: asyncio.Runner, before: str, dashes: int
) -> None:
    """The answer's first chunk ends ``C. -`` and arrives in a read of its own: the caller
    gets the whole answer's redaction, full stop included."""
    text = f"{before}{NINO}. {EC_KEY} the"
    whole = loop.run(redacted(PolicyInspector(cached_pack(), pattern_scanner()), text))
    assert "<UK_NINO>. <PRIVATE_KEY>" in whole
    pieces = split(text, [text.index("-----BEGIN") + dashes])
    reads = loop.run(relayed(CountingScanner(), pieces, [1, 1]))
    assert "".join(chat_text([event]) for read in reads for event in read) == whole


def _mask(start: int, end: int) -> Mask:
    return Mask(0, start, end, "UK_NINO", Action.REDACT)


@pytest.mark.parametrize(
    ("pending", "cut", "mask", "inside"),
    [
        # sentence punctuation, then a blank the scan saw: the value ended at the cut
        (f"{NINO}. -", 13, (0, 13), False),
        (f"{NINO}! Next", 13, (0, 13), False),
        (f"{NINO}?\n", 13, (0, 13), False),
        (f"{NINO}... more", 13, (0, 13), False),
        (f"{NINO}: yes", 13, (0, 13), False),
        # a dot inside the token, or one whose end the scan has not seen: may go on
        ("key=abc.def", 7, (4, 7), True),
        ("key=abc.", 7, (4, 7), True),
        ("key=abc.:x y", 7, (4, 7), True),
    ],
)
def test_sentence_punctuation_before_a_blank_closes_a_masked_value(
    pending: str, cut: int, mask: tuple[int, int], inside: bool
) -> None:
    """A mask that ends at the cut before a full stop (or ! ? :) followed by a blank is a
    value the scan saw end; before a dot inside the token it is one still being written."""
    assert cuts_a_masked_token(pending, cut, [_mask(*mask)]) is inside
