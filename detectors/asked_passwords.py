"""A password asked for in a chat and given on the next line, in any language the label list
knows: "wie war nochmal das PW für den Drucker-Admin?" / "Jane: X", "qual é a senha do
roteador mesmo?" / "X", "c'est quoi le mdp du wifi invités ?" / "[09:15] Ana: klar, X".

The question names a password (a label of ``data/credential_labels.txt``'s ``[password]``)
and ends its line with "?"; the answer's line holds, after a chat's time and speaker at
most and a short "sure"/"klar"/"claro", the value first, ending there or before a comma, a
note in brackets or a dash ("X, usuario root", "X (utente admin)", "X - nicht
weitersagen"). The value must have a password's shape (a digit or a symbol, or four words
or more joined as generators join them), so an answer in words ("steht im Passwort-Manager", "it's
in the vault") stays quiet.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.credential_labels import CredentialLabels, LabelFinder, triggers
from detectors.password_prose import is_capitalised_chain, is_word_chain
from detectors.secret_rule import CONTEXTUAL, Check, SecretRule
from detectors.secret_values import is_placeholder

# The answer's line: a chat's time ("[09:15]"), its speaker ("Jane:"), a short yes.
_ANSWER = re.compile(
    r"\?[ \t]*\r?\n[ \t]*(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*)?"
    r"(?:[^\W\d_][^\W\d_ .'-]{0,23}(?:[ .'-][^\W\d_]{1,24}){0,2}:[ \t]+)?"
    r"(?:(?i:klar|sure|ok|okay|claro|oui|sí|si|ja|tak|yes|eccola|voilà|hier)[,!:]?[ \t]+)?"
    r"(?P<bare>[^\s,;\"'`]{5,63}[^\s,;\"'`.:)])"
    r"(?=[ \t]*(?:\r?\n|\Z|[,;]|\(|[-–—][ \t]))"
)
_NUMBER = re.compile(r"[\d.,:+-]+")
_SYMBOL = re.compile(r"[^\w\s.-]")
_QUESTION_REACH = 200  # characters of the question's line read back from its "?"
_JOINERS = re.compile(r"[-_.]")
_CHAIN_WORDS = 4


def _asked(finder: LabelFinder) -> Check:
    """The question's line names a password, and the value has a password's shape."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if is_placeholder(value) or _NUMBER.fullmatch(value):
            return False
        shaped = (
            any(ch.isdigit() for ch in value)
            or _SYMBOL.search(value) is not None
            or is_capitalised_chain(value)
            # four words or more: a generator's; three may be an answer ("yes-done-already",
            # "upper-lower-digits" to "what's the password policy?")
            or (is_word_chain(value, quoted=True) and len(_JOINERS.split(value)) >= _CHAIN_WORDS)
        )
        if not shaped or value[0] == "/" or "://" in value:
            return False
        mark = match.start()
        line_start = max(text.rfind("\n", 0, mark) + 1, mark - _QUESTION_REACH)
        question = text[line_start:mark].lower()
        return any(
            "password" in finder.kinds(question[start:end]) for start, end in finder.find(question)
        )

    return check


def asked_password_rules(labels: CredentialLabels) -> tuple[SecretRule, ...]:
    """The rule of this module: a password asked for and given on the next line."""
    return (
        SecretRule(
            E.PASSWORD,
            _ANSWER,
            0.7,
            CONTEXTUAL,
            triggers(labels.password),
            _asked(LabelFinder(labels)),
        ),
    )
