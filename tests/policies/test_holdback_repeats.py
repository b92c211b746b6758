"""A value the secrets detector finds after its label is also masked where the text prints
it again later with no label (:func:`detectors.printed_secrets.with_repeats`), never at an
earlier place: a stream has released the earlier place before the label arrives, and the
streamed and the whole answer must mask the same.

The counterexample hypothesis found to ``test_holdback_properties`` (h119) when earlier
places were masked too: a card number printed bare, then told as the Wi-Fi password; the
stream masked the first place as ``<CREDIT_CARD>``, the whole answer as ``<PASSWORD>``. A
value no detector finds bare (psql's ``at or near "X"`` above ``PASSWORD X``) reached a
streaming caller in clear while the whole answer masked it. Now both mask the same: the
card as a card; psql's first printing in both, by a rule of its own (h221: the statement on
the next line names the token a password) whose stream holds the line until the statement
has ended (:func:`open_psql_echo`). A prompt is never streamed out: the request side masks
(and blocks on) every printing, the earlier one included (:mod:`detectors.every_printing`).

A failed test's report names its credential up to two lines after the values it shows:
the stream holds the report line until those lines have ended (:func:`open_report`)."""

from __future__ import annotations

import asyncio

import pytest

from detectors.printed_secrets import open_psql_echo, open_report
from policies.engine import PolicyEngine
from policies.inspector import PolicyInspector, evaluate_request
from tests.policies.factories import call_info, chat, policy
from tests.policies.pattern_detection import cached_pack, default_pack_inspector, pattern_scanner
from tests.policies.test_holdback_properties import redacted, streamed
from tests.policies.test_stream_value_first import assert_never_streamed, word_by_word

CARD = "4012888888881881"
#: The card, then the same digits told as a password (hypothesis' example, shrunk by hand).
CARD_THEN_PASSWORD = f'x {CARD}\n"correct horse 9" is the wifi password {CARD} ok'
TOKEN = "kQ3xR8vLm2Tz9WpB4nYc7HdF"
#: psql's report of a failed statement: the value near the error, then the statement.
PSQL = f'syntax error at or near "{TOKEN}"\nLINE 1: CREATE ROLE etl LOGIN PASSWORD {TOKEN};'


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and Presidio's pattern recognizers."""
    return default_pack_inspector()


