"""Keys and tokens told in Korean, Thai, Persian, Georgian, Chinese and Japanese sentences,
asked for in a chat and given on the next line (:mod:`detectors.native_keys`), in CSV columns
headed "key", and in the formats of Mollie and Backblaze B2 (h187, issue 14: tuning12's
misses as classes). Each found value is reported exactly; look-alikes stay quiet.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

FOUND = [
    # a key's or a token's word of the sentence's script, the value later in the sentence
    (
        "회사 슬랙봇 토큰은 Xq7bN2kLm9Pz4RtV8wYc3HdJ 입니다. 배포 스크립트에 넣어 주세요.",
        "Xq7bN2kLm9Pz4RtV8wYc3HdJ",
    ),
    ("네이버 지도 API 키: 9f2c7e1a4b8d3f6e0a5c9b2d7e4f1a8c", "9f2c7e1a4b8d3f6e0a5c9b2d7e4f1a8c"),
    (
        "คีย์ของ Sentry ในระบบทดสอบคือ 4b9e2f7c1a8d5e3b6f0c9a2d7e4b1f8c ใช้ได้ถึงสิ้นเดือน",
        "4b9e2f7c1a8d5e3b6f0c9a2d7e4b1f8c",
    ),
    (
        "توکن دسترسی گیت‌لب پروژه: Rk8mZ2vQ7xN4pL9tW3bY6cHs و آدرس مخزن را هم گذاشتم",
        "Rk8mZ2vQ7xN4pL9tW3bY6cHs",
    ),
    (
        "კლიენტის გასაღები არის 7d3a9f1c5e8b2d6a4f0c9e3b7a1d5f8c, ნუ გაუზიარებ.",
        "7d3a9f1c5e8b2d6a4f0c9e3b7a1d5f8c",
    ),
    (
        "钉钉机器人的密钥是 b5e8d2a7-3c1f-4e9b-8a6d-0f2c7e4b9a1d，帮我写个脚本。",
        "b5e8d2a7-3c1f-4e9b-8a6d-0f2c7e4b9a1d",
    ),
    (
        "飞书 webhook token 为 Lq9Zx2Wm7Np4Kb8Rt3Vc6Hy1Jd5，请检查一下",
        "Lq9Zx2Wm7Np4Kb8Rt3Vc6Hy1Jd5",
    ),
    ("本番環境のアクセストークンは Tz8Kq3Wm9Xp2Lv7Nb4Rc6Hd1J です。", "Tz8Kq3Wm9Xp2Lv7Nb4Rc6Hd1J"),
    # a key asked for in a chat, the value alone ending the next line
    (
        "[09:12] Dana: what's the Mapbox key for staging?\n"
        "[09:14] Lee: sure, here: Gk4mW9qZ2xR7vN3bT8pL5cY1sH6dJ0fA\n",
        "Gk4mW9qZ2xR7vN3bT8pL5cY1sH6dJ0fA",
    ),
    (
        "지훈: 센트리 토큰 어디 있지?\n수빈: 0c7e2b9f4a1d8e5c3b6f9a2d7e0c4b8f",
        "0c7e2b9f4a1d8e5c3b6f9a2d7e0c4b8f",
    ),
    (
        "[11:00] นัฐพล: does anyone have the HERE maps key?\n"
        "[12:26] มนรัตน์: yes, use this one: wIqSZIAhYTOMz_uJGRCNoN2XVq-csU1kRlz_raGAk2o\n",
        "wIqSZIAhYTOMz_uJGRCNoN2XVq-csU1kRlz_raGAk2o",
    ),
    (
        "[10:02] Ana: what's the signing key of the staging app?\n"
        "[10:03] Bo Kim: yes, use this one: Gk4mW9qZ2xR7vN3bT8pL5cY1sH6dJ0fA\n",
        "Gk4mW9qZ2xR7vN3bT8pL5cY1sH6dJ0fA",
    ),
    (
        "지훈: 센트리 토큰 어디 있지?\n수빈: 여기요: 0c7e2b9f4a1d8e5c3b6f9a2d7e0c4b8f",
        "0c7e2b9f4a1d8e5c3b6f9a2d7e0c4b8f",
    ),
    # a CSV whose header names the key column, delimited by ", " or ";"
    (
        "service, owner, key\nMaps (web), Ann, Hw3Kd8Lq2Zm7Xp4Nr9Tv6Bc1\nCRM, Ben, (ask Ben)\n",
        "Hw3Kd8Lq2Zm7Xp4Nr9Tv6Bc1",
    ),
    ("name;key;created\nsms;Zt7Qm2Kx9Lp4Wv8N;2021-03-04\n", "Zt7Qm2Kx9Lp4Wv8N"),
    # vendor formats
    (
        "we moved to the new live key live_Hk3Zq8Wm2Xp7Lv4Nb9Rc6Td1Jy5Fs0 today",
        "live_Hk3Zq8Wm2Xp7Lv4Nb9Rc6Td1Jy5Fs0",
    ),
    ("B2_APP_KEY K00aZ7mQ2xW9pL4vN8bT3cR6sY1dH5f", "K00aZ7mQ2xW9pL4vN8bT3cR6sY1dH5f"),
]


@pytest.mark.parametrize(("text", "value"), FOUND)
def test_a_key_told_asked_or_tabled_is_one_generic_secret_exactly(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The value, and nothing around it, is reported as a generic secret."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]


QUIET = [
    # a key's word, then a path, a link or words: no value
    "키보드 설정 파일은 /home/dev/.config/keyboard-layout-settings.json 에 있어요",
    "API 키는 아직 발급 전입니다. 요청 번호는 REQ-2024-0042 입니다.",
    "密钥文档在 https://docs.example.com/security/key-management-overview 这里",
    "โทเคนหมดอายุแล้ว กรุณาสร้างใหม่ในหน้า Settings",
    # a question about a key, then an answer that is a name in code or a sentence
    "what's the key difference between them?\nBenchmarkResultsForVersion2\n",
    "where is the API key stored?\nin the vault, under payments/prod\n",
    # a question about a public key; a line that is no answer; an answer that is a path
    "[10:02] Ana: what's the public key of the signer?\n"
    "[10:03] Bo: 711841aae16629d95a0ea93245a44d3327662431\n",
    "why is my API key rejected?\nrequest id: 7f3a9c2e4b1d8f6a0c5e9b3d7a2f4c1e\n",
    "> can you share the sandbox key?\nI think sure: 2ad8ae0e-d98c-4d70-a40e-4f9da6c3eebe",
    "where is the CI token kept?\nhere: secrets/ci/deploy-token-2024\n",
    # a line of code with "key" among its arguments, and rows under it
    "def put(self, key, value):\n    self.store[key] = value\n",
    # a vendor's prefix on something shorter, or on a test's name
    "def test_abcdefghijklmnopqrstuvwxyzABCD(): pass",
    "the key starts with K00 and is shown once",
]


@pytest.mark.parametrize("text", QUIET)
def test_look_alikes_of_keys_told_stay_quiet(secrets_detector: SecretsDetector, text: str) -> None:
    """No secret where no value of a key stands."""
    assert [s for s in spans(secrets_detector, text) if s[0] in E.SECRET_ENTITY_TYPES] == []
