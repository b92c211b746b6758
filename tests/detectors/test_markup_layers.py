"""Credentials under the layers text goes through before it is pasted (diff hunks, quoted
mail, HTML escapes and tags, CDATA, Markdown emphasis, box-drawn tables, wrapped tokens,
XML key/value elements, YAML block scalars) are found over the value as written; the same
layers around no credential stay quiet, and text without markup gets no view."""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.markup import unmarked_view
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector

PW, KEY = E.PASSWORD, E.GENERIC_SECRET
TOKEN_LINE = "9sKIvPdCGLZy8UlTzi0QOAHPM50bMCqzmSQRCcXY41Whffzq69J3VN/9T/ELPDhFh3if7XE3"
WRAPPED = f"uxXtKIevN5zp9sKIvPdCGLZ\n{TOKEN_LINE}\n41x185yclli9A=="


def found(text: str) -> list[tuple[str, str]]:
    """(type, covered text) of what the secrets detector reports through the whole chain."""
    return [
        (f.entity_type, text[f.start : f.end]) for f in scan_all([SecretsDetector()], [text])[0]
    ]


DIFF = "diff --git a/deploy/redis.conf b/deploy/redis.conf\n@@ -210 +210 @@\n"

FOUND = [  # (text before, the value, text after, its type)
    (DIFF + "-requirepass ", "Winter2019", "\n+requirepass ${REDIS_PASSWORD}\n", PW),
    ("```diff\n-requirepass ", "mollitia-nostrum-91", "\n+requirepass ${PW}\n```\n", PW),
    ("> > \n> > requirepass ", "Winter2019", "\n> not yet\n", PW),
    ("<p>Your temporary password is <strong>", "Xk9!mQ2v-7", "</strong> until Friday</p>", PW),
    ("<password><![CDATA[", "TYz!EX2wjt!", "]]></password>", PW),
    ("&lt;password&gt;", "grPaJ$obD7", "&lt;/password&gt;", PW),
    ("_temporary password_: _", "InAlias936", "_ (expires Friday)", PW),
    ("**API key:** **", "051eb2e440f2a10c1aa2a87c5880769bb12f07ae", "**", KEY),
    (
        "+------+-------+--------------+\n| NAS  | login | password     |\n"
        "+------+-------+--------------+\n| NAS  | admin | ",
        "VitaeDistinctio176",
        " |\n+------+-------+--------------+\n",
        PW,
    ),
    (
        "╔═════╦═════╗\n║ account ║ password ║\n╠═════╬═════╣\n║ backup ║ ",
        "wZjfzOja#LAn!",
        " ║\n",
        PW,
    ),
    ("Authorization: Bearer ", WRAPPED, "\n", KEY),
    ("> > api_secret: ", WRAPPED.replace("\n", "\n> > "), "\n> > (expires in 30 days)\n", KEY),
    ('<entry key="smtp.password">', "93orM@yIxb#", "</entry>", PW),
    ('<wsse:Password Type="PasswordText">', "Ofh0IeT!OSy2!", "</wsse:Password>", PW),
    ("&lt;string name=&quot;api_key&quot;&gt;", TOKEN_LINE[:40], "&lt;/string&gt;", KEY),
    ("ansible_ssh_pass: >-\n  ", "Xk9mQ2v7", "\n", PW),
    ("  db_password: |\n    ", "Xk9!mQ2v-7", "\n", PW),
]


@pytest.mark.parametrize(("before", "value", "after", "kind"), FOUND)
def test_a_value_under_markup_is_found_over_the_value_as_written(
    before: str, value: str, after: str, kind: str
) -> None:
    """A password or key under a diff mark, quote marks, an HTML tag or escape, CDATA,
    Markdown emphasis, a box-drawn table or a mail client's line wrap, in an XML element
    keyed or named for a credential, or a YAML block scalar, is one finding over exactly
    the value as the text holds it (a wrapped token with its line breaks)."""
    assert found(before + value + after) == [(kind, value)]


QUIET = [
    DIFF + "-    if len(password) < 8:\n+    if len(password) < 12:\n",
    "> > can you send me the FTP login again?\n> I'll send it over Signal.\n",
    "<p>Your password was changed on <strong>2024-05-01</strong>.</p>",
    "&lt;add key=&quot;StorageKey&quot; value=&quot;${STORAGE_KEY}&quot; /&gt;",
    "Password policy: at least **12** characters, _rotated_ every *90* days",
    "+----------+-----------+\n| Policy   | Password  |\n+----------+-----------+\n"
    "| staff    | required  |\n+----------+-----------+\n",
    '<add key="LogLevel" value="Information" /><setting name="TokenLifetime" value="3600" />',
    "<Contents><Key>exports/2becbf25-7210-4670-a184-14060b36f7f3.csv</Key></Contents>",
    "description: >\n  Rotates every service password on the first Monday of the month\n",
    '<entry key="smtp.password">${SMTP_PASSWORD}</entry>',
    "Here is the logo (base64):\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\n"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\nThanks",
]


@pytest.mark.parametrize("text", QUIET)
def test_markup_around_no_credential_stays_quiet(text: str) -> None:
    """Diff hunks, quoted mail, HTML, Markdown, tables, XML settings and YAML block scalars
    that hold no credential, and a wrapped image, give no finding through the view."""
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "requirepass Winter2019 and the diff has no header",
        "a plain sentence about a password policy",
        "- a list item\n- another item",
    ],
)
def test_text_without_markup_gets_no_view(text: str) -> None:
    """Text without any mark a layer leaves gets no second view (no extra scan)."""
    assert unmarked_view(text) is None


def test_the_view_maps_each_character_back_to_its_escape() -> None:
    """A decoded character reference maps to the whole reference in the original."""
    text = "value=&quot;a&amp;b&quot;"
    view = unmarked_view(text)
    assert view is not None
    assert view.text == 'value="a&b"'
    assert view.span(7, 10) == (12, 19)  # "a&b" is "a&amp;b"
