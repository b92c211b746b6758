"""Passwords in prose: "my password is X", "the password for the VPN: X", "I changed my
password to X", "the temporary password X expires", "use X as the password", "X is my
password", "is X a good password?", "login admin / X", "my PIN is 4821"; and as office
staff tell them: "Username bob, password X", "admin, pw X", "the Instagram password
(currently X)", "use X to log in", "gave the staff Wi-Fi key X", "- Wi-Fi (staff): X" (a
generator's words), the answer on the line after "whats the wifi pw?", "shared key X".

A value in prose must look like a password and not like a word of prose: a digit, a
symbol inside it, mixed case, three or more hyphenated words, three or more words that a
generator joined with "_" ("act_skin_group", :func:`is_word_chain`), or a word of seven
letters or more (lowercase or capitalised) that is not one of the words that follow
"password is" in prose (``data/password_prose_words.txt``), not an English word or
technology name and does not end like an English participle, adjective or adverb
(:func:`looks_like_password`).

A value before the key word must not be the first half of a compound ("is Argon2 a good
password hash?").
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_dotted_words, is_expression, is_placeholder

# A value: quoted, in backticks, or bare. A bare value runs to the next blank, quote, ","
# or ";" and keeps a full stop after it ("my password is Autumn2024." masks "Autumn2024."):
# the streamed answer masks whole tokens, and the whole answer must mask the same. An
# apostrophe between two letters is part of a word, not a quote ("D'Artagnan#77"): cut
# there, the value's tail would rest in clear.
VALUE = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|`(?P<bt>[^`\n]{1,256})`"
    # a bare value ends before an escape that ends a string literal: "... password X\n";
    r"|(?P<bare>(?:[^\s\"'`,;\\]|(?<=[^\W\d_])'(?=[^\W\d_])|\\(?![nrt](?:[\s\"'`,;]|$)))"
    r"{1,256}))"
)
# An apostrophe inside a word: "D'Artagnan", "everyone's", "ПоколінняМ'який".
_IN_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’ʼ](?=[^\W\d_])")
# Where "use X as the new password" and "X is my old password" may start before their
# key: six words back (verb, value, "as", determiner, two adjectives), a value's length and
# the words around it; a quoted value may hold blanks (the look-back counts the words
# inside it): up to _QUOTED_WORDS of them.
_KEY_ANCHOR = "pass|pw"
_QUOTED_WORDS = 4
_WORDS_BEFORE_KEY = 6 + _QUOTED_WORDS - 1
_VALUE_REACH = 256 + 64
_KEY = r"(?i:password|passwd|passphrase|passcode|pwd|pw)"
# "password is X", "password for the admin account was X", "password was changed to X".
# Longer verbs first: a regex alternation takes the first that fits, not the longest.
_VERB = (
    r"(?i:(?:is|was|has[ \t]+been|had[ \t]+been)[ \t]+(?:changed|set|reset|updated)[ \t]+to"
    r"|(?:changed|set|reset|updated)[ \t]+to|is[ \t]+now|is[ \t]+still|is|was"
    r"|will[ \t]+be|would[ \t]+be|should[ \t]+be)"
)
# Up to six words: "the password for user admin on the staging box is X", "the wifi
# password at the office is X".
_FOR_PHRASE = r"[ \t]+(?i:for|of|on|to|at|in|from)(?:[ \t]+[^\s:=,.;]{1,40}){1,6}?"
# "the password we set is X", "the password you gave me was X": who chose or passed it on.
_RELATIVE = (
    r"(?:[ \t]+(?i:that|which))?[ \t]+(?i:we|i|you|they|he|she|someone|somebody|it)"
    r"(?:[ \t]+(?i:just|have|had|all))?[ \t]+(?i:set|use|used|gave|give|chose|picked|created"
    r"|sent|shared|typed|entered|got|assigned|generated)(?:[ \t]+(?i:me|us|you|them|him|her))?"
)
_FOR = r"(?:" + _RELATIVE + r")?(?:" + _FOR_PHRASE + r")?"
# Prepositions after "PIN" in the languages of the default regions ("PIN für die
# Alarmanlage: 4821"); sentences in other languages are :mod:`detectors.labelled_credentials`'.
_FOREIGN_FOR_PHRASE = (
    r"[ \t]+(?i:für|fürs|zum|zur|vom|von|de|du|des|pour|del|para|do|da|dos|das|van|voor|for)"
    r"(?:[ \t]+[^\s:=,.;]{1,40}){1,4}?"
)
# After the key: a verb ("is", "is: X", "was changed to"), a colon after a "for ..."
# phrase ("the password for the VPN: X"; "password: X" alone is an assignment, see
# detectors.assigned_secrets), or an answer to a question ("the wifi password? It's X",
# "I reset bob's password, it's now X").
_KEY_TO_VALUE = (
    r"(?:" + _FOR + r"[ \t]+" + _VERB + r"(?:[ \t]*[:=])?|" + _FOR_PHRASE + r"[ \t]*:"
    r"|[ \t]*[?,][ \t]*(?i:it'?s|it’s|it[ \t]+is|it[ \t]+was)(?:[ \t]+(?i:now))?)[ \t]+"
)
_DETERMINER = r"(?:(?i:the|my|your|our|his|her|their|its|a|an)[ \t]+)?(?:[\w-]{1,20}[ \t]+){0,2}"
# Suffixes of English participles, adjectives and adverbs: "the password is unchanged",
# "...is predictable", "...is definitely".
_PROSE_SUFFIXES = (
    "ed", "ing", "ly", "able", "ible", "ive", "ous", "ful", "less", "ness", "ment",
    "tion", "sion", "ity",
)  # fmt: skip
# Nouns that make "password" the first half of a compound: "is Argon2 a good password
# hash?", "is Bitwarden a good password manager?" name no password.
_KEY_NOUNS = frozenset((
    "hash", "hashes", "hashing", "hasher", "hashers", "manager", "managers", "policy",
    "policies", "field", "fields", "prompt", "dialog", "screen", "reset", "resets", "change",
    "changes", "length", "rules", "rule", "strength", "requirement", "requirements",
    "complexity", "history", "expiry", "expiration", "recovery", "storage", "store",
    "rotation", "validation", "validator", "validators", "verification", "attempts",
    "algorithm", "algorithms", "function", "scheme", "generator", "generators", "vault",
    "entropy", "cracking", "cracker", "spraying", "list", "lists", "file", "files",
    "database", "input", "box", "form", "protection", "protected", "authentication", "auth",
    "login", "reuse", "sharing",
))  # fmt: skip
_CONJUNCTION = re.compile(r"(?i)[ \t](?:and|or|but)[ \t]")
# An e-mail address: the account's user name wherever a password is told beside it.
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_NEXT_WORD = re.compile(r"[ \t]*-?([A-Za-z]+)")
# Escapes and markup around a word: roff ("\&.", "\fR", "isn\*(Aqt"), HTML ("</p>", "&#x3C;").
_MARKUP = re.compile(r"\\|</|&(?:#x?[0-9A-Fa-f]+|lt|gt|amp|quot|nbsp);?")
# What stands before "password X" when X is a word rather than a token: "the temporary
# password lineaangolo", "your new password velmonduro", .netrc "login bob password
# bobwillknow"; not "from passwd maintscripts".
_SPECIFIC = re.compile(
    r"(?:(?i:the|my|your|our|his|her|their|mera|meri|mere|new|temporary|temp|initial"
    r"|default|one-time"
    r"|current|old|wifi|wi-fi|admin|root|master|shared|guest|router|account|user|with|using)"
    r"(?:[ \t]+[A-Za-z][a-z-]{1,19})?[ \t]+"
    # a user name before it, on its line ("Username bob, password X", "the admin login for
    # the website: bob, password X") or on the line above (.netrc, a quoted "> user bob")
    r"|(?<![\w-])(?i:login|user(?:name)?)(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=]{1,24}){1,4})?"
    r"[ \t]*[:=]?[ \t]*[^\s:=/,;()\"']{1,64}"
    r"(?:[ \t]*[,;]?[ \t]+(?:(?i:and|&)[ \t]+)?|[ \t]*\r?\n(?:[ \t]*>)*[ \t]*)"
    # an e-mail address, the account's user name: "the shared Gmail is ana@example.org,
    # password X"
    r"|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+[ \t]*[,;/]?[ \t]+)$"
)
# "pw": the short word people write only when they give a password ("admin, pw X").
_PW = re.compile(r"(?i)pw(?![\w-])")


def looks_like_password(prose_words: frozenset[str]) -> Check:
    """A value in prose: a password's shape, not a word of the sentence around it.

    ``prose_words``: the shipped list, the English words and the technology names together.
    """

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is None:  # quoted: the quotes delimit it
            return (
                len(value) >= 4
                and not is_placeholder(value)
                and (not is_expression(value) or is_word_chain(value, quoted=True))
            )
        value = _word_of(value)  # "the password is wrong!": judge the word
        if len(value) < 6 or is_placeholder(value) or is_expression(value):
            return False
        if _MARKUP.search(value):
            return False  # "prompt\&." in a man page, "confidential.</p>", "&#x3C;"
        if value[0] == "/" or "://" in value or value.lower() in prose_words:
            return False  # a path, a URL, a word ("Argon2id")
        if _prose_compound(value, prose_words):
            return False
        if any(ch.isdigit() for ch in value):
            return True
        if _IN_WORD_APOSTROPHE.search(value):
            return _word_with_apostrophe(value)
        if any(not (ch.isalnum() or ch in "_-") for ch in value[1:]):
            return True  # a symbol inside: "Tr0ub4dor&3", "S+l2BNCy("
        if len(value) >= 8 and value[0].islower() and not value.islower():
            return True  # camelCase: "styleDemocrat"
        if _passphrase(value) or is_word_chain(value) or is_capitalised_chain(value):
            return True  # "correct-horse-battery-staple", "receive_happy_all"
        if is_uncased_word(value):
            return True  # "ソースオークション" told in a sentence of another script
        word = value[0].lower() + value[1:]  # "Republicanago", as "republicanago"
        return (
            word.isalpha()
            and word.islower()
            and len(word) >= 7
            and not (_prose_word(word, prose_words))
        )

    return check


# The word for a password in scripts without letter case: a label, not a value
# ("Password パスワード").
_UNCASED_KEY = re.compile(r"パスワード|暗証|密[码碼]|口令|비밀번호|รหัสผ่าน")


def is_uncased_word(value: str) -> bool:
    """Letters of a script without case only (Japanese, Chinese, Korean, Thai...): told after
    an English "password is", such a word is no word of the sentence around it, as a
    lowercase English word would be; the key word of that script is a label, not a value."""
    return (
        value.isalpha()
        and not any(ch.isupper() or ch.islower() for ch in value)
        and _UNCASED_KEY.search(value) is None
    )


def _word_with_apostrophe(value: str) -> bool:
    """A value with an apostrophe inside a word and no digit: a password only with another
    symbol beside it ("D'Art&gnan"); the apostrophe alone makes a word of prose
    ("everyone's", "rock'n'roll")."""
    rest = _IN_WORD_APOSTROPHE.sub("", value)
    return any(not (ch.isalnum() or ch in "_-") for ch in rest[1:])


# Words of a label or a sentence about a password, not of a passphrase: "Enter your
# password", "Passwords do not match", "At least 8 characters", "Mot de passe".
_LABEL_WORDS = frozenset((
    "a", "an", "the", "your", "you", "my", "our", "its", "is", "are", "be", "was", "were",
    "do", "does", "not", "no", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with",
    "please", "enter", "type", "confirm", "repeat", "new", "old", "current", "forgot",
    "forgotten", "reset", "change", "show", "hide", "least", "most", "min", "max", "minimum",
    "maximum", "characters", "chars", "required", "optional", "invalid", "incorrect", "wrong",
    "match", "must", "should", "too", "short", "long", "weak", "strong", "here", "sign",
    "log", "login", "me", "it", "this", "that", "field", "value", "again", "username", "user",
    "email", "de", "la", "le", "su", "der", "die", "das", "ihr", "votre", "uw", "il", "tu",
))  # fmt: skip
_KEY_WORD = re.compile(
    r"(?i)pass|pwd|wort|wachtwoord|contrase|senha|senord|salasana|has[łl]o|heslo|jelsz"
)
_PASSPHRASE_WORD = re.compile(r"[^\s{}$%<>\[\]()]+")


def names_a_password(value: str) -> bool:
    """``value`` holds a password's word of some language ("Passwort-Manager", "senha")."""
    return _KEY_WORD.search(value) is not None


