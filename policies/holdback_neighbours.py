"""Hold-back shapes of values whose rule reads the rest of their line or the line after.

A list of logins (``detectors.password_commands``: "user / X" lines under a line about
accounts) makes a row's value a password only if a row of the same shape is next to it: the
first row's neighbour is the line after it. The unfinished token held the value until its
line ended, and the line break released it before the next row had shown the list; the
whole answer masks it. So the value of a "user / X" row with no such row above it is held
while the line after it may still become one (:func:`open_listed_login`), and released
once that line has ended or shows it is none. The hold is bounded by one row's length.

A config line whose whole value is words (``detectors.assigned_secrets``: YAML's plain
scalar, "replicationPassword: clearly one road wish") is a passphrase only once the line
has ended: the unfinished token held its last word, and the words before it went out, one
by one. So such a line's words are held from the first until the line ends
(:func:`open_config_words`), at most the rule's eight words.

A fenced block of two lines (``detectors.secret_notes``: an OpenVPN auth-user-pass file, a
user name then the password) is a credential when the text names the option, which it may
do after the block ("the config has `auth-user-pass creds.txt`"): the block's value is held
after its closing fence until :data:`detectors.secret_notes.AUTH_USER_PASS_AFTER_CHARS`
characters have followed it (:func:`open_auth_file_block`).
"""

from __future__ import annotations

import re
from typing import Final

import regex

from detectors.assigned_secrets import MACHINE_KEY, PASSWORD_KEY
from detectors.password_commands import LISTED_LOGIN_VALUE, USER_SLASH
from detectors.secret_notes import AUTH_USER_PASS_AFTER_CHARS, TWO_LINE_BLOCK

# The row's pattern, matched partially on the line being written (``regex``'s
# ``partial=True``: a match reaching the end of the text that could still go on).
_PARTIAL_ROW = regex.compile(USER_SLASH.pattern, USER_SLASH.flags)
_ROW_VALUE = re.compile(LISTED_LOGIN_VALUE)
#: A row's longest text (a label, backticks, a user of 64 and a value of 256 characters)
#: and the line break after it.
_ROW_CHARS: Final = 4 + 34 + 66 + 5 + 258 + 4


def open_listed_login(text: str, released: str) -> int | None:
    """The value of a "user / X" row that has just ended, with no such row above it, while
    the line being written may still be the next row: the rule of lists of logins reads
    that line (a row alone is no list), so the value is held from its start until the line
    ends or shows it is no row."""
    # Run on every read of every stream: most pending texts have no line break, or no " / "
    # before their last one. The value is held with its line break, so while the hold is
    # open the break is in the pending text.
    end = text.rfind("\n")
    if end < 0:
        return None
    whole = released[-2 * _ROW_CHARS :] + text
    offset = len(whole) - len(text)
    end += offset
    if whole.find(" / ", max(0, end - _ROW_CHARS), end) < 0:
        return None  # most line ends: no "user / X" on the line before
    if _PARTIAL_ROW.match(whole, end + 1, partial=True) is None:
        return None  # the line being written is no row: the value's fate is known
    row = whole.rfind("\n", 0, end) + 1
    if USER_SLASH.match(whole, row) is None:
        return None
    above = whole.rfind("\n", 0, max(row - 1, 0)) + 1
    if row and USER_SLASH.match(whole, above) is not None:
        return None  # a row above it: the value's neighbour has arrived
    value = _ROW_VALUE.search(whole, row, end + 1)
    return None if value is None else max(value.start("value") - offset, 0)


# A config line being written: blanks or a list mark, a key naming a password, its
# separator and words, none of them quoted or a comment, the line not ended yet. The words
# are those of the rule (``detectors.assigned_secrets``' config words), one more to tell
# when there are too many.
_CONFIG_WORDS = re.compile(
    r"[ \t]*(?:-[ \t]+)?(?P<key>(?i:" + PASSWORD_KEY + r"))(?::[ \t]+|=)"
    r"(?P<value>[^\W_][^\s\"'`#]*(?:[ \t]+[^\s\"'`#]+){0,8}[ \t]*)\Z"
)
#: The longest such line: blanks, a key and eight words (``[^\s]*`` has no bound: a line
#: longer than this is no config line of words).
_CONFIG_LINE_CHARS: Final = 16 + 64 + 9 * 32


def open_config_words(text: str, released: str) -> int | None:
    """The words of a config line whose key is a program's name for a password
    (``replicationPassword: clearly one``), its line not ended: the rule for a value of
    words reads it to the line's end, so they are held from the first until it ends."""
    # Run on every read of every stream: most lines have no ":" or "=" near their start.
    line = text.rfind("\n") + 1
    if line:
        whole, start = text, line
    else:
        whole = released[-_CONFIG_LINE_CHARS:] + text
        start = whole.rfind("\n") + 1
        if not start and len(released) > _CONFIG_LINE_CHARS:
            return None  # a line longer than a config line of words
    head = whole[start : start + 96]
    if ":" not in head and "=" not in head:
        return None
    found = _CONFIG_WORDS.match(whole, start)
    if found is None or MACHINE_KEY.search(found["key"]) is None:
        return None
    return max(found.start("value") - (len(whole) - len(text)), 0)


#: A two-line block's text before its value's end: the fence and its language, the user's
#: line, the value.
_BLOCK_CHARS: Final = 3 + 16 + 2 + 8 + 64 + 10 + 256


def open_auth_file_block(text: str, released: str) -> int | None:
    """The value of a fenced block of two lines, closed less than
    :data:`detectors.secret_notes.AUTH_USER_PASS_AFTER_CHARS` characters ago: the text may
    still name the block an auth-user-pass file after it, which makes the value a password
    the whole answer masks, so it is held from its start until that many have followed."""
    # Run on every read of every stream: most text has no fence near its end.
    reach = AUTH_USER_PASS_AFTER_CHARS
    if "```" not in text[-reach - 8 :] and "```" not in released[-reach - 8 :]:
        return None
    whole = released[-reach - _BLOCK_CHARS :] + text
    offset = len(whole) - len(text)
    for found in TWO_LINE_BLOCK.finditer(whole, max(0, len(whole) - reach - _BLOCK_CHARS)):
        if len(whole) - found.end("value") < reach:
            return max(found.start("value") - offset, 0)
    return None
