"""Names written in Korean, Thai and Georgian, and words of those scripts and of Persian that
are no names (tuning12, h182; :mod:`detectors.name_cues`, :mod:`detectors.ner_filter`).

Korean writes a name as a word of Hangul syllables, the family name glued before the given
name ("김수빈"); Thai as a run of its letters and marks; Georgian in letters Unicode counts
lowercase although the script has no capitals in use ("ნინო"). After a chat's speaker cue,
a speaker above a message with the time beside it ("Ann 10:42"), or a sign-off after a
dash that ends a message ("... revert please — 김수빈"), a known name of these scripts is
a person, as a capitalised one is. The English model tags words of these scripts at
random ("안녕하세요", "وارد کن."): a span of the model holding a word of Korean, Thai,
Georgian or Persian that is no known name is dropped unless a cue stands before it.
"""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector

NAMED = [
    # chat speakers, after a time and without
    ("ნინო: never mind, the token is in the vault\nაიდა: ok", ["ნინო", "აიდა"]),
    ("[12:35:08] มาซีเตาะ: Vultr API key\n[13:12:58] มนัญชยา: ok", ["มาซีเตาะ", "มนัญชยา"]),
    ("[22:44:44] 지민: Vultr API key\n[12:23:55] 예진: IP allow-list", ["지민", "예진"]),
    # a speaker above the message, the time beside the name
    ("هانیه 12:18:09\nhey, it broke.\nیاسمین 20:09:32\nthat one", ["هانیه", "یاسمین"]),
    ("Anna 10:42\nthe tileset upload broke", ["Anna"]),
    # a greeting before a Georgian name, a review's author
    ("Hi რეზო, as requested the OpenRouter key for the harness.", ["რეზო"]),
    ("ეკატერინე left a comment on `deploy/docker/.npmrc`:", ["ეკატერინე"]),
    # a sign-off after a dash: a Korean full name, a Thai one, a Persian given name
    ("Review: NuGet API keys must not be in nuget.config. Revert please — 김수빈", ["김수빈"]),
    ("테스트 끝나면 바로 변경해 주세요. - ฤทธิ์ชกร เดชวา", ["ฤทธิ์ชกร เดชวา"]),
    ("Please don't commit .env — add it to .gitignore. — نازنين", ["نازنين"]),
]  # fmt: skip

QUIET = [
    # words of the sentence the English model took for names
    "안녕하세요, 스테이징 서버 관리자 비밀번호는 변경되었습니다. 테스트 끝나면 알려 주세요.",
    "결제 연동 문의드립니다. 프론트엔드에는 클라이언트 키만 넣었고,\n"
    "시크릿 키는 서버의 환경변수에서 읽습니다.",
    "شناسه درخواست و شناسه تراکنش را برای پشتیبانی فرستادم. هیچ کلید یا رمزی در ایمیل نبود.",
    "برای ورود به پنل مدیریت، نام کاربری و رمز را وارد کن. بعد از ورود، احراز هویت را فعال کن.",
    "გასაღებს ჩატში არ გამოგიგზავნი, 1Password-ში ჩავდე. მოთხოვნის ID: 4dc9b4253070.",
    # a log's line, a heading and a world clock above a line
    "Backup 02:00\nall volumes done",
    "London 09:00\nNew York 04:00",
    # a dash before a product at a line's end
    "see the docs - Redis",
]  # fmt: skip


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_a_name_of_these_scripts_after_a_cue_is_a_person(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """Each name is one PERSON spanning it exactly."""
    assert _people(pii, text) == names


@pytest.mark.parametrize("text", QUIET)
def test_words_of_these_scripts_are_no_people(pii: PresidioDetector, text: str) -> None:
    """Sentences of these scripts, and lines of the same shapes without a person, name no
    one."""
    assert _people(pii, text) == []
