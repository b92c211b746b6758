"""A built-in account's name, a slash and its password, in any language's sentence:
"Notfall-Login für die Firewall: admin / X", "Accesso al router della sede: admin / X",
"Accès console du pare-feu : admin / X", "il login su Grafana non va: admin / X"; and an item
of a list of shared accounts: "- Canva team login — ann@example.com / X".

The words before the pair differ in every language (and no label list can hold them all),
but the pair itself does not: an administrator account's name that every vendor ships
(``admin``, ``root``, ``sa``, ``postgres``, and ``administrator`` in the languages of the
label list), a slash with blanks around it, and the value. A value after such a name is the
account's password when it has a password's shape: a digit or a symbol, or words joined
("Haus-die-70", "LaudantiumAspernatur969"); a word alone ("admin / user", "root / Benutzer")
or a path ("admin / settings / users") is the sentence's. Any login and " / " its password
count too on the line answering a question that names a login, an account or credentials
("anyone have the vendor portal login?" / "Sam: sure, it's jdoe / X").
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.password_prose import is_capitalised_chain, is_word_chain
from detectors.secret_rule import CONTEXTUAL, Check, SecretRule
from detectors.secret_values import is_placeholder

#: The names vendors ship their administrator accounts under (lowercase, as written).
_ACCOUNTS = (
    "admin", "administrator", "root", "sa", "postgres", "superuser",
    "administrador", "administrateur", "amministratore", "beheerder", "administratör",
)  # fmt: skip
_PAIR = re.compile(
    r"(?<![\w/.@:~-])(?P<user>(?i:" + "|".join(_ACCOUNTS) + r"))[ \t]+/[ \t]+"
    # the value keeps its own symbols ("Winter2023!"), not the sentence's full stop
    r"(?P<bare>[^\s,;\"'`/]{3,63}[^\s,;\"'`/.:)])(?![^\s,;.:)])"
)
# An item of a list of accounts: what the account is for, a dash, its login (an e-mail
# address or a user name) and " / " its password, which ends the line ("- Canva team login
# — ann@example.com / Spring2022", "- Trade fair portal — uliao / 0!Si3NOKbc?").
_LISTED = re.compile(
    r"(?m)^[ \t]*[-*•][ \t]+[^\n/]{1,80}?[ \t][—–-][ \t]+"
    r"(?P<user>[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+|[\w.-]{2,40})[ \t]+/[ \t]+"
    r"(?P<bare>[^\s/]{6,64})(?=[ \t]*(?:\r?\n|\Z))"
)
# The answer to a question about a login, on the line after it ("did anyone update the vendor
# portal login?" / "me: yes, it's jdoe / X now"): a few words, a login and " / " its password.
_ANSWERED = re.compile(
    r"\?[ \t]*\r?\n[^\n/?]{0,80}?(?<![\w.@+-])"
    # a login as typed: lower case, or an e-mail address ("SAML / OAuth2.0" names no login)
    r"(?P<user>[a-z][a-z0-9._+-]{1,63}(?:@[\w-]{1,63}(?:\.[\w-]{1,63})+)?)[ \t]+/[ \t]+"
    r"(?P<bare>[^\s,;\"'`/]{3,63}[^\s,;\"'`/.:)])(?![^\s,;.:)])"
)
# What the question names: a login, an account or its credentials.
_LOGIN_WORDS = re.compile(
    r"(?i)(?<![\w-])(?:log-?in|logins|sign-?in|credentials?|creds|accounts?|user(?:name)?"
    r"|passwords?|pw|pwd|zugangsdaten|anmeldedaten|identifiants|credenciales|credenciais"
    r"|credenziali|inloggegevens|benutzer|usuario|usuário|utilisateur|utente)(?![\w-])"
)
_QUESTION_REACH = 200  # characters of the question's line read back from its "?"
_NUMBER = re.compile(r"[\d.,:+-]+")
_SYMBOL = re.compile(r"[^\w\s.-]")  # joiners of words ("Benutzer-Verwaltung") are none


def _password(value: str, match: re.Match[str], text: str) -> bool:
    """A password's shape (module doc), no placeholder ("admin / ********", "root /
    <passwort>") and no number ("admin / 2024")."""
    if len(value) < 6 or is_placeholder(value) or _NUMBER.fullmatch(value):
        return False
    if text[match.end() : match.end() + 1] == "/":
        return False  # a path: "admin / config/users"
    if any(ch.isdigit() for ch in value) or _SYMBOL.search(value):
        return True
    return is_capitalised_chain(value) or is_word_chain(value, quoted=False)


def _answered(value: str, match: re.Match[str], text: str) -> bool:
    """:func:`_password`, and the question's line names a login or its credentials."""
    if not _password(value, match, text):
        return False
    mark = match.start()
    question = text[max(text.rfind("\n", 0, mark) + 1, mark - _QUESTION_REACH) : mark]
    return _LOGIN_WORDS.search(question) is not None


def account_pair_rules() -> tuple[SecretRule, ...]:
    """The rules of this module: a built-in account's name, " / " and its password; an
    item of a list of accounts, its login, " / " and its password."""
    check: Check = _password
    triggers = tuple(account + " /" for account in _ACCOUNTS)
    return (
        SecretRule(E.PASSWORD, _PAIR, 0.7, CONTEXTUAL, triggers, check),
        SecretRule(E.PASSWORD, _LISTED, 0.7, CONTEXTUAL, (" / ",), check),
        SecretRule(E.PASSWORD, _ANSWERED, 0.7, CONTEXTUAL, (" / ",), _answered),
    )
