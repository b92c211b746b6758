"""Service tokens recognised by their vendor's format, for vendors without an entity type of
their own: reported as ``GENERIC_SECRET`` wherever they stand, with no name around them
(where a name around them says more, "password = SG....", that finding's kind is kept).

Each format is a literal prefix (or a literal part, such as Terraform Cloud's
``.atlasv1.``), the alphabet and the length the vendor documents, as their docs, token-
prefix announcements and the published scanners (gitleaks, GitHub's secret scanning
partners) give them: code hosting and CI (Bitbucket ``ATBB``, Atlassian ``ATATT3``,
CircleCI ``CCIPAT_``, Buildkite ``bkua_``, SonarQube ``sqp_``/``squ_``/``sqa_``, Docker Hub
``dckr_pat_``, JFrog, Octopus ``API-``, Terraform Cloud, Pulumi ``pul-``, Harness
``pat.``), package registries (npm, PyPI, RubyGems, Clojars, NuGet ``oy2``), clouds and
hosting (Google ``GOCSPX-`` and ``ya29.``, Azure AD client secrets' ``Q~``,
Cloudflare origin CA keys, Fly.io, Heroku ``HRKU-AA``,
DigitalOcean, Databricks, Dynatrace ``dt0c01.``, Supabase ``sbp_``, PlanetScale, Tailscale,
Backblaze B2 ``K00``),
secrets managers (Vault ``hvs.``/``hvb.``/``hvr.``, Doppler ``dp.*.``, 1Password), payments
(Stripe webhooks ``whsec_``, Mollie ``live_``/``test_``, Square, Braintree, Flutterwave,
Shippo, Duffel, EasyPost, Plaid), messaging (Discord, Teams webhooks, Telegram, SendGrid, Mailgun,
Mailchimp, Brevo, Postman ``PMAK-``), AI services (Hugging Face, Groq ``gsk_``, Perplexity,
Replicate ``r8_``, xAI, LangSmith, Pinecone) and others (Grafana, New Relic, Sentry,
Linear, Notion, Airtable, Contentful, Mapbox, Dropbox, HubSpot, LaunchDarkly, Prefect,
Frame.io, Adafruit, Shopify, age, Django's ``django-insecure-``).
``bench/token_formats.py`` draws values of each and scans them in plain places.

The random part must still look random, so a prefix in prose ("the npm_ prefix"), a
documentation placeholder (``glc_xxxxxxxx``) or a run of one character stays quiet, and the
length is exact on both sides: a token cut short is no token.
"""

from __future__ import annotations

import base64
import binascii
import re

from detectors import entities as E
from detectors.secret_rule import STRUCTURED, AnchoredPattern, Check, SecretRule
from detectors.secret_values import all_of, distinct, has_digit, random_looking

_R = r"(?![A-Za-z0-9_-])"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_B64_TAIL = r"[A-Za-z0-9+/]"

