"""Chinese names in ideographs amid text of another script (h218, issue 14; tuning13 missed
57 of them: :mod:`detectors.chinese_names`).

A run of ideographs that no other ideograph or kana touches is a person when it is a common
family name and a given name of our lists: glued ("王志明"), the family name after a blank
("雅婷 張") or before a comma ("陳, 淑芬"). Words of the same shape ("白名单", "高可用"),
places ("高雄"), a given name alone and names inside Chinese or Japanese prose are left to the
cues.
"""

from __future__ import annotations

import pytest

from detectors.chinese_names import chinese_names
from detectors.ner_lexicon import shipped_lexicon
from detectors.pii import PresidioDetector

NAMED = [
    # glued, in English, German, Dutch and Spanish sentences; simplified characters
    ("Please refund 王志明, his parcel never arrived.", ["王志明"]),
    ("Bitte die Adresse von 黃美玲 aktualisieren, Tel. 030 1234567.", ["黃美玲"]),
    ("Graag het adres van 林俊傑 bijwerken voor de volgende levering.", ["林俊傑"]),
    ("El contrato lo firmó 刘建华 ayer por la tarde.", ["刘建华"]),
    # a family name of two ideographs
    ("The invoice for 歐陽志明 is attached.", ["歐陽志明"]),
    # Western order, the family name after a blank; family name, comma, given name
    ("The badge printer cut these off: 雅婷 張, 家豪 李.", ["雅婷 張", "家豪 李"]),
    ("Zahlungserinnerung an 陳, 淑芬, Kundennummer 4431.", ["陳, 淑芬"]),
    # a line of a list, a label the cues do not know
    ("Policyholder: 吳秀英\nPolicy number: POL-20931", ["吳秀英"]),
]  # fmt: skip

QUIET = [
    # words of the same length after a family name's ideograph; places
    "Add the host to the 白名单 and turn on 高可用 for the 程序员 on call.",
    "Our 高雄 and 新竹 offices are closed on Friday.",
    # a given name alone: "文章" and "博文" are words too
    "If the upload fails, call 雅婷 on extension 4432.",
    # Chinese and Japanese prose: ideographs or kana on both sides of the name
    "請把這份文件交給王志明處理，謝謝。",
    "お問い合わせは林美加子までお願いします。",
]  # fmt: skip


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_a_chinese_name_standing_alone_is_a_person(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """Each name is one PERSON spanning it exactly."""
    assert _people(pii, text) == names


@pytest.mark.parametrize("text", QUIET)
def test_words_places_and_prose_name_no_one(text: str) -> None:
    """The standing-name reading finds nothing in words, places, a given name alone or prose."""
    assert list(chinese_names(text, shipped_lexicon())) == []


def test_a_span_of_the_model_holding_another_first_name_is_kept(pii: PresidioDetector) -> None:
    """A Chinese name takes the place of the model's span around it only when that span holds
    no other first name (so a span "Leonie Jäntsch, 王志明" is not cut to the Chinese name)."""
    text = "Three accounts, one address: Leonie Jäntsch, 王志明 and Pablo Ruiz."
    people = _people(pii, text)
    assert "王志明" in "".join(people)
    assert any("Leonie" in p for p in people)
