"""How far back a value-first phrase may start is found a word at a time exactly as a
reading one character at a time finds it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.value_first import _back
from tests.fuzzing import examples

_TRICKY = st.sampled_from(list("ab- \n\t\x0b\x1c\x85\xa0\u2028\u3000\u200b"))


def reference(text: str, end: int, solid: int) -> int:
    """Back over blanks, then ``solid`` characters other than blanks, then blanks."""
    start = end
    while start and text[start - 1].isspace():
        start -= 1
    while start and solid:
        start -= 1
        if text[start].isspace():
            continue
        solid -= 1
    while start and text[start - 1].isspace():
        start -= 1
    return start


@settings(max_examples=examples(1000), deadline=None, database=None)
@given(st.text(_TRICKY, max_size=16) | st.text(max_size=16), st.data())
def test_back_is_where_a_character_by_character_reading_puts_it(
    text: str, data: st.DataObject
) -> None:
    """For any text, end and count of solid characters, the start is the reference's."""
    end = data.draw(st.integers(0, len(text)))
    solid = data.draw(st.integers(0, 20))
    assert _back(text, end, solid) == reference(text, end, solid)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(st.text(_TRICKY, max_size=400), st.data())
def test_back_over_long_texts_and_leads_is_the_readings(text: str, data: st.DataObject) -> None:
    """Texts and leads of a stream's size (the default phrases lead by 123 characters): the
    start is the reference's, also where fewer solid characters are there than asked."""
    end = data.draw(st.integers(0, len(text)))
    solid = data.draw(st.integers(0, 300))
    assert _back(text, end, solid) == reference(text, end, solid)
