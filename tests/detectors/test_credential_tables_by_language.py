"""Password tables headed in the writer's own language ("| Serviço | Usuário | Senha |"): the
password column is read from the label words of ``data/credential_labels.txt``; a settings
table's body row that says "Senha" and a cell that names a state ("geändert") head or hold
no password."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.password_tables import open_table
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

PW = E.PASSWORD

HEADED_IN_ANOTHER_LANGUAGE = [  # (text, the passwords of its password column)
    (
        "| Serviço | Usuário | Senha |\n|---|---|---|\n| Roteador | admin | Winter2020 |\n"
        "| NAS | joao.silva | lbdyqh4Y9SknRWg |\n",
        ["Winter2020", "lbdyqh4Y9SknRWg"],
    ),
    (
        "| Dienst | Benutzer | Kennwort |\n|---|---|---|\n| Router | admin | Sommer2024! |\n",
        ["Sommer2024!"],
    ),
    ("Nom,Utilisateur,Mot de passe\nRouteur,admin,Xk9!mQ2v\n", ["Xk9!mQ2v"]),
    ("| Sistema | Contraseña |\n|:--|:--|\n| VPN | `Verano2024!` |\n", ["Verano2024!"]),
    ("Dienst\tWachtwoord\nNAS\tZomer#2024\n", ["Zomer#2024"]),
    ("| Usługa | Hasło |\n| --- | --- |\n| Poczta | odit-rerum-40 |\n", ["odit-rerum-40"]),
]


@pytest.mark.parametrize(("text", "passwords"), HEADED_IN_ANOTHER_LANGUAGE)
def test_a_column_headed_password_in_another_language_is_found_exactly(
    secrets_detector: SecretsDetector, text: str, passwords: list[str]
) -> None:
    """Each cell of a column whose header says "password" in a listed language is a
    PASSWORD finding with the cell's exact span (no quotes, backticks or blanks)."""
    assert spans(secrets_detector, text) == [(PW, pw) for pw in passwords]


QUIET_TABLES = [
    # a settings table: its body rows are no header, whatever their first cell says
    "| Campo | Descrição |\n|---|---|\n| Senha | obrigatória |\n| Usuário | texto |\n",
    "| Field | Description |\n|---|---|\n| Password | required |\n| User | text |\n",
    "| Setting | Value |\n| --- | --- |\n| Kennwort | erforderlich |\n| Benutzer | frei |\n",
    # a column of states and placeholders, not of passwords
    "| Dienst | Benutzer | Kennwort |\n|---|---|---|\n| Router | admin | geändert |\n"
    "| NAS | ana | ******** |\n| VPN | ana | ${VPN_KENNWORT} |\n",
    "| Serviço | Usuário | Senha |\n|---|---|---|\n| Roteador | admin | expirada |\n",
]


@pytest.mark.parametrize("text", QUIET_TABLES)
def test_settings_rows_states_and_placeholders_in_tables_are_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A body row of a two-column table is no header of a password column, and a cell that
    names a state or holds a placeholder is no password."""
    assert spans(secrets_detector, text) == []


def test_open_table_knows_a_header_in_another_language() -> None:
    """While a stream is inside a table headed "Senha", open_table points at its header,
    so a cell many rows below it is still scanned with it."""
    rows = "".join(f"| svc{i:02d} | user{i:02d} | Xk9#mQ{i:02d}!vL |\n" for i in range(12))
    text = "Acessos:\n| Serviço | Usuário | Senha |\n|---|---|---|\n" + rows
    assert open_table(text) == text.index("| Serviço |")
