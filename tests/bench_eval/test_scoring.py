"""How findings are matched to labels in the evaluation (bench/evalset/scoring.py)."""

from __future__ import annotations

from eval_dataset import Sample, Span
from evalset.scoring import ANY_SECRET, Hit, score

SECRETS = frozenset({"PASSWORD", "GENERIC_SECRET"})


def _one(sample: Sample, *hits: Hit) -> tuple[int, int, int, int]:
    counts = score([sample], [list(hits)], SECRETS)
    entity = sample.spans[0].entity_type if sample.spans else hits[0].entity_type
    return (
        counts.gold[entity],
        counts.found[entity],
        counts.predicted[entity],
        counts.correct[entity],
    )


NAME = Sample("Ask Ms. Ana Lima today", (Span("PERSON", 4, 16),), "t")


def test_a_finding_covering_half_of_a_label_finds_it() -> None:
    """'Ana Lima' (8 of the 12 characters of 'Ms. Ana Lima') finds the label and is correct."""
    assert _one(NAME, Hit("PERSON", 8, 16, 0.85)) == (1, 1, 1, 1)


def test_a_finding_covering_less_than_half_misses_but_is_correct() -> None:
    """'Lima' alone (4 of 12) does not find the label, yet lies inside it: not a false
    positive."""
    assert _one(NAME, Hit("PERSON", 12, 16, 0.85)) == (1, 0, 1, 1)


def test_a_finding_of_another_type_is_a_false_positive() -> None:
    """The right span under the wrong type neither finds the label nor counts as correct."""
    counts = score([NAME], [[Hit("LOCATION", 4, 16, 0.85)]], SECRETS)
    assert (counts.found["PERSON"], counts.predicted["LOCATION"], counts.correct["LOCATION"]) == (
        0,
        1,
        0,
    )


def test_a_finding_inside_a_neutral_value_is_not_scored() -> None:
    """A PERSON finding on a company name (neutral) is neither correct nor wrong, and a
    text holding only neutral values stays a clean hard negative."""
    sample = Sample("Invoice for Smith-Jones LLC", (), "negative:t", (Span("NEUTRAL", 12, 27),))
    counts = score([sample], [[Hit("PERSON", 12, 23, 0.85)]], SECRETS)
    assert (counts.predicted["PERSON"], counts.negative_rate()) == (0, 0.0)


def test_a_finding_on_a_hard_negative_counts_the_text_once() -> None:
    """Two findings on one unlabelled text make one hard negative with a finding."""
    sample = Sample("Port Flask to Heroku", (), "negative:t")
    counts = score([sample], [[Hit("PERSON", 5, 10, 0.85), Hit("LOCATION", 14, 20, 0.85)]], SECRETS)
    assert (counts.negatives_hit["negative:t"], counts.negative_rate()) == (1, 1.0)


def test_any_secret_pools_secret_kinds() -> None:
    """A password reported as a generic secret misses PASSWORD but counts under ANY_SECRET."""
    sample = Sample("DB_PASSWORD=Autumn2024!", (Span("PASSWORD", 12, 23),), "t")
    counts = score([sample], [[Hit("GENERIC_SECRET", 12, 23, 0.9)]], SECRETS)
    assert counts.found["PASSWORD"] == 0
    assert (counts.found[ANY_SECRET], counts.correct[ANY_SECRET]) == (1, 1)
    assert counts.precision("GENERIC_SECRET") == 0.0
