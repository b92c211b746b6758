"""A password asked for in a chat and given on the next line, in any language the label list
knows: "wie war nochmal das PW für den Drucker-Admin?" / "Jane: X", "qual é a senha do
roteador mesmo?" / "X", "c'est quoi le mdp du wifi invités ?" / "[09:15] Ana: klar, X".

The question names a password (a label of ``data/credential_labels.txt``'s ``[password]``)
and ends its line with "?"; the answer's line holds, after a chat's time and speaker at
most and a short "sure"/"klar"/"claro", the value first, ending there or before a comma, a
note in brackets or a dash ("X, usuario root", "X (utente admin)", "X - nicht
weitersagen"). The value must have a password's shape (a digit or a symbol, or four words
or more joined as generators join them), so an answer in words ("steht im Passwort-Manager", "it's
in the vault") stays quiet. Three joined words are one too unless a word of them answers or
describes ("yes-done-already", "upper-lower-digits") or they name a host ("vault.corp.com"),
and so is a lowercase word alone of eight letters or more that no word list knows
("Herta: wiedervon", "klar, bessernatürlich"): an answer in one word names a tool
("keepass", "bitwarden") or says later or no ("nachher", "vergessen"). The answer may say
"it's" first ("es ist X", "c'est X"). A token asked for the same way ("anyone have the Jira
API token?" / "it's X, but ...") is a generic secret when it is a random one.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.credential_labels import CredentialLabels, LabelFinder, triggers
from detectors.password_prose import is_capitalised_chain, is_word_chain, names_a_password
from detectors.secret_rule import CONTEXTUAL, Check, SecretRule
from detectors.secret_values import is_placeholder, is_scattered

# The answer's line: a chat's time ("[09:15]"), its speaker ("Jane:"), a short yes.
_ANSWER = re.compile(
    r"\?[ \t]*\r?\n[ \t]*(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*)?"
    r"(?:[^\W\d_][^\W\d_ .'-]{0,23}(?:[ .'-][^\W\d_]{1,24}){0,2}:[ \t]+)?"
    r"(?:(?i:klar|sure|ok|okay|claro|oui|sí|si|ja|tak|yes|eccola|voilà|hier)[,!:]?[ \t]+)?"
    # "it's X", "es ist X", "c'est X": the answer's "is" (the value still first after it)
    r"(?:(?i:it['’]?s|it[ \t]+is|es[ \t]+ist|c['’]est|è|é|es)[ \t]+)?"
    r"(?P<bare>[^\s,;\"'`]{5,63}[^\s,;\"'`.:)])"
    # what may follow the value, read so that every beginning of a streamed answer that
    # ends inside it decides as the whole does: a dash at the end (of "X - aber")
    r"(?=[ \t]*(?:\r?\n|\r?\Z|[,;]|\(|[-–—](?:[ \t]|\Z)))"
)
_NUMBER = re.compile(r"[\d.,:+-]+")
_SYMBOL = re.compile(r"[^\w\s.-]")
_QUESTION_REACH = 200  # characters of the question's line read back from its "?"
_JOINERS = re.compile(r"[-_.]")
_CHAIN_WORDS = 4
# Words of an answer or of a policy, not of a generator's chain: "yes-done-already",
# "ja-schon-erledigt", "upper-lower-digits" to "what's the password policy?".
_ANSWER_WORDS = frozenset((
    "yes", "yep", "no", "nope", "done", "already", "ok", "okay", "sure", "sorry", "later",
    "soon", "maybe", "upper", "lower", "uppercase", "lowercase", "digit", "digits", "number",
    "numbers", "symbol", "symbols", "special", "char", "chars", "characters", "letter",
    "letters", "length", "mixed", "min", "max",
    "ja", "nein", "schon", "erledigt", "gemacht", "fertig", "klar", "oui", "non", "déjà",
    "fait", "fini", "si", "sí", "ya", "hecho", "listo", "sim", "não", "nao", "já", "feito",
    "pronto", "sì", "già", "fatto", "nee", "al", "klaar", "gedaan", "tak", "nie", "już",
    "zrobione", "gotowe", "nej", "redan", "klart", "gjort",
))  # fmt: skip
_HOST_ENDS = frozenset(("local", "lan", "corp", "intern", "internal", "home", "intranet"))
_LONGEST_TLD = 3
_ONE_WORD = re.compile(r"[^\W\d_]{8,40}")


def _chain_of_three(value: str) -> bool:
    """Three words joined as generators join them, none an answer's or a policy's word, and
    dotted ones no host name (their last word a top-level domain's or a network's)."""
    words = _JOINERS.split(value)
    if len(words) != _CHAIN_WORDS - 1 or not is_word_chain(value, quoted=True):
        return False
    if any(word in _ANSWER_WORDS for word in words):
        return False
    return "." not in value or (len(words[-1]) > _LONGEST_TLD and words[-1] not in _HOST_ENDS)


def _unknown_word(value: str, words: frozenset[str], states: frozenset[str]) -> bool:
    """A lowercase word of eight letters or more that is no word of ``words`` (English,
    technology names) nor of ``states`` (the labels, states and pointers of the list)."""
    return (
        _ONE_WORD.fullmatch(value) is not None
        and value.islower()
        and value not in words
        and value not in states
        and not names_a_password(value)
    )


def _asked(finder: LabelFinder, words: frozenset[str], states: frozenset[str]) -> Check:
    """The question's line names a password, and the value has a password's shape."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if is_placeholder(value) or _NUMBER.fullmatch(value):
            return False
        shaped = (
            any(ch.isdigit() for ch in value)
            or _SYMBOL.search(value) is not None
            or is_capitalised_chain(value)
            # four words or more: a generator's; three unless an answer's or a host's
            or (is_word_chain(value, quoted=True) and len(_JOINERS.split(value)) >= _CHAIN_WORDS)
            or _chain_of_three(value)
            or _unknown_word(value, words, states)
        )
        if not shaped or value[0] == "/" or "://" in value:
            return False
        return _asked_for(finder, "password", match, text)

    return check


