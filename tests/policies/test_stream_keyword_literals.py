"""A quoted literal given to ``key=`` or ``secret=`` is held until its line ends: what follows
on the line (``algorithms=['HS256']``) can make it a JWT's signing key, which the whole answer
masks. The stream released the literal as soon as its quote closed, before the rest of the
line was known (found by the leak hunt over tuning10's tracebacks, h164, with a JWT key rule
then being written for detectors.secret_kinds).

The stream tests scan with a detector that reads the line the way that rule does (a literal
after ``key=`` is a secret when its line names HS256/384/512), so they hold whatever the
shipped rules are; the shape's offsets are unit-tested exactly."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection, Sequence

import pytest

from core.scanning import Finding
from policies.holdback import open_keyword_literal
from policies.inspector import PolicyInspector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_holdback_properties import redacted, split, streamed

KEY = "PnQx7RkZ2vLw9TbYc4MhJ8sD"
ANSWERS = {
    "traceback": (
        "jwt.exceptions.InvalidSignatureError: Signature verification failed\n"
        f"  locals: token='eyJ0eXAi' key='{KEY}' algorithms=['HS256']\n"
        "The key in the config differs from the one the issuer signs with."
    ),
    "call": f'Decode it with jwt.decode(token, key=b"{KEY}", algorithms=["HS512"]) first.',
}
_LITERAL = re.compile(r"(?<![\w.])(?:key|secret)[ \t]*=[ \t]*b?(['\"])([^'\"\s]{8,256})\1")


class LineReadingScanner:
    """Finds a literal after ``key=``/``secret=`` as a GENERIC_SECRET when its line names an
    HMAC algorithm anywhere, after the literal too (the JWT key rule's reading)."""

    async def scan(
        self,
        texts: Sequence[str],
        *,
        budget: float | None,
        caller: str | None = None,
        ner_chars: int | None = None,
        entities: Collection[str] | None = None,
    ) -> list[list[Finding]]:
        """The literals of each text whose line names HS256, HS384 or HS512."""
        return [self._findings(text) for text in texts]

    @staticmethod
    def _findings(text: str) -> list[Finding]:
        found = []
        for match in _LITERAL.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            if re.search(r"\bHS(?:256|384|512)\b", text[start : end if end >= 0 else None]):
                found.append(Finding("GENERIC_SECRET", match.start(2), match.end(2), 0.9, "test"))
        return found


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the line-reading detector."""
    return PolicyInspector(cached_pack(), LineReadingScanner())


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_keyword_literal_streams_as_its_whole_line_decides(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str
) -> None:
    """Cut in two at every place, a character a piece, a word a piece: the stream equals the
    whole answer, which masks the key, and no piece carries it."""
    text = ANSWERS[name]
    whole = loop.run(redacted(inspector, text))
    assert whole == text.replace(KEY, "<GENERIC_SECRET>")
    words = [word + " " for word in text.split(" ")]
    words[-1] = words[-1][:-1]
    for pieces in [*(split(text, [cut]) for cut in range(1, len(text))), list(text), words]:
        sent = loop.run(streamed(inspector, pieces))
        assert "".join(sent) == whole, pieces
        assert not any(KEY[:8] in piece for piece in sent), pieces


@pytest.mark.parametrize(
    ("text", "released", "start"),
    [
        (f"key='{KEY}' algor", "  locals: token='x' ", 4),  # held from its quote
        (" algorithms=['HS2", f"  locals: key='{KEY}'", 0),  # the literal released: all held
        (f'jwt.decode(t, secret=b"{KEY}", ', "", 22),
    ],
)
def test_a_keyword_literal_is_held_from_its_quote_while_its_line_goes_on(
    text: str, released: str, start: int
) -> None:
    """The hold-back starts exactly at the literal's opening quote."""
    assert open_keyword_literal(text, released) == start


@pytest.mark.parametrize(
    ("text", "released"),
    [
        ("algorithms=['HS256']\nNext line ", f"key='{KEY}' "),  # its line ended
        ("cache_key='user:42:profile' and ", ""),  # another name ending in key
        ("key=settings.JWT_SECRET, algorithms", ""),  # a variable, not a literal
        ("key='short' here", ""),  # too short to be a key
        ("The service is built with FastAPI ", "Hello. "),  # no keyword at all
    ],
)
def test_other_lines_are_not_held_as_a_keyword_literal(text: str, released: str) -> None:
    """An ended line, a longer name, a variable, a short value and prose are not held."""
    assert open_keyword_literal(text, released) is None
