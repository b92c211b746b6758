"""Names after a greeting or sign-off of another language (issue 14, ``tuning6``): the
English model finds no one in "szia Aylla," or "Pozdrawiam\\nCatherine Boulanger"; the
greeting at a line's start (or a quote's) says a name follows, exact spans; a technology or
a town after it stays quiet."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from tests.detectors.named import named


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "ahoj Kamilly, heslo na wifi pro hosty je v trezoru, uděláš mi cedulku?",
            [("PERSON", "Kamilly")],
        ),
        (
            "szia Aylla, a vendég wifi jelszava a széfben van, csinálnál egy táblát?",
            [("PERSON", "Aylla")],
        ),
        (
            "selam Benek, misafir wifi şifresi kasada, güzel bir tabela yapabilir misin?",
            [("PERSON", "Benek")],
        ),
        (
            "γεια σου Gökten, ο κωδικός για το wifi είναι στο συρτάρι.",
            [("PERSON", "Gökten")],
        ),
        (
            "Dzień dobry,\n\nod wczoraj nie mogę zalogować się do portalu. Proszę o sprawdzenie."
            "\n\nPozdrawiam\nCatherine Boulanger",
            [("PERSON", "Catherine Boulanger")],
        ),
        (
            "Sehr geehrte Damen und Herren,\n\nich kann mich nicht mehr anmelden. Bitte um "
            "Rückmeldung.\n\nMit freundlichen Grüßen\nLjubov Kruglov",
            [("PERSON", "Ljubov Kruglov")],
        ),
        (
            "Gentile assistenza,\n\nda ieri non riesco ad accedere al portale. Potete "
            "controllare?\n\nCordiali saluti,\nAndres Link",
            [("PERSON", "Andres Link")],
        ),
        # the greeting is trimmed off the model's span
        (
            "Ciao Laura, ti giro il token per l'integrazione, scade a fine mese.",
            [("PERSON", "Laura")],
        ),
    ],
)
def test_names_after_foreign_greetings_are_found(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """A name after a greeting or sign-off of another language is a PERSON, exact span."""
    assert named(pii, text) == names


@pytest.mark.parametrize(
    "text",
    [
        "szia Kubernetes, ez csak egy teszt üzenet a klaszterből.",
        "tere Tallinn, külaliste wifi töötab jälle.",
        "Die Übersetzung von 'hyvä' ist 'gut', wie in hyvä Kafka-Konfiguration.",
    ],
)
def test_technology_and_places_after_foreign_greetings_stay_quiet(
    pii: PresidioDetector, text: str
) -> None:
    """A technology name, a town, or a greeting word inside a sentence is no cue for a
    PERSON."""
    assert [n for n in named(pii, text) if n[0] == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            'Transcripción del audio: "Hola, soy Franc, eh, la contraseña del router está en '
            'el cajón."',
            [("PERSON", "Franc")],
        ),
        (
            "Ciao sono Songurkan, la password del router è nel cassetto, fammi sapere.",
            [("PERSON", "Songurkan")],
        ),
        (
            "« Salut c'est Miha, le mot de passe du routeur est dans le tiroir. »",
            [("PERSON", "Miha")],
        ),
        (
            'Transcrição do áudio: "Oi, aqui é Danilo, a senha do roteador está na gaveta."',
            [("PERSON", "Danilo")],
        ),
        # a word of the language that is also a first name is no one without a cue; with
        # one it is
        ("moje geslo za intranet ne dela. Kaj je narobe?", []),
        (
            "moje geslo za intranet ne dela. Kaj je narobe?\nLep pozdrav\nKaj Novak",
            [("PERSON", "Kaj Novak")],
        ),
    ],
)
def test_self_introductions_and_foreign_function_words(
    pii: PresidioDetector, text: str, names: list[tuple[str, str]]
) -> None:
    """Someone who introduces themselves in another language is a PERSON, exact span; a
    function word of the language that is also a first name ("Kaj") is one only after a
    cue."""
    assert named(pii, text) == names


def test_a_product_after_a_self_introduction_stays_quiet(pii: PresidioDetector) -> None:
    """A technology after "c'est" is no one introducing themselves."""
    assert named(pii, "C'est Kubernetes, pas Docker, qui redémarre le pod.") == []
