"""A password whose rule must see words after it that its match does not take (PowerShell's
``ConvertTo-SecureString "X" -AsPlainText``, ``net use \\\\host\\share X /user:NAME``; found by
bench/stream_equivalence on tuning4 and tuning5, h135): a stream released the value when the
next word began, before those words had made it a finding. Cut anywhere, the caller now gets
exactly the whole answer's redaction and the value in no chunk."""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detectors.secret_rule import AnchoredPattern, SecretRule
from detectors.secrets import SecretsDetector
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from policies.value_first import _VALUE_GROUPS, default_phrases, default_rules, value_margins
from tests.fuzzing import examples
from tests.policies.test_holdback_properties import redacted, split, streamed
from tests.policies.test_stream_look_after import _finds
from tests.policies.test_stream_value_first import assert_never_streamed, every_split

ANSWERS = [
    (
        '$secure = ConvertTo-SecureString "eligendi-cum-86" -AsPlainText -Force\n'
        "$cred = New-Object PSCredential('CORP\\svc_backup', $secure)",
        "eligendi-cum-86",
    ),
    (
        "    $password = ConvertTo-SecureString 'RZ&3HCSDv?' -AsPlainText -Force\n"
        "    New-LocalUser -Name $user -Password $password",
        "RZ&3HCSDv?",
    ),
    (
        'Then run ConvertTo-SecureString -String "two words 7" -AsPlainText -Force, done.',
        "two words 7",
    ),
    (
        "$apiKey = ConvertTo-SecureString 'q8Zr2LmT5vXw9KpB3nYd' -AsPlainText",
        "q8Zr2LmT5vXw9KpB3nYd",
    ),
    ("Map it with: net use Z: \\\\fs01\\finance Kd8#wq2Lm /user:CORP\\jdoe", "Kd8#wq2Lm"),
    # a password piped to a command that reads it (h140): held as the registry login's
    # value-first phrase, which holds sudo's too (h135 found it leaking: now streamed here)
    ("Run: echo 'Xk9#mQ2!vL' | docker login -u ci --password-stdin reg.io", "Xk9#mQ2!vL"),
    ("Run: echo 'Xk9#mQ2!vL' | sudo -S apt update", "Xk9#mQ2!vL"),
    ("$ echo -n 'jdoe:Spring2023#' | base64\namRvZTpTcHJpbmcyMDIzIw==", "Spring2023#"),
]


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector."""
    return PolicyInspector(shipped_pack("default"), DetectorScanner([SecretsDetector()]))


@pytest.mark.parametrize(("answer", "value"), ANSWERS)
def test_a_secure_string_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (and a character, a word per chunk), the chunks join to the
    whole answer's redaction, which masks the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


def test_a_secure_string_without_as_plain_text_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A string read as a secure string ("-Key $k"), no password in clear: the whole answer
    masks nothing and the stream, a character per chunk, is the same text."""
    answer = 'ConvertTo-SecureString "76492d1116743f0423413b16050a5345" -Key $key\nok'
    assert loop.run(redacted(inspector, answer)) == answer
    assert "".join(loop.run(streamed(inspector, list(answer)))) == answer


def test_a_lookahead_after_the_value_counts_as_read_after_it() -> None:
    """A rule whose value ends its match but a lookahead must see ' -AsPlainText' reads on
    after the value (so it is held as value-first); without lookaheads it does not."""
    pattern = re.compile(r"(?i:convertto-securestring)[ \t]+\"(?P<value>[^\"]+)\"(?=[ \t]+-as)")
    assert value_margins(pattern).after == 1 + len(" -as")
    assert value_margins(pattern, lookaheads=False).after == 1


def test_the_secure_string_rules_are_value_first_phrases() -> None:
    """Both ConvertTo-SecureString rules (a password, a key) are held back as phrases, and
    no plain rule whose match takes words after its value is (those go by other shapes)."""
    plain = [r for r in default_phrases().rules if not isinstance(r.pattern, AnchoredPattern)]
    secure = [r for r in default_rules() if "securestring" in str(r.pattern).lower()]
    assert secure
    assert all(r in plain for r in secure)
    for rule in plain:
        if isinstance(rule.pattern, re.Pattern):
            assert value_margins(rule.pattern, lookaheads=False).after < 2


