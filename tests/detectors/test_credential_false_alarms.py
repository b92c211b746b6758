"""Values after a credential's label that describe it rather than hold it: a URL's "psk" or
"token" parameter of joined lowercase words ("?psk=wpa2-personal"), and quoted words ending
in a state ('la password è "molto lunga"'); tokens and passphrases beside them still found."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

QUIET = [
    "https://wifi.example.com/setup?ssid=Office&psk=wpa2-personal",
    "GET /portal?token=session-cookie-auth&lang=it",
    'la password è "molto lunga" ormai',
    'das Passwort ist "viel zu kurz", sagt das System',
]


@pytest.mark.parametrize("text", QUIET)
def test_descriptions_after_a_label_are_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """Joined lowercase words as a URL's key parameter and a quoted description ending in
    a state give no finding."""
    assert spans(secrets_detector, text) == []


FOUND = [  # (text before, the secret, text after, type)
    ("https://x.example.com/a?api_key=", "to1h8zUsG6tIc", "&v=2", E.GENERIC_SECRET),
    ("https://x.example.com/a?token=", "abc123def456", "&x=1", E.GENERIC_SECRET),
    ('Das neue Kennwort lautet "', "correct horse battery", '".', E.PASSWORD),
    ('la password è "', "gatto verde 42", '" ok', E.PASSWORD),
]


@pytest.mark.parametrize(("before", "secret", "after", "kind"), FOUND)
def test_tokens_and_passphrases_beside_them_are_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, kind: str
) -> None:
    """A random URL token and a quoted passphrase are still one finding with their exact
    span."""
    assert spans(secrets_detector, before + secret + after) == [(kind, secret)]
