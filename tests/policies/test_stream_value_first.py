"""Passwords written before their key ("hunter22x is my password", "use X as the password")
and quoted values with blanks are held in a streamed answer until the key has arrived or
been ruled out: split anywhere, the caller gets exactly the non-streamed redaction, and
the password in no chunk; plain prose still flows chunk for chunk."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from detectors.secrets import SecretsDetector
from policies.inspector import PolicyInspector
from policies.line_context import default_long_lines
from policies.loader import shipped_pack
from policies.scanning import DetectorScanner
from policies.value_first import ValueFirstPhrases, default_phrases, value_comes_first
from tests.policies.test_holdback_properties import redacted, streamed

#: Values of several shapes: digits, symbols, mixed case; quoted with blanks inside.
VALUES = ("hunter22x", "Autumn2024!", "Xk9#mQ2!vL", '"correct horse 9"', "'two words 7'")
#: The value-first forms of the detector's prose rules ("{}" is the value).
FORMS = (
    "{} is my password",
    "{} was the old pw",
    "{} is our wifi passphrase",
    "use {} as the new password",
    "try {} as your password",
    "use {} to log in",
)
#: A value followed by its key: every form with every value (a quoted value of three
#: words before the longest form's key: the look-back reaches it too).
PHRASES = tuple(form.format(value) for form in FORMS for value in VALUES)


def secret_of(value: str) -> str:
    """What must not reach the caller: the value without its quotes."""
    return value.strip("\"'`")


@pytest.fixture(scope="module")
def inspector() -> PolicyInspector:
    """The shipped default policy with the real secrets detector (the rules that mask
    passwords in answers; no spaCy model needed)."""
    return PolicyInspector(shipped_pack("default"), DetectorScanner([SecretsDetector()]))


def word_by_word(text: str) -> list[str]:
    """``text`` as an upstream streams it: a word and the blanks before it per chunk, and
    the blanks ending the text (a last line break) as a chunk of their own."""
    return re.findall(r"\s*\S+|\s+\Z", text)


def every_split(text: str) -> Iterator[list[str]]:
    """``text`` cut in two at every position, a character per chunk, and word by word;
    every cutting joins to ``text`` (a word split once dropped its last line break)."""
    for cut in range(1, len(text)):
        yield [text[:cut], text[cut:]]
    yield list(text)
    yield word_by_word(text)


@pytest.mark.parametrize("text", ["Use Xk9#mQ2!vL as the password.\n", "a  b \n\n", "\n", "ab"])
def test_every_cutting_joins_to_the_answer(text: str) -> None:
    """Each cutting the stream tests try, the word by word one included, is the whole
    answer: an answer's last line break is streamed too (a cutting without it compared a
    shorter stream with nothing)."""
    for pieces in every_split(text):
        assert "".join(pieces) == text, pieces


def assert_never_streamed(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, *values: str
) -> None:
    """Cut at every position of ``answer`` (:func:`every_split`), the chunks join to the
    non-streamed redaction, which masks each of ``values``, and no chunk carries any.

    Several values of one answer are checked over one pass of the cuts: streaming an
    answer at every cut is what costs (quadratic in its length), not the checks."""
    whole = loop.run(redacted(inspector, answer))
    assert values
    assert not any(value in whole for value in values)
    for pieces in every_split(answer):
        chunks = loop.run(streamed(inspector, pieces))
        assert "".join(chunks) == whole, pieces
        assert not any(value in chunk for chunk in chunks for value in values), pieces


@pytest.mark.parametrize(
    ("form", "value"),
    [(form, value) for form in FORMS for value in VALUES[1:3]]
    + [(FORMS[0], VALUES[4]), (FORMS[3], VALUES[3])],
)
def test_a_value_first_password_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner, form: str, value: str
) -> None:
    """Cut at every position (and a character, a word per chunk), the chunks join to the
    non-streamed redaction, which masks the password, and no chunk carries it."""
    answer = f"Sure. {form.format(value)}, keep it safe."
    assert_never_streamed(inspector, loop, answer, secret_of(value))


@pytest.mark.parametrize("phrase", PHRASES)
def test_every_sample_phrase_is_masked_whole(
    inspector: PolicyInspector, loop: asyncio.Runner, phrase: str
) -> None:
    """The detector masks each sample (so the streamed tests above are not vacuous)."""
    value = next(v for v in VALUES if v in phrase)
    assert secret_of(value) not in loop.run(redacted(inspector, f"Note: {phrase}."))


#: A Postman export's auth entry: its rule names the key in a group before the value, so
#: the hold-back reads it as value-first.
POSTMAN_ENTRY = '{"key": "token", "value": "q8Zr2LmT5vXw9KpB3nYd", "type": "string"}'


def test_a_postman_auth_entry_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Cut at every position, the chunks join to the non-streamed redaction, which masks
    the token, and no chunk carries it."""
    answer = f"Here is the export: {POSTMAN_ENTRY} - import it."
    token = "q8Zr2LmT5vXw9KpB3nYd"
    assert_never_streamed(inspector, loop, answer, token)


