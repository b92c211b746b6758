"""Keys printed in vendors' documentation (issue 14, h82): AWS's ``AKIAIOSFODNN7EXAMPLE``
and ``wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`` are placeholders every AWS page shows,
not findings; a key of the same shape that is not marked as an example still is."""

from __future__ import annotations

import pytest

from detectors.secret_values import is_documented_example
from detectors.secrets import SecretsDetector

# AWS's two documented pairs, and a realistic pair of the same shapes.
DOC_KEY_ID, DOC_SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DOC_KEY_ID_2, DOC_SECRET_2 = "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
KEY_ID, SECRET = "AKIAR4WQ7TNZ2XKCM5HJ", "Tq8vL2pX/nR5wKc9Hm3Yb7Fd+JsE1gVtZ4aQ6uNo"

CONTEXTS = [
    "[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n",
    "export AWS_ACCESS_KEY_ID={id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n",
    '{{"AccessKeyId": "{id}", "SecretAccessKey": "{secret}"}}',
    "The docs say to run `aws configure` and enter {id} and then {secret} when asked.",
]


def _found(detector: SecretsDetector, text: str) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start : f.end]) for f in detector.find(text)]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(
    ("key_id", "secret"), [(DOC_KEY_ID, DOC_SECRET), (DOC_KEY_ID_2, DOC_SECRET_2)]
)
def test_documented_examples_are_no_findings(
    secrets_detector: SecretsDetector, context: str, key_id: str, secret: str
) -> None:
    """AWS's documented example key id and secret key, quoted anywhere, are no finding."""
    assert _found(secrets_detector, context.format(id=key_id, secret=secret)) == []


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_real_key_of_the_same_shape_is_found(
    secrets_detector: SecretsDetector, context: str
) -> None:
    """A key id and secret key of the examples' shapes, not marked as examples, are found
    with their exact spans."""
    assert _found(secrets_detector, context.format(id=KEY_ID, secret=SECRET)) == [
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a real secret beside the documented key id, and the other way round
        (f"{DOC_KEY_ID},{SECRET}", [("AWS_SECRET_ACCESS_KEY", SECRET)]),
        (
            f"aws_access_key_id={KEY_ID}\naws_secret_access_key={DOC_SECRET}",
            [
                ("AWS_ACCESS_KEY_ID", KEY_ID),
            ],
        ),
        # the documented key quoted, then the caller's own: only the caller's is reported
        (
            f"Unlike {DOC_KEY_ID} in the guide, mine is {KEY_ID}.",
            [("AWS_ACCESS_KEY_ID", KEY_ID)],
        ),
    ],
)
def test_real_keys_beside_documented_ones_are_found(
    secrets_detector: SecretsDetector, text: str, found: list[tuple[str, str]]
) -> None:
    """A documented example next to a real key hides nothing: the real key is reported."""
    assert _found(secrets_detector, text) == found


@pytest.mark.parametrize(
    ("value", "example"),
    [
        (DOC_KEY_ID, True),
        (DOC_SECRET, True),
        ("sk_live_51HqLyjWDarjtT1zdp7dcEXAMPLE", True),
        (KEY_ID, False),
        (SECRET, False),
        ("AKIAR4WQ7TNZ2XKexample", False),  # the capital word marks a documented key
        ("EXAMPLE", False),  # a word, not a key
    ],
)
def test_what_marks_a_documented_example(value: str, example: bool) -> None:
    """A value of more than 10 characters ending in a capital EXAMPLE or EXAMPLEKEY is a
    documented example; others are not."""
    assert is_documented_example(value) is example
