"""A text read whole (a prompt, ``llm-proxy scan``) reports every printing of a found
credential, earlier ones included; a value that could be an ordinary word or number, or
one inside a longer token, is reported only where it was found
(:func:`detectors.every_printing.with_every_printing`)."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.every_printing import with_every_printing
from detectors.secrets import SecretsDetector

TOKEN = "kQ3xR8vLm2Tz9WpB4nYc7HdF"
PSQL = (
    f'psql:migrate.sql:13: ERROR:  syntax error at or near "{TOKEN}"\n'
    f"LINE 1: CREATE ROLE etl LOGIN PASSWORD {TOKEN};"
)


def whole(detector: SecretsDetector, *texts: str) -> list[list[tuple[str, int, int]]]:
    """The (entity type, start, end) of each text's findings, the texts read as one prompt."""
    found = with_every_printing(texts, [detector.find(text) for text in texts])
    return [[(f.entity_type, f.start, f.end) for f in findings] for findings in found]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (PSQL, TOKEN),
        (  # a short password that mixes letters with digits and symbols
            'ERROR:  syntax error at or near "S3cr3t!"\n'
            "LINE 1: ALTER USER app PASSWORD 'S3cr3t!';",
            "S3cr3t!",
        ),
        (  # the value echoed by a shell above the assignment that names it
            f"+ echo {TOKEN}\n+ export API_TOKEN={TOKEN}",
            TOKEN,
        ),
    ],
)
def test_a_value_printed_before_its_name_is_found_there_exact(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """Both printings are reported, each on exactly the value, as the named one's type."""
    (found,) = whole(secrets_detector, text)
    first, last = text.index(value), text.rindex(value)
    assert [(s, e) for _, s, e in found] == [
        (first, first + len(value)),
        (last, last + len(value)),
    ]
    assert found[0][0] == found[1][0]


def test_a_value_named_in_a_later_text_is_found_in_an_earlier_one(
    secrets_detector: SecretsDetector,
) -> None:
    """A prompt's texts are one whole: the value printed in the first message is found
    there when the second names it."""
    first = f'ERROR:  syntax error at or near "{TOKEN}"'
    second = f"LINE 1: CREATE ROLE etl LOGIN PASSWORD {TOKEN};"
    at = first.index(TOKEN)
    assert whole(secrets_detector, first, second)[0] == [("PASSWORD", at, at + len(TOKEN))]


def test_the_detector_alone_still_finds_later_places_only(
    secrets_detector: SecretsDetector,
) -> None:
    """What the detector (and so a streamed answer) reports is unchanged: the statement
    only, where no rule of its own finds the earlier printing (psql's report has one since
    h221: tests/detectors/test_printed_secrets.py)."""
    echoed = f"$ echo {TOKEN} | wc -c\n25\n$ psql -c \"CREATE ROLE etl LOGIN PASSWORD '{TOKEN}'\""
    assert [f.start for f in secrets_detector.find(echoed)] == [echoed.rindex(TOKEN)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Room 4821 is free; the door PIN: 4821", "4821"),  # a number
        ("sunshine all day. Password: sunshine", "sunshine"),  # a word
        ("ticket AB-123 then pw: AB12cd", "AB12cd"),  # never printed elsewhere
    ],
)
def test_a_plain_word_or_number_is_reported_where_it_was_found_only(text: str, value: str) -> None:
    """A value that could be an ordinary word or number elsewhere keeps its other places,
    whatever found it."""
    at = text.rindex(value)
    named = Finding("PASSWORD", at, at + len(value), 0.8, "secrets")
    assert with_every_printing([text], [[named]]) == [[named]]


def test_a_value_inside_a_longer_token_is_not_another_printing(
    secrets_detector: SecretsDetector,
) -> None:
    """The value inside a longer run of token characters (an id that contains it) is not
    reported."""
    text = f"request id: req_{TOKEN}x9\nAPI_TOKEN={TOKEN}\n"
    assert [s for _, s, _ in whole(secrets_detector, text)[0]] == [text.rindex(TOKEN)]


def test_a_finding_of_no_credential_kind_is_not_looked_for_again() -> None:
    """Only credentials are looked for again: a person's name found once stays once."""
    text = "Anna-Maria2 wrote; Anna-Maria2 replied"
    named = Finding("PERSON", 0, 11, 0.85, "pii")
    assert with_every_printing([text], [[named]]) == [[named]]
