"""``llm-proxy logs search --help`` names every decision a call can be recorded with."""

from __future__ import annotations

import re

import pytest

from core.inspection import CallDecision
from proxy.cli.main import main


def test_decision_help_lists_every_recorded_decision(capsys: pytest.CaptureFixture[str]) -> None:
    """An incident responder reading the help learns every value --decision can match
    (``budget`` was missing when the list was written by hand)."""
    with pytest.raises(SystemExit) as exited:
        main(["logs", "search", "--help"])
    assert exited.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    listed = re.search(r"--decision DECISION one of: ([a-z, ]+)", help_text)
    assert listed is not None
    assert set(listed.group(1).replace(",", " ").split()) == {d.value for d in CallDecision}
