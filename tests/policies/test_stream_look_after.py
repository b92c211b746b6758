"""A detector rule that reads text *after* a value (a card word after a card number, a key id
after an AWS secret, ``kind: Secret`` after a manifest's ``data:``) has a stream hold the value
until that text has arrived: cut anywhere, the caller gets exactly the whole answer's
redaction, and the value in no chunk. Three leaks of session 14 were such rules without a
hold-back shape; h180 found two more here (an odd-length card under a table's header whose
row went on past the card word window; a Secret's data printed before its ``kind:``).

Each rule declares how far it reads, as a ``*_AFTER_CHARS`` constant of its detector module
(or, for a rule that reads the rest of a line, here as :data:`LINE`). :data:`RULES` pairs
every declared constant with answers that put the triggering text at any distance within it
(checked to be every such constant in ``detectors/``), and the rule's reach is checked to be
what the detector reads: at the distance one beyond it, the whole answer masks nothing. So
a rule that reads further than its hold-back holds fails here, whichever of the two moved.

A rule whose regular expression reads after its value through a lookahead (``sqlplus u/X
as sysdba``, ``AUTH X -> OK``, ``#define PW X // note``) declares nothing: the value-first
shape reads the lookahead from the rule's pattern (``closed_by_lookahead_word``) and holds
the value while the word after it is being written. Each such rule of the secrets detector
must find its value in one of :data:`LOOKAHEAD_ANSWERS`, which are streamed cut anywhere.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from re import _parser  # type: ignore[attr-defined]  # no stubs for the private module

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detectors
import policies
from detectors.cards import CARD_DECIMAL_AFTER_CHARS
from detectors.checks import (
    CARD_WORD_AFTER_CHARS,
    PAREN_EXTENSION,
    PHONE_CUE_AFTER_CHARS,
    PHONE_EXTENSION_AFTER_CHARS,
    PHONE_TIME_AFTER_CHARS,
)
from detectors.nlp_engine import load_spacy_model
from detectors.phones import _PHONE_CUE_AFTER
from detectors.pii import PresidioDetector
from detectors.printed_secrets import SECRET_KIND_AFTER_CHARS
from detectors.provider_keys import AWS_KEY_ID_AFTER_CHARS
from detectors.secret_notes import AUTH_USER_PASS_AFTER_CHARS
from detectors.secret_rule import SecretRule
from detectors.settings import PiiSettings
from policies.inspector import PolicyInspector
from policies.loader import parse_policy_text
from policies.model import Policy
from policies.scanning import DetectorScanner
from policies.value_first import closed_by_lookahead_word, default_phrases, default_rules
from tests.fuzzing import examples
from tests.policies.factories import secrets_detector
from tests.policies.pattern_detection import PATTERN_ENTITIES, cached_pack, pattern_scanner
from tests.policies.test_holdback_properties import redacted, split, streamed

#: The reach of a rule that reads the rest of the value's line.
LINE = -1
#: What the stream under test may hold: beyond every declared reach (the shipped packs
#: hold 1,024 characters at most, and release a longer wait as the policy says).
MAX_HOLD_CHARS = 8192
#: Filler between a value and the text that decides it: blanks, short words, punctuation,
#: none of them a card word, a key id or a line break.
FILLERS = (" ", " lo", " ., ", " \t")

VISA_13 = "4711285810816"  # a card only with a card word: 13 digits
AWS_SECRET = "wJa7rXUtnFEMI/K7MDxNG/bPxRfiCYzq3p9QKmLe"
AWS_KEY_ID = "AKIAQ3EGRTYJ5XW2NV7P"
SECRET_DATA = "WGs5bVEydkxwUjd0VzR6Tg=="  # base64 of a random-looking text
AUTH_FILE_PASSWORD = "Xk9#mQ2vL7"  # the second line of an auth-user-pass file
LISTED_PASSWORD = "Winter2024!"  # a row's value in a list of logins
PSQL_PASSWORD = "Xk9mQ2vLp7"  # the token psql stopped at, named on the next line
PHONE = "2125551234"  # a phone number only with a contact word near it
SPOKEN_PIN = "four seven oh one"  # a PIN read out on a call, one digit a word
GROUPED_PHONE = "212-555-1234"  # a phone number with or without a word
#: Labels of an extension in brackets, as the phone detector reads them ("(x42)",
#: " (ext. 42)", " (extension.: 123456)"), each before 1-6 digits and a closing bracket.
EXTENSION_LABELS = ("(x", " (ext. ", " (extn: ", " (extension.: ")


def gap(distance: int, filler: str) -> str:
    """``distance`` characters of ``filler`` repeated, starting and ending with a blank."""
    if distance <= 1:
        return " " * distance
    return (filler * distance)[: distance - 1] + " "


@dataclass(frozen=True, slots=True)
class LookAfter:
    """A rule that reads after a value: how far (``reach``, or :data:`LINE`), and an answer
    with the deciding text ``distance`` characters after the value."""

    reach: int
    #: ``answer(distance, filler)``: the text, and the value it holds.
    answer: Callable[[int, str], tuple[str, str]]
    #: How long the deciding text is: it must lie within the reach.
    trigger: int
    #: Whether the deciding text makes the value a finding (else it makes it none).
    masks: bool = True
    #: The least distance the deciding text can be at (a word is not glued to a number).
    nearest: int = 1
    #: What may stand between the value and the deciding text.
    fillers: tuple[str, ...] = FILLERS
    #: Whether the rule is the phone detector's: streamed under a policy that masks phone
    #: numbers in answers (the strict pack's), which the default pack does not.
    phones: bool = False
    #: The most distance a rule that reads its line is tried at.
    line_distance: int = 200
    #: Whether the deciding text widens the value's finding (a phone number's extension)
    #: rather than deciding whether it is one: further than the reach nothing is read,
    #: which the pattern's width shows (a test below), not the whole answer.
    widens: bool = False

    @property
    def farthest(self) -> int:
        """The farthest distance at which the deciding text is still read."""
        return self.line_distance if self.reach == LINE else self.reach - self.trigger


def _card_word(distance: int, filler: str) -> tuple[str, str]:
    return f"Nummer {VISA_13}{gap(distance, filler)}Visa und so weiter.", VISA_13


def _card_decimal(distance: int, filler: str) -> tuple[str, str]:
    return f"Visa card {VISA_13}{gap(distance, filler)}.5 ok", VISA_13


def _aws_key_id(distance: int, filler: str) -> tuple[str, str]:
    return f"row 1: {AWS_SECRET}{gap(distance, filler)}{AWS_KEY_ID} ok", AWS_SECRET


def _secret_kind(distance: int, filler: str) -> tuple[str, str]:
    # The entry's line ends its match; comment lines may come before ``kind:``.
    comments = (("  #" + filler * 30)[:59] + "\n") * (distance // 60 + 1)
    between = "\n" + (comments[: distance - 2] + "\n" if distance >= 2 else "")
    yaml = f"apiVersion: v1\ndata:\n  webhook: {SECRET_DATA}{between}kind: Secret\nmetadata:\n"
    return yaml, SECRET_DATA


def _phone_cue(distance: int, filler: str) -> tuple[str, str]:
    return f"Reach Anna on {PHONE}{gap(distance, filler)} (mobile) after five.", PHONE


def _phone_time(distance: int, filler: str) -> tuple[str, str]:
    return f"Call me at {PHONE}{gap(distance, filler)}milliseconds later.", PHONE


def _phone_extension(distance: int, filler: str) -> tuple[str, str]:
    # The extension's label (``filler`` if it fits) and digits up to its closing bracket.
    fits = [label for label in (filler, *EXTENSION_LABELS) if 1 <= distance - len(label) <= 6]
    extension = fits[0] + "4" * (distance - len(fits[0])) + ")"
    return f"Reach Anna on {GROUPED_PHONE}{extension} after five.", GROUPED_PHONE


def _card_row(distance: int, filler: str) -> tuple[str, str]:
    # The header is further before the row than the card word window: only the row's
    # second separator, ``distance`` characters after the card, puts it in the card column.
    header = "Payment card,Customer,City\n" + "4111111111111111,Alice Smithers,Paris\n" * 2
    middle = ("Bart" + filler * distance).replace(",", ".")[: distance - 1]
    return f"{header}{VISA_13},{middle},London\n", VISA_13


def _listed_login(distance: int, filler: str) -> tuple[str, str]:
    # A list of logins is two rows or more: the first row's value is a password once the
    # next row has ended, its own value ``distance`` characters after the first's.
    row = "\nguest / "
    following = (filler * distance)[: distance - len(row)]
    return f"Shared logins:\nops / {LISTED_PASSWORD}{row}{following}\nBye.", LISTED_PASSWORD


def _auth_file_option(distance: int, filler: str) -> tuple[str, str]:
    # The block's closing fence, then the option naming it, ``distance`` characters after
    # the value (the fence's four characters among them).
    after = "\n```" + gap(distance - 4, filler)
    text = f"creds.txt is:\n```\nvpnuser\n{AUTH_FILE_PASSWORD}{after}auth-user-pass creds.txt"
    return text, AUTH_FILE_PASSWORD


def _psql_statement(distance: int, filler: str) -> tuple[str, str]:
    # psql's report: the token it stopped at, then on the next line the statement, whose
    # "PASSWORD X" (``distance`` characters after the first X) makes the first X one.
    lead = '"\nLINE 1: ALTER ROLE app '
    statement = f"{lead}{gap(distance - len(lead), filler)}PASSWORD {PSQL_PASSWORD};"
    return f'ERROR:  syntax error at or near "{PSQL_PASSWORD}{statement}\nok', PSQL_PASSWORD


def _spelled_run(distance: int, filler: str) -> tuple[str, str]:
    # A PIN read out, then more spelled characters (``filler``) up to ``distance``
    # characters after it: the word that is no spelled character ends the run, which the
    # whole answer masks whole.
    more = (filler * distance)[: distance - 1] + " " if distance > 1 else " "
    return f"ok so the alarm code is {SPOKEN_PIN}{more}then push\nbye", SPOKEN_PIN


#: Every rule that reads after a value, by the constant that declares its reach.
RULES = {
    "detectors.checks.CARD_WORD_AFTER_CHARS": LookAfter(
        CARD_WORD_AFTER_CHARS, _card_word, len("Visa")
    ),
    "detectors.cards.CARD_DECIMAL_AFTER_CHARS": LookAfter(
        CARD_DECIMAL_AFTER_CHARS, _card_decimal, len(".5"), masks=False, nearest=0
    ),
    "detectors.provider_keys.AWS_KEY_ID_AFTER_CHARS": LookAfter(
        AWS_KEY_ID_AFTER_CHARS, _aws_key_id, len(AWS_KEY_ID)
    ),
    "detectors.printed_secrets.SECRET_KIND_AFTER_CHARS": LookAfter(
        SECRET_KIND_AFTER_CHARS, _secret_kind, len("kind: Secret")
    ),
    "detectors.cards.column_header": LookAfter(LINE, _card_row, len(",")),
    # psql's report of a statement it could not parse: the statement on the next line names
    # the token shown above it a password (h221: the first place reached streaming callers).
    "detectors.printed_secrets.psql_echo": LookAfter(
        LINE,
        _psql_statement,
        len(f"PASSWORD {PSQL_PASSWORD};"),
        nearest=len('"\nLINE 1: ALTER ROLE app '),
    ),
    # The option that names a fenced block of two lines an OpenVPN credentials file (h204:
    # a character a chunk released tuning3's block before the sentence after it named it).
    "detectors.secret_notes.AUTH_USER_PASS_AFTER_CHARS": LookAfter(
        AUTH_USER_PASS_AFTER_CHARS, _auth_file_option, len("auth-user-pass"), nearest=5
    ),
    # The next line of a list of logins, read whole (h204: a character a chunk released
    # the first row's value at its line break, tuning5 and tuning8).
    "detectors.password_commands.listed_login": LookAfter(
        LINE,
        _listed_login,
        len("\n"),
        nearest=len("\nguest / ") + 3,
        fillers=("x", "Q9z!"),
        line_distance=72,  # a row as long as most: each chunk re-scans the held row
    ),
    # A credential spelled out after its cue: the run goes on while its words are spelled
    # characters (h222: tuning16's calls and voicemails).
    "detectors.spoken_credentials.spelled_run": LookAfter(
        LINE,
        _spelled_run,
        len(" then"),
        fillers=(" 7", " oh", " x", " capital q"),
        widens=True,
        line_distance=120,
    ),
    # A contact word right after the digits, and the character after it that \b reads.
    "detectors.checks.PHONE_CUE_AFTER_CHARS": LookAfter(
        PHONE_CUE_AFTER_CHARS, _phone_cue, len(" (mobile") + 1, nearest=0, phones=True
    ),
    # An extension in brackets right after the number: its closing bracket makes the
    # extension part of the number's finding, masked with it (h188).
    "detectors.checks.PHONE_EXTENSION_AFTER_CHARS": LookAfter(
        PHONE_EXTENSION_AFTER_CHARS,
        _phone_extension,
        len(")"),
        nearest=len("(x4"),
        fillers=EXTENSION_LABELS,
        phones=True,
        widens=True,
    ),
    # A time word at most three blanks or marks after the digits: no phone but a timestamp.
    "detectors.checks.PHONE_TIME_AFTER_CHARS": LookAfter(
        PHONE_TIME_AFTER_CHARS,
        _phone_time,
        len("milliseconds") + 1,
        masks=False,
        nearest=0,
        fillers=(" ", " .", " -"),
        phones=True,
    ),
}

FUZZ = settings(
    max_examples=examples(15),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def inspectors() -> dict[bool, PolicyInspector]:
    """The default pack, holding up to :data:`MAX_HOLD_CHARS`, with the real secrets
    detector and Presidio's pattern recognizers (the card recognizer among them); and
    (under ``True``) the same masking phone numbers in answers too, with the phone
    recognizer."""
    text = (Path(policies.__file__).parent / "default.yaml").read_text()
    answers = "entities: [SECRETS, CREDIT_CARD, IBAN_CODE, NATIONAL_IDS]"
    assert answers in text
    phones = parse_policy_text(text.replace(answers, answers[:-1] + ", PHONE_NUMBER]"))
    pii = PiiSettings(entities=(*PATTERN_ENTITIES, "PHONE_NUMBER"))
    phone_scanner = DetectorScanner(
        [secrets_detector(), PresidioDetector(pii, nlp=load_spacy_model(pii.spacy_model))]
    )
    return {
        False: PolicyInspector(_holding_long(cached_pack()), pattern_scanner()),
        True: PolicyInspector(_holding_long(phones), phone_scanner),
    }


@pytest.fixture(scope="module")
def inspector(inspectors: dict[bool, PolicyInspector]) -> PolicyInspector:
    """The default pack's inspector of :func:`inspectors`."""
    return inspectors[False]


