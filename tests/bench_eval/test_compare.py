"""The comparison command runs end to end on a few texts (bench/eval_detectors.py --set)."""

from __future__ import annotations

import pytest
from eval_detectors import main


def test_the_comparison_prints_ours_and_stock_per_type(capsys: pytest.CaptureFixture[str]) -> None:
    """`--set presidio` prints the matching rule, one row per labelled type with our and
    stock Presidio's figures, the hard-negative rate of both, and the cost ratio."""
    status = main(["--set", "presidio", "--presidio-size", "12"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert "matching: a label is found if same-type findings cover >= 50%" in out
    assert "== presidio-evaluator templates (third-party, en_US): 12 texts" in out
    assert "ratio ours/stock" in out
    rows = [line for line in out.splitlines() if " | " in line and not line.startswith("entity")]
    assert rows
    assert all(line.count("|") == 2 for line in rows)
    assert "hard negatives with a finding: ours" in out
    assert "; stock " in out
