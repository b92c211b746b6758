"""A value's closing quote after a masked value reaches the caller, wherever the stream is cut.

``<add key="ApiKey" value="s3cr3t-P4ss==" />`` cut right after the value (the hold-back
waits on ``==" /`` as an opened quoted value) released the mask at the cut and took the
closing quote for the rest of a masked token still being written, dropping it: the stream
read ``value="<GENERIC_SECRET> />`` where the whole answer reads ``value="<GENERIC_SECRET>"
/>``. An over-mask, never a leak, but a streamed answer must equal the whole one.
"""

from __future__ import annotations

import asyncio

import pytest

from core.inspection import Action
from policies.actions import Mask
from policies.inspector import PolicyInspector
from policies.stream_channel import cuts_a_masked_token
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, streamed

#: Values closed by a quote, a tag, a bracket or a separator, in the shapes of config files
#: and code; base64 padding ("==") before the closing quote is what made the cut land there.
ANSWERS = [
    '<add key="ApiKey" value="s3cr3t-P4ss==" />\n',
    "<add key='ApiKey' value='lKBlaF1kxJgLuNRUSochqQ==' />\n",
    '<add key="SmtpPassword" value="grcO7n8aUDm+8H7CNH8Gbg==" />\n',
    'db.connect(password="s3cr3t-P4ss==");\n',
    '{"password": "s3cr3t-P4ss==", "host": "db"}\n',
]


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    return default_pack_inspector()


@pytest.mark.parametrize("answer", ANSWERS)
def test_a_masked_value_streamed_cut_anywhere_equals_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str
) -> None:
    """Cut in two at every position, the stream delivers what the whole answer does: the
    value masked and its closing quote kept."""
    whole = loop.run(redacted(inspector, answer))
    assert "s3cr3t" not in whole
    assert "==" not in whole
    differing = [
        cut
        for cut in range(1, len(answer))
        if "".join(loop.run(streamed(inspector, [answer[:cut], answer[cut:]]))) != whole
    ]
    assert differing == []


def _mask(start: int, end: int) -> Mask:
    return Mask(0, start, end, "GENERIC_SECRET", Action.REDACT)


@pytest.mark.parametrize(
    ("pending", "cut", "mask", "inside"),
    [
        # the mask ends at the cut before a closing quote, escaped quote, tag or separator
        ('v="abc==" />', 8, (3, 8), False),
        ("v='abc==' />", 8, (3, 8), False),
        ('v=\\"abc==\\"', 9, (4, 9), False),
        ("v=&quot;abc==&quot;", 13, (8, 13), False),
        ("<p>abc==</p>", 8, (3, 8), False),
        ("f(abc==);", 7, (2, 7), False),
        # the token goes on after the cut: its rest is dropped
        ("key=abc==xyz", 9, (4, 9), True),
        ("key=abcdef", 7, (4, 10), True),
        ('key="abcdef"', 8, (5, 11), True),
        # a blank at the cut: no token is cut
        ("key=abc rest", 7, (4, 7), False),
    ],
)
def test_cuts_a_masked_token(pending: str, cut: int, mask: tuple[int, int], inside: bool) -> None:
    """A cut inside a masked value, or at its end before more of the token, cuts it; a cut
    at its end before what closes it does not."""
    assert cuts_a_masked_token(pending, cut, [_mask(*mask)]) is inside
