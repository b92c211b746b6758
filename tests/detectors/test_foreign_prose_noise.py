"""PERSON and LOCATION on prose in German, French, Spanish, Dutch and Italian (issue 14, hard
negatives of ``negatives5``): the English model's guesses on capitalised nouns are no one;
people and places named there with evidence of their own keep their findings, exact spans."""

from __future__ import annotations

import pytest

from detectors.ner_language import FOREIGN_MARKERS, foreign_sentence
from detectors.ner_lexicon import STOP_WORDS_NO_NAMES, shipped_lexicon
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # German nouns ("Der Dienst", "Kennzahlen"), also in sentences of few function words
        "Kannst du diese Fehlermeldung erklären? Der Dienst startet nicht, weil die "
        "Datenbankverbindung nach 30 Sekunden abläuft.",
        "Die Abteilung Vertrieb braucht bis Quartalsende einen Bericht über Kündigungen. "
        "Die Geschäftsführung möchte die Kennzahlen monatlich sehen. Nächster Termin am "
        "Donnerstag.",
        # Spanish departments and an imperative after an English instruction
        "Resumen de la reunión: el Departamento de Compras aprobó el presupuesto del "
        "Trimestre y Recursos Humanos publicará la oferta de empleo.",
        "Traduce al inglés: Para instalar la herramienta, descarga el paquete y ejecuta el "
        "instalador. Reinicia el equipo al terminar.",
        # Italian offices, an imperative and a sign-off by a department
        "Puoi riassumere questo verbale? L'Ufficio Acquisti ha approvato il nuovo fornitore "
        "e il Servizio Clienti segnala ritardi.",
        "Spiega questo errore: il servizio di fatturazione restituisce un codice 500.",
        "La Sua richiesta è stata presa in carico.\nCordiali saluti, Amministrazione",
        # Dutch: a question word and a team day
        "Wat is het verschil tussen een Kubernetes-deployment en een StatefulSet?",
        "Beste collega's, vrijdag gaat de Klantenservice een uur eerder dicht vanwege de "
        "Teamdag. Volgens de Servicedesk ligt het aan een certificaat.",
    ],
)
def test_other_languages_nouns_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Capitalised nouns, departments and imperatives of another language are no PERSON or
    LOCATION."""
    assert named(pii, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a greeting, a title
        (
            "Hallo Frau Schneider, die Rechnung ist bereit und wird morgen verschickt.",
            [("PERSON", "Frau Schneider")],
        ),
        ("Hola Lucía, ¿puedes revisar el pedido del cliente?", [("PERSON", "Lucía")]),
        # known first names and surnames, particles inside
        (
            "Die Rechnung hat Thomas Müller freigegeben und die Buchhaltung ist informiert.",
            [("PERSON", "Thomas Müller")],
        ),
        (
            "Het rapport is door Jan de Vries goedgekeurd en de factuur is verstuurd.",
            [("PERSON", "Jan de Vries")],
        ),
        (
            "Il verbale è stato approvato da Giulia Rossi e la fattura è stata inviata.",
            [("PERSON", "Giulia Rossi")],
        ),
        # a title written out in lowercase, a preposition before a known first name
        ("Gentile dottoressa Bianchi, le confermo l'appuntamento.", [("PERSON", "Bianchi")]),
        ("Geachte mevrouw Jansen, hierbij de offerte.", [("PERSON", "Jansen")]),
        (
            "Beste Sanne, kun je het rapport naar Pieter de Boer sturen?",
            [("PERSON", "Sanne"), ("PERSON", "Pieter de Boer")],
        ),
        (
            "J'ai transmis le dossier à Laurent Bigonville hier soir.",
            [("PERSON", "Laurent Bigonville")],
        ),
        # a sign-off: the closing words are no one, the name under them is
        ("Mit freundlichen Grüßen\nKatrin Vogel", [("PERSON", "Katrin Vogel")]),
        # a known first name and a surname on no list; the noun beside it is no one
        (
            "Ich habe mit Guus Sliepen über die Rechnung gesprochen.",
            [("PERSON", "Guus Sliepen")],
        ),
        # a surname the model cut from its first name
        (
            "Das Team von Anna Schmidt hat die Migration abgeschlossen.",
            [("PERSON", "Schmidt")],
        ),
        # known places
        (
            "Ich wohne in Berlin und arbeite seit drei Jahren in München bei einer Bank.",
            [("LOCATION", "Berlin"), ("LOCATION", "München")],
        ),
        (
            "La reunión con Pedro Sánchez es el martes en Madrid.",
            [("PERSON", "Pedro Sánchez"), ("LOCATION", "Madrid")],
        ),
    ],
)
def test_names_in_other_languages_are_kept(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """A person after a greeting or title, of known names, or a known place in another
    language is reported with its exact span."""
    assert named(pii, text) == names


def _at(text: str, span: str) -> tuple[str, int, int]:
    start = text.index(span)
    return text, start, start + len(span)


@pytest.mark.parametrize(
    ("text", "span", "foreign"),
    [
        ("Der Dienst startet nicht, weil die Verbindung abläuft.", "Der Dienst", True),
        ("Please contact Ana de la Cruz about the invoice.", "Ana de la Cruz", False),
        ("Contact Ana de la Cruz.", "Ana de la Cruz", False),  # its own words do not count
        ("Translate into English: el equipo del cliente está en la oficina.", "equipo", True),
        # a short sentence judged with its neighbours
        ("Die Zahlen sind nicht gut. Nächster Termin am Donnerstag.", "Nächster Termin", True),
        ("Ship it on Monday. Nächster Termin is a German phrase for it.", "Nächster", False),
        # domains, paths and identifiers hold no words of prose
        ("Ask Tom: example.de, el.click(), le_client, de/la.", "Tom", False),
        # particles inside a name are no prose of another language
        (
            "Customer Jelle Coreth von und zu Coredo und Starkenberg asks to close the account.",
            "Starkenberg",
            False,
        ),
        # an English instruction before a colon does not make what follows English
        (
            "Translate to English for the support agent: Ann Lee schreibt, dass die Lieferung "
            "nach Bonn beschädigt war und bittet um Rückruf.",
            "Rückruf",
            True,
        ),
    ],
)
def test_foreign_sentence(text: str, span: str, foreign: bool) -> None:
    """A sentence is of another language by its function words, not the span's own."""
    assert foreign_sentence(*_at(text, span)) is foreign


def test_markers_are_no_english_words() -> None:
    """No marker of another language is an English stop word or dictionary word, so English
    prose is never taken for another language."""
    lexicon = shipped_lexicon()
    assert not FOREIGN_MARKERS & (STOP_WORDS_NO_NAMES | lexicon.english)
