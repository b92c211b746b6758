"""The README's detection table written from a run (bench/evalset/table.py)."""

from __future__ import annotations

from eval_dataset import Sample, Span
from evalset.scoring import Hit, score
from evalset.table import Row, markdown

SECRETS = frozenset({"PASSWORD", "GENERIC_SECRET"})
MAIL = Sample("mail ana@example.org or bo@example.org", (
    Span("EMAIL_ADDRESS", 5, 20), Span("EMAIL_ADDRESS", 24, 38)), "t")  # fmt: skip
NEGATIVE = Sample("upgrade Envoy to 1.29", (), "negative:t:prose")


def _cells(row: Row) -> dict[str, str]:
    head, _, line = markdown([row]).splitlines()
    names = [cell.strip() for cell in head.strip("|").split("|")]
    return dict(zip(names, (cell.strip() for cell in line.strip("|").split("|")), strict=True))


def test_a_figure_below_target_is_bold_with_three_decimals() -> None:
    """Recall 0.5 cannot round itself into a pass: it reads **0.500**, precision 1.00."""
    ours = score([MAIL], [[Hit("EMAIL_ADDRESS", 5, 20, 1.0)]], SECRETS)
    cells = _cells(Row("tuning", ours, None, None))
    assert cells["part"] == "tuning"
    assert cells["e-mail"] == "1.00/**0.500**"


def test_stock_beside_ours_and_none_when_stock_found_nothing() -> None:
    both = [[Hit("EMAIL_ADDRESS", 5, 20, 1.0), Hit("EMAIL_ADDRESS", 24, 38, 1.0)]]
    ours = score([MAIL], both, SECRETS)
    stock = score([MAIL], [[]], SECRETS)
    cells = _cells(Row("labelled", ours, stock, 0.25))
    assert cells["e-mail"] == "1.00/1.00 · none"
    assert cells["time ÷ stock"] == "0.25"


def test_a_type_without_labels_is_a_dash_or_says_what_was_found() -> None:
    quiet = _cells(Row("negatives3", score([NEGATIVE], [[]], SECRETS), None, None))
    noisy = score([NEGATIVE], [[Hit("PHONE_NUMBER", 17, 21, 0.6)]], SECRETS)
    assert quiet["phone"] == "–"
    assert _cells(Row("negatives3", noisy, None, None))["phone"] == "– (1 found, none labelled)"


def test_hard_negatives_above_two_percent_are_bold() -> None:
    noisy = score([NEGATIVE], [[Hit("PERSON", 8, 13, 0.85)]], SECRETS)
    stock = score([NEGATIVE], [[]], SECRETS)
    assert _cells(Row("negatives3", noisy, stock, None))["hard negatives with a finding"] == (
        "**100.0 %** of 1 · 0.0 %"
    )


def test_person_f1_at_or_below_stock_is_bold() -> None:
    """PERSON's target is F1 >= 0.85 and above stock: equal to stock is a miss."""
    name = Sample("Ask Ms. Ana Lima today", (Span("PERSON", 8, 16),), "t")
    found = [[Hit("PERSON", 8, 16, 0.85)]]
    ours = score([name], found, SECRETS)
    cells = _cells(Row("presidio templates", ours, score([name], found, SECRETS), None))
    assert cells["PERSON F1 (P/R)"] == "**1.000** (1.00/1.00) · 1.00"


def test_person_on_a_part_without_names_has_no_f1() -> None:
    """A part without labelled names has no PERSON F1 to miss: its findings are counted."""
    noisy = score([NEGATIVE], [[Hit("PERSON", 8, 13, 0.85)]], SECRETS)
    assert _cells(Row("negatives6", noisy, None, None))["PERSON F1 (P/R)"] == (
        "– (1 found, none labelled)"
    )