#: Plain rules that take text after their value into the match, by the class of what
#: closes it (``policies.holdback_closers``): a value of several words went out word by
#: word before its closer had made it a finding (h135's xfail, h185).
TAKEN_AFTER = [
    # an element named for a password, plain or with a namespace (the closing tag)
    ("Config:\n<password>correct horse battery</password>\ndone", "correct horse"),
    ("<db:adminPassword>Xk9#mQ2 vL7p!</db:adminPassword>", "Xk9#mQ2 vL7p!"),
    # an element whose attribute names it (Android resources, .NET settings)
    ('<string name="db_password">correct horse battery</string>\n</resources>', "correct horse"),
    ('Set it:\n<entry name="api_token">Qx7 mTz9 Lp2w Vb8k</entry>\nok', "Qx7 mTz9"),
    # an escaped quote (JSON inside a string, a log's escaped body)
    ('body: {\\"password\\": \\"correct horse battery\\"} sent', "correct horse"),
    # a triple quote
    ('password = """correct horse battery"""\nprint(password)', "correct horse"),
    ("DB_PASSWORD = '''two words here'''", "two words"),
]


@pytest.mark.parametrize(("answer", "value"), TAKEN_AFTER)
def test_a_value_closed_by_words_its_rule_takes_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the whole answer's redaction, which masks
    the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


@settings(
    max_examples=examples(10),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_closed_value_cut_anywhere_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, data: st.DataObject
) -> None:
    """An answer of prose around one such value, cut anywhere into any number of chunks:
    the chunks join to the whole answer's redaction and none carries the value."""
    answer, value = data.draw(st.sampled_from(TAKEN_AFTER))
    before = data.draw(st.sampled_from(["", "Here you go:\n", "Use this line. "]))
    after = data.draw(st.sampled_from(["", "\nThat is all.", " and restart it."]))
    text = before + answer + after
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    whole = loop.run(redacted(inspector, text))
    chunks = loop.run(streamed(inspector, split(text, cuts)))
    assert "".join(chunks) == whole
    assert not any(value in chunk for chunk in chunks)
    assert not any(word in "".join(chunks) for word in value.split() if word not in whole)