def is_passphrase(value: str) -> bool:
    """A quoted value with blanks that is a passphrase ("correct horse battery staple",
    "correct horse 9"), not a label or a sentence about one ("Enter your password",
    "Passwords do not match", "At least 8 characters."): two to eight words of no
    template markup, none of them a word of labels, none naming the key, no closing
    punctuation."""
    words = value.split()
    return (
        2 <= len(words) <= 8
        and len(value) >= 10
        and value[-1] not in ".:?!…"
        and not is_placeholder(value)
        and _KEY_WORD.search(value) is None
        and all(_PASSPHRASE_WORD.fullmatch(word) for word in words)
        and not any(word.lower().strip(",;") in _LABEL_WORDS for word in words)
    )


def quoted_passphrase(value: str, match: re.Match[str], text: str) -> bool:
    """A :data:`~detectors.secret_rule.Check`: a quoted value that is a passphrase."""
    return match.lastgroup in ("dq", "sq", "bt") and is_passphrase(value)


def _word_of(value: str) -> str:
    """``value`` without the punctuation that may follow a word in a sentence: "wrong!",
    "(the password is raspberry)", "s/password change/password changes/)."."""
    while value and (value[-1] in ".!?:;,/" or _unopened(value)):
        value = value[:-1]
    return value


_BRACKETS = {")": "(", "]": "[", "}": "{"}


