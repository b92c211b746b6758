"""Card numbers: every issuer length from 12 to 19; never decimals, ids or glued digits."""

from __future__ import annotations

import pytest

from detectors.cards import CardRecognizer
from detectors.checks import card_issuer, luhn_valid
from detectors.pii import PresidioDetector


@pytest.fixture(scope="module")
def cards() -> CardRecognizer:
    """The card recognizer."""
    return CardRecognizer()


def _spans(recognizer: CardRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["CREDIT_CARD"])]


# (text before, card number, text after); every number is Luhn-valid.
POSITIVES = [
    ("Paid by card ", "675924258014", " yesterday."),  # Maestro, 12 digits
    ("Maestro card ", "6759 8882 7020 9", "."),  # 13
    ("Visa ", "4087881041855476694", " expires 12/27."),  # long Visa, 19
    ("Charged ", "4087 8810 4185 5476 694", " today."),
    ("Card 4711 ", "4711285810816", ""),  # Visa 13
    ("Diners card ", "36980939849585", "."),  # 14
    ("Paid with ", "4040785360142947", " yesterday."),
    ("Paid with ", "4040 7853 6014 2947", " yesterday."),
    ("Paid with ", "4040-7853-6014-2947", " yesterday."),
    ("Ref ", "3782 822463 10005", "."),  # Amex 4-6-5, no card word needed
    ("Ref ", "2223 0031 2200 3222", "."),  # Mastercard 2-series
    ("", "4111.1111.1111.1111", " was charged."),
    ("Card on file: ", "060439825971", "."),  # Maestro 0604, 12 digits
    ("Ref ", "213191907483374", "."),  # JCB's 15-digit 2131 range: no card word needed
    ('{"card_no": "', "503812904046", '"}'),  # a card field named like an id field
    ("ccNumber=", "4796669725102734640", "&exp=1227"),  # card word inside an identifier
    # the column header is the only card word, four lines up
    (
        "customer,card,expiry\n" + "a long customer name,n/a,12/27\n" * 3 + "bob,",
        "4049258991390",
        ",03/28",
    ),
    ("| name | pan |\n|---|---|\n| ann | ", "630444117715162046", " |"),
]


@pytest.mark.parametrize(("before", "number", "after"), POSITIVES)
def test_card_found_with_exact_span(
    cards: CardRecognizer, before: str, number: str, after: str
) -> None:
    """Luhn-valid numbers with an issuer's prefix and length are found whole."""
    assert _spans(cards, before + number + after) == [number]


NEGATIVES = [
    "the score is 0.4040785360142947 after tuning",  # a decimal's digits
    "x = 4040785360142947.5",
    '{"id": 4040785360142947, "amount": 3}',
    '{"order_id": "4040785360142947"}',
    "see /api?id=4040785360142947&x=1",
    "Reference 675924258014 in the ledger",  # 12 digits, no card word
    "Account 422957800319544 opened",  # Visa prefix, 15 digits: not a Visa length
    "Paid with 9040785360142940 yesterday",  # no issuer starts with 9
    "Paid with 4040785360142948 yesterday",  # Luhn-invalid
    "id,ref\n1,4796669725102734640\n2,4049258991390",  # a table, but no card column
    '{"order_no": "503812904046"}',  # an id field without a card word
    "billed twice on the card, transaction 4796669725102734640",  # an id label before it
    "Paid by card, order no. 4040785360142947",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_card(cards: CardRecognizer, text: str) -> None:
    """Decimals, id fields, unlabelled odd lengths and wrong prefixes are not cards."""
    assert _spans(cards, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "GET https://shop.example.com/orders/4040785360142947/items",
        "token abc4040785360142947 and 4040785360142947xyz",
        "np.random.rand() gave 0.4040785360142947",
    ],
)
def test_detector_drops_glued_and_path_digits(pii: PresidioDetector, text: str) -> None:
    """Through the PII detector, digits in URL paths, glued to letters or decimals are no card."""
    assert [f for f in pii.find(text) if f.entity_type == "CREDIT_CARD"] == []


@pytest.mark.parametrize(
    ("digits", "issuer"),
    [
        ("675924258014", "maestro/discover/unionpay"),
        ("4087881041855476694", "visa"),
        ("378282246310005", "amex"),
        ("37828224631000", None),  # Amex is 15 digits
        ("5555555555554444", "mastercard"),
        ("3521993371750738", "jcb"),
        ("555555555555444", None),
        ("22000000000000004", "mir"),
        ("12345678901", None),  # too short for any card
        ("9234567890123456", None),
        ("060439825971", "maestro"),
        ("213191907483374", "jcb"),
        ("180088762328604", "uatp"),  # 1800: JCB's other 15-digit range, inside UATP's
    ],
)
def test_card_issuer(digits: str, issuer: str | None) -> None:
    """Prefix and length decide the issuer; anything else is no card."""
    assert card_issuer(digits) == issuer


def test_samples_are_luhn_valid() -> None:
    """The positive samples above are valid check-digit numbers (else the table lies)."""
    assert all(luhn_valid(number) for _, number, _ in POSITIVES)
