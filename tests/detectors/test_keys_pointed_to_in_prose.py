"""Keys that prose, a HAR or a user and password pair points to (h187, issue 14: tuning12's
misses as classes): a personal access token and a few words before an arrow ("Linode PAT for
the DNS script → X"), a UUID told as the writer's own token ("needs a token, mine is
<uuid>"), a session cookie in a HAR's Cookie header, and the secret paired with a key's
public id in ``auth=(id, X)``. Each is reported exactly; look-alikes stay quiet.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

FOUND = [
    (
        "[10:02] Ana: Linode PAT for the DNS script → 7c0e5b2a9d4f1e8c3b6a0d9f2e5c8b1a"
        "4d7f0e3b6c9a2d5f8e1b4c7a0d3f6e9b2c",
        E.GENERIC_SECRET,
        "7c0e5b2a9d4f1e8c3b6a0d9f2e5c8b1a4d7f0e3b6c9a2d5f8e1b4c7a0d3f6e9b2c",
    ),
    (
        "the API key for the nightly export -> Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3",
        E.GENERIC_SECRET,
        "Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3",
    ),
    (
        "Sentry in CI needs a token, mine is 5b1e9c3a-7d2f-4a8e-b6c0-3f9d2e7a1c4b, use it for now",
        E.GENERIC_SECRET,
        "5b1e9c3a-7d2f-4a8e-b6c0-3f9d2e7a1c4b",
    ),
    (
        '{"name":"Cookie","value":"sessionid=k3v9q2m7x8p1w4z6r5t0y2u8i3o7a1s9; csrftoken=Ab"}',
        E.GENERIC_SECRET,
        "k3v9q2m7x8p1w4z6r5t0y2u8i3o7a1s9",
    ),
    (
        'client = razorpay.Client(auth=("rzp_live_ZG60XEucLP5JvJ", "Rk8mZ2vQ7xN4pL9tW3bY6cHs"))',
        E.GENERIC_SECRET,
        "Rk8mZ2vQ7xN4pL9tW3bY6cHs",
    ),
]


@pytest.mark.parametrize(("text", "kind", "value"), FOUND)
def test_a_key_pointed_to_is_found_exactly(
    secrets_detector: SecretsDetector, text: str, kind: str, value: str
) -> None:
    """The value, as a generic secret and nothing else."""
    assert spans(secrets_detector, text) == [(kind, value)]


QUIET = [
    # a UUID after a token's word that names an id, and a person called Pat
    "the token for the org, its id is 5b1e9c3a-7d2f-4a8e-b6c0-3f9d2e7a1c4b",
    "Pat for the release → 2024-release-candidate-final",
    # a HAR header that holds no session cookie
    '{"name": "Cookie", "value": "theme=dark; lang=en-GB; tz=Europe/Berlin"}',
]


@pytest.mark.parametrize("text", QUIET)
def test_look_alikes_stay_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """No secret where nothing secret is pointed to."""
    assert [s for s in spans(secrets_detector, text) if s[0] in E.SECRET_ENTITY_TYPES] == []


def test_a_person_s_password_in_a_pair_stays_a_password(secrets_detector: SecretsDetector) -> None:
    """Only a pair whose user is a key's public id makes the second value a key's secret."""
    text = 'requests.get(url, auth=("admin", "Sunny-River-12!"))'
    assert spans(secrets_detector, text) == [(E.PASSWORD, "Sunny-River-12!")]
