"""What of a streamed answer's pending text could still become a finding, and must wait.

The output rules' entity types are known, and so are the shapes the pattern detectors
look for. Text that cannot be the beginning of a match any more is released at once;
only the shortest suffix that could still grow into one is held (:func:`held_from`):

* the unfinished last token, with the blanks after it: it may grow into a key, a JWT, an
  e-mail address, a URL or connection string, a placeholder such as ``<EMAIL_ADD``, or a
  ``key=value`` entry, and whether a value ends a config entry depends on what follows;
* a run of digit and upper-case groups with separators (``4111 1111 ``, ``GB82 WEST ``,
  ``078-05-``, ``+44 (0)20 ``): a card, IBAN, national ID or phone number being written;
* a quoted value opened after a blank, a separator or a command-line flag
  (``password is "two words``, ``mysql -p'two words``), until its quote closes or the
  line ends, and one of several words until what follows its closing quote is known
  (:func:`policies.holdback_closers.closed_quoted_words`: a bracket may end its match);
* an open ``-----BEGIN ... PRIVATE KEY-----`` block, until its END line;
* a 40-character base64 run shaped like an AWS secret key, until
  :data:`detectors.provider_keys.AWS_KEY_ID_AFTER_CHARS` more characters have shown whether
  a key id follows it;
* an IBAN's groups in lower case, with dots, or wrapped over two lines
  (:func:`detectors.iban_forms.open_iban`: "de89 3704 ", "FI04 4529 0914 2547\n"), until
  what follows shows the run is over: its first groups alone show no IBAN;
* a token a mail client may have wrapped over lines (:func:`detectors.markup.open_wrap`),
  until its next line shows it does not go on: the whole answer reads it joined and masks
  it whole, so no piece of it may be released alone;
* the line being written inside a password table (:func:`open_row`): which cell is the
  password is known only once the row has all its cells;
* a run of lower-case base32 groups of four after a word naming a key or seed
  (:func:`open_seed_groups`): an authenticator's seed as set-up pages write it
  ("Enter this key instead: otfd asx4 6koh clwu ..."), which the whole answer masks whole;
* lower-case groups of four as an assignment's value, or after the words for an app
  password in prose (:func:`open_app_password`), until the run of groups ends: four that
  end the line are an app password, masked whole;
* a quoted literal given to ``key=`` or ``secret=`` (:func:`open_keyword_literal`), until
  its line ends: the line may still name the HMAC algorithm that makes it a JWT's key
  (``locals: key='X' algorithms=['HS256']``);
* a card number of an odd length (12-14, 17-19 digits) whose card word may still follow it
  (:func:`open_odd_card`), until the card detector's after-window has arrived;
* such a card on a row under a line with a table's separators (:func:`open_card_row`),
  until its line ends: the column it is in, whose header may name a card, is known then;
* a bare run of 7-15 digits (:func:`open_bare_digits`) until the phone detector's words
  after it have arrived: "2125551234 (mobile)" is a phone number, "... seconds" none;
* a number and the extension in brackets being written after it (:func:`open_extension`,
  "212-555-1234 (ext. 4"): the phone detector's span takes the extension once it closes;
* the line after a question that asks for a password, or a Wi-Fi line
  (:func:`open_answer_line`): spaced words on it are a passphrase only if they run to its
  end;
* a run of characters spelled out after a password's or PIN's cue ("the pin is four seven
  oh", "its capital s u m"; :func:`open_spelled_run`), until a word that is no spelled
  character or the line's end shows where the run, which the whole answer masks whole, ends;
* a ``data:`` entry of a manifest whose ``kind: Secret`` may still follow it
  (:func:`detectors.printed_secrets.open_secret_data`), until
  :data:`detectors.printed_secrets.SECRET_KIND_AFTER_CHARS` characters have;
* a value whose rule takes a closer after it (an element naming a credential, a triple or
  an escaped quote, the call's next argument, a block's closing fence on the next line),
  until the closer arrives or the line ends (:mod:`policies.holdback_closers`);
* a number of four digits or more while " bytes" may still follow it
  (:func:`open_byte_count`): kubectl's size of a Secret's entry, no password;
* the value of a "user / X" row with no row above it, while the line after it may still be
  the next row (:func:`policies.holdback_neighbours.open_listed_login`): a list of logins
  is two rows or more;
* the words of a config line whose key names a password (``replicationPassword: clearly
  one``) until the line ends (:func:`policies.holdback_neighbours.open_config_words`): the
  rule for a value of words reads it to the line's end;
* the value of a fenced block of two lines after its closing fence, until the text has had
  :data:`detectors.secret_notes.AUTH_USER_PASS_AFTER_CHARS` characters to name it an
  auth-user-pass file (:func:`policies.holdback_neighbours.open_auth_file_block`);
* a ``bearer=``/``key=`` value on a log line with at most two ``name=value`` pairs yet
  (:func:`open_logfmt_value`), until a third or the line's end;
* a password written before its key ("hunter2 is my password"), while what follows it
  could still be the rest of the phrase: the :class:`ContextShape` of
  :mod:`policies.value_first`, built from the secrets detector's own rules.

Plain prose then flows with at most its last word held. Types whose findings depend on
wider context than these shapes (NER: names, places; a policy's own recognizers) are not
covered: :func:`needs_window` says when the stream must keep a fixed hold-back window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final, Protocol

import regex

from detectors.checks import (
    CARD_ROW_SEPARATORS,
    CARD_WORD_AFTER_CHARS,
    PAREN_EXTENSION,
    PHONE_CUE_AFTER_CHARS,
    PHONE_EXTENSION_AFTER_CHARS,
    PHONE_TIME_AFTER_CHARS,
    needs_card_word,
    valid_card_digits,
)
from detectors.entities import NER_ENTITY_TYPES, PATTERN_PII_ENTITY_TYPES, SECRET_ENTITY_TYPES
from detectors.iban_forms import open_iban
from detectors.markup import open_wrap
from detectors.password_prose import open_spoken_line
from detectors.password_tables import open_table
from detectors.printed_secrets import open_psql_echo, open_report, open_secret_data
from detectors.provider_keys import AWS_KEY_ID_AFTER_CHARS
from detectors.spoken_credentials import open_spoken_run
from policies.holdback_closers import (
    closed_quoted_words,
    open_closing_quote,
    open_credential_element,
    open_fenced_value,
    open_next_argument,
)
from policies.holdback_neighbours import (
    open_auth_file_block,
    open_config_words,
    open_listed_login,
)

#: Entity types whose matches the shapes below describe.
SHAPED_ENTITY_TYPES: Final = (SECRET_ENTITY_TYPES | PATTERN_PII_ENTITY_TYPES) - NER_ENTITY_TYPES

#: Characters of released text scanned again with the pending text, so that a match whose
#: masked value is still pending but whose key (``password=``, ``mysql ... -p``, ``name:
#: DB_PASSWORD``) was released is still recognised.
CONTEXT_CHARS: Final = 256

#: How far back the start of a private key block is kept in the context while its body is
#: released in parts (an 8192-bit RSA key in PEM is about 6,400 characters).
PRIVATE_KEY_CONTEXT_CHARS: Final = 16_384

#: How far back the header of a password table (``detectors.password_tables``) is kept in
#: the context while its rows are released: a cell further below its header than this
#: (about 60 rows of 60 characters) is no longer known as a password in a streamed answer.
TABLE_CONTEXT_CHARS: Final = 4096

#: Separators inside a card, IBAN, national ID or phone number.
_RUN_SEPARATORS: Final = frozenset(" -./()+")
_PEM_BEGIN: Final = "-----BEGIN"
_PEM_HEADER_END = re.compile(r"-----BEGIN[^\n]*?-----")
#: A private key block's END line.
PEM_END: Final = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
# A quoted value not closed on its line: a command-line password (``mysql -p'…``,
# ``redis-cli -a "…``, ``curl -u user:'…``, from the flag on), or any quote opened after a
# blank or a separator (``password is "two words``, ``--storepass "…``, ``"two words" is
# my password``): the rules accept quoted values with blanks inside, which the unfinished
# token would release word by word. Only the last line (at most a value's length) is
# searched. (The second pattern starts at its quote, which the regex engine scans for.)
_OPEN_FLAG_QUOTE = re.compile(
    r"""(?<![\w-])(?:-[A-Za-z][ \t]*|(?:-u|--user)[ \t]*['"]?[^\s:'"]{1,128}:)"""
    r"""(?:"[^"\n]*|'[^'\n]*)\Z"""
)
_OPEN_QUOTE = re.compile(
    r"""["'`](?<![^\s(\[{,;:=|]["'`])(?:(?<=")[^"\n]*|(?<=')[^'\n]*|(?<=`)[^`\n]*)\Z"""
)
_QUOTED_VALUE_CHARS: Final = 300
_AWS_SECRET_RUN = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

Shape = Callable[[str], int | None]
"""``shape(text)``: where a suffix of ``text`` that could still become a match starts."""


def needs_window(entity_types: Iterable[str]) -> bool:
    """True if some of ``entity_types`` are not described by the shapes here (NER types,
    custom recognizers): such rules keep the fixed hold-back window."""
    return not SHAPED_ENTITY_TYPES.issuperset(entity_types)


def _is_run_char(char: str) -> bool:
    return char.isdigit() or ("A" <= char <= "Z")


def open_token(text: str) -> int | None:
    """The last token not yet ended by whitespace, with any blanks after it (not a line
    end: that ends tokens and config entries alike)."""
    # Run twice per upstream read of every stream: str methods, not a loop per character
    # (``rstrip``/``rsplit`` without arguments and ``isspace`` share one whitespace set).
    size = len(text)
    body = text.rstrip()
    if len(body) < size:
        line = text.rfind("\n", len(body))
        if line >= 0:  # a line ended after the last token: only the blanks after it
            return line + 1 if line + 1 < size else None
    if not body:
        return 0 if size else None
    return len(body) - len(body.rsplit(None, 1)[-1])


def number_run(text: str) -> int | None:
    """A run of digit/upper-case groups and separators reaching the end of ``text``."""
    start = end = len(text)
    while start:
        group = start
        while group and _is_run_char(text[group - 1]):
            group -= 1
        separators = group
        while separators and group - separators < 2 and text[separators - 1] in _RUN_SEPARATORS:
            separators -= 1
        if group == start and separators == group:
            break  # neither a group nor a separator: the run starts here
        if group == start and start != end:
            start = separators  # two separators in a row after a group: keep them, stop
            break
        start = separators
    return start if start < end else None


def open_quote(text: str) -> int | None:
    """A quoted value (or command-line password) not closed on its line."""
    line = max(text.rfind("\n") + 1, len(text) - _QUOTED_VALUE_CHARS)
    quote = _OPEN_QUOTE.search(text, line)
    flag = _OPEN_FLAG_QUOTE.search(text, line)
    if flag is not None and (quote is None or flag.start() < quote.start()):
        return flag.start()
    return quote.start() if quote is not None else None


# The phone detector's extension in brackets, matched partially (the ``regex`` module's
# ``partial=True``): a match reaching the end of the text that could still go on.
_PARTIAL_EXTENSION = regex.compile(PAREN_EXTENSION.pattern, PAREN_EXTENSION.flags)
_PHONE_DIGITS: Final = 7


def open_extension(text: str) -> int | None:
    """A run of digits and the extension in brackets after it, being written ("212-555-1234
    (ext. 4"): the phone detector's span takes the extension
    (:data:`detectors.checks.PAREN_EXTENSION`) into the number's, so the whole answer masks
    both as one; released alone, the number went out masked and its extension after it, to
    be masked again as the end of a number that started in the released text. Held from the
    run's start until the bracket closes or the text shows it is no extension."""
    # Run on every read of every stream: most text has no bracket near its end.
    paren = text.find("(", max(0, len(text) - PHONE_EXTENSION_AFTER_CHARS))
    if paren < 0:
        return None
    paren = text.rfind("(", paren)  # the last: an extension's bracket holds no other
    start = paren - 1 if paren and text[paren - 1] == " " else paren
    if not start or not text[start - 1].isdigit():
        return None  # most brackets: after a word
    found = _PARTIAL_EXTENSION.match(text, start, partial=True)
    if found is None or not found.partial:
        return None  # no extension, or a whole one: the scan reads it with its number
    run = number_run(text[:start])
    if run is None or sum(char.isdigit() for char in text[run:start]) < _PHONE_DIGITS:
        return None  # too few digits for a phone number
    return run


def open_private_key(text: str) -> int | None:
    """An armoured private key block whose END line has not arrived yet."""
    begin = text.rfind(_PEM_BEGIN)
    if begin < 0:
        return None
    header = _PEM_HEADER_END.match(text, begin)
    if header is not None and "PRIVATE KEY" not in header[0]:
        return None  # a certificate or public key: public by design
    if PEM_END.search(text, begin) is not None:
        return None
    return begin


# A number the word "bytes" may still follow: kubectl describe's "DB_PASSWORD:  41801
# bytes" is a size, no password (detectors.assigned_secrets), once the word has arrived.
_BYTE_COUNT_ENDS: Final = ("b", "by", "byt", "byte")
_OPEN_BYTE_COUNT = re.compile(r"(?<![^\s:=])\d{4,}[ \t]+b(?:y(?:te?)?)?\Z")


def open_byte_count(text: str) -> int | None:
    """A number of four digits or more, blanks and the start of "bytes" being written: the
    number is a size, not a value, once the word is whole (before, the scan reads it as a
    password after a key such as ``DB_PASSWORD:``)."""
    if not text.endswith(_BYTE_COUNT_ENDS):  # most text
        return None
    found = _OPEN_BYTE_COUNT.search(text, max(0, len(text) - 64))
    return None if found is None else found.start()


def private_key_at(text: str, cut: int) -> int | None:
    """Where the private key block open at ``cut`` starts in ``text``: its BEGIN line starts
    before ``cut`` (it may be cut in two) and no END line ends by then, else ``None``."""
    begin = text.rfind(_PEM_BEGIN, 0, cut + len(_PEM_BEGIN) - 1)
    if begin < 0:
        return None
    header = _PEM_HEADER_END.match(text, begin)
    if header is not None and "PRIVATE KEY" not in header[0]:
        return None  # a certificate or public key: public by design
    end = PEM_END.search(text, begin)
    return begin if end is None or end.end() > cut else None


def aws_secret_run(text: str) -> int | None:
    """A run shaped like an AWS secret key less than
    :data:`detectors.provider_keys.AWS_KEY_ID_AFTER_CHARS` characters from the end: a key
    id may still follow it."""
    window = max(0, len(text) - AWS_KEY_ID_AFTER_CHARS - 40)
    for found in _AWS_SECRET_RUN.finditer(text, window):
        value = found[0]
        mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
        near_end = len(text) - found.end() < AWS_KEY_ID_AFTER_CHARS
        if near_end and mixed and any(c.isdigit() or c in "/+" for c in value):
            return found.start()
    return None


#: The shapes that need nothing but the text, in no particular order.
SHAPES: Final[tuple[Shape, ...]] = (
    open_token,
    number_run,
    open_quote,
    open_private_key,
    aws_secret_run,
    open_wrap,
    closed_quoted_words,
    open_extension,
    open_byte_count,
    open_iban,
)


class ContextShape(Protocol):
    """A shape that also reads the end of the text released before (a phrase may have
    begun there)."""

    def __call__(self, text: str, released: str) -> int | None:
        """Where a suffix of ``text`` that could still become a match starts."""
        ...


def open_row(text: str, released: str) -> int | None:
    """The line being written if it may be a row of a password table (the text up to its
    start ends inside one): a row's cells are known only once the row has all of them,
    so the line is held until it ends (a cell further left may be the password)."""
    whole = released + text
    line = whole.rfind("\n") + 1
    if line == len(whole) or open_table(whole[:line]) is None:
        return None
    return max(line - len(released), 0)


def open_answer_line(text: str, released: str) -> int | None:
    """The line being written if spaced words on it may still be a passphrase (the answer
    to "whats the wifi pw?", a Wi-Fi line in a list of accounts,
    :func:`detectors.password_prose.open_spoken_line`): held until it ends."""
    whole = released[-CONTEXT_CHARS:] + text
    line = open_spoken_line(whole)
    return None if line is None else max(line - (len(whole) - len(text)), 0)


def open_spelled_run(text: str, released: str) -> int | None:
    """A run of characters spelled out after a credential's cue, being written
    (:func:`detectors.spoken_credentials.open_spoken_run`): the rule's value is the whole
    run, so none of it is released before a word that is no spelled character (or the
    line's end) has ended it."""
    whole = released[-CONTEXT_CHARS:] + text
    start = open_spoken_run(whole)
    return None if start is None else max(start - (len(whole) - len(text)), 0)


# An authenticator's seed written in groups of four (``detectors.secret_kinds``: four or
# eight groups, upper- or lower-case; capitals are a number_run), reaching the end of the
# text, at least one group whole, and what names it before it (its kind: "setup key",
# "TOTP seed", "ключ"), over-approximated by the kind's last word anywhere near.
_SEED_GROUPS = re.compile(r"(?<![\w/+=~-])(?:[a-z2-7]{4} ){1,8}[a-z2-7]{0,4}\Z")
_SEED_RUN_CHARS: Final = 8 * 5 + 4
_SEED_NAMES: Final = ("key", "secret", "seed", "ключ")


def open_seed_groups(text: str, released: str) -> int | None:
    """A run of lower-case base32 groups of four being written after a word naming a key
    or seed: the whole answer masks the seed's groups as one value (eight of them if eight
    are written), so none may be released alone before the run ends."""
    run = _SEED_GROUPS.search(text, max(0, len(text) - _SEED_RUN_CHARS))
    if run is None:  # most text: its end is no group of four and a blank
        return None
    start = run.start()
    before = (released[-CONTEXT_CHARS:] + text[max(0, start - CONTEXT_CHARS) : start]).lower()
    before = before[-CONTEXT_CHARS:]  # substring tests: a tenth of a regex search's time
    return start if any(name in before for name in _SEED_NAMES) else None


# A Google app password as an assignment's value (``detectors.assigned_secrets``: four
# groups of four lower-case letters, a value only if they end the line): the groups
# already whole, after the separator, and the one being written.
_APP_PASSWORD_GROUPS = re.compile(r"[:=][ \t]{0,8}(?P<groups>(?:[a-z]{4} ){1,3}[a-z]{0,4})\Z")
_APP_PASSWORD_CHARS: Final = 1 + 8 + 4 * 5


# The same groups in prose, after the words that name an app password
# (``detectors.native_passwords``: "the app password abcd efgh ijkl mnop on smtp..."), the
# words over-approximated by their last ones anywhere near.
_LETTER_GROUPS = re.compile(r"(?<![\w-])(?:[a-z]{4} ){1,3}[a-z]{0,4}\Z")
_APP_PASSWORD_NAMES: Final = ("app password", "specific password", "앱 비밀번호", "앱비밀번호")


def open_app_password(text: str, released: str) -> int | None:
    """Groups of four lower-case letters being written as an assignment's value
    (``SMTP_PASSWORD = abcd efgh ijkl mn``), or in prose after the words for an app
    password: held from the first group, since four of them are one value (an app
    password) the whole answer masks whole, and each group alone would go out with the
    blank after it."""
    # Run on every read of every stream: one search in C, from the separator's farthest.
    whole = released[-_APP_PASSWORD_CHARS:] + text
    found = _APP_PASSWORD_GROUPS.search(whole, len(whole) - _APP_PASSWORD_CHARS)
    if found is not None:
        return max(found.start("groups") - len(whole) + len(text), 0)
    run = _LETTER_GROUPS.search(text, max(0, len(text) - _APP_PASSWORD_CHARS))
    if run is None:  # most text: its end is no group of four and a blank
        return None
    start = run.start()
    before = (released[-CONTEXT_CHARS:] + text[max(0, start - CONTEXT_CHARS) : start]).lower()
    before = before[-CONTEXT_CHARS:]
    return start if any(name in before for name in _APP_PASSWORD_NAMES) else None


# A literal key given as a keyword (a traceback's locals, a call's arguments): the JWT key
# rule of detectors.secret_kinds reads the whole line for the HMAC algorithm it names.
_KEYWORD_LITERAL = re.compile(
    r"(?<![\w.])(?i:key|secret|secret_key|signing_key|jwt_secret)[ \t]*=[ \t]*b?"
    r"(?P<quote>['\"])[^'\"\s]{8,256}(?P=quote)"
)


def open_keyword_literal(text: str, released: str) -> int | None:
    """A quoted literal given to ``key=``/``secret=`` on the line being written: held from
    its quote until the line ends, since what follows on the line (``algorithms=['HS256']``)
    may make it a JWT's signing key, which the whole answer masks."""
    whole = released[-CONTEXT_CHARS:] + text
    line = whole.rfind("\n") + 1
    if "=" not in whole[line:]:  # most lines: no keyword at all
        return None
    found = _KEYWORD_LITERAL.search(whole, line)
    return None if found is None else max(found.start("quote") - (len(whole) - len(text)), 0)


# A run of digit groups with one separator between them (a card plain or grouped, or more
# numbers around it), and how far back one that ends in the after-window may start: a
# card is at most 19 digits with separators between.
_DIGIT_GROUPS = re.compile(r"\d+(?:[ .-]\d+)*")
_CARD_RUN_CHARS: Final = 40
_TWELVE_DIGITS = re.compile(r"\d(?:[ .-]?\d){11}")


def open_odd_card(text: str, released: str) -> int | None:
    """A card number of a length that needs a card word nearby (12-14, 17-19 digits,
    :func:`detectors.checks.needs_card_word`), less than
    :data:`detectors.checks.CARD_WORD_AFTER_CHARS` characters from the end: the word may
    still follow it ("4711285810816, Karte gesperrt"), which makes the whole answer mask
    it, so it is held from its first digit until that window has arrived."""
    reach = CARD_WORD_AFTER_CHARS + _CARD_RUN_CHARS
    whole = text if len(text) >= reach else released[-reach:] + text
    size = len(whole)
    if _TWELVE_DIGITS.search(whole, max(0, size - reach)) is None:
        return None  # most text: no run long enough for a card near its end
    window = size - CARD_WORD_AFTER_CHARS  # runs ending after this may still get a word
    held = None
    for run in _DIGIT_GROUPS.finditer(whole, max(0, window - _CARD_RUN_CHARS)):
        if run.end() <= window or run.end() - run.start() < 12:
            continue  # most text: no run, or too short to be a card
        start = _odd_card_start(run[0])
        if start is not None:
            held = run.start() + start
            break
    return None if held is None else max(held - (size - len(text)), 0)


def open_card_row(text: str, released: str) -> int | None:
    """A card number of an odd length on the line being written, under a line with a
    table's separators (:data:`detectors.checks.CARD_ROW_SEPARATORS`): the card detector
    reads it with the header of its column, which only the whole line tells (a field more
    or less is another column, ``detectors.cards.column_header``), so it is held from its
    first digit until its line ends."""
    offset = len(released)
    whole = released + text
    line = whole.rfind("\n") + 1
    if line == 0 or _TWELVE_DIGITS.search(whole, max(line, offset)) is None:
        return None  # most text: no line above, or no run long enough for a card
    above = whole[whole.rfind("\n", 0, line - 1) + 1 : line - 1]
    if not any(separator in above for separator in CARD_ROW_SEPARATORS):
        return None  # no header of a column above it
    for run in _DIGIT_GROUPS.finditer(whole, line):
        if run.end() <= offset or run.end() - run.start() < 12:
            continue  # released (the window rule let it go), or too short to be a card
        start = _odd_card_start(run[0])
        if start is not None:
            return max(run.start() + start - offset, 0)
    return None


# A bare digit run of a phone number's length, and how far after it the phone detector
# reads a contact word or a time word that decides it.
_BARE_DIGITS = re.compile(r"(?<!\d)\d{7,15}(?!\d)")
_BARE_DIGITS_AFTER: Final = max(PHONE_CUE_AFTER_CHARS, PHONE_TIME_AFTER_CHARS)


def open_bare_digits(text: str, released: str) -> int | None:
    """A bare run of 7-15 digits less than
    :data:`detectors.checks.PHONE_TIME_AFTER_CHARS` characters from the end: a contact word
    after it makes it a phone number ("2125551234 (mobile)"), a time word a timestamp, so
    it is held from its first digit until those characters have arrived."""
    # Run on every read of every stream: one search in C over the end of the text.
    whole = released[-_BARE_DIGITS_AFTER - 16 :] + text
    size = len(whole)
    found = _BARE_DIGITS.search(whole, size - _BARE_DIGITS_AFTER - 15)
    while found is not None and size - found.end() >= _BARE_DIGITS_AFTER:
        found = _BARE_DIGITS.search(whole, found.end())
    return None if found is None else max(found.start() - size + len(text), 0)


def _odd_card_start(run: str) -> int | None:
    """Where in ``run`` (digit groups with separators) the first number the card
    recognizer could read as an odd-length card starts: any span of whole groups, as its
    plain and grouped patterns match."""
    groups = [(found.start(), found[0]) for found in re.finditer(r"\d+", run)]
    for first, (start, _) in enumerate(groups):
        digits = ""
        for _, group in groups[first:]:
            digits += group
            if len(digits) > 19:
                break
            if len(digits) >= 12 and needs_card_word(digits) and valid_card_digits(digits):
                return start
    return None


# logfmt's "bearer=X" or "key=X" (detectors.printed_secrets): a secret only on a line of
# more than two name=value pairs, which may still come after it ("bearer=X remaining=0
# reset=1365076912"). Over-approximated: any such value of 16 characters or more.
_LOGFMT_VALUE = re.compile(r"(?<![^ \t])(?i:bearer|key)=(?=[A-Za-z0-9._~+/-]{16})")
_LOGFMT_PAIR = re.compile(r"(?<![^ \t])[a-z_]{2,24}=[^\s=]")
_LOGFMT_PAIRS: Final = 2


def open_logfmt_value(text: str, released: str) -> int | None:
    """A ``bearer=``/``key=`` value on the line being written while the line has at most
    two ``name=value`` pairs: the logfmt rule masks it once a third one is on its line
    (which reads the whole line, after the value too), so it is held from its start until
    one is or the line ends."""
    # Run on every read of every stream: most lines have no "=".
    line = text.rfind("\n") + 1
    if line:
        whole, start = text, line
    else:
        whole = released[-CONTEXT_CHARS:] + text
        start = whole.rfind("\n") + 1
    if whole.find("=", start) < 0:
        return None
    found = _LOGFMT_VALUE.search(whole, start)
    if found is None or len(_LOGFMT_PAIR.findall(whole, start)) > _LOGFMT_PAIRS:
        return None
    return max(found.end() - (len(whole) - len(text)), 0)


#: The shapes that also read the released text, in no particular order.
CONTEXT_SHAPES: Final[tuple[ContextShape, ...]] = (
    open_row,
    open_report,
    open_psql_echo,
    open_answer_line,
    open_spelled_run,
    open_seed_groups,
    open_app_password,
    open_keyword_literal,
    open_odd_card,
    open_card_row,
    open_bare_digits,
    open_secret_data,
    open_credential_element,
    open_closing_quote,
    open_next_argument,
    open_fenced_value,
    open_logfmt_value,
    open_listed_login,
    open_config_words,
    open_auth_file_block,
)

#: :data:`CONTEXT_SHAPES` for text known to hold no password table header
#: (:func:`detectors.password_tables.header_free`): :func:`open_row` would find no table.
CONTEXT_SHAPES_WITHOUT_TABLES: Final = tuple(s for s in CONTEXT_SHAPES if s is not open_row)


def held_from(
    text: str,
    shapes: Iterable[Shape] = SHAPES,
    *,
    phrases: ContextShape | None = None,
    released: str = "",
    context_shapes: Iterable[ContextShape] = CONTEXT_SHAPES,
) -> int:
    """Where the part of ``text`` that could still become a finding begins (``len(text)``
    when nothing could): everything before it can be scanned, masked and released. The
    earliest start of ``shapes``, ``phrases`` and ``context_shapes`` (given ``released``,
    the end of the text released before ``text``) wins."""
    # Run once per upstream read of every stream: a plain loop, no lists.
    held = len(text)
    for shape in shapes:
        start = shape(text)
        if start is not None and start < held:
            held = start
    for context_shape in context_shapes:
        start = context_shape(text, released)
        if start is not None and start < held:
            held = start
    if phrases is not None and held:  # the costliest shape: not when all is held anyway
        start = phrases(text, released)
        if start is not None and start < held:
            held = start
    return held
