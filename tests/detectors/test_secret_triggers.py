"""The secrets detector looks for each distinct trigger once per text and runs exactly the
rules whose trigger occurs, in their order (what checking each rule's triggers did)."""

from __future__ import annotations

import pytest

from detectors.secret_triggers import Triggers
from detectors.secrets import SecretsDetector

TEXTS = (
    "",
    "Plain prose about a meeting on Tuesday.",
    "my password is Autumn2024! and the passcode is 4821",
    "export AWS_ACCESS_KEY_ID=AKIAGYLW2FGSIORRGXT6; mysql -u root -pS3cret",
    "curl -H 'Authorization: Bearer abc' https://x:y@host:5432/db sk-ant-api03-xyz",
    "Das Passwort ist geheim; la contraseña es otra; hasło: Zq8$wE4@tY",
)


@pytest.mark.parametrize("text", TEXTS)
def test_the_rules_run_are_those_with_a_trigger_in_the_text(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """``rules_for`` keeps exactly the rules one of whose triggers occurs, in rule order."""
    lowered = text.lower()
    expected = [r for r in secrets_detector.rules if any(t in lowered for t in r.triggers)]
    assert Triggers(secrets_detector.rules).rules_for(lowered) == expected


def test_a_trigger_containing_another_is_found_only_with_it(
    secrets_detector: SecretsDetector,
) -> None:
    """ "passcode" is found (its "pass" was), "sk-ant-" too; absent ones are not."""
    present = Triggers(secrets_detector.rules).present("the passcode and sk-ant-x")
    assert {"pass", "passcode", "sk-", "sk-ant-"} <= present
    assert "mysql" not in present


def test_overlapping_and_nested_triggers_are_all_found(secrets_detector: SecretsDetector) -> None:
    """Every trigger in a text of all triggers run together (each overlapping its
    neighbours) is found, as one ``in`` per trigger finds it, and no other."""
    words = sorted({t for rule in secrets_detector.rules for t in rule.triggers})
    triggers = Triggers(secrets_detector.rules)
    for text in ("".join(words), "".join(reversed(words)), " ".join(words[::3])):
        assert triggers.present(text) == {w for w in words if w in text}


def test_no_rules_means_no_triggers() -> None:
    """A detector with every rule disabled looks for nothing."""
    assert Triggers(()).rules_for("password: hunter2") == []
