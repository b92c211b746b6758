"""Business records, second round (issue 14, tuning13, h203): a card in a CSV row whose
unquoted commas (a firm's name, an amount) shift its cells right of its header's, and
names after a cue written in lower case or in capitals."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector


def _values(pii: PresidioDetector, text: str, entity_type: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == entity_type]


_EXPORT = (
    "Transaction export:\n"
    "date,merchant,{column},amount\n"
    "2022-09-10,Aliyev, Mohinurova and Abdumalikov,36017542457652,INR 28,776.15\n"
    "2021-07-24,Halidov Group,2703-7063-8326-9931,EUR 201.973,77\n"
)


def test_a_diners_card_under_its_header_past_extra_commas(pii: PresidioDetector) -> None:
    """A 14-digit Diners card (Luhn-valid) under a card_number header is a card even when
    commas inside the merchant's name and the amount give its row more cells."""
    assert "36017542457652" in _values(pii, _EXPORT.format(column="card_number"), "CREDIT_CARD")


def test_fourteen_digits_under_another_header_past_extra_commas(pii: PresidioDetector) -> None:
    """The same digits under an account column stay no card (14 digits need a card word)."""
    assert "36017542457652" not in _values(pii, _EXPORT.format(column="account"), "CREDIT_CARD")


def test_fourteen_digits_in_a_row_of_words_header_stay_no_card(pii: PresidioDetector) -> None:
    """A line of words above with as many commas as the row is no header of fewer cells."""
    text = "merchant,card,when\nAliyev, 36017542457652,2022-09-10\n"
    assert "36017542457652" not in _values(pii, text.replace("card", "account"), "CREDIT_CARD")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "iban: az16egeg46307213928302266243\nname: akanmu iyanda\namount: $34,143.85",
            "akanmu iyanda",
        ),
        ("hey zakhele sangwani, quick q - did you get the signed NDA back?", "zakhele sangwani"),
        ("Customer: hi its joshua nyaako, my email is daniel60@example.com", "joshua nyaako"),
        ("spoke w/ adekunle adebisi re: late delivery, cust wants callback", "adekunle adebisi"),
    ],
)
def test_a_name_in_lower_case_after_a_cue(pii: PresidioDetector, text: str, name: str) -> None:
    """Two or three lower-case words after a name label, a greeting or "spoke with" that are
    names or words on no list are a PERSON."""
    assert name in _values(pii, text, "PERSON")


@pytest.mark.parametrize(
    "text",
    [
        "hey young king, quick q - did you get the signed NDA back?",
        "name: user service\nport: 8080",
        "hi team lead, the build is red",
        "spoke with customer support - no luck",
        "Customer: ok thx",
    ],
)
def test_lower_case_words_after_a_cue_that_are_words_stay_no_name(
    pii: PresidioDetector, text: str
) -> None:
    """English words, a service's name or a chat's reply after such a cue name no one."""
    assert _values(pii, text, "PERSON") == []
