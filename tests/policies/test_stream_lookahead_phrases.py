"""A password whose rule must see words after it that its match does not take (PowerShell's
``ConvertTo-SecureString "X" -AsPlainText``, ``net use \\\\host\\share X /user:NAME``; found by
bench/stream_equivalence on tuning4 and tuning5, h135): a stream released the value when the
next word began, before those words had made it a finding. Cut anywhere, the caller now gets
exactly the whole answer's redaction and the value in no chunk."""

from __future__ import annotations

import asyncio
import re

import pytest

from detectors.secret_rule import AnchoredPattern
from detectors.secrets import SecretsDetector
from policies.inspector import PolicyInspector
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from policies.value_first import default_phrases, default_rules, value_margins
from tests.policies.test_holdback_properties import redacted, streamed
from tests.policies.test_stream_value_first import assert_never_streamed

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


#: Plain rules that take words after their value into the match (not held as value-first:
#: ``_value_first_pattern`` leaves them to the unfinished token and the open quote).
TAKEN_AFTER = [
    ("Config:\n<password>correct horse battery</password>\ndone", "correct horse"),
]


@pytest.mark.xfail(
    strict=True,
    reason="h135: a plain rule whose match takes words after its value (an XML password "
    "element with blanks in it) is no value-first phrase: the stream "
    "releases the value (or its first words) before the closing words arrive. Holding all "
    "such rules (35 more phrases, a look-back of 4,690 characters for the cookie rule) "
    "needs its own cost check",
)
@pytest.mark.parametrize(("answer", "value"), TAKEN_AFTER)
def test_a_value_closed_by_words_its_rule_takes_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the whole answer's redaction, which masks
    the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)
