"""Card numbers of the lengths that need a card word (12-14, 17-19 digits) told in other
scripts and in Albanian and Turkish (issue 14, h220; tuning15's customer chats): the card's
word as a stem that suffixes and prefixes glue to ("கார்டில்", "بطاقتي"), the vowel signs of
Indic scripts around it. Sentences without such a word, and look-alikes ("karting"), keep
the odd lengths quiet.
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
    ("सर, मेरे कार्ड ", "4509112853045850339", " से दो बार पैसे कट गए।"),  # Hindi
    ("என் கார்டு ", "4841913792886", " இல் இருந்து இரண்டு முறை பணம் எடுக்கப்பட்டது."),  # Tamil
    ("கிரெடிட் அட்டை எண் ", "62122010196597746", " தடுக்கப்பட்டது."),  # Tamil "attai"
    ("تم خصم المبلغ مرتين من بطاقتي ", "352826914789988671", "، أرجو إرجاع المبلغ."),  # Arabic
    ("Më janë tërhequr para dy herë nga karta ", "4841913792886", ". Ju lutem"),  # Albanian
    ("Ju lutem bllokoni kartën ", "503888784769", " sot."),
    ("Kartımdan ", "22016794655914541", " iki kez para çekildi."),  # Turkish
    ("Моя карта ", "601105453401174628", " заблокирована."),  # Russian
    ("我的信用卡 ", "675993537882682502", " 被扣了两次款。"),  # Chinese
    ("カード番号 ", "4509112853045850339", " を停止してください。"),  # Japanese
    ("카드 번호 ", "4841913792886", " 분실 신고합니다."),  # Korean
]


@pytest.mark.parametrize(("before", "number", "after"), POSITIVES)
def test_card_told_in_another_script(
    cards: CardRecognizer, before: str, number: str, after: str
) -> None:
    """An odd-length card is found whole when its sentence names a card in its own script."""
    assert _spans(cards, before + number + after) == [number]


NEGATIVES = [
    "सर, मेरा ऑर्डर 4509112853045850339 अभी तक नहीं आया।",  # Hindi: "my order", no card
    "என் பதிவு எண் 4841913792886 சரியா?",  # Tamil: "my registration number"
    "رقم الطلب 352826914789988671 لم يصل بعد.",  # Arabic: "the order number"
    "Go-karting 4841913792886 event on Friday.",  # "karting" is no Turkish card word
    "Numri i porosisë 503888784769 nuk ka ardhur.",  # Albanian: "the order number"
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_card_word_in_another_script(cards: CardRecognizer, text: str) -> None:
    """Without a card word, odd-length Luhn-valid numbers in these scripts are no card."""
    assert _spans(cards, text) == []


def test_samples_are_luhn_valid() -> None:
    """The numbers above pass Luhn, so only the words decide (else the tables lie)."""
    numbers = [n for _, n, _ in POSITIVES] + ["4509112853045850339", "352826914789988671"]
    assert all(luhn_valid(number) for number in numbers)
