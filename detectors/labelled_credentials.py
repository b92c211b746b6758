"""Credentials told in a sentence in any language the label list knows: "das Passwort für den
Drucker ist X", "le mdp du wifi invité c'est X", "hasło do wifi dla gości to X", "misafir
wifi şifresi X", "El PIN de la tarjeta es 4821", "X ist das neue Passwort", "login: U / X",
"der API-Schlüssel für das Reporting lautet X".

The words come from ``data/credential_labels.txt`` (:mod:`detectors.credential_labels`);
the rules only know how such sentences are built:

* a label, then up to six words of the sentence ending in an "is" of the list ("ist",
  "lautet", "c'est", "to", "on") or a colon, or at most one word ("clave wifi X"), or up
  to three before a value that ends its line ("pass wifi sala riunioni X"), then the value;
* the value at the start of a line, "is", up to four words, then the label;
* a user name label or a credentials label, the user name, "/" or "and", the value;
* a user name label, the user name, the password's label, the value ("usuario U, contraseña
  X", "Benutzername ist U, das Kennwort X"), and "login and password are U and X".

No word list of the sentence's language is at hand, so a bare value after "is" must not be
a word: it holds a digit or a symbol, or is a word chain ("LoremIpsumDolor",
"lorem-ipsum-dolor"); a quoted value may be any passphrase. Where the layout says a value
is being told (a colon after the label, a user name before it), a word of six letters or
more is a password too, unless it is a state the list names ("abgelaufen", "incorrecta").
So is a lowercase word of five letters or more that no English word, state or pointing
word ("questa", "warum") of the list is, where its clause closes right after it: after
"is" ("mein pw ist harumaliquid, ..."), or right after a label that needs no "is"
("misafir wifi şifresi laboriosamporro, ..."), closed by punctuation, the line's end or
an "and"/"but" of the list ("... ist harumaliquid und es kommt ..."); or at the start of
its line before "is" and the label ("laboreunde es la contraseña nueva").
The words between label and value are words (letters, inner hyphens and apostrophes): a
value never hides among them. A key's value is a generic secret when it is a token
(random, a UUID, long hex), a password when it is a person's (a wifi key: "Schlüssel:
Autumn2024!").

The labels are found once per text for all these rules (:class:`LabelFinder`), and each
rule is tried only where a label of its kinds stands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from detectors import entities as E
from detectors.credential_labels import (
    CredentialLabels,
    LabelFinder,
    alternation,
    lowered_alternation,
    triggers,
)
from detectors.password_prose import (
    is_capitalised_chain,
    is_passphrase,
    is_told_chain,
    is_word_chain,
    looks_like_password,
)
from detectors.secret_rule import CONTEXTUAL, AnchorCache, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_placeholder, is_scattered

# A word of the sentence between a label and its value: letters, inner hyphens and
# apostrophes ("Notfall-Account", "c'est", "wifi-ul").
_WORD = r"[^\W\d_]{1,24}(?:['’-][^\W\d_]{1,24}){0,3}"  # bounded: see policies.line_context
# What may close a word in a sentence.
_CLOSE = r"[.,!?:;)\]}…\"'“”»›’]{0,4}"
# A bare value is not a word: letters alone with at most one inner hyphen or apostrophe
# are a word of the sentence, unless three capitalised parts ("ThousandMoreMention") or
# the case changes from lower to upper three times (a random key: "EINmPKnqrHwN").
_NOT_A_WORD = (
    r"(?!(?!(?:[A-Z][a-z]{1,24}){3}|(?:[A-Za-z]*?[a-z][A-Z]){3})"
    r"[^\W\d_]{1,256}(?:['’-][^\W\d_]{1,256})?"
    + _CLOSE
    + r"(?!\S))"
    # nor a note in brackets: "(see vault)", "(optional)"; a password may open with one
    # ("(k#ZqZhQ9I6RPX%j")
    + r"(?!\((?:[^\W\d_]+(?:[\s)]|\Z)|[\s()]))"
)
_OPEN_QUOTES = "„“”«‹‚‘"
_CLOSE_QUOTES = "“”»›‘’"
_ANY_QUOTE = "\"'`„“”«»‹›‚‘’"
_QUOTED = (
    r"\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`"
    rf"|[{_OPEN_QUOTES}][ \t\u00a0]*(?P<dq2>[^{_ANY_QUOTE}\s](?:[^{_ANY_QUOTE}\n]{{0,254}}"
    rf"[^{_ANY_QUOTE}\s])?)[ \t\u00a0]*[{_CLOSE_QUOTES}]"
    r"|\((?P<sq2>[^\s()]{8,256})\)"
)
# A password: quoted, or bare and no word (it keeps a full stop after it, as the English
# rules' values do: a streamed answer masks whole tokens).
# A ";" inside it is a character of it ("Z6n;OUyCbk$$"), not one that starts the next
# "key=" ("Pwd=X;Server=db"), nor one before a blank.
# Arabic's comma and semicolon ("،", "؛") end it as "," and ";" do (h212).
_BARE = rf"(?:[^\s{_ANY_QUOTE},;،؛]|;(?![\w ]*=)(?=[^\s{_ANY_QUOTE},;،؛])){{4,256}}"
_VALUE = rf"(?:{_QUOTED}|(?P<bare>{_NOT_A_WORD}{_BARE}))"
# A value where the layout says one is told: a word may be one.
_ANY_VALUE = rf"(?:{_QUOTED}|(?P<bare>(?!\((?:[^\W\d_]|[\s()])){_BARE}))"
# A token: quoted, or bare characters of a key, ending in a letter, digit or "=".
_TOKEN_VALUE = (
    rf"(?:{_QUOTED}|(?P<bare>{_NOT_A_WORD}[A-Za-z0-9+/_-][A-Za-z0-9_~+/=.-]{{6,510}}"
    r"[A-Za-z0-9=])(?![\w~+/=-]))"
)
# A PIN's or a code's digits: four to eight, or two groups of four ("1619 5403", as
# recovery codes are printed), neither a year ("2024-2025", "4821 2024")
_PIN_VALUE = (
    r"(?P<value>(?!(?:19|20)\d\d[ -])\d{4}[ -](?!(?:19|20)\d\d(?!\d))\d{4}|\d{4,8})"
    r"(?![\w.,:/-]?\d|\w)(?![ \t]*[€$£%])"
)
_BOUNDARY_AFTER = r"(?!\w)(?!-[^\W\d_])"
# not inside a path, a URL or a variable ("//token:8080"), nor an option's value
# ("PreferredAuthentications=password user@host")
_NOT_AFTER = r"(?<![\w/.@:$=])"


def _gap(words: int, word: str = _WORD) -> str:
    return r"(?:[ \t]+" + word + r"){0," + str(words) + r"}?"


# A word of the sentence before "is", or the name of the account the password opens, as
# such accounts are named: words joined by underscores ("Das Kennwort vom Service-Konto
# svc_backup ist X", "la contraseña de sa_sql es X"); never a value, which follows "is".
_WORD_OR_ACCOUNT = r"(?:" + _WORD + r"|[^\W\d_]{1,24}(?:_[^\W_]{1,24}){1,3})"


def _bridge(copula: str, plain_words: int, after_copula: int = 0, line_end: int = 0) -> str:
    """From a label to its value: up to eight words ending in "is" (and up to
    ``after_copula`` words after it: "das Passwort ist jetzt X", Hungarian "a jelszavam az
    intranethez X"; "le mot de passe du wifi de la salle de réunion est X") or a colon, a
    dash, words before a value in brackets, or blanks after up to ``plain_words`` words
    ("clave wifi X", a PIN's "Türcode Serverraum 4821"), or ``line_end`` words before a
    value that ends its line ("pass wifi sala riunioni X")."""
    return (
        r"(?P<bridge>"
        + _gap(8, _WORD_OR_ACCOUNT)
        + r"[ \t]+"
        + copula
        + r"(?!\w)(?:[ \t]*[:=])?[ \t]+"
        r"(?P<after>(?:" + _WORD + r"[ \t]+){0," + str(after_copula) + r"})"
        r"|" + _gap(8) + r"[ \t]*[:=][ \t]*"
        r"|[ \t]+(?:[-–—]|->|=>|→)[ \t]+"
        r"|" + _gap(8) + r"[ \t]+(?=\()"  # "das Token für den Dienst (X)"
        r"|"
        + _gap(plain_words)
        + r"[ \t]+"
        + (r"|(?P<tail>" + _gap(line_end) + r")[ \t]+(?=\S+[ \t]*(?:\r?\n|\Z))" if line_end else "")
        + r")"
    )


def anchor(labels: CredentialLabels) -> str:
    """Any label word, as a regex: the ``anchor`` of every rule here, for what reads the
    rules' shapes (the rules themselves find their labels with a :class:`LabelFinder`)."""
    return lowered_alternation(
        (*labels.password, *labels.key, *labels.token, *labels.pin, *labels.user,
         *labels.credentials)
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Where:
    """What the rules of one build share: the labels as a regex and their finder."""

    anchor: str
    finder: LabelFinder
    not_after: str  # what may stand before a label: _NOT_AFTER, or a compound's head


def _where(labels: CredentialLabels) -> _Where:
    return _Where(anchor(labels), LabelFinder(labels), _not_after(labels.compound))


def _not_after(compound: tuple[str, ...]) -> str:
    """``_NOT_AFTER``, or a letter before a label that ends a compound noun
    ("Initialpasswort: X", "Beginwachtwoord: X", "Startlösenord: X")."""
    if not compound:
        return _NOT_AFTER
    return r"(?:" + _NOT_AFTER + r"|(?<=[^\W\d_])(?=" + alternation(compound) + r"))"


def _pattern(
    where: _Where, kinds: tuple[str, ...], pattern: str, words: int, reach: int
) -> LabelPattern:
    return LabelPattern(
        re.compile(where.anchor),
        re.compile(pattern),
        words,
        reach,
        where.finder,
        frozenset(kinds),
        line_start=words > 0,
    )


def _label_first(
    where: _Where, kinds: tuple[str, ...], labels: tuple[str, ...], bridge: str, value: str
) -> LabelPattern:
    return _pattern(
        where,
        kinds,
        where.not_after
        + r"(?P<label>"
        + alternation(labels)
        + r")"
        + _BOUNDARY_AFTER
        + bridge
        + value,
        0,
        0,
    )


@dataclass(frozen=True, slots=True)
class LabelPattern(AnchoredPattern):
    """An :class:`AnchoredPattern` tried where a label of ``kinds`` stands (found by
    ``finder``, once per text for all the rules here), at the label itself, or with
    ``line_start`` at the start of its line (a value before its label: the same matches as
    trying every word of the ``words`` before the label, which cost more than the matching).
    ``anchor`` is the same labels as a regex, for what reads rules' shapes."""

    finder: LabelFinder
    kinds: frozenset[str]
    line_start: bool

    def finditer_lowered(
        self, string: str, lowered: str, anchors: AnchorCache | None = None
    ) -> Iterator[re.Match[str]]:
        """The matches at the labels of ``kinds``, left to right, not overlapping."""
        key = (_FINDER_KEY, id(self.finder))
        found = None if anchors is None else anchors.get(key)
        if found is None:
            found = self.finder.find(lowered)
            if anchors is not None:
                anchors[key] = found
        position = 0
        for label_start, label_end in found:
            if label_end <= position or not self.kinds & self.finder.kinds(
                lowered[label_start:label_end]
            ):
                continue
            start = label_start
            if self.line_start:
                start = string.rfind("\n", 0, label_start) + 1
                if start < max(position, label_start - self.reach):
                    continue
            match = self.pattern.match(string, start, label_end + _TAIL)
            if match is not None:
                position = match.end()
                yield match


@dataclass(frozen=True, slots=True)
class ClosedLabelPattern(LabelPattern):
    """A :class:`LabelPattern` whose value the words after it close ("ist harumaliquid
    und"): ``pattern`` is ``head`` and ``closer`` in one. ``head`` matches from the label to
    the end of the value, where the text ends (an ``endpos``); ``closer`` what must follow
    the value, ``value`` the value alone. A streamed answer holds the value while the text
    after it may still become ``closer`` (:mod:`policies.value_first`)."""

    head: re.Pattern[str]
    closer: re.Pattern[str]
    value: re.Pattern[str]  # the value alone


_FINDER_KEY = "labelled_credentials.LabelFinder"
_TAIL = 600  # characters after an anchor a match may read, as AnchoredPattern's


def _value_first(
    where: _Where, kinds: tuple[str, ...], labels: tuple[str, ...], copula: str, value: str
) -> LabelPattern:
    """The value at the start of its line, "is" (a dash before it at most), up to four
    words and the label ("X ist das neue WLAN-Passwort", "X - das ist das neue Passwort",
    "X c'est le nouveau mot de passe"); not a commit line ("e84751c Read the password").
    Right after the value comes an "is" of the list: a streamed answer holds the value
    only while that may follow (:mod:`policies.value_first`)."""
    return _pattern(
        where,
        kinds,
        r"(?<![^\n])[ \t]*"
        + value
        + r"[ \t]+(?:[-–—:][ \t]+)?"
        + copula
        + r"(?:[ \t]+"
        + _WORD
        + r"){0,4}?[ \t]+(?:[A-Z][^\W_]{0,23}-)?"  # "WLAN-Passwort", not "my cat-"
        + alternation(labels)
        + r"(?!\w)",
        8,
        320,
    )


_NUMBER = re.compile(r"[\d\s.,:/'’+-]+")
_A_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?")
# Scripts whose words no password is typed in: Hebrew, Arabic, the Indic scripts (a word
# there is the sentence's: "பாஸ்வேர்ட் மறந்துவிட்டேன்", "كلمة المرور غير صحيحة") (h212).
_NO_PASSWORD_SCRIPT = re.compile(r"[\u0590-\u08ff\u0900-\u0dff]")
_HUMPS = re.compile(r"(?:[A-Z][a-z]{2,}){3,}")
_KEY_WORD = re.compile(r"(?i)pass|pwd|word|wort|key|secret|token|user|admin|example|change")
_CODE_CHARS = re.compile(r"[()\[\]{}<>|=:,]|\w\.\w")
_GLUED = tuple(_ANY_QUOTE + "([{")
_MIN_TOLD_WORD = 6
_HASHED = re.compile(r"\$(?:2[abxy]?|1|5|6|y|argon2\w*|pbkdf2[\w-]*|scrypt|sha\d*)\$")
# A variable where the value would be: "$env:API_KEY", "${PASS}", "$(cat f)", "$DB_PASS".
# A "$(" that no ")" closes is a password's symbols ("$(3($oI^PEI7!fbn").
_VARIABLE = re.compile(r"\$(?:env:|\{|\((?=.*\))|[A-Za-z_][A-Za-z0-9_]*$)")


def _trimmed(value: str) -> str:
    return value.rstrip(".,!?:;…،؛")


def _is_a_word(value: str) -> bool:
    """A word of a sentence: letters with at most one inner hyphen or apostrophe, the vowel
    signs and viramas of the Indic scripts among them (marks, which ``\\w`` does not
    match: "मदद", "மறந்துவிட்டேன்"), or any run of a script no password is typed in."""
    if _NO_PASSWORD_SCRIPT.search(value) and not any(ch.isdigit() for ch in value):
        return True
    return _A_WORD.fullmatch(_without_marks(value)) is not None


def _without_marks(value: str) -> str:
    return "".join(ch for ch in value if not unicodedata.category(ch).startswith("M"))


def _password_shape(value: str, bare: bool) -> bool:
    """A password's shape: no placeholder, no number or date, no masked run ("••••••"), and
    a bare value holds a digit or a symbol, or is a chain of capitalised words."""
    if is_placeholder(value) or len(set(value)) < 3 or not any(ch.isalnum() for ch in value):
        return False
    if _NUMBER.fullmatch(value) or value[0] == "/" or "://" in value or _VARIABLE.match(value):
        return False
    if _HASHED.match(value):
        return False  # a stored hash: "$2b$12$...", "$argon2id$..."
    if not bare:
        return len(value) >= 4 and (" " not in value or is_passphrase(value))
    if _HUMPS.fullmatch(value):
        return _KEY_WORD.search(value) is None
    if is_told_chain(value):
        return True  # "RemainRichOkOthersYet", "current-force-play-it"
    if _is_a_word(value):
        return False
    return len(value) >= 6


def _password(looks: Check) -> Check:
    """A person's password after a label: a password's shape, and, unless a chain of
    capitalised words, ``looks`` (the English rules' check: not code, not a placeholder)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        bracketed = match["sq2"] is not None
        bare = match["bare"] is not None or bracketed
        word = _trimmed(value) if bare else value
        if not _password_shape(word, bare):
            return False
        # a word (in brackets too) or code: "os.environ['API_KEY']"; not capitalised words
        # run together, which the shape let through ("SystemWhetherHopeApproach")
        one_word = _is_a_word(word) and (
            bracketed or not (is_capitalised_chain(word) or is_told_chain(word))
        )
        if bare and (one_word or text[match.end() : match.end() + 1] in _GLUED):
            return False
        if word[0] == "(" and not is_scattered(word):
            return False  # a note or a date in brackets: "(2024-01-01)", "(12345)"
        if bracketed and _MADE_BY_A_PERSON.fullmatch(word):
            return True  # "das Admin-Kennwort (Autumn2024!)", "(BleibenNeben369)"
        if bracketed and (_CODE_CHARS.search(word) or not is_scattered(word)):
            return False  # a type in a docstring, a name: "(bytes|None)", "(1Password)"
        if bracketed and word.isalnum() and word.isupper():
            return False  # an identifier of what the words name: "laptop (5CG1234XYZ)"
        if "/" in word and not is_scattered(word):
            return False  # a path or a port and a path: "8080/users/@me"
        if bare and word.count(".") >= _MIN_DOTS and is_word_chain(word, quoted=True):
            # four words or more joined by dots: "sound.fall.memory.environmental"
            return word.split(".", 1)[0] not in _PACKAGE_ROOTS
        if bare and is_told_chain(word):
            return True  # a generator's chain after the label and its "is"
        return _HUMPS.fullmatch(word) is not None or looks(value, match, text)

    return check


# How people make a password they can remember, the shapes password audits and spraying
# lists start from: a season and its year ("Autumn2024!", "Sommer2023", "Primavera2022#"),
# capitalised words run together before a number ("BleibenNeben369"), words joined by a
# hyphen, an underscore or a dot before a number ("eum-error-98"). In brackets after a
# password's label such a value is the password, though not scattered as a generated one.
_SEASONS = (
    "spring|summer|autumn|fall|winter|frühling|fruehling|sommer|herbst|printemps|été|ete"
    "|automne|hiver|primavera|verano|otoño|otono|invierno|verão|verao|outono|inverno|estate"
    "|autunno|lente|zomer|herfst|wiosna|lato|jesień|jesien|zima|vår|sommar|höst|vinter"
)
_MADE_BY_A_PERSON = re.compile(
    rf"(?i:{_SEASONS})(?:19|20)?\d{{2}}[!#$%?*@.]?"
    r"|(?:[A-Z][a-z]{2,}){2,5}\d{1,4}[!#$%?*@]?"
    r"|[A-Za-z]{3,}(?:[-_.][A-Za-z]{3,}){1,5}[-_.]?\d{1,4}[!#$%?*@]?"
)

# Dots between four words: a passphrase a generator made, not a module's path (three parts
# or fewer: "django.contrib.auth", and words of code are no chain's).
_MIN_DOTS = 3
_PACKAGE_ROOTS = frozenset(("org", "com", "net", "io", "edu", "gov", "dev", "app"))  # Java's
_SEPARATORS = ":=-\u2013\u2014>\u2192"  # colon, equals, dashes, arrows


def _quoted_after_words(check: Check, copula: re.Pattern[str]) -> Check:
    """``check``, and a quoted value follows "is", a colon or the label itself, not other
    words ("SET PASSWORD FOR 'backup'@'localhost'": the quotes hold a name)."""

    def quoted(value: str, match: re.Match[str], text: str) -> bool:
        bridge = (match["bridge"] or "").strip()
        quoted = match["bare"] is None and match["sq2"] is None
        if quoted and bridge and bridge[-1] not in _SEPARATORS and not copula.search(bridge):
            return False
        return check(value, match, text)

    return quoted


def _no_quoted_state(check: Check, states: frozenset[str]) -> Check:
    """``check``, and quoted words are not a description ending in a state: 'la password è
    "molto lunga" ormai', 'das Passwort ist "viel zu kurz"' (a passphrase's last word is
    none: "correct horse battery")."""

    def no_state(value: str, match: re.Match[str], text: str) -> bool:
        words = value.split()
        if match["bare"] is None and len(words) > 1 and words[-1].lower() in states:
            return False
        return check(value, match, text)

    return no_state


_VERSION = re.compile(r"[vV]?\d+(?:\.\d+)+\S*")


def _line_end(check: Check, states: frozenset[str]) -> Check:
    """``check``, and for a value after words that ends its line ("pass wifi sala riunioni
    X"): none of those words a state ("mot de passe oublié ticket INC0012345"), the value
    no version or e-mail address ("Passwort Richtlinie Version v2.1.3")."""

    def line_end(value: str, match: re.Match[str], text: str) -> bool:
        tail = match["tail"]
        if tail is not None and tail.strip():
            if any(word.lower() in states for word in tail.split()):
                return False
            if _VERSION.fullmatch(value) or "@" in value:
                return False
        return check(value, match, text)

    return line_end


# Where a password is sent from or used on, after the words around "password": an e-mail
# address, a host and its port.
_MAILBOX_OR_HOST = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+[A-Za-z]{2,}:\d{1,5}")


def _near_copula(check: Check) -> Check:
    """``check``, and a value two words after "is" holds a digit or a symbol ("lautet ab
    morgen Autumn2020"): words run together there are the sentence's ("is checked by
    AccountSettingsSecurityPage")."""

    def near(value: str, match: re.Match[str], text: str) -> bool:
        after = match["after"]
        if after and len(after.split()) > 1 and _trimmed(value).isalpha():
            return False
        if _MAILBOX_OR_HOST.fullmatch(_trimmed(value)):
            return False  # "a link to set your password from noreply@x", "... on smtp.x:587"
        return check(value, match, text)

    return near


def _told_dots(check: Check, copula: re.Pattern[str], verbless: frozenset[str]) -> Check:
    """``check``, or three lowercase words joined by dots right after "is" or after a label
    that needs no "is" ("le code Wi-Fi du bureau est reduce.total.audience", "வைஃபை
    பாஸ்வேர்ட் institution.analysis.oil"): a generator's passphrase there, not a module's
    path (no word of code, no package root: "django.contrib.auth" is refused) (h212)."""

    def dots(value: str, match: re.Match[str], text: str) -> bool:
        word = _trimmed(value)
        if (
            match["bare"] is not None
            and word.count(".") == _MIN_DOTS - 1
            and word.split(".", 1)[0] not in _PACKAGE_ROOTS
            and is_word_chain(word, quoted=True)
            and not is_placeholder(word)
            and not match["after"]
        ):
            bridge = (match["bridge"] or "").strip()
            if copula.search(bridge) or (not bridge and match["label"].lower() in verbless):
                return True
        return check(value, match, text)

    return dots


def _not_in_pair(check: Check, pair: re.Pattern[str]) -> Check:
    """``check``, and the label is not the second of "login and password are U and X":
    there the first value is the user name (the pair's own rule takes the second)."""

    def not_in_pair(value: str, match: re.Match[str], text: str) -> bool:
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        return pair.search(line) is None and check(value, match, text)

    return not_in_pair


def _told(password: Check, words: frozenset[str], states: frozenset[str]) -> Check:
    """``password``, or, for a value the layout says is told, a word of six letters or
    more that is no English word, no label and no state of the list (``words``, ``states``:
    "abgelaufen", "lösenordet")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        word = _trimmed(value)
        if _NO_PASSWORD_SCRIPT.search(word) and _is_a_word(word):
            return False
        if match["bare"] is None or not word.isalpha():
            return password(value, match, text)
        lowered = word.lower()
        return (
            len(word) >= _MIN_TOLD_WORD
            and lowered not in states
            and lowered not in words
            and _KEY_WORD.search(word) is None
            and text[match.end() : match.end() + 1] not in _GLUED
        )

    return check


def _told_word(words: frozenset[str], states: frozenset[str]) -> Check:
    """A lowercase word after "is" that ends its clause ("mein pw für den vpn ist
    harumaliquid, und ...", "heslo na wifi je quaeratcorporis, ..."): five letters or more,
    no English word, no label, no state of the list ("abgelaufen", "špatné") and no word
    naming a key."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        lowered = value.lower()
        return (
            value.islower()
            and lowered not in states
            and lowered not in words
            and _KEY_WORD.search(value) is None
        )

    return check


def _after_verb(check: Check, verbless: frozenset[str]) -> Check:
    """``check``, and the word follows "is", unless its label is one a value follows with
    no verb ("misafir wifi şifresi X": ``verbless``), right after it."""

    def after_verb(value: str, match: re.Match[str], text: str) -> bool:
        if not match["bridge"].strip() and match["label"].lower() not in verbless:
            return False
        return check(value, match, text)

    return after_verb


_TOLD_WORD = r"[^\W\d_]{5,40}"


def _closed_word(
    where: _Where, labels: tuple[str, ...], bridge: str, joiners: str
) -> ClosedLabelPattern:
    """A password's label, ``bridge``, and a bare lowercase word that ends its clause:
    punctuation right after it, the line's or the text's end, or the next word if an "and"
    or "but" of the list (``joiners``: "ist harumaliquid und es kommt", "je adquidem a
    pořád"). That word is part of the match (the ``closer``): a streamed answer, which
    releases a word once a blank follows it, holds the value while it may be arriving."""
    head = (
        where.not_after
        + r"(?P<label>"
        + alternation(labels)
        + r")"
        + _BOUNDARY_AFTER
        + bridge
        + r"(?P<bare>"
        + _TOLD_WORD
        + r")"
    )
    closer = r"(?=[.!?…]+(?!\w)|[,;:)]|\r?\n|\Z)|[ \t]+" + joiners + r"(?=[ \t]+\S)"
    return ClosedLabelPattern(
        re.compile(where.anchor),
        re.compile(head + "(?:" + closer + ")"),
        0,
        0,
        where.finder,
        frozenset(("password",)),
        line_start=False,
        head=re.compile(head + r"\Z"),
        closer=re.compile(closer),
        value=re.compile(_TOLD_WORD),
    )


_LONGEST_PERSONAL = 20
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_~+/=.-]+")
#: How people make a password of words: joined by a hyphen, an underscore or a dot, or
#: capitalised and run together, a number at the end ("deserunt-optio-74",
#: "CommodiIncidunt157"): a person's, however long, never a generated key.
PERSONAL = re.compile(
    r"[A-Za-z]{3,}(?:[-_.][A-Za-z]{3,}){1,5}(?:[-_.]?\d{1,4})?[!#$%?*]?"
    r"|(?:[A-Z][a-z]{2,}){2,5}\d{0,4}[!#$%?*]?"
)


def _not_token(token: Check, password: Check) -> Check:
    """A person's password after a key's label ("Schlüssel: Autumn2024!"): not a token."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        word = _trimmed(value)
        if any(ch.isspace() for ch in word) or token(word, match, text):
            return False  # a key has no blanks: 'token: "correct horse battery"' is a label
        if (
            len(word) >= _LONGEST_PERSONAL
            and _TOKEN_CHARS.fullmatch(word)
            and not PERSONAL.fullmatch(word)
        ):
            return False  # a generated key ("3UVAWIVUW47G2MS3EFXH..."), not a person's
        return password(value, match, text)

    return check


_ASSIGNED = re.compile(r"[=<>{}]|\$[({]|^\$[A-Z_]+$")


def _leading(password: Check) -> Check:
    """``password``, for a value before its label: no assignment or reference
    ("password=${DB_PASSWORD} and password: ..."), no key word inside it."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if _ASSIGNED.search(value) or _KEY_WORD.search(value):
            return False
        return password(value, match, text)

    return check


def _word_or(word: Check, password: Check) -> Check:
    """``word`` for a value matched as a word (the ``value`` group), else ``password``."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return (word if match["value"] is not None else password)(value, match, text)

    return check


_YEAR = re.compile(r"19[5-9]\d|20[0-3]\d")


def _pin(copula: re.Pattern[str]) -> Check:
    """Not one digit repeated; a year ("PIN-Brief von 2024") only after "is" or a colon, or
    told before its label ("2024 is the new PIN")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if len(set(value)) < 2:
            return False
        if _YEAR.fullmatch(value) is None or "bridge" not in match.re.groupindex:
            return True  # told first ("2024 is the new PIN"), the "is" is in the match
        bridge = (match["bridge"] or "").rstrip()
        return bridge.endswith((":", "=")) or copula.search(bridge) is not None

    return check


# "to" after a verb of change, before a PIN's digits: "el código de la alarma cambia mañana
# a 462471", "o código do portão muda para 4821", "le code de la porte passe à 4821". The
# verb must be there ("se manda a 1200 clientes" counts people) and only digits follow (as a
# password's bridge "a" would take "envié la contraseña a Juan"); a year after it stays no
# PIN (the year check reads the plain copula).
_CHANGED_TO = (
    r"(?i:(?:cambi|pas|mud|alter|chang|modifi)\w*(?:[ \t]+[^\W\d_]+){0,2}[ \t]+(?:a|à|para))"
)


# "Change the password to X", the verb before the label: "cambiar la contraseña de la cuenta
# compartida a X", "alterar a senha do Wi-Fi para X", "changer le mot de passe en X",
# "cambiare la password in X", "wijzig het wachtwoord naar X", "zmienić hasło na X", "ändra
# lösenordet till X", "setze das Passwort auf X" (h175). The value follows the words after
# the label and the language's "to"; the verb stands at most two words before the label.
_TO = r"(?:a|à|para|pra|in|en|naar|na|till|auf|zu|to)"
_CHANGE_VERB = re.compile(
    r"(?i)(?<![^\W\d_])(?:cambi|alter|mud|troc|chang|modifi|änder|aender|setz|wijzig|verander"
    r"|zmie|zmień|ändr|byt|reset|rinnov|renouvel|redefin|restablec|actualiz|aktualisier)"
    r"[^\W\d_]*(?:[ \t]+[^\W\d_]+){0,2}[ \t]+\Z"
)
_VERB_REACH = 60  # characters before the label read for the verb


def _changed_to(check: Check) -> Check:
    """``check``, and a verb of change stands at most two words before the label
    ("cambiar la contraseña ... a X"; not "enviar la contraseña a Juan")."""

    def changed(value: str, match: re.Match[str], text: str) -> bool:
        start = match.start("label")
        before = text[max(0, start - _VERB_REACH) : start]
        return _CHANGE_VERB.search(before) is not None and check(value, match, text)

    return changed


# The sentence after the one that names a password, which tells the value (h175): "Mein
# Passwort ist abgelaufen. Das neue soll X sein", "la contraseña caducó. La nueva es X", "le
# mot de passe ne marche plus. On utilisait « X » jusqu'à vendredi". Either "the new one"
# and up to two words ("soll", "es", "doit être") before the value, or a value in quotes
# in the first words of that sentence.
_SENTENCE_BEFORE = r"[^\n.!?]{0,120}?[.!?…]{1,3}[ \t]+"
_THE_NEW_ONE = (
    r"(?i:(?:das|der|die)[ \t]+neue|el[ \t]+nuevo|la[ \t]+nueva|o[ \t]+novo|a[ \t]+nova"
    r"|le[ \t]+nouveau|la[ \t]+nouvelle|il[ \t]+nuovo|la[ \t]+nuova|het[ \t]+nieuwe"
    r"|de[ \t]+nieuwe|nowe|det[ \t]+nya|den[ \t]+nya)"
)
_IN_QUOTES = r"(?:\"|[«„“‹][ \t\u00a0]*)(?P<value>[^\s\"«»„“”‹›]{6,64})(?:\"|[ \t\u00a0]*[»“”›])"
_NEXT_SENTENCE_WORDS = r"(?:[^\W\d_]{1,24}['’]?[ \t]+){0,8}?"


def _next_sentence(where: _Where, labels: tuple[str, ...], copula: str) -> LabelPattern:
    """A password's label, the rest of its sentence, and in the next sentence "the new one"
    with up to two words (a verb, "is") before the value, or a quoted value among its
    first words."""
    return _label_first(
        where,
        ("password",),
        labels,
        r"(?P<bridge>" + _SENTENCE_BEFORE + r")",
        r"(?:"
        + _THE_NEW_ONE
        + r"(?:[ \t]+"
        + _WORD
        + r"){1,2}?[ \t]+"
        + _VALUE
        + r"|"
        + _NEXT_SENTENCE_WORDS
        + _IN_QUOTES
        + r")",
    )


_CODE_LIKE = re.compile(r"[A-Z0-9_.:/-]+|.*\.[a-z]{2,4}|.*[/@\\].*")


def _told_next(password: Check, told: Check) -> Check:
    """``password`` for a value after "the new one"; for a quoted one, also a word (``told``:
    "« aliquiddoloribus »"), but no code, file, path or address ("ERR_AUTH_401",
    "config.yaml", "compta@")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is not None:
            return password(value, match, text)
        if _CODE_LIKE.fullmatch(value) or _VERSION.fullmatch(value):
            return False
        if not any(ch.islower() for ch in value):
            return False
        if value.isalpha():
            return told(value, match, text)
        return password(value, match, text)

    return check


# "The password of A is X, that of B Y": the second value after a pronoun that stands for
# the label (h175): "la password del Wi-Fi è X, quella della segreteria 2333", "la
# contraseña del wifi es X y la del router Y", "le mot de passe du wifi est X, celui du NAS
# Y", "a senha do wifi é X, a do roteador Y", "das Passwort vom WLAN ist X, das vom Drucker
# Y", "het wachtwoord van de wifi is X, dat van de printer Y". The first value is any word;
# the second is a PIN's digits (never a year) or a password's shape.
_THAT_OF = (
    r"(?i:quell[ao](?:[ \t]+di|[ \t]+d[ei]ll[oa']?|[ \t]+del|[ \t]+dei)?|la[ \t]+de(?:l|[ \t]+la)?"
    r"|el[ \t]+de(?:l|[ \t]+la)?|celui[ \t]+d[eu]|celle[ \t]+d[eu]|[ao][ \t]+d[oa]"
    r"|das[ \t]+(?:vom|von|für)|die[ \t]+(?:vom|von|für)|dat[ \t]+van|die[ \t]+van"
    r"|det[ \t]+(?:till|för))"
)
_SECOND_PIN = r"(?P<value>\d{4,8})(?![\w.,:/-]?\d|\w)(?![ \t]*[€$£%])"


def _that_of(where: _Where, labels: tuple[str, ...], copula: str, joiners: str) -> LabelPattern:
    """A password's label, "is", a first value, and "that of" (``_THAT_OF``) up to four
    words and a second value, after a comma or an "and" of the list (``joiners``)."""
    return _label_first(
        where,
        ("password",),
        labels,
        r"(?P<bridge>" + _gap(8) + r"[ \t]+" + copula + r"(?!\w)[ \t]+)",
        r"[^\s,;]{4,64}(?:,[ \t]+|[ \t]+"
        + joiners
        + r"[ \t]+)"
        + _THAT_OF
        + r"(?:[ \t]+"
        + _WORD
        + r"){0,4}?[ \t]+(?:"
        + _SECOND_PIN
        + r"|"
        + _VALUE
        + r")",
    )


def _second(pin: Check, password: Check) -> Check:
    """``pin`` for digits but never a year ("quella della sede dal 2024"), ``password`` for
    any other second value."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["value"] is None:
            return password(value, match, text)
        return _YEAR.fullmatch(value) is None and pin(value, match, text)

    return check


# "The password of the thing X", no "is" (h175): "le mot de passe du poste X", "la password
# del admin X en el .env", "das Kennwort des Servers X", "het wachtwoord van de router X",
# "hasło do konsoli X": the label, "of" (an article at most) and one noun, then a value of a
# password's shape. Not after a user's or an account's noun: that value is its name
# ("la password dell'utente mrossi1").
_OF = (
    r"(?i:du|des|de[ \t]+la|de[ \t]+l['’]|de|del|della|dello|dell['’]|dei|di|do|da|dos|das"
    r"|von[ \t]+der|von[ \t]+dem|vom|von|für[ \t]+den|für[ \t]+die|für[ \t]+das|für"
    r"|van[ \t]+de|van[ \t]+het|van|voor[ \t]+de|voor|dla|till|för|för[ \t]+den)"
)
_OWNER_NOUN = re.compile(
    r"(?i)user|benutzer|nutzer|utente|usuario|usuário|utilisateur|gebruiker|użytkownik"
    r"|användar|account|konto|compte|cuenta|conta|kunde|client|cliente"
)


def _of_the_thing(where: _Where, labels: tuple[str, ...]) -> LabelPattern:
    """A password's label, "of", at most an article, one noun, then the value."""
    return _label_first(
        where,
        ("password",),
        labels,
        r"(?P<bridge>[ \t]+" + _OF + r"(?:[ \t]+|(?<=['’]))(?P<thing>" + _WORD + r")[ \t]+)",
        _VALUE,
    )


def _not_an_owner(check: Check) -> Check:
    """``check``, and the noun before the value names no user or account."""

    def not_owner(value: str, match: re.Match[str], text: str) -> bool:
        return _OWNER_NOUN.search(match["thing"]) is None and check(value, match, text)

    return not_owner


def _rule(
    entity: str, pattern: AnchoredPattern, check: Check, words: tuple[str, ...]
) -> SecretRule:
    return SecretRule(entity, pattern, 0.7, CONTEXTUAL, triggers(words), check)


def password_rules(labels: CredentialLabels, words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules for passwords and PINs told in a sentence (module doc); ``words`` are
    what a password in prose is not (English words, technology names, the shipped list)."""
    copula = alternation(labels.copula)
    pin_copula = "(?:" + copula + "|" + _CHANGED_TO + ")"
    where = _where(labels)
    password = _password(looks_like_password(words))
    states = (*labels.state, *labels.password, *labels.key, *labels.token, *labels.user)
    lowered_states = frozenset(w.lower() for w in (*states, *labels.clause, *labels.pointer))
    told = _told(password, words, lowered_states)
    ends_in_copula = re.compile(r"(?:^|[ \t])" + copula + r"$")
    pin = _pin(ends_in_copula)
    and_ = alternation(labels.conjunction)
    names = (*labels.user, *labels.credentials)
    pair = re.compile(r"(?<!\w)" + alternation(labels.user) + r"[ \t]+" + and_ + r"[ \t]+$")
    user_name = r"[^\s/:,;\"'`~.][^\s/:,;\"'`]{0,63}"
    # a word told after "is", or right after a label that needs no "is"
    told_bridge = r"(?P<bridge>" + _gap(6) + r"[ \t]+" + copula + r"(?!\w)[ \t]+|[ \t]+)"
    verbless = frozenset(word.lower() for word in labels.verbless)
    told_word = _after_verb(_not_in_pair(_told_word(words, lowered_states), pair), verbless)
    told_next_word = _told_word(words, lowered_states)
    return (
        # "das Passwort für den Drucker ist X", "hasło do wifi to X", "şifresi X", "pass
        # wifi sala riunioni X"
        _rule(
            E.PASSWORD,
            _label_first(where, ("password",), labels.password, _bridge(copula, 1, 2, 3), _VALUE),
            _near_copula(
                _line_end(
                    _not_in_pair(
                        _told_dots(
                            _quoted_after_words(
                                _no_quoted_state(password, lowered_states), ends_in_copula
                            ),
                            ends_in_copula,
                            verbless,
                        ),
                        pair,
                    ),
                    lowered_states,
                )
            ),
            labels.password,
        ),
        # "mein pw für den vpn ist harumaliquid, und ...", "misafir wifi şifresi
        # laboriosamporro, ...", "... ist harumaliquid und es kommt ...": a word after "is"
        # (or a label that needs none) that ends its clause
        _rule(
            E.PASSWORD,
            _closed_word(
                where,
                labels.password,
                told_bridge,
                alternation((*labels.clause, *labels.conjunction)),
            ),
            told_word,
            labels.password,
        ),
        # "Passwort vom Notfall-Account: X", "mdp wifi salle B : X": a word too
        _rule(
            E.PASSWORD,
            _label_first(
                where,
                ("password",),
                labels.password,
                r"(?P<bridge>" + _gap(8) + r"[ \t]*[:=][ \t]*)",
                _ANY_VALUE,
            ),
            told,
            labels.password,
        ),
        # "X ist das neue Passwort", "laboreunde es la contraseña nueva del wifi": a word
        # too, as a value is only where the layout says one is told (lowercase at the start
        # of its line); one rule, which a streamed answer tries at every line's start
        _rule(
            E.PASSWORD,
            _value_first(
                where,
                ("password",),
                labels.password,
                copula,
                rf"(?:{_VALUE}|(?P<value>{_TOLD_WORD}))",
            ),
            _word_or(_told_word(words, lowered_states), _leading(password)),
            labels.password,
        ),
        # "le mot de passe du poste X", "la password del admin X": "of the thing", no "is"
        _rule(
            E.PASSWORD,
            _of_the_thing(where, labels.password),
            _not_an_owner(password),
            labels.password,
        ),
        # "cambiar la contraseña de la cuenta compartida a X": a verb of change before the
        # label, "to" before the value
        _rule(
            E.PASSWORD,
            _label_first(
                where,
                ("password",),
                labels.password,
                r"(?P<bridge>" + _gap(6) + r"[ \t]+" + _TO + r"[ \t]+)",
                _VALUE,
            ),
            _changed_to(password),
            labels.password,
        ),
        # "la password del Wi-Fi è X, quella della segreteria telefonica 2333": the second
        # value after a pronoun standing for the label
        _rule(
            E.PASSWORD,
            _that_of(where, labels.password, copula, and_),
            _second(pin, password),
            labels.password,
        ),
        # "Mein Passwort ist abgelaufen. Das neue soll X sein", "le mot de passe ne marche
        # plus. On utilisait « X »": the value in the next sentence
        _rule(
            E.PASSWORD,
            _next_sentence(where, labels.password, copula),
            _told_next(password, told_next_word),
            labels.password,
        ),
        # "El PIN de la tarjeta es 4821", "Türcode Serverraum 4821"
        _rule(
            E.PASSWORD,
            _label_first(where, ("pin",), labels.pin, _bridge(pin_copula, 3), _PIN_VALUE),
            pin,
            labels.pin,
        ),
        # "4821 to nowy PIN"
        _rule(
            E.PASSWORD,
            _value_first(where, ("pin",), labels.pin, copula, _PIN_VALUE),
            pin,
            labels.pin,
        ),
        # "login: U / X", "identifiants : U et X"
        _rule(
            E.PASSWORD,
            _pattern(
                where,
                ("user", "credentials"),
                r"(?<![\w/.~])"
                + alternation(names)
                + r"(?!\w)[ \t]*:?[ \t]*"
                + user_name
                + r"(?:[ \t]*/[ \t]*|[ \t]+"
                + and_
                + r"[ \t]+)"
                + _ANY_VALUE,
                0,
                0,
            ),
            told,
            names,
        ),
        # "usuario U, contraseña X", "Benutzername ist U, das Kennwort X", "login é U e a
        # senha X"
        _rule(
            E.PASSWORD,
            _pattern(
                where,
                ("user", "credentials"),
                r"(?<![\w/.~])"
                + alternation(names)
                + r"(?!\w)(?:[ \t]*[:=]|[ \t]+"
                + copula
                + r"(?!\w))?[ \t]*"
                + user_name
                + r"(?:[ \t]*[,;/]|[ \t]+"
                + and_
                + r"(?!\w))?"
                r"(?:[ \t]+"
                + _WORD
                + r")?[ \t]+"
                + alternation(labels.password)
                # "Benutzername ist U, das Passwort lautet X": its "is" is no value (nor
                # is it while X is still arriving in a stream)
                + r"(?!\w)(?:[ \t]*[:=]|[ \t]+"
                + copula
                + r"(?!\w))?[ \t]+(?!"
                + copula
                + r"(?!\w))"
                + _ANY_VALUE,
                0,
                0,
            ),
            told,
            labels.password,
        ),
        # "Login und Passwort sind U und X"
        _rule(
            E.PASSWORD,
            _pattern(
                where,
                ("user",),
                r"(?<!\w)"
                + alternation(labels.user)
                + r"[ \t]+"
                + and_
                + r"[ \t]+"
                + alternation(labels.password)
                + r"[ \t]+"
                + _WORD
                + r"[ \t]+"
                + user_name
                + r"[ \t]+"
                + and_
                + r"[ \t]+"
                + _ANY_VALUE,
                0,
                0,
            ),
            told,
            labels.password,
        ),
    )


def _paired(token: Check, user: re.Pattern[str]) -> Check:
    """``token``, except for a short value after a user name on its line ("usuario: svc
    clave: MqWQhpRJf17vx"): a login's password, whatever its shape."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if len(value) < _LONGEST_PERSONAL:
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            if user.search(line) is not None:
                return False
        return token(value, match, text)

    return check


def _no_blank(token: Check) -> Check:
    """``token``, and a quoted value holds no blank: a token has none, a command line in
    backquotes has ("the token on start: `jupyter lab --ServerApp.token=X --port 8890`":
    the value is the option's, which the rules of options find) (h212)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is None and any(ch.isspace() for ch in value):
            return False
        return token(value, match, text)

    return check


def key_rules(
    labels: CredentialLabels, token: Check, words: frozenset[str]
) -> tuple[SecretRule, ...]:
    """The rules for keys and tokens told in a sentence: a token (``token``: random, a
    UUID, long hex) is a generic secret, a person's password a password (``words``: what a
    password in prose is not)."""
    copula = alternation(labels.copula)
    where = _where(labels)
    ends_in_copula = re.compile(r"(?:^|[ \t])" + copula + r"$")
    names = (*labels.key, *labels.token)
    states = frozenset(
        w.lower() for w in (*labels.state, *labels.clause, *labels.password, *labels.key)
    )
    password = _quoted_after_words(_password(looks_like_password(words)), ends_in_copula)
    user = re.compile(
        r"(?<!\w)" + alternation(labels.user) + r"(?!\w)[ \t]*[:=]?[ \t]*[^\s:=]{1,64}[ \t,;/]*$"
    )
    token = _no_blank(_paired(token, user))
    return (
        _rule(
            E.GENERIC_SECRET,
            _label_first(where, ("key", "token"), names, _bridge(copula, 1), _TOKEN_VALUE),
            _quoted_after_words(token, ends_in_copula),
            names,
        ),
        # "je t'ai mis le jeton d'accès ici, tu le supprimes après : X", "el token, como
        # siempre: X": a clause between the label and the colon (a token's value only: a
        # random one, a UUID, long hex)
        _rule(
            E.GENERIC_SECRET,
            _label_first(
                where,
                ("key", "token"),
                names,
                r"(?P<bridge>" + _gap(8, _WORD + r",?") + r"[ \t]*[:=][ \t]*)",
                _TOKEN_VALUE,
            ),
            token,
            names,
        ),
        _rule(
            E.PASSWORD,
            _label_first(where, ("key",), labels.key, _bridge(copula, 1), _VALUE),
            _not_token(token, password),
            labels.key,
        ),
        # a wiki's "SSID: Gast\nSchlüssel: quosit": a word alone after a key's label that
        # starts its line
        _rule(
            E.PASSWORD,
            _pattern(
                where,
                ("key",),
                r"(?<![^\n])[ \t]*(?:[-*][ \t]+)?(?P<label>"
                + alternation(labels.key)
                + r")[ \t]*:[ \t]*(?P<bare>[^\W\d_]{5,40})(?=\r?\n|\Z)",
                0,
                0,
            ),
            _after_network(_told_word(words, states)),
            labels.key,
        ),
    )


_NETWORK = re.compile(r"(?i)ssid|wlan|wi-?fi")


def _after_network(check: Check) -> Check:
    """``check``, and a network is named in the 120 characters before: a key's label with a
    word alone is a wifi key under its SSID ("SSID: Gast\nSchlüssel: quosit"), not a
    field's state ("Schlüssel: vorhanden")."""

    def after_network(value: str, match: re.Match[str], text: str) -> bool:
        head = text[max(0, match.start() - 120) : match.start()]
        return _NETWORK.search(head) is not None and check(value, match, text)

    return after_network