def _unopened(value: str) -> bool:
    """``value`` ends in a bracket it does not open: the end of a list or a call around it
    ("[username password database]")."""
    opening = _BRACKETS.get(value[-1])
    return opening is not None and opening not in value


def _passphrase(value: str) -> bool:
    """Three or more words of three letters or more joined by hyphens."""
    parts = value.split("-")
    return len(parts) >= 3 and all(len(part) >= 3 and part.isalpha() for part in parts)


# Words of a name in code or of a note about a password, not of one made of words:
# "hashed_password", "read_from_env", "same_as_prod", "see_vault_entry".
_CHAIN_NOT_WORDS = _LABEL_WORDS | frozenset((
    "same", "as", "see", "vault", "ask", "set", "unset", "get", "read", "load", "from", "env",
    "environment", "var", "variable", "default", "values", "none", "null", "nil", "empty",
    "blank", "todo", "tbd", "fixme", "example", "sample", "dummy", "test", "placeholder",
    "changeme", "redacted", "hidden", "masked", "secret", "secrets", "token", "key", "keys",
    "hash", "hashed", "encoded", "encrypted", "file", "path", "config", "setting", "settings",
    "name", "admin", "id", "db", "prod", "dev", "staging", "local",
    # how a password is made, kept or changed: "randomly generated", "changed every quarter"
    "random", "randomly", "generated", "generate", "auto", "automatically", "changed",
    "rotated", "rotate", "every", "daily", "weekly", "monthly", "quarterly", "quarter",
    "provided", "managed", "external", "existing", "usual", "later", "below", "above",
    # schemes and shapes of code: "http_basic_auth", "snake_case_like", "plain_text_field"
    "http", "https", "auth", "basic", "digest", "bearer", "oauth", "ldap", "sso", "saml",
    "jwt", "api", "hasher", "encoder", "bcrypt", "argon", "scrypt", "salt", "salted",
    "plain", "plaintext", "text", "cipher", "case", "snake", "camel", "kebab", "like",
    "string", "str", "int", "bool", "true", "false", "type", "mode", "policy", "column",
))  # fmt: skip
_CHAIN = re.compile(r"[a-z]{2,16}(?:(?P<join>[_-])[a-z]{2,16}){2,7}")
_QUOTED_CHAIN = re.compile(r"[a-z]{2,16}(?:(?P<join>[_.-])[a-z]{2,16}){2,7}")


def is_word_chain(value: str, *, quoted: bool = False) -> bool:
    """Three to eight lowercase words joined by "_" or "-" (or, in quotes, "."), as password
    generators make them ("act_skin_group", "garden-threat-most", "class.note.say.seven"):
    one joiner, no word of a label, a reference ("same", "see", "vault") or a name in code
    ("hashed", "default", "env") but one among four or more, none naming the key. Bare
    dotted words are code ("django.contrib.auth")."""
    chain = (_QUOTED_CHAIN if quoted else _CHAIN).fullmatch(value)
    if chain is None or _KEY_WORD.search(value) is not None:
        return False
    if value.count(chain["join"]) != sum(value.count(join) for join in "_.-"):
        return False
    words = re.split(r"[_.-]", value)
    # A generator's chain of four words or more may hold one of grammar or of code
    # ("should", "later": "social.add.should.main.industry", "foreign_series_concern_later");
    # a label's or a name's words are mostly such ("do-not-use-it", "read_from_env_var").
    # Dotted words with one of code are a module's path ("django.contrib.auth.hashers").
    if chain["join"] == "." and any(w in _CHAIN_NOT_WORDS - _LABEL_WORDS for w in words):
        return False
    return _few_odd_words(words)


def _few_odd_words(words: list[str]) -> bool:
    """No word of a label, a reference or a name in code among ``words``, or one among four
    or more."""
    odd = sum(word.lower() in _CHAIN_NOT_WORDS for word in words)
    return odd == 0 or (odd == 1 and len(words) >= _GRAMMAR_CHAIN)


_GRAMMAR_CHAIN = 4

# A chain a generator made from a word list, where something already says a password is
# being told: any word of the list may be in it, short ones too ("onto-capital-her-i",
# "RemainRichOkOthersYet").
_TOLD_CHAIN = re.compile(r"[a-z]{1,16}(?:(?P<join>[_-])[a-z]{1,16}){2,7}")
_TOLD_HUMPS = re.compile(r"(?:[A-Z][a-z]{1,15}){3,8}")
_LONG_PART = 3  # letters of a word that is no particle ("i", "it", "Ok")


def is_told_chain(value: str) -> bool:
    """Three to eight words joined by one "_" or "-", or capitalised and run together, told
    where a label and its "is" already say a password follows ("la password del Wi-Fi è
    current-force-play-it", "ist jetzt LastEnvironmentOrder"): a generator's chain, though
    a word of grammar or of code may be among them (:func:`is_word_chain` allows none in
    three words: a bare chain in prose may be a name in code). Three words of three letters
    or more, none naming the key, no short word of grammar inside (an English compound:
    "state-of-the-art", "up-to-date"), and words of labels, references or code fewer than
    half (one of three, two of four: "not_both_issue", not "same-as-prod", "do-not-use-it")."""
    if _KEY_WORD.search(value) is not None:
        return False
    chain = _TOLD_CHAIN.fullmatch(value)
    if chain is not None:
        if value.count(chain["join"]) != sum(value.count(join) for join in "_-"):
            return False
        words = re.split(r"[_-]", value)
    elif _TOLD_HUMPS.fullmatch(value):
        words = re.findall("[A-Z][a-z]+", value)
    else:
        return False
    if sum(len(word) >= _LONG_PART for word in words) < _LONG_PART:
        return False
    if any(len(w) < _LONG_PART and w.lower() in _LABEL_WORDS for w in words[1:-1]):
        return False  # English joins its compounds with them: "state-of-the-art", "up-to-date"
    odd = sum(word.lower() in _CHAIN_NOT_WORDS for word in words)
    return odd * 2 < len(words) or (odd * 2 == len(words) and len(words) >= _GRAMMAR_CHAIN)


_CAPITALISED_CHAIN = re.compile(r"(?:[A-Z][a-z]{2,15}){3,8}")


def is_capitalised_chain(value: str) -> bool:
    """Three to eight capitalised words run together, as generators make passphrases
    ("ThousandMoreMentionWord"): none a word of a label, a reference or a name in code
    ("SeeVaultEntry", "ReadFromEnv") but one among four or more ("LossTrueQualityFederal"),
    none naming the key ("PasswordFieldName")."""
    return (
        _CAPITALISED_CHAIN.fullmatch(value) is not None
        and _KEY_WORD.search(value) is None
        and _few_odd_words(re.findall("[A-Z][a-z]+", value))
    )