def test_a_card_told_later_as_a_password_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Streamed word by word, neither place of the card reaches the caller: the earlier one
    is a card without the label."""
    chunks = loop.run(streamed(inspector, word_by_word(CARD_THEN_PASSWORD)))
    assert not any(CARD[:8] in chunk or CARD[-8:] in chunk for chunk in chunks)
    assert "".join(chunks).count("<") == 3  # the card twice, the quoted words once


def test_a_card_told_later_as_a_password_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """The chunks join to the non-streamed redaction (the property test's claim)."""
    whole = loop.run(redacted(inspector, CARD_THEN_PASSWORD))
    chunks = loop.run(streamed(inspector, word_by_word(CARD_THEN_PASSWORD)))
    assert "".join(chunks) == whole


def test_psql_value_streams_as_the_whole_answer_and_its_statement_is_masked(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Streamed word by word, psql's report joins to the whole answer's redaction, which
    masks the value in the statement that names it."""
    whole = loop.run(redacted(inspector, PSQL))
    chunks = loop.run(streamed(inspector, word_by_word(PSQL)))
    assert "".join(chunks) == whole
    assert f"PASSWORD {TOKEN}" not in whole


def test_psql_value_printed_before_its_statement_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Streamed word by word, the value psql printed near the error is in no chunk."""
    chunks = loop.run(streamed(inspector, word_by_word(PSQL)))
    assert not any(TOKEN in chunk for chunk in chunks)


#: The shipped default policy's secrets rule, redacting instead of blocking.
REDACT_SECRETS = policy(
    """
name: redact-secrets
rule_sets:
  - name: main
    rules:
      - id: redact-secrets
        action: redact
        mode: enforce
        match: {entities: [SECRETS]}
"""
)


def test_psql_value_printed_before_its_statement_never_reaches_the_provider(
    loop: asyncio.Runner,
) -> None:
    """The same report sent as a prompt (never streamed out) reaches the provider with
    both printings masked: the request side is read whole."""
    evaluation = loop.run(
        evaluate_request(PolicyEngine(REDACT_SECRETS), call_info(), chat(PSQL), pattern_scanner())
    )
    assert evaluation.body is not None
    sent = evaluation.body["messages"][0]["content"]
    assert TOKEN not in sent
    assert sent.count("<PASSWORD>") == 2


def test_the_default_policy_blocks_the_psql_prompt_on_its_password(loop: asyncio.Runner) -> None:
    """The default policy blocks the report sent as a prompt, on the password at both places
    (the request side's decision rests on every printing)."""
    evaluation = loop.run(
        evaluate_request(PolicyEngine(cached_pack()), call_info(), chat(PSQL), pattern_scanner())
    )
    assert evaluation.decision.blocked
    assert evaluation.decision.blocking_entity_types == ["PASSWORD"]
    found = [(item.finding.start, item.finding.end) for item in evaluation.findings]
    first, last = PSQL.index(TOKEN), PSQL.rindex(TOKEN)
    assert found == [(first, first + len(TOKEN)), (last, last + len(TOKEN))]


#: A failed test's report whose credential is named on a line after its values
#: (:class:`detectors.printed_secrets.ReportedValues` reads two lines after): (answer, value).
REPORTS_NAMED_AFTER = (
    (
        "org.opentest4j.AssertionFailedError: expected: <" + TOKEN + "> but was: <null>\n"
        "\tat com.acme.auth.TokenServiceTest.issuesRefreshToken(T.java:58)",
        TOKEN,
    ),
    ("E       AssertionError: assert '" + TOKEN + "' == 'x'\nthe token was wrong", TOKEN),
)


@pytest.mark.parametrize(("answer", "value"), REPORTS_NAMED_AFTER)
def test_a_reported_value_named_on_a_later_line_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """Cut at every position, the chunks join to the non-streamed redaction, which masks
    the value, and no chunk carries it."""
    assert_never_streamed(inspector, loop, answer, value)


@pytest.mark.parametrize(
    ("released", "text", "held"),
    [
        ("", "expected: <" + TOKEN + "> but was: <null>\n\tat A.b(T.java:5)", 0),
        ("ok\n", "expected: <" + TOKEN + "> but was: <null>\nat\nat\n", None),  # lines ended
        ("E   AssertionError: ", "assert '" + TOKEN + "' =", 0),  # the line began before
        ("intro\n", "E  assert '" + TOKEN + "'", 0),  # its '==' may still come
        ("", "It worked, as expected, and the build is green.\nNext", None),  # no value
    ],
)
def test_open_report_holds_a_report_line_until_the_lines_after_it_end(
    released: str, text: str, held: int | None
) -> None:
    """The shape holds from the report line's start (in ``text``) while its two lines
    after may still name the credential, and nothing in prose without a shown value."""
    assert open_report(text, released) == held


@pytest.mark.parametrize(
    ("released", "text", "held"),
    [
        ("", 'ERROR:  syntax error at or near "' + TOKEN, 0),  # the token being written
        ("ERROR:  syntax error at or near ", '"' + TOKEN + '"\n', 0),  # the mark released
        ("ok\n", 'ERROR:  syntax error at or near "' + TOKEN + '"\nLINE 1: CREA', 0),
        ("", 'x\nERROR:  at or near "' + TOKEN + '"\nLI', 2),  # held from its line
        ("", PSQL + "\n", None),  # the statement has ended
        ("", 'ERROR:  syntax error at or near "' + TOKEN + '"\nHINT: ', None),  # no LINE
        ("", "It ran at or near noon.\nNext", None),  # no quoted token
    ],
)
def test_open_psql_echo_holds_the_token_line_until_the_statement_ends(
    released: str, text: str, held: int | None
) -> None:
    """The shape holds from the line showing ``at or near "X"`` (in ``text``) while the next
    line may still be the statement naming X, and nothing once that line has ended or
    begun as no ``LINE n:``."""
    assert open_psql_echo(text, released) == held