def _holding_long(pack: Policy) -> Policy:
    """``pack`` holding up to :data:`MAX_HOLD_CHARS` in streams."""
    stream = pack.detection.stream.model_copy(update={"max_hold_chars": MAX_HOLD_CHARS})
    detection = pack.detection.model_copy(update={"stream": stream})
    return pack.model_copy(update={"detection": detection})


def assert_streams_as_whole(
    inspector: PolicyInspector,
    loop: asyncio.Runner,
    rule: LookAfter,
    text: str,
    value: str,
    *,
    cuts: Sequence[Sequence[int]],
) -> None:
    """The whole answer masks ``value`` as the rule says, and streamed in the pieces of each
    of ``cuts`` the caller gets exactly that, with no piece carrying the value."""
    whole = loop.run(redacted(inspector, text))
    assert (value not in whole) == rule.masks, whole
    for cut in cuts:
        sent = loop.run(streamed(inspector, split(text, cut)))
        assert "".join(sent) == whole, cut
        if rule.masks:
            assert not any(value[:8] in piece for piece in sent), cut


@pytest.mark.parametrize("name", sorted(RULES))
def test_the_value_streams_as_the_whole_answer_at_the_farthest_distance(
    inspectors: dict[bool, PolicyInspector], loop: asyncio.Runner, name: str
) -> None:
    """With the deciding text as far after the value as the rule reads, cut once at each
    place from the value's start to the deciding text's end (at most 24 of them, evenly),
    and a character a piece over that span: the stream equals the whole answer."""
    rule = RULES[name]
    inspector = inspectors[rule.phones]
    text, value = rule.answer(rule.farthest, rule.fillers[-1])
    start = text.index(value)
    stop = start + len(value) + rule.farthest + rule.trigger + 1
    step = max(1, (stop - start) // 24)
    pieces = [[cut] for cut in range(start, stop, step)]
    characters = list(range(start, min(stop, start + 80)))
    assert_streams_as_whole(inspector, loop, rule, text, value, cuts=[*pieces, characters])


@pytest.mark.parametrize("name", sorted(RULES))
@FUZZ
@given(data=st.data())
def test_the_value_streams_as_the_whole_answer_at_any_distance_within_reach(
    inspectors: dict[bool, PolicyInspector],
    loop: asyncio.Runner,
    name: str,
    data: st.DataObject,
) -> None:
    """With the deciding text at any distance the rule reads, after any filler, cut
    anywhere between the value and it: the stream equals the whole answer."""
    rule = RULES[name]
    inspector = inspectors[rule.phones]
    distance = data.draw(st.integers(rule.nearest, rule.farthest), label="distance")
    filler = data.draw(st.sampled_from(rule.fillers), label="filler")
    text, value = rule.answer(distance, filler)
    start = text.index(value)
    span = st.integers(start, start + len(value) + distance + rule.trigger + 1)
    cuts = data.draw(st.lists(span, min_size=1, max_size=4), label="cuts")
    assert_streams_as_whole(inspector, loop, rule, text, value, cuts=[cuts])


@pytest.mark.parametrize(
    "name", sorted(n for n, r in RULES.items() if r.reach != LINE and not r.widens)
)
def test_a_rule_reads_no_further_than_its_declared_reach(
    inspectors: dict[bool, PolicyInspector], loop: asyncio.Runner, name: str
) -> None:
    """One character further than the declared reach, the deciding text decides nothing:
    the whole answer reads the value as if it were not there (the declaration is what the
    detector reads, not less)."""
    rule = RULES[name]
    text, value = rule.answer(rule.farthest + 1, rule.fillers[-1])
    assert (value in loop.run(redacted(inspectors[rule.phones], text))) == rule.masks


def test_the_contact_word_after_a_phone_number_fits_its_declared_reach() -> None:
    """The phone detector reads its contact words after a number in a slice of the declared
    reach: the longest one, and the character after it, fit in it (a longer word added to
    the pattern would be cut off unseen)."""
    widest = _parser.parse(_PHONE_CUE_AFTER.pattern, _PHONE_CUE_AFTER.flags).getwidth()[1]
    assert widest + 1 == PHONE_CUE_AFTER_CHARS


def test_an_extension_after_a_phone_number_fits_its_declared_reach() -> None:
    """The longest extension in brackets the phone detector adds to a number is as long as
    the declared reach, which the stream holds the number for (a longer spelling added to
    the pattern would be released unheld)."""
    widest = _parser.parse(PAREN_EXTENSION.pattern, PAREN_EXTENSION.flags).getwidth()[1]
    assert widest == PHONE_EXTENSION_AFTER_CHARS


@functools.cache
def declared_reaches() -> frozenset[str]:
    """The ``*_AFTER_CHARS`` constants of the detector modules, as ``module.NAME``."""
    found = set()
    for path in sorted(Path(detectors.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.endswith("_AFTER_CHARS"):
                    found.add(f"detectors.{path.stem}.{target.id}")
    return frozenset(found)


def test_every_declared_reach_has_its_stream_property() -> None:
    """A rule that declares how far it reads after a value is tried above: a new one must
    bring its answers here (and its hold-back shape to policies.holdback)."""
    assert declared_reaches() == {name for name, rule in RULES.items() if rule.reach != LINE}


# --- values a regular expression's lookahead closes --------------------------------------

#: Answers whose value a rule's lookahead closes with a word after blanks (``as``, ``->``,
#: ``//``, ``/*``, a dash), or whose groups only the line's end (or, in prose, the fourth
#: group after the words for an app password) makes one value: the word's
#: first character alone ended the value's token, which went out before the word was known.
LOOKAHEAD_ANSWERS = {
    "sqlplus as": ("Connect with sqlplus scott/Tg7kQ2mXv9 as sysdba and run it.", "Tg7kQ2mXv9"),
    "auth arrow": ("redis> AUTH Xk9mQ2vLp7Rw -> OK\nredis> GET k\n", "Xk9mQ2vLp7Rw"),
    "define comment": ("#define WIFI_PASSWORD Xk9mQ2vLp7Rw // home wifi\n", "Xk9mQ2vLp7Rw"),
    "define block comment": (
        "#define API_SECRET q8Zr2LmT5vXw9KpB3nYd /* staging */\n",
        "q8Zr2LmT5vXw9KpB3nYd",
    ),
    "asked, dash": ("Wie lautet das WLAN-Passwort?\nKx9mQ2vLp7 - danke dir\n", "Kx9mQ2vLp7"),
    "asked token, dash": (
        "Who has the webhook token?\nKai: it's pQ4wXz8KmN2vB6tR0yLs - delete after\n",
        "pQ4wXz8KmN2vB6tR0yLs",
    ),
    "app password": (
        "SMTP_PASSWORD = qwer tyui opas dfgh  # Gmail app password\n",
        "qwer tyui opas dfgh",
    ),
    "app password in prose": (
        "I'm using ann@example.org with the app password fzut ctvk qytk uayy on smtp. Help?\n",
        "fzut ctvk qytk uayy",
    ),
    "app password in Korean": (
        "구글 앱 비밀번호 matd epzh zzcl omam 로 메일 클라이언트를 설정했는데 실패합니다.\n",
        "matd epzh zzcl omam",
    ),
}


@pytest.mark.parametrize("name", sorted(LOOKAHEAD_ANSWERS))
def test_a_value_a_lookahead_closes_streams_as_the_whole_answer(
    inspector: PolicyInspector, loop: asyncio.Runner, name: str
) -> None:
    """Cut once at every place from the value to the end of the word after it, and a
    character a piece: the stream equals the whole answer, which masks every group of the
    value."""
    text, value = LOOKAHEAD_ANSWERS[name]
    whole = loop.run(redacted(inspector, text))
    assert not any(group in whole for group in value.split()), whole
    start = text.index(value)
    places = range(start, min(len(text), start + len(value) + 8))
    for cut in [*([place] for place in places), range(len(text))]:
        assert "".join(loop.run(streamed(inspector, split(text, cut)))) == whole, cut


def test_every_rule_a_lookahead_word_closes_is_held_and_tried() -> None:
    """Each rule of the secrets detector whose value a lookahead's word after blanks closes
    is held by the value-first shape, and finds its value in one of the answers above: a
    new such rule brings an answer here."""
    rules = default_phrases().lookahead_rules
    held = {id(rule) for rule in rules}
    for rule in default_rules():
        pattern = _pattern_of(rule)
        if pattern is not None and closed_by_lookahead_word(pattern):
            assert id(rule) in held or rule in default_phrases().rules, pattern.pattern[:80]
    for rule in rules:
        answers = LOOKAHEAD_ANSWERS.values()
        assert any(_finds(rule, text, value) for text, value in answers), rule.triggers


def _pattern_of(rule: SecretRule) -> re.Pattern[str] | None:
    """The regular expression of ``rule``'s matcher, if it has one."""
    pattern = rule.pattern
    found = pattern if isinstance(pattern, re.Pattern) else getattr(pattern, "pattern", None)
    return found if isinstance(found, re.Pattern) else None


def _finds(rule: SecretRule, text: str, value: str) -> bool:
    """Whether ``rule`` alone finds ``value`` in ``text`` (its check passing)."""
    for match in rule.pattern.finditer(text):
        start, end = rule.value_span(match)
        check = rule.check
        if text[start:end] == value and (check is None or check(value, match, text)):
            return True
    return False