def is_config_passphrase(value: str) -> bool:
    """The whole value of a config line that is words (``replicationPassword: clearly one
    road wish``): a passphrase (:func:`is_passphrase`) of letters and digits, no word of a
    reference or a name in code ("same as prod", "see vault", "read from env")."""
    words = value.split()
    return (
        is_passphrase(value)
        and all(word.isalnum() for word in words)
        and not any(word.lower() in _CHAIN_NOT_WORDS for word in words)
    )


def _prose_word(word: str, prose_words: frozenset[str]) -> bool:
    """An English word (or its plural); short ones also by their ending, which a password
    made of two words ("courtcapable") is too long to be caught by."""
    return (
        word in prose_words
        or (word.endswith("s") and word[:-1] in prose_words)
        or (len(word) <= 10 and word.endswith(_PROSE_SUFFIXES))
    )


def _prose_compound(value: str, prose_words: frozenset[str]) -> bool:
    """ "base64-encoded", "bcrypt-hashed", "SHA256", "UTF-8", "and/or": words about a
    password (not "gr4nite-Owl")."""
    parts = value.split("/")
    if len(parts) > 1 and all(
        p.isalpha() and (len(p) <= 3 or _prose_word(p.lower(), prose_words)) for p in parts
    ):
        return True
    last = value.rsplit("-", 1)[-1]
    if (
        value.count("-") == 1
        and last.isalpha()
        and last.islower()
        and _prose_word(last, prose_words)
    ):
        return True
    letters = [ch for ch in value if ch.isalpha()]
    return (
        len(value) <= 8
        and bool(letters)
        and all(ch.isupper() for ch in letters)
        and (value.replace("-", "").isalnum())
    )


