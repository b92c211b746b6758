"""Keys and tokens told in sentences of scripts without capitals, and keys asked for in a chat.

A sentence of Korean, Thai, Persian, Georgian, Chinese or Japanese that names a key or a
token ("데이터독 API 키는 X", "โทเคน LINE Messaging API ของช่องแจ้งเตือนคือ X", "توکن احراز
هویت توییلیو برای ارسال پیامک: X", "webhook 的密钥是 X", "webhook key 是 X") gives its value
as a run of a token's ASCII characters after the word, in the same sentence: the first run
of sixteen or more (shorter runs between are the product's name: "LINE", "API"). Its copula
and particles, before or after the value, are not read. An English key word counts when the
sentence goes on in Chinese or Japanese right after it ("key 是", "token は").

A key asked for in a chat and given on the next line, in any of those languages or in
English ("does anyone have the HERE maps key for the delivery app?" / "[10:39] Ann: yes, use
this one: X", "데이터독 API 키 뭐였지?" / "정숙: X"): the question's line names a key or a
token not called public and ends with "?", and the answer's line ends with the value, after
a time, a speaker and a reply's words at most ("I think sure: X", "request id: X" are no
answer; a sandbox's or a test's key is a secret all the same, as Stripe's ``sk_test_`` is).

The value must look random (the generic check of :mod:`detectors.secret_rules`; a UUID
too, as a token of its own), and is no path ("vault/kv/prod/api-key-2024") or link.
Nothing after the value is read but the character that ends it (or, for an answer, the end
of its line): a streamed answer holds a value while it is unfinished.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.secret_rule import CONTEXTUAL, Check, SecretRule
from detectors.secret_values import is_placeholder
from detectors.token_contexts import NOT_SECRET_BEFORE

# The words for a key, a secret or a token in each script: Korean 키 after API/액세스/비밀/
# 인증/시크릿 (alone it is in 키보드, 쿠키), 토큰, 시크릿; Thai คีย์, โทเคน/โทเค็น, ซีเคร็ต;
# Persian کلید, توکن; Georgian გასაღებ- (its cases), ტოკენ-; Chinese 密钥/密鑰/秘钥/金鑰,
# 令牌, 私钥; Japanese キー, トークン, シークレット; and an English key word that Chinese or
# Japanese goes on right after ("key 是", "token は").
_NATIVE_WORD = (
    r"(?:API|api|액세스|비밀|인증|시크릿)[ \t]*키|토큰|시크릿"
    r"|คีย์|โทเคน|โทเค็น|ซีเคร็ต"
    r"|کلید|توکن"
    r"|გასაღებ|ტოკენ"
    r"|密[钥鑰]|秘[钥鑰]|金鑰|令牌|私[钥鑰]|キー|トークン|シークレット"
)
_COPULAS = "是为為は："
_KEY_WORD = _NATIVE_WORD + rf"|(?<![A-Za-z])(?i:key|token|secret)[ \t]*(?=[{_COPULAS}])"
_TRIGGERS = (
    "키", "토큰", "시크릿", "คีย์", "โทเคน", "โทเค็น", "ซีเคร็ต", "کلید", "توکن", "გასაღებ",
    "ტოკენ", "密钥", "密鑰", "秘钥", "秘鑰", "金鑰", "令牌", "私钥", "私鑰", "キー", "トークン",
    "シークレット", *_COPULAS,
)  # fmt: skip
# What ends the sentence the key's word is in.
_SENTENCE_END = r"\n.!?。！？؟"
# A token's characters; the value starts with a letter or digit and ends with no dot (the
# sentence's full stop), its base64 padding kept.
_TOKEN_CHARS = r"A-Za-z0-9+/_~.\-"  # noqa: S105 - a character class
_VALUE = (
    rf"(?<![{_TOKEN_CHARS}=])(?P<value>[A-Za-z0-9][{_TOKEN_CHARS}]{{14,510}}[A-Za-z0-9+/_~\-]"
    rf"={{0,2}})(?![{_TOKEN_CHARS}=])"
)
_TOLD = re.compile(
    rf"(?:{_KEY_WORD})[^{_SENTENCE_END}]{{0,80}}?{_VALUE}",
)
# The answer's line: a chat's time in brackets, a speaker, and a reply's few words, each
# closed by a colon or an arrow and each optional ("[10:39:25] Ann: yes, use this one: ",
# "@lee: ", "예지: "), then the value, ending the line. A speaker is one handle or up to four
# words of a name (each capitalised, or of a script without capitals); a reply starts with
# a reply's word ("yes", "sure", "here", "use", ...) or is in a script without Latin
# letters. Other words closed by a colon are no answer ("I think sure: X", "request id: X").
# A name's characters are any but spaces and closers: Thai's vowel and tone marks are no \w.
_CLOSE = r"[ \t]*[:：→][ \t]*"
_NAME_CHAR = r"[^\s:：→\[\]]"
_NAME_WORD = rf"(?:[A-Z]|[^\x00-\x7f]){_NAME_CHAR}{{0,31}}"
_SPEAKER = rf"(?:@?{_NAME_CHAR}{{1,32}}|{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}){_CLOSE}"
_REPLY_WORDS = (
    r"yes|yeah|yep|yup|sure|here|use|try|ok|okay|this|that|it'?s|it[ \t]+is|the|got|found"
    r"|take|sent|np|no[ \t]+problem"
)
_REPLY = (
    rf"(?:(?i:(?<![\w'])(?:{_REPLY_WORDS})(?![\w']))[^\n:：→]{{0,60}}|[^\nA-Za-z:：→]{{1,60}})"
    + _CLOSE
)
_ANSWER = re.compile(
    r"\?[ \t]*\r?\n[ \t]*(?:\[[^\]\n]{1,32}\][ \t]*)?"
    rf"(?:{_SPEAKER})?(?:{_REPLY})?"
    + _VALUE.replace("(?P<value>", "(?P<bare>")
    + r"(?=[ \t]*(?:\r?\n|\Z))"
)
# The question names a key or a token: the words above, or English ones not called public
# (:data:`detectors.token_contexts.NOT_SECRET_BEFORE`: "can you share the public key?").
_ASKED_WORD = re.compile(
    r"(?i:(?<![a-z])(?:api[ _-]?key|key|token|secret|pat|access[ _-]key)s?(?![a-z]))|"
    + _NATIVE_WORD
)
_QUESTION_REACH = 200  # characters of the question's line read back from its "?"
# A path without its leading "/": lowercase names joined by "/" ("vault/kv/prod/api-key-2024");
# a base64 token with "/" has capitals.
_PATH = re.compile(r"[a-z0-9._~-]+(?:/[a-z0-9._~-]+)+/?")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Words run together as code names them ("BenchmarkResultsForVersion2"): no key.
_CAMEL_NAME = re.compile(r"(?:[A-Z][a-z]+|[0-9]{1,4})+")


def _a_token(generic: Check) -> Check:
    """A random-looking token or a UUID; no path, no placeholder, no name in code."""

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if value[0] == "/" or "//" in value or _PATH.fullmatch(value) or is_placeholder(value):
            return False
        if _CAMEL_NAME.fullmatch(value) is not None:
            return False
        return _UUID.fullmatch(value) is not None or generic(value, match, text)

    return check


def _asked(generic: Check) -> Check:
    """:func:`_a_token`, and the question's line names a key or a token."""
    token = _a_token(generic)

    def check(value: str, match: re.Match[str], text: str) -> bool:
        if not token(value, match, text):
            return False
        mark = match.start()
        line_start = max(text.rfind("\n", 0, mark) + 1, mark - _QUESTION_REACH)
        return any(
            NOT_SECRET_BEFORE.search(text, line_start, word.start()) is None
            for word in _ASKED_WORD.finditer(text, line_start, mark)
        )

    return check


def native_key_rules(generic: Check) -> tuple[SecretRule, ...]:
    """The rules of this module (see its docstring); ``generic``: the check of a random
    token."""
    return (
        SecretRule(E.GENERIC_SECRET, _TOLD, 0.7, CONTEXTUAL, _TRIGGERS, _a_token(generic)),
        SecretRule(
            E.GENERIC_SECRET,
            _ANSWER,
            0.7,
            CONTEXTUAL,
            ("?\n", "?\r\n", "? \n"),
            _asked(generic),
        ),
    )
