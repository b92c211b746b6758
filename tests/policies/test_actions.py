"""Redaction masks, consistent pseudonyms and restoring them, also piece by piece."""

from __future__ import annotations

import json

import pytest

from core.inspection import Action
from policies.actions import Mask, apply_masks
from policies.pseudonyms import Pseudonyms, StreamRestorer


def mask(start: int, end: int, entity: str, action: Action = Action.REDACT) -> Mask:
    return Mask(0, start, end, entity, action)


def test_redact_replaces_the_span_with_the_entity_type() -> None:
    """A redacted value becomes <ENTITY_TYPE>."""
    text = "mail bob@example.org now"
    assert apply_masks(text, [mask(5, 20, "EMAIL_ADDRESS")], Pseudonyms()) == (
        "mail <EMAIL_ADDRESS> now"
    )


def test_pseudonyms_are_consistent_per_value_and_numbered_per_type() -> None:
    """The same value always gets the same placeholder; new values get the next number."""
    table = Pseudonyms()
    text = "Ann and Bob and Ann"
    masks = [
        mask(0, 3, "PERSON", Action.PSEUDONYMISE),
        mask(8, 11, "PERSON", Action.PSEUDONYMISE),
        mask(16, 19, "PERSON", Action.PSEUDONYMISE),
    ]
    assert apply_masks(text, masks, table) == "<PERSON_1> and <PERSON_2> and <PERSON_1>"
    assert table.placeholder("EMAIL_ADDRESS", "a@b.c") == "<EMAIL_ADDRESS_1>"


def test_overlapping_masks_merge_so_no_fragment_survives() -> None:
    """Two overlapping findings are masked as one span under the longer one's type."""
    text = "see https://bob@example.org/x"
    masks = [mask(4, 29, "URL"), mask(12, 27, "EMAIL_ADDRESS", Action.PSEUDONYMISE)]
    table = Pseudonyms()
    assert apply_masks(text, masks, table) == "see <URL_1>"


def test_restore_puts_values_back_and_leaves_unknown_placeholders() -> None:
    """Known placeholders are restored; anything else that looks like one is left alone."""
    table = Pseudonyms()
    table.placeholder("PERSON", "Ann Lee")
    assert table.restore("Dear <PERSON_1>, re <PERSON_2> and <EMAIL_ADDRESS>") == (
        "Dear Ann Lee, re <PERSON_2> and <EMAIL_ADDRESS>"
    )


def test_table_repr_never_shows_values() -> None:
    """The pseudonym table cannot leak its values into logs through repr."""
    table = Pseudonyms()
    table.placeholder("PERSON", "Ann Lee")
    assert "Ann" not in repr(table)
    assert "Ann" not in str(table)


@pytest.mark.parametrize(
    "pieces",
    [
        ["Hello <PERSON_1>!"],
        ["Hello <", "PERSON_1>!"],
        ["Hello <PER", "SON_", "1", ">!"],
        ["Hello ", "<PERSON_1", ">", "!"],
    ],
)
def test_stream_restorer_handles_placeholders_split_across_pieces(pieces: list[str]) -> None:
    """A placeholder split across stream pieces is held until complete, then restored."""
    table = Pseudonyms()
    table.placeholder("PERSON", "Ann Lee")
    restorer = StreamRestorer(table)
    out = [restorer.feed(p) for p in pieces]
    out.append(restorer.flush())
    assert "".join(out) == "Hello Ann Lee!"
    assert all("<" not in piece for piece in out)


def test_stream_restorer_releases_a_lone_angle_bracket() -> None:
    """Text that only looks like the start of a placeholder is released once it cannot be one."""
    table = Pseudonyms()
    table.placeholder("PERSON", "Ann Lee")
    restorer = StreamRestorer(table)
    assert restorer.feed("a <") == "a "
    assert restorer.feed("b> c") == "<b> c"
    assert restorer.feed("x <TAG") == "x "
    assert restorer.flush() == "<TAG"


def test_stream_restorer_is_a_pass_through_without_pseudonyms() -> None:
    """With nothing pseudonymised, text passes unchanged and immediately."""
    restorer = StreamRestorer(Pseudonyms())
    assert restorer.feed("a <PERS") == "a <PERS"


def test_restore_into_tool_call_arguments_keeps_the_json_valid() -> None:
    """A value with a quote or backslash goes back into JSON arguments escaped."""
    table = Pseudonyms()
    placeholder = table.placeholder("PERSON", 'Dwayne "The Rock" O\\Neil')
    arguments = json.dumps({"to": placeholder, "note": "hi"})
    restored = table.restore(arguments, json_string=True)
    assert json.loads(restored) == {"to": 'Dwayne "The Rock" O\\Neil', "note": "hi"}


def test_stream_restorer_escapes_values_in_streamed_arguments() -> None:
    """Streamed tool-call arguments stay valid JSON when a placeholder is restored."""
    table = Pseudonyms()
    placeholder = table.placeholder("PERSON", 'Ann "A" Lee')
    arguments = json.dumps({"name": placeholder})
    restorer = StreamRestorer(table, json_string=True)
    pieces = [arguments[:9], arguments[9:14], arguments[14:]]
    out = "".join(restorer.feed(p) for p in pieces) + restorer.flush()
    assert json.loads(out) == {"name": 'Ann "A" Lee'}