def test_an_element_naming_no_credential_streams_as_it_is_written(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Markup around prose holds nothing back for the closing tag: the first words of a
    paragraph go out before it ends."""
    pieces = ["<p>The quick brown fox ", "jumps over the lazy dog.</p>"]
    chunks = loop.run(streamed(inspector, pieces))
    assert chunks[0].startswith("<p>The quick brown")


#: An answer for every plain rule of the secrets detector whose match goes on after its
#: value (:func:`taken_after_value`), by what closes the value: each is streamed cut
#: everywhere below, and a new such rule must find its value in one of them. The closers
#: glued to the value (``@host``, a quote then ``,)]``, an escaped quote) are held with it
#: as one token; a closer after blanks or a line break needs a shape of its own
#: (``policies.holdback_closers``: the call's next argument and the fence, h188).
CLOSED_AFTER = [
    # URL userinfo: the "@" and the host after the password
    ("Use postgres://app:Xk9mQ2vLp7@db.internal:5432/orders to connect.", "Xk9mQ2vLp7"),
    (
        "git clone https://oauth2:glpat-q8Zr2LmT5vXw9KpB3nYd@gitlab.com/x/y.git\n",
        "glpat-q8Zr2LmT5vXw9KpB3nYd",
    ),
    ('dsn := "app:Xk9mQ2vLp7@tcp(db:3306)/orders"', "Xk9mQ2vLp7"),
    # key=value entries whose value an escaped quote closes, one per key rule
    ('log: {\\"db_password\\": \\"Xk9#mQ2vL7p!\\"} sent', "Xk9#mQ2vL7p!"),
    ('log: {\\"client_secret\\": \\"q8Zr2LmT5vXw9KpB3nYd\\"} sent', "q8Zr2LmT5vXw9KpB3nYd"),
    ('log: {\\"api_key\\": \\"q8Zr2LmT5vXw9KpB3nYd\\"} sent\n', "q8Zr2LmT5vXw9KpB3nYd"),
    ('log: {\\"storage_account_key\\": \\"q8Zr2LmT5vXw9KpB3nYd\\"}', "q8Zr2LmT5vXw9KpB3nYd"),
    ('env: {\\"SESSION_COOKIE\\": \\"q8Zr2LmT5vXw9KpB3nYd\\"} sent', "q8Zr2LmT5vXw9KpB3nYd"),
    ('env: {\\"WIFI_PSK\\": \\"Xk9#mQ2vL7p!\\"} sent', "Xk9#mQ2vL7p!"),
    ('log: {\\"basic_auth\\": \\"q8Zr2LmT5vXw9KpB3nYd\\"} sent', "q8Zr2LmT5vXw9KpB3nYd"),
    # a pair or a call's argument closed by a quote, then a comma or a bracket
    (
        'client = Client("AC1234567890abcdef1234567890abcd", "q8Zr2LmT5vXw9KpB3nYd")',
        "q8Zr2LmT5vXw9KpB3nYd",
    ),
    ('headers.set("api_key", "q8Zr2LmT5vXw9KpB3nYd" )\n', "q8Zr2LmT5vXw9KpB3nYd"),
    ('conf.put("password", "Xk9#mQ2 vL7p!");', "Xk9#mQ2 vL7p!"),
    ('params = ["api_key", "q8Zr2LmT5vXw9KpB3nYd"]', "q8Zr2LmT5vXw9KpB3nYd"),
    ('pair = ["password", "Xk9#mQ2 vL7p!"]', "Xk9#mQ2 vL7p!"),
    ('{"auth": ["admin", "Xk9#mQ2 vL7p!"]}', "Xk9#mQ2 vL7p!"),
    ('Old password (now: "Xk9#mQ2vL7p!") expired.', "Xk9#mQ2vL7p!"),
    ("SET PASSWORD = PASSWORD( 'Xk9#mQ2 vL7p!' );", "Xk9#mQ2 vL7p!"),
    ('user.setPassword("jdoe", "Xk9#mQ2 vL7p!");', "Xk9#mQ2 vL7p!"),
    ("CREATE USER app IDENTIFIED BY 'Xk9#mQ2 vL7p!';\n", "Xk9#mQ2 vL7p!"),
    # the call's next argument, after a blank: an API key as Basic auth's user (h188)
    (
        'r = requests.get(url, auth=HTTPBasicAuth("q8Zr2LmT5vXw9KpB3nYd", ""))\n',
        "q8Zr2LmT5vXw9KpB3nYd",
    ),
    ("r = requests.get(url, auth=('q8Zr2LmT5vXw9KpB3nYd' , ''))", "q8Zr2LmT5vXw9KpB3nYd"),
    # elements and plist entries (the closing tag)
    ("<apiKey>q8Zr2LmT5vXw9KpB3nYd</apiKey>", "q8Zr2LmT5vXw9KpB3nYd"),
    ('<string name="db_password">Xk9#mQ2vL7p!</string>', "Xk9#mQ2vL7p!"),
    ('<string name="api_secret">q8Zr2LmT5vXw9KpB3nYd</string>', "q8Zr2LmT5vXw9KpB3nYd"),
    ("<key>DBPassword</key>\n<string>Xk9#mQ2vL7p!</string>", "Xk9#mQ2vL7p!"),
    ("<key>apiKey</key>\n<string>q8Zr2LmT5vXw9KpB3nYd</string>\n", "q8Zr2LmT5vXw9KpB3nYd"),
    ("<db:adminPassword>Xk9#mQ2 vL7p!</db:adminPassword>", "Xk9#mQ2 vL7p!"),
    # triple quotes
    ('password = """Xk9#mQ2 vL7p!"""', "Xk9#mQ2 vL7p!"),
    ("API_SECRET_KEY = '''q8Zr2 LmT5vX w9KpB3nYd'''", "q8Zr2 LmT5vX w9KpB3nYd"),
    # a pipe to the command that reads it
    ("echo 'deploy:Xk9#mQ2!vL' | sudo chpasswd\n", "Xk9#mQ2!vL"),
    # logfmt: a bearer= value is one on a line of three pairs or more, pairs after it too
    # (bench/stream_equivalence, tuning7's app logs, h196)
    (
        "16:40:01 WARNING tweepy: Rate limited; bearer=u3NYnVeZITHV5t9jDesrGFn4 remaining=0 "
        "reset=1365076912\nRetrying.",
        "u3NYnVeZITHV5t9jDesrGFn4",
    ),
    ("level=warn key=q8Zr2LmT5vXw9KpB3nYd retry=3", "q8Zr2LmT5vXw9KpB3nYd"),
    # a block's closing fence on the next line: an OpenVPN auth-user-pass file (h188)
    ("Save it for auth-user-pass:\n```\nvpnuser\nXk9#mQ2vL7\n```\nthen restart.", "Xk9#mQ2vL7"),
    ("For auth-user-pass:\n```text\n  vpnuser\n  Xk9#mQ2vL7  \n  ```", "Xk9#mQ2vL7"),
    # the next row of a list of logins, which makes the first row one (h204)
    ("Test logins:\n* ops: `ops` / `Xk9#mQ2vL7`\n* qa: `qa` / `Tg7kQ2mXv9`\n", "Xk9#mQ2vL7"),
    # a config line whose whole value is words, read to the line's end (h204)
    ("auth:\n  replicationPassword: clearly one road wish\nok", "clearly one road wish"),
    # psql's report: the token it stopped at, above the statement naming it a password (h221)
    (
        'ERROR:  syntax error at or near "Xk9mQ2vLp7"\n'
        "LINE 1: ALTER USER app WITH PASSWORD Xk9mQ2vLp7;\n"
        "                                     ^\nHINT: quote it",
        "Xk9mQ2vLp7",
    ),
    # a credential read out on a call, one character a word: the first word that is no
    # spelled character ends the run (h222)
    ("the pin for the side door is four seven oh one and then you push", "four seven oh one"),
    (
        "caller: the password is on a sticker its capital s u m m e r 2 0 2 4 hash\nagent: ok",
        "capital s u m m e r 2 0 2 4 hash",
    ),
    (
        "agent: can you spell the password\ncaller: yes big k 7 double m at sign q then bye",
        "big k 7 double m at sign q",
    ),
]


