"""Sentences in other scripts than Latin, and in Latin-script languages the function words
did not cover, are of another language (h211, issue 14; :mod:`detectors.ner_language`).

The English model tags words of Cyrillic, Greek, Devanagari, Tamil, Hebrew, Arabic, Chinese
or Japanese sentences, and capitalised words of Indonesian, Vietnamese, Albanian or Baltic
prose, as people and places (``bench/multilingual_noise.py``). In such a sentence a finding
needs evidence of its own (a cue, a known name); a name in another script inside an English
sentence is judged as the English sentence is.
"""

from __future__ import annotations

import pytest

from detectors.ner_language import foreign_sentence, other_script
from detectors.pii import PresidioDetector
from tests.detectors.named import named


def _at(text: str, span: str) -> tuple[str, int, int]:
    start = text.index(span)
    return text, start, start + len(span)


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Файл не найден", True),
        ("ファイルが見つかりません", True),
        ("फ़ाइल नहीं मिली", True),
        ("Παράθυρο ρυθμίσεων", True),
        ("לא ניתן לפתוח את הקובץ", True),
        ("கோப்பு கிடைக்கவில்லை", True),
        # Latin letters of every alphabet, Vietnamese's included, are Latin
        ("Không tìm thấy tệp", False),
        ("Nepavyko atverti failo", False),
        ("café naïve", False),
        # more Latin letters than others: an English sentence holding a Cyrillic name
        ("Please ask Иван about the key", False),
        ("", False),
    ],
)
def test_other_script(text: str, other: bool) -> None:
    """A text is in another script when most of its letters are of other scripts than
    Latin ones."""
    assert other_script(text) is other


@pytest.mark.parametrize(
    ("text", "span", "foreign"),
    [
        # sentences of other scripts, about a span in them or in Latin letters
        ("Нажмите Сохранить, чтобы сохранить настройки учётной записи.", "Сохранить", True),
        ("Відкрийте Панель і виберіть проєкт, який потрібно видалити.", "Панель", True),
        ("Запустите Nautilus и откройте домашнюю папку.", "Nautilus", True),
        ("Πατήστε Αποθήκευση για να αποθηκεύσετε τις ρυθμίσεις.", "Αποθήκευση", True),
        ("यदि Nautilus स्थापित नहीं है तो दूसरा फ़ाइल प्रबंधक चुनें।", "Nautilus", True),
        ("Nautilus 会显示主文件夹中的文件。", "Nautilus", True),
        # a short sentence is judged with its neighbours
        ("Привет, Anna! Ключ лежит в хранилище, пароль я сменил.", "Anna", True),
        # a name in another script in an English sentence: English
        ("Please ask Иван Петров about the staging key before Friday.", "Иван Петров", False),
        ("The report from Μαρία Παπαδοπούλου is in the shared folder.", "Μαρία", False),
        # Latin-script languages by their function words
        ("Klik Simpan untuk menyimpan pengaturan, lalu pilih proyek yang ingin dihapus.",
         "Simpan", True),
        ("Nhấn Lưu để lưu cài đặt tài khoản, sau đó chọn dự án cần xóa.", "Lưu", True),
        ("Kliko Ruaj për të ruajtur cilësimet, pastaj zgjidh projektin që do të fshish.",
         "Ruaj", True),
        ("Pindutin ang Save para i-save ang mga setting, pagkatapos ay piliin ang proyekto.",
         "Save", True),
        ("Spauskite Išsaugoti, kad išsaugotumėte nustatymus, tada pasirinkite projektą.",
         "Išsaugoti", True),
        ("Noklikšķiniet uz Saglabāt, lai saglabātu iestatījumus, pēc tam izvēlieties projektu.",
         "Saglabāt", True),
        ("Smelltu á Vista til að vista stillingar, opnaðu síðan stjórnborðið.", "Vista", True),
        # English prose with names and loanwords stays English
        ("Budi Santoso and Ana Lima reviewed the migration plan with the data team.",
         "Budi Santoso", False),
        ("Ask Nguyễn Văn An whether the café menu is ready for the launch.", "Nguyễn Văn An",
         False),
    ],
)  # fmt: skip
def test_foreign_sentence_other_scripts_and_languages(text: str, span: str, foreign: bool) -> None:
    """A sentence is of another language by its script or its function words."""
    assert foreign_sentence(*_at(text, span)) is foreign


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a known name in a sentence of another script, after a greeting
        ("Привет, Anna! Ключ лежит в хранилище, пароль я сменил.", [("PERSON", "Anna")]),
        # a name in another script inside an English sentence
        (
            "Please ask Иван Петров about the staging key before Friday.",
            [("PERSON", "Иван Петров")],
        ),
    ],
)
def test_names_stay(pii: PresidioDetector, text: str, names: list[tuple[str, str]]) -> None:
    """Names in or beside another script are reported with their exact spans."""
    assert named(pii, text) == names
