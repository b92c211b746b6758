"""PERSON on office prose in German, Spanish, Portuguese, French, Italian, Dutch, Polish and
Swedish (issue 14, ``tuning11``): words capitalised by German grammar, phrases cut after a
particle and compound nouns are no one; attendees of minutes and holders of an account,
named after the labels of those languages, are people. Exact spans."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.ner_filter import NerFilter
from detectors.ner_language import grammar_capitalised
from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    "text",
    [
        # German pronouns of formal address, alone or before the noun they own
        "Ihr Laptop wird am Montag getauscht. Bitte sichern Sie Ihre Dateien vorher.",
        "Bitte nehmen Sie Ihre Unterlagen mit. Die Schulung dauert zwei Stunden.",
        # German plurals of people in both genders after a greeting
        "Liebe Mitarbeiterinnen und Mitarbeiter,\n\nder Drucker im 2. Stock ist repariert.",
        # compound nouns: an acronym before a word, a lowercase part after a hyphen
        "Besprechung HR-Jour-fixe 2024-02-01\n1. Neue Urlaubsregeln ab Mai.",
    ],
)
def test_grammar_and_compounds_are_no_names(pii: PresidioDetector, text: str) -> None:
    """Pronouns, plurals of people, phrases ending in a particle and compound nouns of
    these languages are no PERSON."""
    assert [n for n in named(pii, text) if n[0] == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Erhalten Sie den Schlüssel am Empfang?", "Sie"),
        ("Relatório de turno (noite)\n- Servidor reiniciado às 03:00", "Relatório de"),
        ("Uppdrag-id 7f1c2e75 klart", "Uppdrag"),
        ("Kunden-ID 88213 wurde gesperrt.", "Kunden"),
        ("Marta: el NAS no responde desde esta mañana.", "el NAS"),
    ],
)
def test_model_spans_of_grammar_are_dropped(text: str, span: str) -> None:
    """The model's PERSON on a pronoun, on a phrase ending in a particle, on the head of a
    compound ("Uppdrag-id") or on an article and an acronym is dropped by the filter."""
    start = text.index(span)
    finding = Finding("PERSON", start, start + len(span), 0.85, "spacy")
    assert NerFilter().apply(text, [finding]) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Bei Problemen bitte Rosa-Maria Keller anrufen.", "Rosa-Maria Keller"),
        ("Der Vertrag liegt bei Ana de la Cruz.", "Ana de la Cruz"),
        ("Termin mit Abd-el-Kader Benali am Montag.", "Abd-el-Kader Benali"),
        # a name the model cut after a particle, more particles and a surname following
        ("Kunde Jelle Coreth von und zu Coredo ruft an.", "Jelle Coreth von"),
    ],
)
def test_model_spans_of_names_are_kept(text: str, span: str) -> None:
    """Capitalised double names, particles inside a name and a name cut short after a
    particle are kept, exact span."""
    start = text.index(span)
    finding = Finding("PERSON", start, start + len(span), 0.85, "spacy")
    assert NerFilter().apply(text, [finding]) == [finding]


@pytest.mark.parametrize(
    ("word", "grammar"),
    [
        ("Sie", True),
        ("Ihren", True),
        ("Ihnen", True),
        ("Kolleginnen", True),
        ("Teilnehmerinnen", True),
        ("Usted", True),
        ("Sievers", False),  # a surname that starts like the pronoun
        ("Ines", False),
        ("Minnen", False),  # too short a stem for a plural of people
        ("sie", False),  # lowercase: "she", a marker of the language, not a capital of grammar
    ],
)
def test_words_capitalised_by_grammar(word: str, grammar: bool) -> None:
    """Only the pronouns of formal address and plurals in "-innen" are read as grammar."""
    assert grammar_capitalised(word) is grammar


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # attendees of minutes in other languages
        (
            "Acta de reunión 2024-03-02\nAsistentes: Rocío Benítez Lara, Sara Kerroum\n"
            "- Se revisan los accesos.",
            [("PERSON", "Rocío Benítez Lara"), ("PERSON", "Sara Kerroum")],
        ),
        (
            "Compte rendu – 2024-03-02\nPrésents : Farid Haddouche, Lina Merabet\n"
            "- Le serveur sera migré.",
            [("PERSON", "Farid Haddouche"), ("PERSON", "Lina Merabet")],
        ),
        (
            "Mötesanteckningar 2024-03-02\nNärvarande: Ebba Lindqvist, Karim Tebboune\n"
            "- Skrivaren är lagad.",
            [("PERSON", "Ebba Lindqvist"), ("PERSON", "Karim Tebboune")],
        ),
        # the holder of an account, named in a payment's details
        (
            "Bitte überweisen Sie auf DE44 5001 0517 5407 3249 31, Kontoinhaber Nuria Soler Pons.",
            [("PERSON", "Nuria Soler Pons")],
        ),
        (
            "Transferencia a ES91 2100 0418 4502 0005 1332. Titular de la cuenta: Mourad Benali.",
            [("PERSON", "Mourad Benali")],
        ),
        (
            "Merci de faire le virement au nom de Djamila Ouali avant vendredi.",
            [("PERSON", "Djamila Ouali")],
        ),
    ],
)
def test_attendees_and_holders_abroad(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """People after the labels of minutes and payments in other languages are found whole,
    names of two or three parts and of Arabic origin included."""
    found = [n for n in named(pii, text) if n[0] == "PERSON"]
    assert found == names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a double name capitalises its second part; a particle before a surname stays
        ("Bei Problemen bitte Rosa-Maria Keller anrufen.", "Rosa-Maria Keller"),
        ("Dear team, Ana de la Cruz will join on Monday.", "Ana de la Cruz"),
        ("Dear Mr. Sievers, your badge is ready.", "Sievers"),
    ],
)
def test_names_beside_those_rules_stay(pii: PresidioDetector, text: str, name: str) -> None:
    """Hyphens, particles and a surname starting like a pronoun do not hide a person."""
    assert ("PERSON", name) in named(pii, text)
