"""Service tokens recognised by their vendor's prefix, for vendors without an entity type of
their own: reported as ``GENERIC_SECRET`` wherever they stand, with no name around them
(where a name around them says more, "password = SG....", that finding's kind is kept).

npm (``npm_``), PyPI (``pypi-AgEIcHlwaS5vcmc``: the base64 of a macaroon's "pypi.org"),
DigitalOcean (``dop_v1_``, ``doo_v1_``, ``dor_v1_``), Shopify (``shpat_``, ``shpca_``,
``shppa_``, ``shpss_``), SendGrid (``SG.<22>.<43>``), Hugging Face (``hf_``), Databricks
(``dapi``), Grafana service accounts (``glsa_``), Notion (``secret_``, ``ntn_``), Linear
(``lin_api_``), Square (``sq0atp-``, ``sq0csp-``), age identities (``AGE-SECRET-KEY-1``),
Google OAuth access tokens (``ya29.``) and Telegram bot tokens (``<id>:AA...``, and the
string a Telegram bot library is constructed with). The shapes are the vendors' documented ones
(and gitleaks' rules for them); the random part must still look random, so a prefix in
prose ("the npm_ prefix") or a run of one character stays quiet.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.secret_rule import SecretRule
from detectors.secret_values import all_of, distinct, random_looking

_L = r"(?<![A-Za-z0-9_-])"
_R = r"(?![A-Za-z0-9_-])"

# (pattern, triggers): each pattern is the whole token.
_VENDOR_TOKENS = (
    (r"npm_[A-Za-z0-9]{36}", ("npm_",)),
    (r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}", ("pypi-ageichlwas5vcmc",)),
    (r"do[opr]_v1_[a-f0-9]{64}", ("_v1_",)),
    (r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", ("shpat_", "shpca_", "shppa_", "shpss_")),
    (r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}", ("sg.",)),
    (r"hf_[A-Za-z0-9]{34}", ("hf_",)),
    (r"dapi[a-f0-9]{32}(?:-\d)?", ("dapi",)),
    (r"glsa_[A-Za-z0-9]{32}_[a-fA-F0-9]{8}", ("glsa_",)),
    (r"(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{46})", ("secret_", "ntn_")),
    (r"lin_api_[A-Za-z0-9]{40}", ("lin_api_",)),
    (r"sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}", ("sq0atp-", "sq0csp-")),
    (r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", ("age-secret-key-1",)),
    (r"ya29\.[A-Za-z0-9_-]{30,400}", ("ya29.",)),
)
# A Telegram bot token: the bot's id, ":", then 35 characters starting "AA"; alone or in
# the Bot API's URLs, glued to "bot" (https://api.telegram.org/bot<token>/getMe).
_TELEGRAM = re.compile(r"(?:(?<![A-Za-z0-9_-])|(?<=/bot))\d{8,10}:AA[A-Za-z0-9_-]{33}" + _R)
# A Telegram bot library given its token: TeleBot("X") (pyTelegramBotAPI), new
# TelegramBot("X") (node-telegram-bot-api), new Telegraf("X").
_BOT_CLIENT = re.compile(
    r"(?<![\w.])(?:[\w]{1,32}\.)?(?:TeleBot|TelegramBot|Telegraf)[ \t]*\([ \t]*"
    r"(?:\"(?P<dq>[^\"\n]{20,128})\"|'(?P<sq>[^'\n]{20,128})')"
)


# Below every other rule: where a name also says what the value is (Django's
# EMAIL_HOST_PASSWORD = "SG...."), that finding's kind wins; alone, the shape says secret.
_FALLBACK = 0


def vendor_key_rules() -> tuple[SecretRule, ...]:
    """One rule per vendor shape, below the others when they report the same value; the
    token must look random."""
    check = all_of(random_looking(3.0), distinct(10))
    return (
        *(
            SecretRule(
                E.GENERIC_SECRET, re.compile(_L + pattern + _R), 0.9, _FALLBACK, triggers, check
            )
            for pattern, triggers in _VENDOR_TOKENS
        ),
        SecretRule(E.GENERIC_SECRET, _TELEGRAM, 0.9, _FALLBACK, (":aa",), check),
        SecretRule(
            E.GENERIC_SECRET,
            _BOT_CLIENT,
            0.85,
            _FALLBACK,
            ("telebot(", "telegrambot(", "telegraf("),
            check,
        ),
    )