def taken_after_value(rule: SecretRule) -> bool:
    """Whether ``rule``'s match must read more than a closing quote after its value (its
    value groups; lookaheads off: those are the value-first shape's)."""
    pattern = rule.pattern
    plain = pattern if isinstance(pattern, re.Pattern) else getattr(pattern, "pattern", None)
    if not isinstance(plain, re.Pattern):
        return False  # a parser (tables, SQL, reports): it reads whole lines
    return value_margins(plain, _VALUE_GROUPS, lookaheads=False).after >= 2


def test_every_rule_that_takes_text_after_its_value_is_streamed() -> None:
    """Each rule of the secrets detector whose match goes on after its value, other than
    the value-first phrases (tried in test_stream_value_first.py and
    test_stream_look_after.py), finds its value in one of the answers streamed here: a new
    such rule brings an answer (and, if its closer is a token of its own, a shape)."""
    phrases = default_phrases()
    held = {id(r) for r in (*phrases.rules, *phrases.closing_rules, *phrases.lookahead_rules)}
    answers = [*CLOSED_AFTER, *ANSWERS]
    census = [rule for rule in default_rules() if taken_after_value(rule)]
    assert len(census) >= 40
    for rule in census:
        if id(rule) not in held:
            assert any(_finds(rule, text, value) for text, value in answers), rule.triggers


@pytest.mark.parametrize(("answer", "value"), CLOSED_AFTER)
def test_a_value_its_rule_closes_after_it_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position (and a character, a word per chunk), the chunks join to the
    whole answer's redaction, which masks the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


def test_a_size_after_a_key_is_no_password_in_a_stream(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """kubectl describe's "DB_PASSWORD:  41801 bytes" is a size: the whole answer masks
    nothing, and cut anywhere the stream masks nothing either (it masked the number when
    " b" had arrived and "bytes" not yet: bench/stream_equivalence, tuning7, h196)."""
    answer = "Data\n====\nDB_PASSWORD:  41801 bytes\nSTRIPE_KEY:   73 bytes\n"
    assert loop.run(redacted(inspector, answer)) == answer
    for pieces in every_split(answer):
        assert "".join(loop.run(streamed(inspector, pieces))) == answer, pieces
