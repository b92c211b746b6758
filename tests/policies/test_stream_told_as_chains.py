"""Passwords told where the words around say one follows (h175: a one-word answer in a chat,
a Wi-Fi key after its quoted network name, the value in the sentence after its label, the
second value after "that of", "change the password to X", a token after a clause, a
recovery code in two groups, "the password of the thing X") are masked
in a streamed answer as in the whole one: split anywhere, no chunk carries the value."""

from __future__ import annotations

import asyncio

import pytest

from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_stream_value_first import assert_never_streamed

#: (answer, the value that must not reach the caller)
ANSWERS = (
    ("Otto: wie war nochmal das PW für den Drucker?\nHerta: wiedervon – aber nicht weitersagen",
     "wiedervon"),
    ("Zugangsdaten:\n- Windows-Anmeldung: lamaya\n- WLAN \"Gast\": pull-suddenly-probably\nOK",
     "pull-suddenly-probably"),
    ("le mot de passe de compta@ ne marche plus. On utilisait « aliquiddoloribus » avant.",
     "aliquiddoloribus"),
    ("la password del Wi-Fi è Verano2023!, quella della segreteria 25452186.", "25452186"),
    ("Se acuerda cambiar la contraseña de la cuenta compartida a Summer2022#.", "Summer2022#"),
    ("le jeton d'accès ici, tu le supprimes après : dcbf4f139e552c66f71f189264782fea",
     "dcbf4f139e552c66f71f189264782fea"),
    ("De herstelcode van het beheerdersaccount: 1619 5403. Groet", "5403"),
    ("le mot de passe du poste pH+iLeMdKYf9^Hp - pense à le changer", "pH+iLeMdKYf9^Hp"),
)  # fmt: skip


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_a_value_told_around_words_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (a character, a word per chunk), the chunks join to the
    non-streamed redaction, which masks the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)
