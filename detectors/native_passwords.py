"""Passwords told in sentences of scripts without capitals, and app passwords in prose.

A sentence of Korean, Thai, Persian, Georgian, Chinese or Japanese that names a password
("스테이징 서버 관리자 비밀번호는 X 입니다", "รหัสผ่าน Wi-Fi คือ X นะครับ", "رمز عبور
سرور تست X است", "სერვერის პაროლი არის X", "数据库密码已经改成 X 了") gives its value as a
token written in other letters than the sentence's: Latin letters, digits and symbols, or
another script's words ("비밀번호는 ดอง-นิ่ม-8 입니다"). The copula and particles around the
value differ in every one of these languages, and some stand after it, so the rule does
not read them: the value is the first blank-delimited token after the password's word, in
the same sentence, that holds a character of no letter of the sentence's script and has
six characters or more (shorter ones between the word and the value are labels:
"Wi-Fi", "API").

An app password an account generates for a mail client is four groups of four lowercase
letters ("abcd efgh ijkl mnop" as Google prints it, "abcd-efgh-ijkl-mnop" as Apple does);
after the words "app password" or "app-specific password" in the same sentence (a few words
between, or the next sentence: "the app password hdfo nszt ... on smtp.gmail.com", "...
app-specific password for the shared account. The current one (X)") it is
the person's password for that client, whatever words its groups spell.

Nothing after a value is read: a streamed answer holds a value while it is unfinished
(a token), and the spaced groups of an app password while the run of groups is open
(:func:`policies.holdback.open_app_password`).
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import is_expression, is_placeholder

# The word for a password in each script, and the letters of that script (with its
# punctuation, the zero-width non-joiner of Persian and the fullwidth forms of CJK).
_SCRIPTS = (
    # Korean: 비밀번호 (password), 암호, 패스워드
    (r"비밀번호|패스워드|암호", r"\uac00-\ud7a3\u3131-\u318e"),
    # Thai: รหัสผ่าน (password)
    (r"รหัสผ่าน", r"\u0e00-\u0e7f"),
    # Persian: رمز عبور, رمز (password), گذرواژه, کلمه عبور
    (r"رمز|گذرواژه|کلمه[ \t]+عبور", r"\u0600-\u06ff\u200c"),
    # Georgian: პაროლი and its cases (პაროლს, პაროლის)
    (r"პაროლ", r"\u10d0-\u10ff"),
    # Chinese and Japanese: 密码, 密碼, 口令, パスワード, 暗証番号
    (r"密[码碼]|口令|パスワード|暗証番号", r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"),
)
# What ends the sentence the password's word is in.
_SENTENCE_END = r"\n.!?。！？؟"
_MIN_VALUE = 6
# Quotes and backticks around a value ("**密码**: `X`"): the value's delimiters.
_QUOTES = "\"'`“”「」"
# Punctuation around a sentence's words, which makes no word foreign ("실패합니다.", "(ქსელი").
_PUNCTUATION = r".,!?:;()\[\]\"'«»“”„"


def _told(label: str, letters: str) -> re.Pattern[str]:
    """The word ``label``, then in the same sentence, before any aside in brackets ("(ქსელი
    X-Guest)": the network's name), the first token of six characters or more that holds
    a character outside ``letters`` (trailing commas and full stops are the sentence's,
    quotes around it its delimiters)."""
    return re.compile(
        rf"(?:{label})[^{_SENTENCE_END}(]{{0,80}}?(?<!\S)(?P<quote>[{_QUOTES}])?"
        rf"(?P<value>(?=[^\s]*[^\s{letters}{_PUNCTUATION}])"
        rf"[^\s{_QUOTES}][^\s]{{{_MIN_VALUE - 1},63}}?)"
        rf"(?(quote)[{_QUOTES}])[,،、，。.]?(?=\s|\Z)"
    )


_TOLD = tuple(_told(label, letters) for label, letters in _SCRIPTS)
_TRIGGERS = (
    ("비밀번호", "패스워드", "암호"),
    ("รหัสผ่าน",),
    ("رمز", "گذرواژه", "کلمه"),
    ("პაროლ",),
    ("密码", "密碼", "口令", "パスワード", "暗証番号"),
)


# A name in code or a setting's key ("TOSS_SECRET_KEY", "spring.datasource.password").
_NAME_IN_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[\w.-]*(?i:password)[\w.-]*")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _a_password(words: frozenset[str]) -> Check:
    """A value, not an address, a link, a path, a placeholder, a reference, a number, a
    name in code or a word of prose (``words``: English words and technology names)."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if _ADDRESS.fullmatch(value) or "://" in value or value[0] in "/\\":
            return False
        if is_placeholder(value) or is_expression(value) or _NAME_IN_CODE.fullmatch(value):
            return False
        if value.lower() in words:
            return False
        return not value.replace(".", "").replace("-", "").isdigit()

    return check


# The words that name an app password, in English and in Korean ("앱 비밀번호").
_APP_WORDS = r"(?i:app(?:lication)?(?:[ \t-]+specific)?[ \t-]+password)|앱[ \t]*비밀번호"
# Four groups of four lowercase letters, one blank or one hyphen between each two.
_GROUPS = r"(?P<app>[a-z]{4}(?P<join>[ -])[a-z]{4}(?P=join)[a-z]{4}(?P=join)[a-z]{4})"
_APP_PASSWORD = AnchoredPattern.build(
    r"password|비밀번호",
    rf"(?<![\w-])(?:{_APP_WORDS})(?![\w-])[^\n]{{0,120}}?(?<![\w-]){_GROUPS}(?![\w-])",
    2,  # back over "app", "application specific"
    24,
)
# Words a sentence writes in groups of four ("this will show here"): not an app password.
_SENTENCE_WORDS = frozenset((
    "this", "that", "will", "have", "must", "your", "with", "from", "into", "here", "there",
    "when", "then", "than", "they", "them", "were", "been", "does", "done", "same", "also",
    "only", "just", "some", "more", "most", "very", "what", "which", "used", "uses", "user",
    "show", "hide", "need", "type", "word", "four", "five", "once", "each", "like", "sure",
    "mail", "gmail", "work", "account", "make", "take", "time", "code", "sign", "send",
))  # fmt: skip


def _generated_groups(value: str, match: re.Match[str], text: str) -> bool:
    """No more than one group is a word of a sentence."""
    groups = re.split(r"[ -]", value)
    return sum(group in _SENTENCE_WORDS for group in groups) <= 1


def native_password_rules(words: frozenset[str]) -> tuple[SecretRule, ...]:
    """The rules of this module (see its docstring); ``words``: what a password is not (the
    English words and technology names)."""
    check = _a_password(words)
    rules = [
        SecretRule(E.PASSWORD, told, 0.7, CONTEXTUAL, triggers, check)
        for told, triggers in zip(_TOLD, _TRIGGERS, strict=True)
    ]
    rules.append(
        SecretRule(
            E.PASSWORD,
            _APP_PASSWORD,
            0.75,
            CONTEXTUAL,
            ("app password", "app-password", "specific password", "앱 비밀번호", "앱비밀번호"),
            _generated_groups,
        )
    )
    return tuple(rules)
