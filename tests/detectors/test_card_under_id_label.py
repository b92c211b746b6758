"""A card named earlier in the clause that ends at an id label (:mod:`detectors.cards`):
"the card ending we discussed is on the order: 4252209621666". The label ("order:") used to
make every number after it an id; when the clause before it names the card with nothing but
words between, the number told is the card's. An order's own number stays quiet: the label
alone, or a card named in another clause ("Paid by card, order no. N").
"""

from __future__ import annotations

import pytest

from detectors.cards import CardRecognizer


@pytest.fixture(scope="module")
def cards() -> CardRecognizer:
    """The card recognizer."""
    return CardRecognizer()


def _spans(recognizer: CardRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["CREDIT_CARD"])]


# every number is Luhn-valid with an issuer's prefix and length
TOLD = [
    ("the card ending we discussed is on the order: ", "4252209621666", ""),  # Visa 13
    ("The debit card she read out is on invoice ", "4040785360142947", "."),
    ("la tarjeta que usó está en el pedido del ticket ", "4087881041855476694", "."),
]

QUIET = [
    "order: 4252209621666",
    "Your order: 4040785360142947 has shipped.",
    "Paid by card, order no. 4040785360142947",  # another clause
    "billed twice on the card, transaction 4796669725102734640",
    "The card was declined. Order 4040785360142947 is on hold.",  # another sentence
]


@pytest.mark.parametrize(("before", "number", "after"), TOLD)
def test_card_told_under_an_id_label(
    cards: CardRecognizer, before: str, number: str, after: str
) -> None:
    """The number after an id label in a clause about a card is reported, exactly."""
    assert _spans(cards, before + number + after) == [number]


@pytest.mark.parametrize("text", QUIET)
def test_id_label_without_a_card_in_its_clause(cards: CardRecognizer, text: str) -> None:
    """An order's or a transaction's own number stays quiet."""
    assert _spans(cards, text) == []
