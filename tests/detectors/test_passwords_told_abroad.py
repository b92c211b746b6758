"""Passwords told in Korean, Thai, Persian, Georgian and Chinese sentences, app passwords of
letter groups in prose, passwords in a list of accounts, and words after "password" that are
no value (tuning12, h182;
:mod:`detectors.native_passwords`, :mod:`detectors.device_secrets`,
:mod:`detectors.labelled_credentials`, :mod:`detectors.account_pairs`).

Positives are (text before, password, text after): the password is found exactly.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD_ABROAD = [  # the password's word, words of the sentence, the value in other letters
    ("안녕하세요, 스테이징 서버 관리자 비밀번호는 ", "z9rTs2Qy(5S", " 입니다. 바로 변경해 주세요."),
    ("안녕하세요, 스테이징 서버 관리자 비밀번호는 ", "ดอง-นิ่ม-8", " 입니다."),
    ("구글 앱 비밀번호 ", "gzmxmorowzjtemrl", " 로 메일 클라이언트를 설정했는데 실패합니다."),
    ("ห้องประชุมชั้น 5 รหัสผ่าน Wi-Fi คือ ", "kitchen_level_that_yeah", " นะครับ"),
    ("ตั้งรหัสผ่านชั่วคราวให้เป็น ", "مبارزهمقایسه19", " แล้ว"),
    ("رمز عبور سرور تست ", "88dBt8aTM&J@7By", " است. لطفاً عوضش کنید."),
    ("برای ورود به پنل مدیریت، نام کاربری yandai و رمز ", "fTb*nru2n99T!", " را وارد کن."),
    ("სერვერის პაროლი არის ", "Spring2024", ", გთხოვ არავის გაუზიარო."),
    ("数据库密码已经改成 ", "%$3Jx@8cyC)W&l5",
     " 了，记得更新 Nacos 配置中心里的 spring.datasource.password。"),
]  # fmt: skip

APP_PASSWORDS = [  # four groups of four letters after the words for an app password
    ("I'm using ann@example.org with the app password ", "fzut ctvk qytk uayy", " on smtp."),
    ("Please reset the Apple ID app-specific password for the shared calendar account. "
     "The current one (", "ojtr-puqh-bcju-zcro", ") was shared by mistake."),
    ("구글 앱 비밀번호 ", "matd epzh zzcl omam", " 로 메일 클라이언트를 설정했는데"),
]  # fmt: skip

QUIET = [
    # no value in the sentence, or one that is a name in code, an address or a word
    "شناسه درخواست را برای پشتیبانی فرستادم. هیچ کلید یا رمزی در ایمیل نبود.",
    "시크릿 키는 서버의 환경변수 TOSS_SECRET_KEY 에서 읽습니다.\n"
    "비밀번호 변경은 Settings 메뉴에서 하세요.",
    "비밀번호 재설정 링크를 hsyn36@example.org 로 보냈습니다.",
    "안녕하세요, 비밀번호는 변경되었습니다. 테스트 끝나면 실패합니다.",
    "ოფისის Wi-Fi-ის პაროლი იცის (ქსელი Guest).",
    # an app password's words without its groups; groups that are a sentence
    "Create an app password in your Google account, then use it in Thunderbird.",
    "The app password will show here once, then this will time sure.",
    # "username and password" names two fields; the word after them is prose
    'settings.xml has the server id "central" with username and password from env vars.',
    "fastlane: [!] Invalid username and password combination. Used x as the username.",
    # where a password comes from or is used on: an address, a host and its port
    "You will receive a link to set your own password from noreply@ju.com within the hour.",
    "I'm using ann@example.org with the password on smtp.gmail.com:587. 2FA is on.",
]  # fmt: skip


@pytest.mark.parametrize(("before", "secret", "after"), TOLD_ABROAD + APP_PASSWORDS)
def test_a_password_told_in_these_languages_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """The password is found with its exact span, as a password."""
    found = spans(secrets_detector, before + secret + after)
    assert (E.PASSWORD, secret) in found
    assert all(text == secret for _, text in found)


@pytest.mark.parametrize("text", QUIET)
def test_sentences_without_a_password_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """No value, or a reference, an address, a word of the sentence: no password."""
    assert [s for s in spans(secrets_detector, text) if s[0] == E.PASSWORD] == []


ACCOUNT_LIST = (
    "Shared accounts (Q4):\n\n"
    "- Canva team login — ekong@example.com / Spring2022\n"
    "- Stock photo site — cguo@example.net / StandThoughtThose\n"
    "- Trade fair portal — uliao / 0!Si3NOKbc?\n\n"
    "Please move these into the password manager and delete this list."
)


def test_the_passwords_of_a_list_of_accounts_are_found_exactly(
    secrets_detector: SecretsDetector,
) -> None:
    """Each item's value after its login and " / " is a password, the login is not."""
    assert spans(secrets_detector, ACCOUNT_LIST) == [
        (E.PASSWORD, "Spring2022"),
        (E.PASSWORD, "StandThoughtThose"),
        (E.PASSWORD, "0!Si3NOKbc?"),
    ]


def test_a_list_of_other_pairs_names_no_password(secrets_detector: SecretsDetector) -> None:
    """Items pairing words, versions, paths or names name no password."""
    text = (
        "- Docs — frontend / backend\n- Build — v1.2 / 2024-05-01\n"
        "- Routes — /api / /admin\n- Sizes — small / medium-large\n- Team — Ann / Bob\n"
    )
    assert spans(secrets_detector, text) == []
