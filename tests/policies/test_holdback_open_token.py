"""The unfinished last token is found by str methods exactly as a reading character by
character finds it, whatever whitespace (Unicode's included) the text holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.holdback import open_token
from tests.fuzzing import examples

#: Characters around tokens: ASCII and Unicode blanks and line ends, and some that are not
#: whitespace although they look blank (zero-width space).
_TRICKY = st.sampled_from(list("ab-< \n\t\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200b"))


def reference(text: str) -> int | None:
    """The last token by a reading from the end, one character at a time."""
    start = len(text)
    while start and text[start - 1] != "\n" and text[start - 1].isspace():
        start -= 1
    while start and not text[start - 1].isspace():
        start -= 1
    return start if start < len(text) else None


@settings(max_examples=examples(2000), deadline=None, database=None)
@given(st.text(_TRICKY, max_size=12) | st.text(max_size=12))
def test_the_open_token_is_where_a_character_by_character_reading_puts_it(text: str) -> None:
    """For any text, the open token (with the blanks after it, not across a line end)
    starts where reading back one character at a time says it does."""
    assert open_token(text) == reference(text)


def test_a_line_end_ends_the_token() -> None:
    """A token followed by a line end is complete: only blanks after the line end are
    held, and nothing when the text ends with the line end."""
    assert open_token("key abc\n") is None
    assert open_token("key abc\n  ") == 8
    assert open_token("key abc  ") == 4
    assert open_token("   ") == 0
    assert open_token("") is None