def _asked_for(finder: LabelFinder, kind: str, match: re.Match[str], text: str) -> bool:
    """Whether the question's line, before the answer ``match``, names a ``kind`` of
    credential ("password", "token")."""
    mark = match.start()
    line_start = max(text.rfind("\n", 0, mark) + 1, mark - _QUESTION_REACH)
    question = text[line_start:mark].lower()
    return any(kind in finder.kinds(question[start:end]) for start, end in finder.find(question))


# A token given as an answer is a machine's: long, and letters and digits mixed at random.
_TOKEN_SHAPE = re.compile(r"(?=[^\d]*\d)(?=[^a-z]*[a-z])[A-Za-z0-9_\-+/=.~]{16,63}")


def _asked_token(finder: LabelFinder) -> Check:
    """The question's line names a token or a secret ("anyone have the Jira API token?"),
    and the value is a random one: sixteen characters or more, digits and letters that
    change class every few characters ("it's in the vault", "it's jira-bot-token" stay
    quiet)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if (
            _TOKEN_SHAPE.fullmatch(value) is None
            or not is_scattered(value)
            or is_placeholder(value)
            or "://" in value
        ):
            return False
        return _asked_for(finder, "token", match, text)

    return check


def asked_password_rules(
    labels: CredentialLabels, words: frozenset[str] = frozenset()
) -> tuple[SecretRule, ...]:
    """The rule of this module: a password asked for and given on the next line; ``words``
    are what a one-word answer that is a password is not (English words, technology names)."""
    states = frozenset(
        word.lower()
        for word in (
            *labels.state, *labels.clause, *labels.pointer, *labels.password, *labels.key,
            *labels.token, *labels.user, *labels.credentials,
        )
    )  # fmt: skip
    return (
        SecretRule(
            E.PASSWORD,
            _ANSWER,
            0.7,
            CONTEXTUAL,
            triggers(labels.password),
            _asked(LabelFinder(labels), words, states),
        ),
        SecretRule(
            E.GENERIC_SECRET,
            _ANSWER,
            0.7,
            CONTEXTUAL,
            triggers(labels.token),
            _asked_token(LabelFinder(labels)),
        ),
    )
