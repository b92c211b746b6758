"""Passwords told where the words around already say one follows (tuning11, h175): a
generator's chain after a label and its "is", though a short word or one of grammar is among
its words ("la password del Wi-Fi è current-force-play-it", "ist jetzt LastEnvironmentOrder");
the answer to "what's the password?" in a chat, as three joined words or one word no list
knows ("Herta: wiedervon"); a value after the past tense of "is" ("A senha que o fornecedor
deixou foi X"); a Wi-Fi key after its network's name in quotes ('WLAN "Gast": X'); "change
the password to X" ("cambiar la contraseña ... a X"); the value in the sentence after the one
naming the password ("... ist abgelaufen. Das neue soll X sein", "On utilisait « X »"); a
personal access token after "PAT", and a token after a clause between its label and the
colon ("le jeton d'accès ici, tu le supprimes après : X"); the second value after "that
of" ("la password del Wi-Fi è X, quella della segreteria 2333"), a password that opens
with a bracket ("Kennwort (k#ZqZ..."), the label, "of the thing" and a value with no "is"
("le mot de passe du poste X"), and a recovery code in two groups of digits
(:mod:`detectors.labelled_credentials`, :mod:`detectors.asked_passwords`,
:mod:`detectors.password_prose`, ``data/credential_labels.txt``).

Positives are (text before, secret, text after): the secret is found exactly, with its type.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

CHAINS_AFTER_IS = [  # a label, "is", a chain holding a short word or one of grammar
    ("Ciao Paca, la password del Wi-Fi ospiti è ", "current-force-play-it",
     ", quella della segreteria è diversa."),
    ("Ciao Adora, la password del Wi-Fi ospiti è ", "not_both_issue", ", ciao!"),
    ("Hoi Ikram, het wifi-wachtwoord van de vestiging is ", "onto-capital-her-i",
     " en de rest volgt."),
    ("Oi Adam, a senha do Wi-Fi do escritório novo é ", "RemainRichOkOthersYet", "\nAbraço"),
    ("María: das WLAN-Passwort im Besprechungsraum ist jetzt ", "LastEnvironmentOrder", ""),
    ("le mot de passe du wifi est ", "current_river_lamp_it", ", merci"),  # two odd of four
]  # fmt: skip

ANSWERS_IN_A_CHAT = [  # a question naming the password, its answer on the next line
    ("Ernst-Otto: wie war nochmal das PW für den Drucker-Admin?\nHerta: ", "wiedervon",
     " – aber nicht weitersagen"),
    ("[09:14] Mareen: kannst du mir kurz das Passwort vom Staging-Admin schicken?\n"
     "[09:15] Ekrem: klar, ", "bessernatürlich", "\n[09:15] Theodora: danke!"),
    ("Myriam: ¿cuál era la contraseña del servidor de pruebas?\nAdel: ", "beataeiure",
     ", usuario root"),
    ("Aroa: qual é a senha do roteador mesmo?\nGeorgina: ", "totalelecciones", ""),
    ("Zehra: c'est quoi le mdp du wifi invités déjà ?\nJochem: ", "avoid.career.popular", ""),
    ("Lope: vad är lösenordet till gäst-wifi?\nLorenzo: ", "some-price-pattern", ""),
    ("Tere: c'est quoi le mdp du wifi invités déjà ?\nBernabé: ", "learn_affect_red", "\n"),
]  # fmt: skip

PAST_TENSE = [  # "was" before the value
    ("Chamado CS8748894: A senha que o fornecedor deixou foi ", "gK^vTRhsRnub7",
     ", mas não funciona mais."),
    ("la contraseña que nos dieron fue ", "4Sb)PXtRtLgo5Y9", " y ya no va."),
]  # fmt: skip

TOKENS = [  # "PAT", as every language names a personal access token
    ("Ich habe den PAT ", "Zd1Ju9Zb6PPO3JDw2LbEWKl8xNYh0Bod", " im Jenkins hinterlegt."),
    ("o PAT do GitLab é ", "glx7Qp2LmZ9vR4tW8yK1nB6cD3fH5jS0", ", revoga depois"),
]  # fmt: skip

NETWORK_NAMED = [  # a Wi-Fi key after its network's name in quotes, in a list of accounts
    ("Deine Zugangsdaten:\n- Windows-Anmeldung: jose.garcia\n- WLAN \"Gast\": ",
     "pull-suddenly-probably", "\nBei Fragen: IT"),
    ("Deine Zugangsdaten:\n- Windows-Anmeldung: lamaya\n- WLAN \"Gast\": ",
     "sort industry lot world husband", "\nBei Fragen: IT"),
    ("Accès :\n- Wi-Fi « Invités » : ", "imagine_score_issue_mrs_financial", "\n"),
]  # fmt: skip

CHANGED_TO = [  # a verb of change before the label, "to" before the value
    ("- Se acuerda cambiar la contraseña de la cuenta compartida a ", "Summer2022#",
     "\n- Ainara enviará el IBAN."),
    ("Vamos alterar a senha do Wi-Fi para ", "Verao2024!", ", ok?"),
    ("Bitte zmienić hasło do konta na ", "Jesien2023#", " jutro."),
]  # fmt: skip

NEXT_SENTENCE = [  # the value in the sentence after the one naming the password
    ("Ticket CHG5726382 — le mot de passe du compte partagé compta@ ne marche plus. On "
     "utilisait « ", "Autumn2019!", " » jusqu'à vendredi."),
    ("Ticket — le mot de passe du compte partagé ne marche plus. On utilisait « ",
     "aliquiddoloribus", " » jusqu'à vendredi."),
    ("Hallo Support, mein Passwort für das Zeiterfassungssystem ist abgelaufen. Das neue "
     "soll ", "tenía-animales-72", " sein, aber das System sagt nein."),
    ("La contraseña del portal caducó. La nueva es ", "ZeitWeinen678", ", gracias."),
]  # fmt: skip

OF_THE_THING = [  # the label, "of the thing", the value: no "is"
    ("le mot de passe du poste ", "pH+iLeMdKYf9^Hp", " - pense à le changer"),
    ("la password del admin ", "CorruptiRepellat176", " en el .env pero nada"),
    ("das Kennwort des Servers ", "nKe1VV7l+", " liegt im Tresor"),
]  # fmt: skip

RECOVERY_CODES = [  # a recovery code of two groups of four digits
    ("De herstelcode van het beheerdersaccount: ", "1619 5403", ". Groet"),
    ("Il codice di recupero dell'account amministratore è ", "4208 1459", "."),
]  # fmt: skip

THAT_OF = [  # "the password of A is X, that of B Y": the second value
    ("la password del Wi-Fi ospiti è Verano2023!, quella della segreteria telefonica ",
     "25452186", "."),
    ("le mot de passe du wifi est Hiver2023#, celui du NAS ", "4821", "."),
    ("a senha do wifi é Inverno2022! e a do roteador ", "Kx9#pL2m", ", ok?"),
]  # fmt: skip

THAT_OF_NO_VALUE = [  # after "that of", a year or words: only the first value is one
    "la password del Wi-Fi è Verano2023!, quella della sede centrale dal 2024.",
    "la password del Wi-Fi è Verano2023!, quella della segreteria la trovi sul sito.",
]

BRACKET_FIRST = [  # a password that opens with a bracket it does not close
    ("Zugangsdaten für den FTP-Server: Benutzer mayoral, Kennwort ", "(k#ZqZhQ9I6RPX%j",
     " Gruß Tito"),
]  # fmt: skip

TOKEN_AFTER_A_CLAUSE = [  # a clause between a token's label and the colon
    ("Che: je t'ai mis le jeton d'accès ici, tu le supprimes après : ",
     "dcbf4f139e552c66f71f189264782fea", ""),
    ("Blanca: je t'ai mis le jeton d'accès ici, tu le supprimes après : ",
     "E3HgRvdGjAJs3qVda9ICTRLiU8_bBiVC8FdHm7P9oNc", ""),
]  # fmt: skip

QUIET = [
    'Neuigkeiten:\n- WLAN "Gast": seit Montag gestört\n- WLAN "Büro": nur für Mitarbeiter',
    'Infos:\n- Wi-Fi « Invités » : voir l\'accueil\n- WLAN "Gast": guest-net-office',
    "Se acuerda cambiar la contraseña de la cuenta a partir de mañana.",
    "Hay que cambiar la contraseña a 2024-01-01.",
    "Se acuerda enviar la contraseña de la cuenta a Juan2024.",
    'Das Passwort geht nicht. Fehler "ERR_AUTH_401" im Log.',
    'Das Passwort ist abgelaufen. Klicken Sie auf "Zurücksetzen".',
    "Le mot de passe ne marche plus. Le message dit « invalide ».",
    "Das Passwort ist abgelaufen. Das neue ist noch nicht gesetzt.",
    'Das Passwort ist abgelaufen. Siehe "config.yaml" im Repo.',
    'Das Passwort ist abgelaufen. Die neue Version heißt "v2.3.1".',
    "La contraseña caducó. La nueva es la de siempre.",
    "Das Passwort (siehe Anhang) ist neu.",
    "das Passwort vom Benutzer jdoe42 ist abgelaufen",
    "Der Notfallcode gilt von 2024-2025.",
    "le mot de passe de Jean-Marc ne marche plus",
    "le mot de passe du wifi changera en 2025",
    "Kennwort (optional) bitte setzen",
    "le jeton, comme prévu, expire demain : voir la doc",
    "la clé, comme d'habitude : dans le coffre",
    "the password is state-of-the-art hashed",
    "das Passwort ist up-to-date.",
    "la password è same-as-prod, chiedi a Luca",
    "het wachtwoord is do-not-use-it en verder niets",
    "Ana: did you reset the password?\nBob: yes-done-already",
    "Ana: hast du das Passwort zurückgesetzt?\nBob: ja-schon-erledigt",
    "Ana: what's the password policy?\nBob: upper-lower-digits",
    "Ana: wo liegt das Passwort für den Server?\nBob: vault.firma.com",
    "Ana: wo liegt das Passwort für den Server?\nBob: bitwarden",
    "Ana: wie ist das Passwort?\nBob: vergessen",
    "Ana: wie war das Passwort?\nBob: keine Ahnung, frag Jan",
    "A senha foi alterada ontem, mas o sistema não aceita.",
    "La contraseña fue cambiada por el administrador.",
    "Der PAT-Termin ist morgen um 10 Uhr.",
    "o PAT do GitLab foi revogado ontem",
]


@pytest.mark.parametrize(("before", "secret", "after"), THAT_OF)
def test_the_second_value_after_that_of_is_found(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """After "the password of A is X", "that of B" and a value is B's password, found
    exactly beside A's."""
    assert (E.PASSWORD, secret) in spans(secrets_detector, before + secret + after)


@pytest.mark.parametrize("text", THAT_OF_NO_VALUE)
def test_a_year_or_words_after_that_of_are_no_value(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A year or words after "that of" are no second password; the first one stays."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, "Verano2023!")]


@pytest.mark.parametrize(
    ("before", "secret", "after"),
    CHAINS_AFTER_IS
    + ANSWERS_IN_A_CHAT
    + PAST_TENSE
    + NETWORK_NAMED
    + CHANGED_TO
    + NEXT_SENTENCE
    + BRACKET_FIRST
    + OF_THE_THING
    + RECOVERY_CODES,
)
def test_a_password_of_words_told_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is found with its exact span, as a password."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


@pytest.mark.parametrize(("before", "secret", "after"), TOKENS + TOKEN_AFTER_A_CLAUSE)
def test_a_personal_access_token_is_a_generic_secret(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A random token after "PAT" is one generic secret, found exactly."""
    assert spans(secrets_detector, before + secret + after) == [(E.GENERIC_SECRET, secret)]


@pytest.mark.parametrize("text", QUIET)
def test_compounds_answers_and_states_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """An English compound, an answer's or a policy's words, a host, a tool, a state or a
    sentence where a value could stand is no credential."""
    assert spans(secrets_detector, text) == []
