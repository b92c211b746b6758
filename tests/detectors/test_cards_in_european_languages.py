"""Card numbers of the lengths that need a card word (12-14, 17-19 digits) told in other
languages (tuning11, h169): the card's word in Portuguese, Polish, Swedish and Dutch, paying
words, a compound that ends in the card's word ("Firmenkreditkarte"). "Valid until" after
the number is left out (a stream would release the digits before it arrives); a map,
"short" or an invoice's due date is no card word. A card named earlier in the sentence
counts when "number" stands right before the digits (h175).
"""

from __future__ import annotations

import pytest

from detectors.cards import CardRecognizer
from detectors.checks import luhn_valid


@pytest.fixture(scope="module")
def cards() -> CardRecognizer:
    """The card recognizer."""
    return CardRecognizer()


def _spans(recognizer: CardRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["CREDIT_CARD"])]


# (text before, card number, text after); every number is Luhn-valid and of an odd length.
POSITIVES = [
    ("[ ] Firmenkreditkarte ", "675924258014", " an Frau B. übergeben"),  # a compound
    ("Bitte die Dienstkreditkarten-Nummer ", "503812904046", " sperren."),
    ("De bedrijfscreditcard ", "4087881041855476694", " is geblokkeerd."),
    ("O cartão ", "4711285810816", " foi bloqueado."),  # the card's word
    ("Numer karty ", "36980939849585", " do zmiany."),
    ("Kortnummer ", "630444117715162046", " spärrat."),
    ("Pago con ", "503812904046", " ayer."),  # paying
    ("Betaald met ", "675924258014", "."),
    # the card named earlier in the sentence, "number" right before the digits (h175)
    (
        "Kreditkarte der Abteilung für Cloud-Abrechnungen endet nicht mehr auf dem alten Stand, "
        "neue Nummer ",
        "503840664281",
        ", gültig bis 12/28.",
    ),
    (
        "La tarjeta corporativa de la oficina de Sevilla ha cambiado otra vez, nuevo número: ",
        "4007326617532436101",
        ".",
    ),
]


@pytest.mark.parametrize(("before", "number", "after"), POSITIVES)
def test_card_told_in_another_language(
    cards: CardRecognizer, before: str, number: str, after: str
) -> None:
    """An odd-length card is found whole when its text names a card in another language."""
    assert _spans(cards, before + number + after) == [number]


NEGATIVES = [
    "Die Landkarte 675924258014 liegt im Archiv.",  # a map, not a card
    "Een kort overzicht: referentie 503812904046.",  # Dutch "kort" is "short"
    "Factura 503812904046, vencimiento 30/11.",  # an invoice's due date
    "Fattura 4087881041855476694, scadenza 30/11.",
    "Referenz 675924258014, Stand 12/28.",  # no card word at all
    # the card in the sentence before, or no "number" right before the digits (h175)
    "Die Kreditkarte der Abteilung wurde gekündigt. Neue Kundennummer 503840664281.",
    "Kreditkarte der Abteilung für Cloud-Abrechnungen bleibt beim alten Stand, Referenz "
    "503840664281.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_card_word_in_another_language(cards: CardRecognizer, text: str) -> None:
    """Words that only look like a card's (a map, "short", a due date) make no card."""
    assert _spans(cards, text) == []


def test_samples_are_luhn_valid() -> None:
    """The numbers above pass Luhn, so only the words decide (else the tables lie)."""
    assert all(luhn_valid(number) for _, number, _ in POSITIVES)