# (prefix, rest): the token is the literal prefix, then what ``rest`` matches. Grouped as in
# bench/token_formats.py, whose catalogue says where each shape comes from (a vendor's docs;
# where a vendor states no length, published scanners and public examples).
_PREFIXED = (
    # code hosting and CI
    ("ATBB", r"[A-Za-z0-9]{32}"),  # Bitbucket app passwords
    ("ATATT3", r"[A-Za-z0-9_=-]{180,200}"),  # Atlassian API tokens
    ("CCIPAT_", r"[A-Za-z0-9]{22}_[a-f0-9]{40}"),  # CircleCI
    ("bkua_", r"[a-f0-9]{40}"),  # Buildkite
    ("sqa_", r"[a-f0-9]{40}"),  # SonarQube global, project and user tokens
    ("sqp_", r"[a-f0-9]{40}"),
    ("squ_", r"[a-f0-9]{40}"),
    ("dckr_pat_", r"[A-Za-z0-9_-]{27}"),  # Docker Hub
    ("cmVmdGtu", r"[A-Za-z0-9]{56}"),  # JFrog reference tokens (base64 of "reftkn")
    ("AKCp", r"[A-Za-z0-9]{69}"),  # JFrog API keys
    ("pul-", r"[a-f0-9]{40}"),  # Pulumi
    ("pat.", r"[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20}"),  # Harness
    ("sat.", r"[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20}"),
    # package registries
    ("npm_", r"[A-Za-z0-9]{36}"),
    ("pypi-AgEIcHlwaS5vcmc", r"[A-Za-z0-9_-]{50,300}"),  # base64 of a macaroon's "pypi.org"
    ("rubygems_", r"[a-f0-9]{48}"),
    ("CLOJARS_", r"[a-z0-9]{60}"),
    ("oy2", r"[a-z0-9]{43}"),  # NuGet
    # clouds and hosting
    ("GOCSPX-", r"[A-Za-z0-9_-]{28}"),  # Google OAuth client secrets
    ("ya29.", r"[A-Za-z0-9_-]{30,400}"),  # Google OAuth access tokens
    ("v1.0-", r"[a-f0-9]{24}-[a-f0-9]{146}"),  # Cloudflare origin CA keys
    ("fo1_", r"[A-Za-z0-9_-]{43}"),  # Fly.io
    ("fm1a_", _B64_TAIL + r"{100,}={0,3}"),
    ("fm1r_", _B64_TAIL + r"{100,}={0,3}"),
    ("fm2_", _B64_TAIL + r"{100,}={0,3}"),
    ("HRKU-AA", r"[A-Za-z0-9_-]{58}"),  # Heroku (2024)
    ("dop_v1_", r"[a-f0-9]{64}"),  # DigitalOcean
    ("doo_v1_", r"[a-f0-9]{64}"),
    ("dor_v1_", r"[a-f0-9]{64}"),
    ("dapi", r"[a-f0-9]{32}(?:-\d)?"),  # Databricks
    ("dt0c01.", r"[A-Z0-9]{24}\.[A-Z0-9]{64}"),  # Dynatrace
    ("sbp_", r"[a-f0-9]{40}"),  # Supabase
    ("pscale_", r"(?:tkn|pw|oauth)_[A-Za-z0-9_-]{32,64}"),  # PlanetScale
    ("tskey-", r"(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{8,32}-[A-Za-z0-9]{20,64}"),
    ("K00", r"[A-Za-z0-9]{28}"),  # Backblaze B2 application keys (their keyID is the id)
    # secrets managers
    ("hvs.", r"[A-Za-z0-9_-]{90,120}"),  # HashiCorp Vault service, recovery, batch tokens
    ("hvr.", r"[A-Za-z0-9_-]{90,120}"),
    ("hvb.", r"[A-Za-z0-9_-]{138,300}"),
    ("dp.", r"(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44}"),  # Doppler
    ("A3-", r"[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})(?:-[A-Z0-9]{5}){3}"),
    ("ops_eyJ", _B64_TAIL + r"{250,}={0,3}"),  # 1Password service accounts
    # payments
    ("whsec_", _B64_TAIL + r"{32,64}={0,2}"),  # Stripe webhook signing secrets
    ("sq0atp-", r"[A-Za-z0-9_-]{22,43}"),  # Square
    ("sq0csp-", r"[A-Za-z0-9_-]{22,43}"),
    ("EAAA", r"[A-Za-z0-9_-]{60}"),
    ("access_token$", r"(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}"),  # Braintree
    ("FLWSECK-", r"[a-f0-9]{32}-X"),  # Flutterwave
    ("FLWSECK_TEST-", r"[a-f0-9]{32}-X"),
    ("shippo_", r"(?:live|test)_[a-f0-9]{40}"),
    ("duffel_", r"(?:live|test)_[A-Za-z0-9_-]{43}"),
    ("EZAK", r"[A-Za-z0-9]{54}"),  # EasyPost
    ("EZTK", r"[A-Za-z0-9]{54}"),
    ("access-", r"(?:production|development)-" + _UUID),  # Plaid
    ("sk_sbox_", r"[a-z2-7]{26,27}"),  # Checkout.com sandbox secret keys
    # Paystack's and Clerk's secret keys, named like Stripe's but of lengths Stripe's never
    # have (see detectors.provider_keys)
    ("sk_live_", r"[A-Za-z0-9]{25,59}"),
    ("sk_test_", r"[A-Za-z0-9]{25,59}"),
    ("live_sk_", r"[A-Za-z0-9]{24}"),  # Toss Payments secret keys (live_ck_: client, public)
    ("live_gsk_", r"[A-Za-z0-9]{24}"),
    ("test_sk_", r"[A-Za-z0-9]{24}"),
    ("test_gsk_", r"[A-Za-z0-9]{24}"),
    # Mollie API keys: "live_"/"test_" and 30 (a digit among them: "test_" and 30 letters
    # may be a test's name)
    ("live_", r"(?=[A-Za-z]{0,29}[0-9])[A-Za-z0-9]{30}"),
    ("test_", r"(?=[A-Za-z]{0,29}[0-9])[A-Za-z0-9]{30}"),
    # messaging and e-mail
    # (not Twilio's "SK" + 32 hex: an API key's id, public; see detectors.public_ids)
    ("SG.", r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),  # SendGrid
    ("key-", r"[a-f0-9]{32}"),  # Mailgun
    ("xkeysib-", r"[a-f0-9]{64}-[A-Za-z0-9]{16}"),  # Brevo
    ("xsmtpsib-", r"[a-f0-9]{64}-[A-Za-z0-9]{16}"),
    ("PMAK-", r"[a-f0-9]{24}-[a-f0-9]{34}"),  # Postman
    ("SEC", r"[a-f0-9]{64}"),  # DingTalk robots' signing secrets
    # AI services
    ("hf_", r"[A-Za-z0-9]{34}"),  # Hugging Face
    ("api_org_", r"[A-Za-z0-9]{34}"),
    ("gsk_", r"[A-Za-z0-9]{52}"),  # Groq
    ("pplx-", r"[A-Za-z0-9]{48}"),  # Perplexity
    ("r8_", r"[A-Za-z0-9]{37}"),  # Replicate
    ("xai-", r"[A-Za-z0-9]{80}"),  # xAI
    ("lsv2_", r"(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),  # LangSmith
    ("pcsk_", r"[A-Za-z0-9]{4,8}_[A-Za-z0-9]{56,72}"),  # Pinecone
    # observability, productivity and the rest
    ("glc_", _B64_TAIL + r"{32,400}={0,3}"),  # Grafana Cloud
    ("glsa_", r"[A-Za-z0-9]{32}_[a-fA-F0-9]{8}"),  # Grafana service accounts
    ("eyJrIjoi", r"[A-Za-z0-9]{70,400}={0,3}"),  # Grafana API keys (base64 of '{"k":"')
    ("NRAK-", r"[A-Z0-9]{27}"),  # New Relic
    ("NRII-", r"[A-Za-z0-9_-]{32}"),
    ("NRJS-", r"[a-f0-9]{19}"),
    ("sntryu_", r"[a-f0-9]{64}"),  # Sentry user and organization tokens
    ("sntrys_", r"eyJ" + _B64_TAIL + r"{40,}={0,2}_" + _B64_TAIL + r"{43}"),
    ("lin_api_", r"[A-Za-z0-9]{40}"),  # Linear
    ("secret_", r"[A-Za-z0-9]{43}"),  # Notion
    ("ntn_", r"[A-Za-z0-9]{46}"),
    ("pat", r"[A-Za-z0-9]{14}\.[a-f0-9]{64}"),  # Airtable
    ("CFPAT-", r"[A-Za-z0-9_-]{43}"),  # Contentful
    ("sk.eyJ", r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}"),  # Mapbox secret tokens
    ("sl.", r"(?:u\.)?[A-Za-z0-9_-]{130,}"),  # Dropbox
    ("pat-", r"(?:na|eu)[1-9]-" + _UUID),  # HubSpot private apps
    ("sdk-", _UUID),  # LaunchDarkly server-side SDK keys
    ("pnu_", r"[A-Za-z0-9]{36}"),  # Prefect
    ("pk_", r"\d{6,9}_[A-Z0-9]{32}"),  # ClickUp personal tokens (the user's id, then 32)
    ("rnd_", r"[A-Za-z0-9]{32}"),  # Render API keys
    ("secret-", r"[A-Za-z0-9]{43}"),  # Statsig server secret keys (client-: public)
    ("secret-live-", r"[A-Za-z0-9_-]{36}"),  # Stytch project secrets
    ("secret-test-", r"[A-Za-z0-9_-]{36}"),
    ("fio-u-", r"[A-Za-z0-9_-]{64}"),  # Frame.io
    ("aio_", r"[A-Za-z0-9]{28}"),  # Adafruit IO
    ("shpat_", r"[a-fA-F0-9]{32}"),  # Shopify
    ("shpca_", r"[a-fA-F0-9]{32}"),
    ("shppa_", r"[a-fA-F0-9]{32}"),
    ("shpss_", r"[a-fA-F0-9]{32}"),
    ("AGE-SECRET-KEY-1", r"[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),  # age identities
    # Django's startproject SECRET_KEY: 50 of get_random_secret_key()'s alphabet
    ("django-insecure-", r"[a-z0-9!@#$%^&*(=+)_-]{50}"),
)
#: The literal prefixes above, for judging a prefix followed by a placeholder's filler
#: (detectors/token_placeholders.py).
VENDOR_PREFIXES = tuple(prefix for prefix, _ in _PREFIXED)

# Tokens with their literal part inside: (trigger, anchor in the lowercased text, pattern,
# how far before the anchor the token may start).
_INNER = (
    # Terraform Cloud / HCP Terraform: a 14-character id, ".atlasv1.", then the secret
    (".atlasv1.", r"\.atlasv1\.", r"[a-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}", 15),
    # Mailchimp: 32 hex and the data centre ("-us21")
    ("-us", r"-us[1-9]", r"[a-f0-9]{32}-us[1-9][0-9]?", 33),
    # New Relic license keys: 36 hex and "NRAL"
    ("nral", r"nral", r"[a-f0-9]{36}NRAL", 37),
    # Mailgun's API keys since 2023: 32 hex, then two groups of 8
    ("-", r"-[a-f0-9]{8}-[a-f0-9]{8}", r"[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}", 33),
    # Asana personal access tokens: a version digit, two numeric ids, ":" and 32 hex
    (":", r"/\d{10,20}:[a-f0-9]{32}", r"[0-9]/\d{10,20}/\d{10,20}:[a-f0-9]{32}", 22),
    # Unleash API tokens: "<project>:<environment>." then 64 hex ("*:*." for all)
    (
        ":",
        r":(?:\*|[a-z0-9_-]{2,32})\.[a-f0-9]{64}",
        r"(?:\*|[a-z0-9_-]{1,40}):(?:\*|[a-z0-9_-]{2,32})\.[a-f0-9]{64}",
        41,
    ),
)
# Microsoft Entra ID (Azure AD) client secrets: 3 characters, a digit, "Q~", then 34; the
# last is never a dot (a sentence's full stop after one stays out).
# Salesforce session ids and access tokens: the org's 15-character id, "!", then 96. Above
# the context rules, whose values stop at the "!" ("Authorization: Bearer 00D...!AQ...").
_SALESFORCE = AnchoredPattern.build(
    r"00d[a-z0-9]{12}!",
    r"(?<![A-Za-z0-9_-])00D[A-Za-z0-9]{12}![A-Za-z0-9_.]{90,100}" + _R,
    0,
    0,
)
_ENTRA_SECRET = AnchoredPattern.build(
    r"q~",
    r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{30,33}[A-Za-z0-9_~-]"
    r"(?![A-Za-z0-9_~-])",
    0,
    4,
)
# Octopus Deploy API keys: "API-" and 26 capitals and digits.
_OCTOPUS = re.compile(r"API-(?<![A-Za-z0-9_-]API-)[A-Z0-9]{26}" + _R)
# A Discord bot token: the bot's id (17-20 digits) in base64, a 6-character timestamp and
# an HMAC of 27 or 38 characters, joined by dots. Found from its dotted middle.
_DISCORD_BOT = AnchoredPattern.build(
    r"\.[a-z0-9_-]{6}\.",
    r"(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}" + _R,
    0,
    28,
)
_WEBHOOKS = (
    (
        r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/"
        r"[A-Za-z0-9_-]{60,80}" + _R,
        ("discord",),
    ),
    (
        r"https://[a-z0-9-]{1,63}\.webhook\.office\.com/webhookb2/" + _UUID + "@" + _UUID
        + r"/IncomingWebhook/[a-f0-9]{32}/" + _UUID + r"(?:/[A-Za-z0-9_-]{20,80})?" + _R,
        ("webhook.office.com",),
    ),
)  # fmt: skip
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


def prefixed(prefix: str, rest: str) -> re.Pattern[str]:
    """The token ``prefix`` + ``rest``, with no token character on either side, nor base64's
    ``+`` and ``/`` before it (a prefix met inside a base64 blob, a certificate's body, is
    no token's start).

    The literal comes first and the left boundary is checked behind it: the engine then
    looks for the literal directly, where a leading lookbehind is tried at every position of
    every text the trigger lets through (~60x slower on a kilobyte without the token).
    """
    literal = re.escape(prefix)
    return re.compile(literal + rf"(?<![A-Za-z0-9_+/-]{literal})" + rest + _R)


def _snowflake_id(value: str, match: re.Match[str], text: str) -> bool:
    """True if the token's first part is the base64 of a Discord id (17-20 digits)."""
    head = value.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return 17 <= len(decoded) <= 20 and decoded.isdigit() and decoded.isascii()


def vendor_key_rules() -> tuple[SecretRule, ...]:
    """One rule per vendor shape, below the others when they report the same value; the
    token must look random."""
    check: Check = all_of(random_looking(3.0), distinct(10))

    def rule(
        matcher: re.Pattern[str] | AnchoredPattern,
        triggers: tuple[str, ...],
        token_check: Check = check,
        score: float = 0.9,
        priority: int = _FALLBACK,
    ) -> SecretRule:
        return SecretRule(E.GENERIC_SECRET, matcher, score, priority, triggers, token_check)

    return (
        *(rule(prefixed(prefix, rest), (prefix.lower(),)) for prefix, rest in _PREFIXED),
        *(
            rule(
                AnchoredPattern.build(anchor, r"(?<![A-Za-z0-9_-])" + pattern + _R, 0, reach),
                (trigger,),
            )
            for trigger, anchor, pattern, reach in _INNER
        ),
        rule(_ENTRA_SECRET, ("q~",)),
        rule(_SALESFORCE, ("00d",), priority=STRUCTURED),
        rule(_OCTOPUS, ("api-",), all_of(check, has_digit)),
        rule(_DISCORD_BOT, (".",), all_of(check, _snowflake_id)),
        *(rule(re.compile(pattern), triggers, distinct(10)) for pattern, triggers in _WEBHOOKS),
        rule(_TELEGRAM, (":aa",)),
        rule(_BOT_CLIENT, ("telebot(", "telegrambot(", "telegraf("), score=0.85),
    )
