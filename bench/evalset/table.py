"""The README's detection table, written from the same run that printed the figures.

One row per set or part, one column per figure the issue-14 targets judge; a cell reads
"ours · stock" (precision/recall, or F1 for PERSON), and a figure of ours below its target
is bold with three decimals, so a miss cannot round itself away. Rows are kept as the run
goes (:class:`Row`) and :func:`markdown` renders them at its end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from evalset.scoring import (
    ANY_SECRET,
    NEGATIVE_TARGET,
    PERSON_F1_TARGET,
    STRUCTURED_TARGET,
    Counts,
)

# (column heading, entity type) of the precision/recall columns, in the order they print.
_STRUCTURED = (
    ("e-mail", "EMAIL_ADDRESS"),
    ("phone", "PHONE_NUMBER"),
    ("card", "CREDIT_CARD"),
    ("IBAN", "IBAN_CODE"),
    ("SSN", "US_SSN"),
    ("IP", "IP_ADDRESS"),
    ("any secret", ANY_SECRET),
    ("password", "PASSWORD"),
    ("generic secret", "GENERIC_SECRET"),
)
_HEADINGS = (
    "part",
    *(heading for heading, _ in _STRUCTURED),
    "PERSON F1 (P/R)",
    "hard negatives with a finding",
    "time ÷ stock",
)


@dataclass(frozen=True, slots=True)
class Row:
    """One set's or part's tallies: ours, stock Presidio's (None when it did not run) and
    our detection time as a share of stock's (None likewise)."""

    name: str
    ours: Counts
    stock: Counts | None
    time_ratio: float | None


def _number(value: float, below_target: bool) -> str:
    """Two decimals, or three in bold when ``value`` misses its target."""
    return f"**{value:.3f}**" if below_target else f"{value:.2f}"


def _stock_pr(counts: Counts | None, entity: str) -> str:
    if counts is None:
        return ""
    if not counts.predicted[entity]:
        return " · none"
    return f" · {counts.precision(entity):.2f}/{counts.recall(entity):.2f}"


def _structured(row: Row, entity: str) -> str:
    ours = row.ours
    if not ours.gold[entity]:
        found = ours.predicted[entity]
        return f"– ({found} found, none labelled)" if found else "–"
    p, r = ours.precision(entity), ours.recall(entity)
    precision = "–" if math.isnan(p) else _number(p, p < STRUCTURED_TARGET)
    return f"{precision}/{_number(r, r < STRUCTURED_TARGET)}{_stock_pr(row.stock, entity)}"


def _person(row: Row) -> str:
    ours = row.ours
    if not ours.gold["PERSON"]:  # no F1 to judge: a part without names
        found = ours.predicted["PERSON"]
        return f"– ({found} found, none labelled)" if found else "–"
    f1 = ours.f1("PERSON")
    stock_f1 = row.stock.f1("PERSON") if row.stock else math.nan
    below = f1 < PERSON_F1_TARGET or (not math.isnan(stock_f1) and f1 <= stock_f1)
    p, r = ours.precision("PERSON"), ours.recall("PERSON")
    cell = f"{_number(f1, below)} ({'–' if math.isnan(p) else f'{p:.2f}'}/{r:.2f})"
    if row.stock is not None:
        cell += " · –" if math.isnan(stock_f1) else f" · {stock_f1:.2f}"
    return cell


def _negatives(row: Row) -> str:
    total = sum(row.ours.negatives.values())
    if not total:
        return "–"
    rate = row.ours.negative_rate()
    cell = f"{rate:.1%}".replace("%", " %")
    if rate > NEGATIVE_TARGET:
        cell = f"**{cell}**"
    cell += f" of {total}"
    if row.stock is not None:
        cell += f" · {row.stock.negative_rate():.1%}".replace("%", " %")
    return cell


def markdown(rows: list[Row]) -> str:
    """The table of ``rows`` as GitHub markdown, one line per row."""
    lines = [
        "| " + " | ".join(_HEADINGS) + " |",
        "|" + "---|" * len(_HEADINGS),
    ]
    for row in rows:
        cells = [
            row.name,
            *(_structured(row, entity) for _, entity in _STRUCTURED),
            _person(row),
            _negatives(row),
            "–" if row.time_ratio is None else f"{row.time_ratio:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