def _not_before_compound(looks: Check) -> Check:
    """``looks``, and the key word the match ends with is not the first half of a compound
    noun ("password manager")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        following = _NEXT_WORD.match(text, match.end())
        if following is not None and following[1].lower() in _KEY_NOUNS:
            return False
        if _EMAIL.fullmatch(value) is not None:
            return False  # "login is ana@example.org pw X": the address is the user name
        value_end = max(match.end(g) for g in ("dq", "sq", "bt", "bare") if match[g] is not None)
        if _CONJUNCTION.search(text, value_end, match.end()):
            return False  # "my login is X and my password ...": X is not the password
        if match["bare"] is None and any(ch.isspace() for ch in value):
            return is_passphrase(value)  # a quotation before the key may be any words
        return looks(value, match, text)

    return check


# A password that starts with "$" ("$f6Lkt5N"): letters and digits after it, no second "$"
# (a crypt hash), no variable's colon, brace or call ("$env:PW", "${PW}", "$(cat pw)").
_DOLLAR_TOKEN = re.compile(r"\$(?=[^$]*\d)(?=[^$]*[A-Za-z])[\w!@#%^&*+=?.-]{5,63}")


def _after_key(looks: Check) -> Check:
    """``looks``, for a value right after the key word ("the temporary password X
    expires"): not a parenthesis or type that follows a parameter's name in a docstring,
    not a quoted name with blanks ('the passphrase "enter again" prompt'), and a word
    only after a word that makes the password a specific one ("the temporary password")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if match["bare"] is None:  # quoted: a name of something if it has blanks
            return not any(ch.isspace() for ch in value) and looks(value, match, text)
        if not (value[0].isalnum() or value[0] == "_" or _DOLLAR_TOKEN.fullmatch(value)):
            return False  # "password (str): ...", "password -> str"
        word = _word_of(value)
        if word.isalpha() and (word[1:].islower() or is_uncased_word(word)):  # not a token
            head = text[max(0, match.start() - 80) : match.start()]
            told = _PW.match(text, match.start()) is not None or _SPECIFIC.search(head)
            if not told or word.lower().endswith(_PROSE_SUFFIXES):
                return False  # "SRP password randomization", "passphrase contraints"
        return looks(value, match, text)

    return check


_CLOSING_WORD = re.compile(r"[a-z]{4,5}[.!]")
_COPULA_BEFORE = re.compile(r"(?i)(?<![\w-])(?:is|was)[ \t]*:?[ \t]*$")


def _or_closing_word(looks: Check, words: frozenset[str]) -> Check:
    """``looks``, or a short lowercase word that closes the sentence right after "is" ("the
    password to open the PDF is abin."), no English word ("fine.", "gone.") nor a word of
    the shipped list; the full stop is part of the bare value, so nothing after it is read."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if looks(value, match, text):
            return True
        return (
            match["bare"] is not None
            and _CLOSING_WORD.fullmatch(value) is not None
            and value[:-1] not in words
            and _COPULA_BEFORE.search(text, match.start(), match.start("bare")) is not None
        )

    return check


def _not_a_name(looks: Check) -> Check:
    """``looks``, and a bare value is not one capitalised word: what one logs in with by
    name is an app or a browser ("use Firefox to sign in"), a password is no name."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        word = _word_of(value)
        if match["bare"] is not None and word.isalpha() and word.istitle():
            return False
        return looks(value, match, text)

    return check


def _in_parentheses(looks: Check) -> Check:
    """``looks``, for a value in parentheses after the key: closed right after it, no code
    (``Optional[str]``, ``self.pw``), a quoted value with blanks only if a passphrase."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if _CODE_CHARS.search(value) and not is_dotted_words(value):
            return False
        if match["bare"] is None and any(ch.isspace() for ch in value):
            return is_passphrase(value)
        return looks(value, match, text)

    return check


# What the value in parentheses is now or was: "the Instagram password (currently X)".
_NOW = r"(?:(?i:currently|now|still|was|is|old|new|current)[ \t]*:?[ \t]+)?"
# A value closed by the parenthesis right after it.
_IN_PARENTHESES = (
    r"(?:\"(?P<dq>[^\"\n]{1,256})\"|'(?P<sq>[^'\n]{1,256})'|(?P<bare>[^\s\"'`,;()]{1,256}))"
    r"[ \t]*\)"
)
_CODE_CHARS = re.compile(r"[()\[\]{}<>|=:,]|\w\.\w")


def _value_before_key(lead: str, between: str) -> AnchoredPattern:
    """``lead VALUE between [determiner, two words] KEY``: "use X as the password", "X is
    my password", "is X a good password"."""
    return AnchoredPattern.build(
        _KEY_ANCHOR,
        lead + VALUE + between + _DETERMINER + _KEY + r"\b",
        _WORDS_BEFORE_KEY,
        _VALUE_REACH,
    )


def _key_then_value(lead: str, between: str, words: int, key: str = _KEY) -> AnchoredPattern:
    """``lead KEY between VALUE``, ``lead`` at most ``words`` words before the key."""
    return AnchoredPattern.build(
        _KEY_ANCHOR, lead + key + between + VALUE, words, _VALUE_REACH if words else 0
    )


# Codes that open something: "the door code is 4821", "alarm code: 0417".
_CODE_ANCHOR = r"(?:door|alarm|gate)[ \t]code"
# Each trigger costs a look through every text: one per name, with a blank.
_CODE_TRIGGERS = ("door code", "alarm code", "gate code")


# What makes "password: X" in prose a specific password: "Initial password: X".
_INITIAL = (
    r"initial|temporary|temp|new|default|one-time|current|old|wi-?fi|admin|root|master|shared"
    r"|guest|router|account"
)
# What a file is encrypted with when it is no password: a cipher, a key or a service.
_CIPHER = re.compile(r"(?i)aes|rsa|gpg|pgp|chacha|sha|tls|ssl|kms|key|cert|des\b|ecc|x25519")
_ARCHIVE = re.compile(r"(?i)zip|archive|7z|rar|pdf|file|document|attachment|excel|xlsx|docx")


def _archive_password(looks: Check) -> Check:
    """``looks``, for what a file or an archive (named in the 80 characters before) is
    protected with, when that is not a cipher or a key ("encrypted with AES256gcm")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        head = text[max(0, match.start() - 80) : match.start()]
        return (
            _ARCHIVE.search(head) is not None
            and _CIPHER.search(value) is None
            and looks(value, match, text)
        )

    return check


_WIFI_STANDARD = re.compile(r"(?i)wpa|wep|802\.|wi-?fi|\d(?:\.\d)?[ ]?ghz")


def _not_wifi_standard(looks: Check) -> Check:
    """``looks``, and the value after a network's name is no Wi-Fi standard ("WiFi: 802.11ac
    / WPA2-Personal", "wifi 6 / 6E")."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return _WIFI_STANDARD.search(value) is None and looks(value, match, text)

    return check


def _or_dotted_words(looks: Check) -> Check:
    """``looks``, or words a generator joined with dots ("pretty.partner.expect.pretty"):
    where only a passphrase can stand (a Wi-Fi key), dotted words are no name in code."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        return is_word_chain(_word_of(value), quoted=True) or looks(value, match, text)

    return check


# What a login or credentials are for, up to a colon or an "is": "login for our company is
# a / X", "credentials for the buyer team are stored in a spreadsheet: a / X". Words of one
# sentence: none ends in a full stop.
_LOGIN_FOR = (
    r"(?:[ \t]+(?:for|to|of)(?:[ \t]+[^\s:=/]{0,23}[^\s:=/.!?]){1,8}?"
    r"(?=[ \t]*(?::|(?:is|are)[ \t])))"
)
# Pairs told before a pair in one sentence, after a word for logins: "credentials for the
# team: buyer1 / X, " before "buyer2 / Y".
_PAIR = r"[\w.@+-]{1,64}[ \t]*/[ \t]*[^\s/,;]{1,256}"
_PAIRS_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:creds|credentials|logins?)(?![\w-])[^\n!?]{0,120}?"
    + _PAIR
    + r"(?:[ \t]*[,;][ \t]*(?:and[ \t]+)?"
    + _PAIR
    + r")*[ \t]*(?:[,;][ \t]*(?:and[ \t]+)?|[ \t]and[ \t]+)\Z"
)
#: How far before a pair the rule looks for the pairs and the word for logins before it.
_PAIRS_REACH = 240


def _listed_pair(looks: Check) -> Check:
    """``looks``, for a "user / X" pair after others in one sentence that begins with a word
    for logins ("credentials for the team: a / X, b / Y"): the list says what its pairs are."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        line = text.rfind("\n", 0, match.start()) + 1
        head = text[max(line, match.start() - _PAIRS_REACH) : match.start()]
        return _PAIRS_BEFORE.search(head) is not None and looks(value, match, text)

    return check


def _outside_url(looks: Check) -> Check:
    """``looks``, for a match that does not start inside a URL: a URL is never a password
    told in prose ("POST https://login.example.com/oauth2/v2.0/token" is no "login X/Y";
    a password in a URL's userinfo is :mod:`connection_secrets`' to find)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        start = match.start()
        word_start = 1 + max(text.rfind(blank, 0, start) for blank in " \t\n")
        if text.find("://", word_start, start) >= 0:
            return False
        return looks(value, match, text)

    return check


# A network's name after "Wi-Fi" or "WLAN", in brackets or in quotes of any language:
# "Wi-Fi (staff)", 'WLAN "Gast"', "Wi-Fi «Invités»".
_NETWORK_NAME = (
    r"(?:[ \t]+(?:\([^()\n]{1,24}\)|\"[^\"\n]{1,24}\"|'[^'\n]{1,24}'"
    r"|[„“”«‹‚‘][^\"'„“”«»‹›‚‘’\n]{1,24}[“”»›‘’]))?"
)


def prose_rules(words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules for passwords in prose; ``words``: what a password in prose is not."""
    looks = looks_like_password(words)
    before_key = _not_before_compound(looks)

    def prose(
        pattern: AnchoredPattern | re.Pattern[str],
        check: Check = looks,
        triggers: tuple[str, ...] = ("pass", "pw"),
    ) -> SecretRule:
        return SecretRule(E.PASSWORD, pattern, 0.7, CONTEXTUAL, triggers, _outside_url(check))

    return (
        # "my password is X", "the password for the admin account was changed to X",
        # "the Wi-Fi password is: X", "the password for the VPN: X"
        prose(
            _key_then_value(r"(?<![\w.-])", _KEY_TO_VALUE + r"(?:[:=][ \t]*)?", 0),
            _or_closing_word(looks, words),
        ),
        # "Initial password: X", "the temporary admin password: X"
        prose(
            AnchoredPattern.build(
                r"(?:password|passphrase|pwd|pw)[ \t]*:",
                r"(?<![\w-])(?i:"
                + _INITIAL
                + r")[ \t]+(?:[A-Za-z]{2,20}[ \t]+)?"
                + _KEY
                + r"[ \t]*:[ \t]*"
                + VALUE,
                2,
                48,
            )
        ),
        # "I changed my password to X", "reset the admin password for bob to X", "set
        # the DB_PASSWORD env var to X"
        prose(
            _key_then_value(
                r"(?<![\w-])(?i:chang|set|reset|updat|rotat)[a-z]{0,4}[ \t]+"
                + _DETERMINER
                + r"(?:[A-Za-z0-9]{1,24}[_.-]){0,3}",
                r"(?:[ \t]+(?i:env(?:ironment)?[ \t]+var(?:iable)?|variable|setting|value))?"
                + _FOR
                + r"[ \t]+(?i:to)[ \t]+(?:[:=][ \t]*)?",
                4,
            )
        ),
        # "user admin, pass X", "login bob pw X"
        prose(
            _key_then_value(
                r"(?<![\w-])(?i:user(?:name)?|login)(?:[ \t]*[:=][ \t]*|[ \t]+)"
                r"(?!(?i:to|can|may|must|should|will|would|could|and|or|not|the|a|an)\b)"
                r"[^\s:=/,;()\"'`]{1,64}"
                # on one line, or on two lines of a quoted reply ("> user bob\n> pass X")
                r"(?:[ \t]*[,;/]?[ \t]+|[ \t]*\r?\n(?:[ \t]*>)*[ \t]*)(?:(?i:and|&)[ \t]+)?",
                r"[ \t]*[:=]?[ \t]*",
                5,
                r"(?i:pass|pw|pwd)\b",
            )
        ),
        # "the temporary password X expires", "pwd - X", "password -> X", .netrc
        # "machine h login alice password X", a line "password X"
        prose(
            # not the value of an option: "-o PreferredAuthentications=password user@host"
            _key_then_value(r"(?<![\w.=-])", r"[ \t]+(?:(?:->|=>|-|–|—)[ \t]+)?", 0),
            _after_key(looks),
        ),
        # "the password (Xk9mQ2vL)", 'password ("correct horse 9")': a token, not a type or
        # a word of a docstring ("password (str)", "password (optional)")
        prose(
            AnchoredPattern.build(
                _KEY_ANCHOR,
                r"(?<![\w.-])" + _KEY + r"[ \t]*\([ \t]*" + _NOW + _IN_PARENTHESES,
                0,
                0,
            ),
            _in_parentheses(looks),
        ),
        # "use X as the password", "try X as your new password"
        prose(
            _value_before_key(
                r"(?<![\w-])(?i:use|using|try|tried|typed|type|enter|entered|set|with|pick|picked"
                r"|chose|choose|chosen|keep|kept)[ \t]+",
                r"[ \t]+(?i:as)[ \t]+",
            ),
            before_key,
        ),
        # "use X to log into the shared calendar", "try X to sign in": what one logs in with
        prose(
            AnchoredPattern.build(
                r"(?:log|sign)[ \t]?(?:in|on)",
                r"(?<![\w-])(?i:use|using|try)[ \t]+" + VALUE + r"[ \t]+(?i:to)[ \t]+"
                r"(?i:log|sign)[ \t]?(?i:in(?:to)?|on(?:to)?)(?![\w-])",
                3 + _QUOTED_WORDS - 1,
                _VALUE_REACH,
            ),
            _not_a_name(looks),
            ("log in", "login", "log on", "sign in", "signin", "sign on"),
        ),
        # "X is my password", "X was the old password"
        prose(_value_before_key(r"(?<![^\s(\[{,;:])", r"[ \t]+(?i:is|was)[ \t]+"), before_key),
        # "is X a good password?", "would X be a secure password"
        prose(
            _value_before_key(
                r"(?<![\w-])(?i:is|was|would|will|could|isn't|wasn't)[ \t]+",
                r"[ \t]+(?:(?i:be|still|really|even|not)[ \t]+)?",
            ),
            before_key,
        ),
        # "login admin / X", "creds: deploy/X", "credentials are root:X", "login/pass: a / X",
        # "the login got changed to admin / X",
        # "log in with admin / X", "sign in as bob:X", "the jenkins admin is admin / X",
        # "the login for our company is ana@example.org / X", "the credentials for the
        # buyer team are stored in a spreadsheet: buyer1 / X"
        prose(
            AnchoredPattern.build(
                r"cred|login|log[ \t]in|sign[ \t]?in|/[ \t]*p"
                r"|admin(?:[ \t]+(?:account|user|login))?[ \t]*(?:[:=-]|is[ \t]|are[ \t])",
                r"(?<![\w-])(?i:(?:creds|credentials)" + _LOGIN_FOR + r"?"
                r"|(?:user(?:name)?|login|u|l)[ \t]*/[ \t]*"
                r"(?:pass(?:word)?|pwd?|p)\b|(?:logins?|log[ \t]in|sign[ \t]?in)"
                r"(?:[ \t]+(?:with|as|using)|[ \t]+(?:got|was|has[ \t]+been|is[ \t]+now)[ \t]+"
                r"(?:changed|set|reset|updated)[ \t]+to|" + _LOGIN_FOR + r")?"
                r"|admin(?:[ \t]+(?:account|user|login))?(?![\w-]))"
                r"(?!\w)"  # not a name in code: "credentialsId: 'dockerhub'"
                r"[ \t]*(?:[:=-]|(?i:is|are))?[ \t]*"
                r"[\w.@+-]{1,64}[ \t]*[/:|][ \t]*(?!/)" + VALUE,
                1,  # "login / pass": the anchor "/ p" is a word after the start
                16,
            ),
            triggers=("cred", "login", "log in", "sign in", "/p", "/ p", "admin"),
        ),
        # "credentials ...: buyer1 / X, buyer2 / Y": the pairs after the first of a list
        prose(
            AnchoredPattern.build(
                r"[ \t]/",
                r"(?:(?<=[,;][ \t])|(?<=[ \t](?i:and)[ \t]))[\w.@+-]{1,64}[ \t]*/[ \t]*(?!/)"
                + VALUE,
                1,
                64,
            ),
            _listed_pair(looks),
            ("cred", "login"),
        ),
        # "u: admin p: X", "user=bob p=X": a user and a password by their initials
        prose(
            AnchoredPattern.build(
                r"(?<![\w/.-])p[ \t]*[:=]",
                r"(?<![\w-])(?i:u|user(?:name)?|login)[ \t]*[:=][ \t]*[^\s:=/,;()\"'`]{1,64}"
                r"[ \t]*[,;/|]?(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?i:p)[ \t]*[:=][ \t]*" + VALUE,
                2,
                80,
            ),
            triggers=(" p:", " p=", "\np:"),
        ),
        # "SSID HomeNet, key X", "wifi: HomeNet / X", "WLAN GuestNet; password X"
        prose(
            AnchoredPattern.build(
                r"ssid|wi-?fi|wlan",
                r"(?<![\w-])(?i:ssid|wi-?fi|wlan)(?:[ \t]+(?i:name|network))?[ \t]*[:=]?[ \t]+"
                r"(?:\"[^\"\n]{1,32}\"|'[^'\n]{1,32}'|[^\s,;/|\"'`]{1,32})[ \t]*"
                r"(?:[,;|][ \t]*(?i:key|password|pass|pw|pwd|psk|passphrase)[ \t]*[:=]?|/)"
                r"[ \t]*" + VALUE,
                0,
                0,
            ),
            _not_wifi_standard(looks),
            ("ssid", "wifi", "wi-fi", "wlan"),
        ),
        # "the zip is protected with X", "the PDF is encrypted with the password X"
        prose(
            AnchoredPattern.build(
                r"protected|encrypted|locked",
                r"(?<![\w-])(?i:protected|encrypted|locked)[ \t]+(?:(?i:with|using)[ \t]+"
                r"(?:(?i:the|a)[ \t]+)?(?:(?i:password|passphrase)[ \t]+)?|(?i:by)[ \t]+"
                r"(?:(?i:the|a)[ \t]+)?(?i:password|passphrase)[ \t]+)" + VALUE,
                0,
                0,
            ),
            _archive_password(looks),
            ("protected", "encrypted", "locked"),
        ),
        # "the Wi-Fi in the new office is called Guest and the key is X"
        prose(
            AnchoredPattern.build(
                r"wi-?fi|wlan|ssid",
                r"(?<![\w-])(?i:wi-?fi|wlan|ssid)[^.!?\n]{0,80}?(?<![\w-])(?i:key|passphrase|psk)"
                r"(?:[ \t]+(?i:is))?(?:[ \t]*:)?[ \t]+" + VALUE,
                0,
                0,
            ),
            _not_wifi_standard(_or_dotted_words(looks)),
            ("wifi", "wi-fi", "wlan", "ssid"),
        ),
        # "webhook secret in our settings: until_family_some_attack": a secret people choose
        # for a webhook or a signature, a generator's words after its name
        prose(
            AnchoredPattern.build(
                r"secret",
                r"(?<![\w-])(?i:webhook|signing|shared)[ \t]+(?i:secret)"
                r"(?:[ \t]+(?i:in|for|of|on|from)[ \t]+[^\n:=]{1,40}?)?[ \t]*(?:[:=]|(?i:is))"
                r"[ \t]*(?P<bare>[A-Za-z][\w.-]{7,127})(?=[ \t]*(?:\r?\n|$))",
                1,
                16,
            ),
            _chosen_words,
            ("webhook secret", "signing secret", "shared secret"),
        ),
        # "whats the wifi pw again?" and the answer alone on the next line ("Ana: X")
        prose(
            re.compile(
                r"\?[ \t]*\r?\n[ \t]*(?:>[ \t]*)*(?:\[[^\]\n]{1,32}\][ \t]*)?"
                r"(?:[^\W\d_][\w .'-]{0,31}:[ \t]*)?"
                r"(?P<bare>[^\s\"'`]{6,128}|" + _SPOKEN_WORDS + r")[ \t]*(?=\r?\n|$)"
            ),
            _answers_password_question(looks),
            ("?\n", "? \n", "?\r\n"),
        ),
        # "- Wi-Fi (staff): bright-lamp-river", '- WLAN "Gast": X' in a list of accounts: a
        # network's name is no generator's words, its key is
        prose(
            AnchoredPattern.build(
                r"wi-?fi|wlan",
                r"(?<![\w-])(?i:wi-?fi|wlan)" + _NETWORK_NAME + r"[ \t]*:[ \t]*"
                r"(?P<bare>[^\s\"'`]{8,128}|" + _SPOKEN_WORDS + r")[ \t]*(?=\r?\n|$)",
                0,
                0,
            ),
            _generated_words,
            ("wifi", "wi-fi", "wlan"),
        ),
        # "shared key X, server vpn.example.com", "the PSK is X": a pre-shared key is the
        # password both ends of a VPN or a Wi-Fi know. It outranks the guess of the generic
        # "key X" rule (detectors.token_contexts), which would report it as a token.
        SecretRule(
            E.PASSWORD,
            AnchoredPattern.build(
                r"shared[ \t]key|psk",
                r"(?<![\w-])(?i:(?:pre-?)?shared[ \t]+key|psk)(?:[ \t]+(?i:is|was))?"
                r"(?:[ \t]*[:=])?[ \t]+" + VALUE,
                1,
                16,
            ),
            0.7,
            STRUCTURED,
            ("shared key", "psk"),
            _outside_url(looks),
        ),
        _pin_rule("pin|passcode", r"PIN|(?i:pin[ \t]?code|passcode)", ("pin", "passcode")),
        _pin_in_parentheses(),
        _pin_told_after(),
        _pin_rule(_CODE_ANCHOR, r"(?i:" + _CODE_ANCHOR + r")", _CODE_TRIGGERS),
    )


def _chosen_words(value: str, match: re.Match[str], text: str) -> bool:
    """Words a generator joined ("artist-entire-lead-can-true", "LightDayLetter"), not a
    name in code or a reference ("from-env-var", "AzureKeyVault")."""
    return is_word_chain(value) or is_capitalised_chain(value)


# A question that asks for a password: "whats the wifi pw again?", "what's the password
# for the printer?".
_ASKS_PASSWORD = re.compile(
    r"(?i)(?<![\w-])(?:what|whats|what's|what’s|wats|which)(?![\w-])[^?\n]{0,40}?(?<![\w-])"
    r"(?:password|passwd|passphrase|pw|pwd|wi-?fi[ \t]+(?:key|code))(?![\w-])"
)


def _answers_password_question(looks: Check) -> Check:
    """``looks`` (or words a generator joined, with or without blanks), for a value alone on
    the line after a question that asks for a password."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if " " in value and not is_spoken_passphrase(value):
            return False  # "checking now", "ask reception": a reply in words
        question = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        asked = _ASKS_PASSWORD.search(question)
        if asked is None:
            return False
        following = _NEXT_WORD.match(question, asked.end())
        if following is not None and following[1].lower() in _KEY_NOUNS:
            return False  # "what's the password policy?"
        return _generated_words(value, match, text) or looks(value, match, text)

    return check


# The words of a network's name: "acme-guest-net" is an SSID, not a generator's words.
_NETWORK_WORDS = frozenset((
    "guest", "guests", "staff", "net", "network", "wifi", "wlan", "office", "corp", "home",
    "lab", "public", "private", "internal", "visitor", "visitors", "ext", "mesh",
))  # fmt: skip


def _generated_words(value: str, match: re.Match[str], text: str) -> bool:
    """Words a generator joined ("bright-lamp-river", "catch_build_today_maintain_turn",
    "BeautifulPlanHisArrive") or spaced ("trade want arrive put", :func:`is_spoken_passphrase`),
    none of them a word of a network's name."""
    words = re.findall(r"[A-Z]?[a-z]+", value)
    if any(word.lower() in _NETWORK_WORDS for word in words):
        return False
    if " " in value:
        return is_spoken_passphrase(value) and _among_credentials(text, match)
    return is_word_chain(value, quoted=True) or is_capitalised_chain(value)


# A line that tells a credential: "Initial password: X", "Windows login: bob", "PIN 4821",
# or in the words of another language: "Windows-Anmeldung: bob / X", "Deine Zugangsdaten:",
# "usuario: bob", "mot de passe : X", "hasło: X".
_CREDENTIAL_LINE = re.compile(
    r"(?im)^.*(?:(?<![\w-])(?:pass(?:word|wort|phrase|code)?|pw|pwd|login|pin|door[ \t]code"
    r"|kennwort|zugangsdaten|anmeldedaten|mot[ \t]de[ \t]passe|mdp|identifiants?|contraseña"
    r"|credenciales|usuario|senha|credenciais|usuário|credenziali|utente|wachtwoord"
    r"|inloggegevens|gebruiker(?:snaam)?|hasło|haslo|lösenord|användar(?:e|namn)"
    r")|(?<=-)(?:anmeldung|konto))(?![\w-]).*$"
)


#: Characters before a Wi-Fi line where a line telling a credential makes it a list of
#: accounts: within what a streamed answer's scan still sees of released text
#: (``policies.holdback.CONTEXT_CHARS``), so the stream masks what the whole answer does.
_ACCOUNTS_REACH = 200


def _among_credentials(text: str, match: re.Match[str]) -> bool:
    """Whether a line above, in the :data:`_ACCOUNTS_REACH` characters before the match's
    line, tells a credential: the spaced words after a Wi-Fi label are its key in a list
    of accounts, a note in a list of office news ("- Wi-Fi: down since Monday")."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    above = text[max(0, line_start - _ACCOUNTS_REACH) : line_start]
    return _CREDENTIAL_LINE.search(above) is not None


# A Wi-Fi label that a line's spaced words may follow: "- Wi-Fi (staff): ", '- WLAN "Gast": '.
_WIFI_LABEL = re.compile(r"(?i)(?<![\w-])(?:wi-?fi|wlan)" + _NETWORK_NAME + r"[ \t]*:")


def open_spoken_line(text: str) -> int | None:
    """Where the line being written starts if spaced words on it may still become a
    passphrase (:func:`is_spoken_passphrase`): the line after a question that asks for a
    password, or a line with a Wi-Fi label. Its words are known to be the passphrase only
    once the line ends, so a streamed answer holds the line until then. ``None`` when the
    text ends a line, or its last line is neither."""
    line = text.rfind("\n") + 1
    if line == len(text):
        return None
    if _WIFI_LABEL.search(text, line) is not None:
        return line
    if line == 0:
        return None
    question = text[text.rfind("\n", 0, line - 1) + 1 : line - 1].rstrip()
    if question.endswith("?") and _ASKS_PASSWORD.search(question) is not None:
        return line
    return None


# Three to eight lowercase words with blanks between, running to the line's end: a
# passphrase read out where only the password can stand (:func:`is_spoken_passphrase`).
_SPOKEN_WORDS = r"[a-z]{2,16}(?:[ ][a-z]{2,16}){2,7}"
# Words of a reply in a chat, not of a passphrase: "ok will check", "dunno sorry", "brb".
_REPLY_WORDS = frozenset((
    "ok", "okay", "k", "thanks", "thank", "thx", "ty", "sorry", "idk", "dunno", "brb", "sure",
    "yes", "yeah", "yep", "nope", "nah", "will", "try", "check", "wait", "hang", "lol", "pls",
    "plz", "hmm", "know", "think", "maybe", "probably", "still", "sec", "min", "moment", "just",
    "now", "soon", "later", "asap", "one", "sticker", "whiteboard", "reception", "desk",
    "printed", "written", "posted", "pinned", "sent", "dm", "email", "mail", "chat", "message",
))  # fmt: skip


def is_spoken_passphrase(value: str) -> bool:
    """Three to eight lowercase words with blanks between that are a passphrase ("station
    level glass"), not a reply or a note ("see the sticker", "checking now", "ask reception
    pls", "fixed last week"): no word of a label, a reference, a name in code or a chat
    reply, none ending in "-ing" or "-ed" (what one is doing, what was done), none naming the
    key."""
    words = value.split(" ")
    return (
        re.fullmatch(_SPOKEN_WORDS, value) is not None
        and _KEY_WORD.search(value) is None
        and not any(
            word in _CHAIN_NOT_WORDS
            or word in _REPLY_WORDS
            or (len(word) > 4 and word.endswith(("ing", "ed")))
            for word in words
        )
    )


def _pin_rule(anchor: str, key: str, triggers: tuple[str, ...]) -> SecretRule:
    """A PIN or a code of digits after its name: "my PIN is 4821", "PIN: 4821", "the
    passcode for the door is 482193", "PIN für die Alarmanlage: 4821", "door code 4821",
    and right after a capital "PIN" ("verified with the security PIN 386566")."""
    return SecretRule(
        E.PASSWORD,
        AnchoredPattern.build(
            anchor,
            r"(?<![\w-])(?:" + key + r")(?:" + _FOREIGN_FOR_PHRASE + r")?"
            r"(?:[ \t]+(?i:is|was|ist|est|es|é)(?:[ \t]*:)?|[ \t]*[:=]|(?<=PIN)(?=[ \t]))[ \t]*"
            r"(?P<value>\d{4,8})(?![\w.,-]\d|\w)",
            0,
            0,
        ),
        0.7,
        CONTEXTUAL,
        triggers,
        _pin_value,
    )


def _pin_in_parentheses() -> SecretRule:
    """A PIN of digits in parentheses after its name and what it opens: "the CFO's PIN for
    the bank token (995927)", "PIN (4821)"; the closing parenthesis ends it."""
    return SecretRule(
        E.PASSWORD,
        AnchoredPattern.build(
            "pin|passcode",
            r"(?<![\w-])(?:PIN|(?i:pin[ \t]?code|passcode))"
            r"(?:[ \t]+(?i:for|of|on|to)(?:[ \t]+[^\s:=,.;()]{1,40}){1,4}?)?"
            r"[ \t]*\([ \t]*(?P<value>\d{4,8})[ \t]*\)",
            0,
            0,
        ),
        0.7,
        CONTEXTUAL,
        ("pin", "passcode"),
        _pin_in_brackets,
    )


def _pin_told_after() -> SecretRule:
    """A PIN named in a sentence whose next clause tells it: "the airline wants the frequent
    flyer PIN to merge accounts; mine is 92784668", "I forgot the PIN, it's 4821"."""
    return SecretRule(
        E.PASSWORD,
        AnchoredPattern.build(
            "pin",
            r"(?<![\w-])PIN(?![\w-])[^.!?\n,;]{0,60}[,;][ \t]*"
            r"(?i:mine|it)(?:['’]s|[ \t]+is)(?:[ \t]+(?i:now))?[ \t]+"
            r"(?P<value>\d{4,8})(?![\w.,-]\d|\w)",
            0,
            0,
        ),
        0.7,
        CONTEXTUAL,
        ("pin",),
        _pin_in_brackets,
    )


def _pin_in_brackets(value: str, match: re.Match[str], text: str) -> bool:
    """Not one digit repeated, not a year ("the PIN (2024) rollout")."""
    year = len(value) == 4 and value.startswith(("19", "20"))
    return len(set(value)) > 1 and not year


def _pin_value(value: str, match: re.Match[str], text: str) -> bool:
    """Not one digit repeated; right after "PIN" with nothing between, not a year ("the
    PIN 2024 rollout")."""
    bare = text[match.start() : match.start("value")].rstrip().endswith("PIN")
    year = len(value) == 4 and value.startswith(("19", "20"))
    return len(set(value)) > 1 and not (bare and year)
