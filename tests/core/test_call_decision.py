"""One vocabulary for what the policy decides and what the event log records."""

from __future__ import annotations

import pytest

from core.inspection import Action, CallDecision


@pytest.mark.parametrize("action", list(Action))
def test_a_policy_action_is_recorded_under_its_own_name(action: Action) -> None:
    """A call the policy judged is recorded with the action's own string."""
    assert CallDecision.of(action).value == action.value


def test_the_recorded_decisions_are_the_ones_dashboards_and_alerts_read() -> None:
    """The recorded decision strings stay the ones dashboards, alerts and scripts filter on."""
    assert [d.value for d in CallDecision] == [
        "allow",
        "flag",
        "redact",
        "pseudonymise",
        "block",
        "reject",
        "budget",
        "error",
    ]
