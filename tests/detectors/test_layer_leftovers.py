"""Credentials left over under tuning9's layers (issue 14, h140), each rule with what it
finds over exactly the value, and the look-alikes it leaves quiet: a value a registry login
or a Basic header's encoding reads from ``echo``, PgBouncer's ``"user" "password"`` lines,
an OAuth authorization code on its way back, a Telegram bot token in its URL, Azure's
storage keys, a header value as a JSON list's
item, a PIN in backticks, capitalised words run together as a password told in another
language, and the layers of HTML paragraphs and cells, a word processor's
curly quotes and a value wrapped to the line after its key. Anti-forgery tokens and docs'
counting example keys stay quiet."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector

PW, KEY = E.PASSWORD, E.GENERIC_SECRET
B64_LINE = "v9P3SP6/+BuUVG8Vpr0OkQvQv+D11JoZ3MAnRvkDPfQzEe3Gj95km+LJ"
B64_FULL = "RYTwuaKrX534bX9S2wrZpkDRhKEnQUaz8lhInt4I365JIHumtC883I+cmpd/sZDbJkeSlCu"


def found(text: str) -> list[tuple[str, str]]:
    """(type, covered text) of what the secrets detector reports through the whole chain
    (the text, its normalised, decoded and unmarked views)."""
    return [
        (f.entity_type, text[f.start : f.end]) for f in scan_all([SecretsDetector()], [text])[0]
    ]


FOUND = [  # (text, the findings over exactly their values)
    (
        'echo "Autumn2020!" | docker login -u ci --password-stdin registry.example.org',
        [(PW, "Autumn2020!")],
    ),
    (
        "echo -n 'Xk9mQ2v7' | helm registry login -u bot --password-stdin ghcr.io",
        [(PW, "Xk9mQ2v7")],
    ),
    ("$ echo -n 'jdoe:Spring2023#' | base64", [(PW, "Spring2023#")]),
    (
        "$ echo -n 'jdoe:Spring2023#' | base64\namRvZTpTcHJpbmcyMDIzIw==",
        [(PW, "Spring2023#"), (PW, "amRvZTpTcHJpbmcyMDIzIw==")],
    ),
    (
        'auth_file = /etc/pgbouncer/userlist.txt\n"app" "UfpF9b9qRufdpV"\n'
        '"report" "md5004f8463aea71387cb94ad6614334278"',
        [(PW, "UfpF9b9qRufdpV"), (PW, "md5004f8463aea71387cb94ad6614334278")],
    ),
    (
        "https://app.example.com/callback?code=XHvpJ9PymO2MdhWW-wdgXJjMVJm&state=73ae4c548f2e",
        [(KEY, "XHvpJ9PymO2MdhWW-wdgXJjMVJm")],
    ),
    (
        "https://example.org/done?state=abc123&code=Pg9Uoj8iES7F215RfWpq5w",
        [(KEY, "Pg9Uoj8iES7F215RfWpq5w")],
    ),
    (
        "curl https://api.telegram.org/bot66577:76FhKd_Poa1_nC2rd7BaOswWDmxr453F3ZE/getMe",
        [(KEY, "66577:76FhKd_Poa1_nC2rd7BaOswWDmxr453F3ZE")],
    ),
    (
        '<add key="StorageKey" value="GwAcnc7qao4/btBFnwxRJFqM66ee3KIwLMTup5J/MkM=" />',
        [(KEY, "GwAcnc7qao4/btBFnwxRJFqM66ee3KIwLMTup5J/MkM=")],
    ),
    ("AZURE_STORAGE_KEY=JlCJPdLieY2uXzYbthM4tw9q", [(KEY, "JlCJPdLieY2uXzYbthM4tw9q")]),
    (
        'headers="{\\"x-api-key\\":[\\"a7f604ac44f72da3202102ad32c1b8c3\\"]}"',
        [(KEY, "a7f604ac44f72da3202102ad32c1b8c3")],
    ),
    (
        '{"X-Api-Key": ["a7f604ac44f72da3202102ad32c1b8c3"]}',
        [(KEY, "a7f604ac44f72da3202102ad32c1b8c3")],
    ),
    ("* Printer admin PIN: `8575`", [(PW, "8575")]),
    (
        "> Das WLAN-Passwort lautet SystemWhetherHopeApproach",
        [(PW, "SystemWhetherHopeApproach")],
    ),
    (
        "<p>Login for the supplier portal: jdoe@example.net / quofacilis</p>",
        [(PW, "quofacilis")],
    ),
    (
        "<tr><td>API key</td><td><code>3ad45bc680ff11726329dde4b83f7bd6</code></td></tr>",
        [(KEY, "3ad45bc680ff11726329dde4b83f7bd6")],
    ),
    (
        "The API key for the integration is \u2018p88skguWDuF-O1P4N8F3YbEoHJWb-E-_e7Gls\u2019.",
        [(KEY, "p88skguWDuF-O1P4N8F3YbEoHJWb-E-_e7Gls")],
    ),
    (f"client_secret =\n{B64_LINE}", [(KEY, B64_LINE)]),
    (f"client_secret =\n{B64_LINE}\n/{B64_FULL}", [(KEY, f"{B64_LINE}\n/{B64_FULL}")]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_the_value_is_found_over_exactly_its_characters(
    text: str, expected: list[tuple[str, str]]
) -> None:
    """Each layer's or format's credential is reported, spanning exactly the value."""
    assert found(text) == expected


QUIET = [
    'echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry.example.org',
    "cat ~/.registry-token | docker login -u ci --password-stdin registry.example.org",
    "$ echo -n 'hello world' | base64\naGVsbG8gd29ybGQ=",
    "$ echo -n 'https://example.com' | base64\naHR0cHM6Ly9leGFtcGxlLmNvbQ==",
    '"app" "UfpF9b9qRufdpV"',  # no auth_file: two strings of anything
    'userlist.txt:\n"app" "${APP_PASSWORD}"',
    "https://shop.example.com/checkout?code=SUMMERSALE2024XYZW",
    "GET /status?code=200&reason=ok",
    "https://api.telegram.org/bot<token>/sendMessage",
    'storageKey: "uploads/avatars"',
    '{"accept": ["*/*"], "x-api-key": ["<redacted>"]}',
    "Error code: `4031`",
    "Das Passwort lautet ReadFromEnv",
    "Das Passwort ist SeeVaultEntry",
    "<p>The API key is in the team vault.</p>",
    "<tr><td>API key</td><td>ask the platform team</td></tr>",
    "\u201cSet the API key in the settings page,\u201d she wrote.",
    "timeout =\n30",
    "email=jane%40example.com&csrf_token=d9267a76f9a1899cd5be3818d66b2735",
    '<input type="hidden" name="authenticity_token" value="BCGmICdZkNJ56OOi9fQx3w">',
    "export API_KEY=0123456789abcdef0123456789abcdef  # the docs' example key",
]


@pytest.mark.parametrize("text", QUIET)
def test_the_look_alike_stays_quiet(text: str) -> None:
    """Variables, files, URLs, codes and nonces that only look like those credentials are no
    finding."""
    assert found(text) == []


def test_a_real_token_beside_an_anti_forgery_token_is_still_found() -> None:
    """Only the anti-forgery token is left out: a form's access token is reported."""
    text = "csrf_token=d9267a76f9a1899cd5be3818d66b2735&access_token=f761f8f99c24ebf3e0449fbdd6"
    assert found(text) == [(KEY, "f761f8f99c24ebf3e0449fbdd6")]


def test_a_key_that_does_not_count_is_still_found() -> None:
    """A hex key is reported; only one counting through the digits and letters is not."""
    assert found("export API_KEY=9f86d081884c7d659a2feaa0c55ad015") == [
        (KEY, "9f86d081884c7d659a2feaa0c55ad015")
    ]
