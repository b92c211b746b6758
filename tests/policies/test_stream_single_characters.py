"""Answers streamed a character an event (as some providers stream under load), or a few
characters an event, or cut in two anywhere, reach the caller as the whole answer's
redaction, with no credential in any chunk: one answer per class of the leaks
bench/stream_equivalence.py ``--chunk 1`` found (h204), and lists of logins of any shape."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.inspector import PolicyInspector
from tests.fuzzing import examples
from tests.policies.pattern_detection import default_pack_inspector
from tests.policies.test_holdback_properties import redacted, split, streamed
from tests.policies.test_stream_value_first import assert_never_streamed

#: One answer of each class, and the credentials in it the whole answer masks.
ANSWERS = {
    # A list of logins: the first row is one only once the second has arrived (h204,
    # bench/stream_equivalence --chunk 1: tuning5's readme, tuning8's vendor access).
    "rows of user / password": (
        "Test logins:\nops / Winter2024!\nguest / Summer2023#\nBye.",
        ("Winter2024!", "Summer2023#"),
    ),
    "backquoted rows under a header": (
        "### Test accounts (staging)\n* teacher: `melissa71@example.net` / `Autumn2022!`\n"
        "* student: `jaredsmith@example.org` / `doloresodit`",
        ("Autumn2022!", "doloresodit"),
    ),
    "labelled rows of a shared list": (
        "Marketing shared logins (do not forward):\n- Canva: camilamunoz@example.org / "
        "Autumn2016#\n- Hootsuite: vsilva@example.net / idmaiores\n",
        ("Autumn2016#", "idmaiores"),
    ),
    # A config line whose whole value is words: a passphrase once the line has ended (h204,
    # --chunk 1: tuning4's values.yaml released "clearly " before "one" made it one).
    "words of a config line": (
        "auth:\n  rootPassword: dolor-laboriosam-11\n  replicationPassword: clearly one road"
        " wish\nIs this right?",
        ("dolor-laboriosam-11", "clearly one road wish"),
    ),
    # An OpenVPN credentials file the text names after the block (h204, --chunk 1: tuning3
    # released the block at its closing fence, before "auth-user-pass" had arrived).
    "a block named an auth-user-pass file after it": (
        "creds.txt is:\n```\ncoreyheffernan\nmodiofficia\n```\nand the config has "
        "`auth-user-pass creds.txt`.",
        ("modiofficia",),
    ),
    # Several words quoted as a YAML password (the last session's list). Its OpenVPN and
    # Basic auth answers are CLOSED_AFTER's in test_stream_lookahead_phrases.py, streamed
    # the same ways.
    "several words as a YAML password": (
        'db:\n  password: "correct horse battery staple"\n  host: db1\n',
        ("correct horse battery staple",),
    ),
}

FUZZ = settings(
    max_examples=examples(25),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The default pack with the real secrets detector and Presidio's pattern recognizers."""
    return default_pack_inspector()


def chunks(text: str, size: int) -> list[str]:
    """``text`` in chunks of ``size`` characters."""
    return [text[at : at + size] for at in range(0, len(text), size)]


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_class_streams_as_the_whole_answer_cut_anywhere(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str
) -> None:
    """Cut in two at every position, a character a chunk and a word a chunk, the chunks
    join to the whole answer's redaction, which masks the credentials, and none carries
    one."""
    answer, values = ANSWERS[name]
    assert_never_streamed(inspector, loop, answer, *values)


@pytest.mark.parametrize("size", [2, 3, 5])
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_class_streams_as_the_whole_answer_a_few_characters_a_chunk(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str, size: int
) -> None:
    """In chunks of a few characters, from the start and from every offset below the size,
    the stream is the whole answer's redaction, with no credential in any chunk."""
    answer, values = ANSWERS[name]
    whole = loop.run(redacted(inspector, answer))
    for offset in range(size):
        pieces = [answer[:offset], *chunks(answer[offset:], size)] if offset else []
        sent = loop.run(streamed(inspector, pieces or chunks(answer, size)))
        assert "".join(sent) == whole, (size, offset)
        assert not any(value in piece for piece in sent for value in values), (size, offset)


#: What a list of logins is written under, and how its rows are written ("{}": the user,
#: then the password).
HEADERS = ("Test logins for staging:", "### Shared accounts", "Credentials (do not forward):")
ROWS = ("{} / {}", "* {}: `{}` / `{}`", "- {}: {} / {}", "  `{}` / `{}`")
USERS = ("ops", "guest", "jane.doe@example.org", "svc-backup", "teacher")
PASSWORDS = ("Winter2024!", "Summer2023#", "Xk9#mQ2vL7", "Tg7kQ2mXv9", "0!Si3NOKbc?")
LABELS = ("Canva", "Grafana", "VPN")


@st.composite
def login_lists(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A header, two to four rows of one shape, perhaps a line of prose after them; and the
    passwords in the rows."""
    form = draw(st.sampled_from(ROWS))
    lines, passwords = [draw(st.sampled_from(HEADERS))], []
    for _ in range(draw(st.integers(2, 4))):
        user, password = draw(st.sampled_from(USERS)), draw(st.sampled_from(PASSWORDS))
        fields = (draw(st.sampled_from(LABELS)), user, password)
        lines.append(form.format(*fields[3 - form.count("{}") :]))
        passwords.append(password)
    ending = draw(st.sampled_from(("", "\n", "\nRotate them monthly.")))
    return "\n".join(lines) + ending, passwords


@FUZZ
@given(login_lists(), st.integers(1, 4), st.lists(st.integers(0, 400), max_size=3))
def test_a_list_of_logins_streams_as_the_whole_answer(
    inspector: PolicyInspector,
    loop: asyncio.Runner,
    answer: tuple[str, list[str]],
    size: int,
    cuts: list[int],
) -> None:
    """Any list of logins in chunks of one to four characters, some cut again anywhere,
    reaches the caller as the whole answer's redaction, with no password it masks in any
    chunk."""
    text, passwords = answer
    whole = loop.run(redacted(inspector, text))
    pieces = split(text, [*range(0, len(text), size), *cuts])
    sent = loop.run(streamed(inspector, pieces))
    assert "".join(sent) == whole
    for password in passwords:
        if password not in whole:
            assert not any(password in piece for piece in sent)
