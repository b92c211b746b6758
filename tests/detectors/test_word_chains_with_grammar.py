"""Passphrases a generator chains from four words or more may hold one word of grammar
("social.add.should.main.industry"): still a password after a label; chains that are mostly
such words ("do-not-use-it") are a note, not a password."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.password_prose import is_word_chain
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

FOUND = [  # (text before, the passphrase, text after)
    ("la pass nuova è ", "social.add.should.main.industry", " – va bene o è troppo debole?"),
    ("Het nieuwe wachtwoord wordt '", "this.become.simple.require.range", "', schrijf het op."),
    ("the wifi password is ", "garden-should-threat-most", ", tell the guests"),
]


@pytest.mark.parametrize(("before", "secret", "after"), FOUND)
def test_a_chain_with_one_word_of_grammar_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A chain of four words or more with one word of grammar in it is one PASSWORD finding
    with its exact span."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize(
    "value",
    ["do-not-use-it", "must-be-long-enough", "add.should.main", "see-the-vault-entry"],
)
def test_notes_and_short_chains_with_grammar_are_no_chain(value: str) -> None:
    """Two words of grammar, a chain of three with one, or a reference word is no
    generator's chain."""
    assert not is_word_chain(value, quoted=True)


def test_the_password_is_a_note_of_grammar_words_is_quiet(
    secrets_detector: SecretsDetector,
) -> None:
    """ "the password is do-not-use-it" gives no finding."""
    assert spans(secrets_detector, "the password is do-not-use-it") == []
