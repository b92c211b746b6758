"""An empty value in a URL-encoded form or query (issue 14, h133): after
``password=&`` comes the next parameter, not a password; a value that is there is still
reported over exactly its characters."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans


def test_a_form_value_is_reported_up_to_the_next_parameter(
    secrets_detector: SecretsDetector,
) -> None:
    """A password sent in a form body is reported, spanning exactly its value."""
    text = "username=jdoe&password=Wq8%23rTz4Lp&remember=1"
    assert spans(secrets_detector, text) == [(E.PASSWORD, "Wq8%23rTz4Lp")]


@pytest.mark.parametrize(
    "text",
    [
        "password=&password_confirmation=&submit=Change+password",
        "POST /account with body current_password=&new_password=&commit=Save",
        "GET /login?user=jdoe&pwd=&lang=en",
    ],
)
def test_an_empty_form_value_is_no_password(secrets_detector: SecretsDetector, text: str) -> None:
    """The next parameter after an empty value is not read as the value."""
    assert secrets_detector.find(text) == []
