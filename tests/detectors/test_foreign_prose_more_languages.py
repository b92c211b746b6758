"""PERSON and LOCATION on prose in Polish, Czech, Slovak, Slovenian, Croatian, Danish,
Norwegian, Swedish, Finnish, Estonian, Hungarian, Romanian, Portuguese, Turkish and Greek in
Latin script (issue 14, hard negatives of ``tuning6``): the English model's guesses on their
words are no one; people named there after a greeting, a title or a sign-off keep their
findings, exact spans."""

from __future__ import annotations

import pytest

from detectors.ner_language import foreign_sentence, opened_name
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # Polish: a noun ("password") and an adjective ("new") opening the sentence
        "Hasło do drukarki jest w sejfie zespołu, nie wysyłaj go mailem.",
        "Nowa wersja aplikacji jest już dostępna, proszę zaktualizować przed piątkiem.",
        "Spotkanie zespołu przeniesione na czwartek, sala 4.17.",
        # Turkish, Swedish, Norwegian, Finnish, Hungarian: nouns, a pronoun, a verb
        "Gizli anahtarı nereye yazmam gerekiyor, bunu bilmiyorum.",
        "Şirket kartının PIN kodu değişti, telefonda saklamam sorun olur mu?",
        "Pinkoden till kortet är bytt, är det okej att spara den i mobilen?",
        "Lösenordet byttes igår men skrivaren frågar fortfarande.",
        "Jeg byttet passord i går, men Outlook spør hele tiden.",
        "Møte på rom 412 kl. 10, tilbud på 24 000 kr.",
        "Salasanan vaihto onnistui, mutta tulostin kysyy sitä edelleen.",
        "Megváltoztattam a jelszavamat, de a nyomtató még mindig kéri.",
    ],
)
def test_words_of_other_languages_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Nouns, pronouns and verbs of the other languages staff write in are no PERSON or
    LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a greeting of the language is trimmed off the name
        (
            "Cześć Agnieszka, czy możesz sprawdzić zamówienie klienta?",
            [("PERSON", "Agnieszka")],
        ),
        (
            "Merhaba Ayşe, Mehmet Yılmaz raporu bugün gönderdi mi?",
            [("PERSON", "Ayşe")],
        ),
        # a title, a greeting before a surname-first name, greetings and a sign-off
        (
            "Pan Kowalski przesłał fakturę wczoraj i czeka na odpowiedź.",
            [("PERSON", "Pan Kowalski")],
        ),
        (
            "Jó napot, Kovács Péter vagyok, a számla mellékelve van.",
            [("PERSON", "Kovács Péter")],
        ),
        ("Herr Jensen har godkjent fakturaen og den er sendt.", [("PERSON", "Jensen")]),
        (
            "Hej Lars, kan du sende meg rapporten før fredag?\nMed vennlig hilsen\nIngrid Hansen",
            [("PERSON", "Lars"), ("PERSON", "Ingrid Hansen")],
        ),
        (
            "Hej Karin, kan du skicka rapporten till Anders Lindqvist före fredag?",
            [("PERSON", "Karin"), ("PERSON", "Lindqvist")],
        ),
        (
            "Olá Mariana, o relatório foi enviado para o João Silva ontem.",
            [("PERSON", "Mariana"), ("PERSON", "João Silva")],
        ),
        # a product named in French prose is no name, though "Dr" opens it
        ("Nous avons remplacé Drush par Jenkins le mois dernier.", []),
    ],
)
def test_names_in_more_languages_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """A person after a greeting, title or sign-off of another language, or of known names,
    is reported with its exact span."""
    assert named(pii, text) == names


def _at(text: str, span: str) -> tuple[str, int, int]:
    start = text.index(span)
    return text, start, start + len(span)


@pytest.mark.parametrize(
    ("text", "span", "foreign"),
    [
        # function words of the language
        ("Jeg har glemt koden, kan du sende den til meg?", "Jeg", True),
        ("Proč se mi nedaří přihlásit, když je heslo správné?", "Proč", True),
        ("O kodikos den douleuei, ti prepei na kanw gia na mpw?", "O kodikos", True),
        # lowercase words with letters no English word holds ("zespołu", "wysyłaj")
        ("Hasło jest w sejfie haseł zespołu, nie wysyłaj go.", "Hasło", True),
        # names with such letters are no prose of another language
        ("Please ask Łukasz and Søren to review the pull request.", "Łukasz", False),
        ("Kindly forward the report to Zoë Brønsted by Friday.", "Zoë Brønsted", False),
    ],
)
def test_foreign_sentence_more_languages(text: str, span: str, foreign: bool) -> None:
    """A sentence is of another language by its function words and the letters of its
    lowercase words, never by a name's letters."""
    assert foreign_sentence(*_at(text, span)) is foreign


@pytest.mark.parametrize(
    ("text", "span", "opened"),
    [
        ("Cześć Agnieszka, czy możesz?", "Cześć Agnieszka", True),
        ("Dobrý den, pane Novák, posílám fakturu.", "Novák", True),
        ("Pozdrawiam\nJan Nowak", "Jan Nowak", True),
        ("Bună ziua, sunt Andrei Popescu.", "Andrei Popescu", False),
        ("Nous avons remplacé Drush par Jenkins.", "Drush", False),  # "Dr" is no title here
        ("Il pannello Panorama non si apre.", "Panorama", False),  # "pan" is no word here
    ],
)
def test_opened_name(text: str, span: str, opened: bool) -> None:
    """A greeting, sign-off or title opens a name only as a whole word before it."""
    assert opened_name(*_at(text, span)) is opened
