"""``detection.allow_list`` in policy YAML: terms the PII detector never reports as names."""

from __future__ import annotations

import pytest

from detectors.settings import DetectorSettings, PiiSettings
from policies.loader import PolicyError
from policies.scanning import with_policy_recognizers
from tests.policies.factories import policy

POLICY = """
version: 1
name: allow
detection:
  allow_list: [Zorblax, "Project Heron"]
"""


def test_policy_allow_list_extends_the_detector_settings() -> None:
    """The policy's terms are added to the configured ones, and change the fingerprint."""
    base = DetectorSettings(pii=PiiSettings(allow_list=("Acme Cloud",)))
    merged = with_policy_recognizers(base, policy(POLICY))
    assert merged.pii.allow_list == ("Acme Cloud", "Zorblax", "Project Heron")
    assert merged.fingerprint() != base.fingerprint()


def test_blank_allow_list_term_is_refused() -> None:
    """A blank term is a policy error naming the key."""
    with pytest.raises(PolicyError, match="allow_list"):
        policy(POLICY.replace("Zorblax", '"  "'))