REDIS_REPLY = '1) "requirepass"\n2) "MG7IPwH_xyF_F8D81sB0"'


def test_a_redis_config_reply_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """redis-cli's array reply of a password's name and its value: cut at every position,
    the chunks join to the non-streamed redaction, which masks the value, and no chunk
    carries it."""
    answer = f"$ redis-cli CONFIG GET requirepass\n{REDIS_REPLY}\nThat is the current one."
    assert_never_streamed(inspector, loop, answer, "MG7IPwH_xyF_F8D81sB0")


#: A key told before its name and "is" (found by bench/context_grid.py).
KEY_TOLD_FIRST = "xLyMF4Xp91Ph7PTDxFrh is the API key for staging"


def test_a_key_told_before_its_name_split_anywhere_never_reaches_the_caller(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Cut at every position, the chunks join to the non-streamed redaction, which masks
    the key, and no chunk carries it."""
    answer = f"Sure. {KEY_TOLD_FIRST}, keep it safe."
    assert_never_streamed(inspector, loop, answer, "xLyMF4Xp91Ph7PTDxFrh")


def test_every_value_first_rule_of_the_detector_has_a_sample() -> None:
    """Each rule the hold-back treats as value-first matches one of the samples here: a
    new rule of that kind must come with streamed tests."""
    samples = [*PHRASES, "Was hunter22x the password?", "would Xk9#mQ2!vL be a good pw"]
    # told in another language: streamed in tests/policies/test_stream_labelled_credentials.py
    samples += ["Autumn2024! ist das neue Passwort", "4821 to nowy PIN"]
    # a word before its label: streamed in tests/policies/test_stream_closed_words.py
    samples += ["laboreunde es la contraseña nueva del wifi"]
    # a named key before the value (Postman's auth entry): streamed in the test below
    samples += [POSTMAN_ENTRY]
    # redis-cli's array reply (a name, then its value): streamed in the test above
    samples += [REDIS_REPLY]
    # a key told first: streamed in the test above
    samples += [KEY_TOLD_FIRST]
    # a lookahead after the value: streamed in tests/policies/test_stream_lookahead_phrases.py
    samples += ["$key = ConvertTo-SecureString 'Kd8#wq2Lm' -AsPlainText -Force"]
    samples += ["$pw = ConvertTo-SecureString 'Kd8#wq2Lm' -AsPlainText -Force"]
    samples += ["net use Z: \\\\fs01\\finance Kd8#wq2Lm /user:CORP\\jdoe"]
    # a password piped to a registry login: streamed in test_stream_lookahead_phrases.py
    samples += ["echo 'Kd8#wq2Lm' | docker login -u ci --password-stdin registry.example.org"]
    # an app password's groups after its words: streamed in test_stream_look_after.py
    samples += ["with the app password fzut ctvk qytk uayy on smtp.gmail.com"]
    for rule in default_phrases().rules:
        assert any(list(rule.pattern.finditer(sample)) for sample in samples), rule


QUOTED_AFTER_KEY = (
    ('my password is "correct horse battery 9" for now', "correct horse battery 9"),
    ("Run keytool -storepass 'correct horse battery 9' -v", "correct horse battery 9"),
    ('the api token is "abcd efgh ijkl mnop 1234" here', "abcd efgh ijkl mnop 1234"),
    ('login admin / "correct horse battery 9" ok', "correct horse battery 9"),
)


@pytest.mark.parametrize(("answer", "value"), QUOTED_AFTER_KEY)
def test_a_quoted_value_with_blanks_after_its_key_is_held_whole(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, value: str
) -> None:
    """A quoted value with blanks is held from its opening quote until it closes: cut
    anywhere, its first words are not released before the detector sees it whole."""
    whole = loop.run(redacted(inspector, answer))
    assert value not in whole
    first_word = value.split(maxsplit=1)[0]
    for pieces in every_split(answer):
        chunks = loop.run(streamed(inspector, pieces))
        assert "".join(chunks) == whole, pieces
        assert not any(chunk.endswith(first_word) for chunk in chunks), pieces


PROSE = (
    "Sure! The service is built with FastAPI and it was deployed last week. If the token "
    "is valid, the request is passed on; otherwise you will see a 401. You could use Redis "
    "with a short TTL, which would help. Try it, set the pool to twenty, and use docker "
    'compose to run it. The old version was slower. He said "ship it" and left.'
)


def test_prose_with_lead_words_flows_chunk_for_chunk(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """Prose full of the words that start value-first phrases ("is", "was", "use", "with")
    is released a word per upstream word: nothing in it is held beyond its last word
    (except the two words of a short quotation)."""
    pieces = word_by_word(PROSE)
    chunks = loop.run(streamed(inspector, pieces))
    assert "".join(chunks) == PROSE
    assert len(chunks) >= len(pieces) - 1


# The shape on its own.


@pytest.fixture(scope="module")
def phrases() -> ValueFirstPhrases:
    """The value-first phrases of the default secrets detector."""
    return default_phrases()


@pytest.mark.parametrize(
    ("released", "text", "held"),
    [
        ("", "hunter22x is my", 0),  # the key may follow
        ("Sure. ", "hunter22x was the old wi", 0),
        ("", "hunter22x is the name of my cat", None),  # ruled out
        ("", "The cat is my", None),  # no password, whatever follows
        ("Please use ", "Xk9#mQ2!vL as the", 0),  # the lead word was released
        ("Please use ", "Xk9#mQ2!vL", None),  # still being written: the open token's
        ("Please ", "with the best", None),
        ("", "Autumn2024! is", 0),
        ("it is fine. ", "Autumn2024! is", 0),
    ],
)
def test_where_a_phrase_is_held_from(
    phrases: ValueFirstPhrases, released: str, text: str, held: int | None
) -> None:
    """The phrase is held from its value while what follows may be its key, not longer."""
    assert phrases(text, released) == held


def test_only_rules_whose_key_may_follow_their_value_are_phrases() -> None:
    """Rules that end with their value (a closing quote at most) are left to the other
    shapes; the value-first ones are found from the patterns themselves."""
    assert value_comes_first(re.compile(r"(?P<bare>\S+) is my (?:password|pw)\b"))
    assert value_comes_first(re.compile(r"use (?P<bare>\S+) as the password"))
    assert not value_comes_first(re.compile(r"password is (?:\"(?P<dq>[^\"]+)\"|(?P<bare>\S+))"))
    assert not value_comes_first(re.compile(r"token: (?P<value>\w+)(?![\w-])"))


# Command lines whose password comes far after the command.

OPTIONS = " ".join(f"--option-{i}=value{i}" for i in range(16))
LONG_COMMANDS = (
    (f"Run mysql -h db {OPTIONS} -u root -pS3cretPw99 -e 'select 1' now.", "S3cretPw99"),
    (f"Run curl -X POST https://api.example.com/v1 {OPTIONS} -u admin:S3cretPw99 ok", "S3cretPw99"),
)


@pytest.mark.parametrize(("answer", "secret"), LONG_COMMANDS)
def test_a_password_far_after_its_command_on_one_line_is_masked(
    inspector: PolicyInspector, loop: asyncio.Runner, answer: str, secret: str
) -> None:
    """A command with more than the usual context's characters of options before its
    password: cut anywhere, the chunks join to the redaction and never carry it."""
    assert answer.index(secret) > 300
    whole = loop.run(redacted(inspector, answer))
    assert secret not in whole
    for cut in range(250, len(answer), 3):
        chunks = loop.run(streamed(inspector, [answer[:cut], answer[cut:]]))
        assert "".join(chunks) == whole, cut
    chunks = loop.run(streamed(inspector, word_by_word(answer)))
    assert "".join(chunks) == whole


def test_only_commands_without_a_bound_keep_their_line() -> None:
    """The commands whose line is kept are those of rules that may read any number of
    characters before their value; the line is kept from the command on."""
    lines = default_long_lines()
    assert {"mysql", "curl"} <= lines.triggers
    assert "password" not in lines.triggers
    released = "intro\nmysql " + "-x " * 100 + "-u root "
    assert lines(released) == len("intro\n")
    assert lines("intro\nplain " + "words " * 60) is None
    assert lines("mysql -u root -p") is None  # short: the usual context holds it


def test_a_password_cell_far_below_its_header_is_masked(
    inspector: PolicyInspector, loop: asyncio.Runner
) -> None:
    """A password column's cell twelve rows below its header is masked when the table is
    streamed row by row, as in the whole answer."""
    rows = "".join(f"| user{i:02d} | Xk9#mQ{i:02d}!vL |\n" for i in range(12))
    answer = f"| user | password |\n|---|---|\n{rows}| zed | Zq8$wE4@tY |\n"
    whole = loop.run(redacted(inspector, answer))
    assert "Zq8$wE4@tY" not in whole
    chunks = loop.run(streamed(inspector, answer.splitlines(keepends=True)))
    assert "".join(chunks) == whole
