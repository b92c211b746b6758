"""Passwords and PINs told before their label in another language ("Autumn2024! ist das neue
Passwort", "4821 to nowy PIN") are held in a streamed answer until the label has arrived:
split anywhere, the caller gets exactly the non-streamed redaction and the value in no
chunk."""

from __future__ import annotations

import asyncio

import pytest

from policies.inspector import PolicyInspector
from policies.scanning import DetectorScanner
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import cached_pack
from tests.policies.test_stream_value_first import assert_never_streamed

#: (answer, the value that must not reach the caller)
TOLD_FIRST = (
    ("Autumn2024! ist das neue Passwort für den Drucker.", "Autumn2024!"),
    ("Xk9#mQ2!vL c'est le nouveau mot de passe du wifi.", "Xk9#mQ2!vL"),
    ("4821 to nowy PIN do drukarki.", "4821"),
    ("Z6n;OUyCbk$$ is het nieuwe wachtwoord van de router.", "Z6n;OUyCbk$$"),
    ("(*4WVje8Z8E@ este parola nouă pentru intranet.", "(*4WVje8Z8E@"),
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(cached_pack(), DetectorScanner([secrets_detector()]))


@pytest.mark.parametrize(("answer", "value"), TOLD_FIRST)
def test_a_value_told_before_its_foreign_label_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (a character, a word per chunk), the chunks join to the
    non-streamed redaction, which masks the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


#: (answer, the word that must not reach the caller): a word told after "is" is a password
#: when its clause closes right after it
TOLD_WORDS = (
    ("mein pw für den vpn ist harumaliquid, und es geht nicht.", "harumaliquid"),
    ("hei, passordet til gjestenettet er velab, kan du lage en plakat?", "velab"),
    ("SSID: Gast-Nord\nSchlüssel: quosit\nGültig bis: morgen", "quosit"),
)


@pytest.mark.parametrize(("answer", "value"), TOLD_WORDS)
def test_a_word_told_after_is_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, a word told after a foreign label's "is" is masked as in the
    whole answer, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)
