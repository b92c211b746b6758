"""Names in code where a credential could stand ("the token UserSession2Manager", a Jenkins
``credentialsId``) are no secret; the tokens and passwords beside them still are."""

from __future__ import annotations

import random
import string

import pytest

from detectors import entities as E
from detectors.code_names import is_code_name
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

QUIET = [
    "the token UserSession2Manager is created per request",
    "why is the token OrderCache2Provider null after login?",
    "withCredentials([usernamePassword(credentialsId: 'dockerhub', "
    "usernameVariable: 'DOCKER_USER', passwordVariable: 'DOCKER_PASS')]) {",
    "usernamePassword(credentialsId: 'nexus-deploy', passwordVariable: 'PW')",
]


@pytest.mark.parametrize("text", QUIET)
def test_a_name_in_code_where_a_credential_could_stand_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """An identifier after "token" and a credentials id in a Jenkins call are no secret."""
    assert spans(secrets_detector, text) == []


FOUND = [
    ("token ", "Xk29fLq8ZmP3aB7cD9eF", " was rejected", E.GENERIC_SECRET),
    ("creds: deploy/", "Xk9!mQ2v", "", E.PASSWORD),
    ("credentials are root:", "Tr0ub4dor&3", "", E.PASSWORD),
    ("log in with admin / ", "Sommer2024!", " please", E.PASSWORD),
]


@pytest.mark.parametrize(("before", "secret", "after", "kind"), FOUND)
def test_tokens_and_logins_beside_them_are_still_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, kind: str
) -> None:
    """A random token after "token" and a login's password after "creds"/"log in" are
    found exactly."""
    assert spans(secrets_detector, before + secret + after) == [(kind, secret)]


def test_code_name_shape_keeps_random_keys() -> None:
    """Random keys of letters and digits are almost never taken for a name in code, and
    names made of words are."""
    rng = random.Random(14)
    alphabet = string.ascii_letters + string.digits
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(16, 40))) for _ in range(20000)]
    assert sum(is_code_name(key) for key in keys) <= 3
    names = ("UserSession2Manager", "getSecretValue2Async", "CancellationTokenSource")
    assert all(is_code_name(name) for name in names)
    assert not is_code_name("rSYFYWkAwUCpxsGScdGWlYnM")
