"""Which providers' token *formats* do the secrets detectors know? A catalogue, scanned plainly.

    .venv/bin/python bench/token_formats.py [--samples 6] [--seed 1130] [--families a,b]
        [--show 2] [--all]

Templates and context grids vary the words around a value; a token whose *format* no rule
knows is missed wherever it stands unless a label happens to name it. This benchmark lists
the public token formats of ~100 providers (the prefix, alphabet and length their
documentation, token-prefix announcements or published scanners give; a checksum where the
vendor publishes one: GitHub's CRC32 tail, age's bech32), draws realistic random values for
each and writes every value in three **plain** contexts, where no word around it says
"key" or "token":

* ``prose``: bare in a sentence;
* ``config``: a config line under a neutral name (``value:``);
* ``code``: a string literal passed to a call.

and scans each text through the proxy's real detection path (``ScanService(DetectorSettings())``
in process, as :mod:`bench.context_grid`). A value counts as found when secret findings
(:data:`detectors.entities.SECRET_ENTITY_TYPES`) cover its secret part whole.

**Negatives** per format, in the same three contexts: the prefix with a random part much
shorter than the format's (a truncated or mistyped token), the prefix quoted in prose ("keys
that start with ``ghp_``"), and a documentation placeholder (the prefix and ``x``s, or the
prefix and an ellipsis). A negative text is noisy if any finding overlaps the value or any
secret is reported. **Key-named placeholders**: the prefix and filler (``x``s, ``X`` groups,
zeros, stars, an ellipsis, ``<your key>``) under a name that says key or token
(``SERVICE_API_KEY=``, ``api_token:``, ``api_key="..."``), as ``.env.example`` files write
them; counted apart.

It prints recall per format (the ones below 1 first), per family, and the negatives rate.
Values come from one seeded ``random.Random``; no held-out text or locale is used.
Formats without a shape of their own (a bare UUID, 32 hex characters: Heroku's legacy keys,
Twilio auth tokens, Datadog keys, Azure OpenAI keys) are left out: only a name around them
says what they are, and :mod:`bench.context_grid` covers names. So are Twilio's ``SK…``
ids: an API key's public id, not its secret (:mod:`detectors.public_ids`). The access key
ids with a shape of their own (Alibaba's ``LTAI…``, Tencent's ``AKID…``, Scaleway's
``SCW…``) are ids too: they are scanned in the same contexts as negatives (``public ids
with a finding``).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import random
import string
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from context_grid import Sample, covered, noisy  # this script's own folder, first on sys.path

from detectors.service import ScanService
from detectors.settings import DetectorSettings

SEED = 1130

ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"

Draw = Callable[[random.Random], str]


def rand(rng: random.Random, alphabet: str, length: int) -> str:
    """``length`` characters of ``alphabet``; when the alphabet has both, letters and digits
    both occur (a random key of 16+ characters has both)."""
    mixed = any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(length))
        if not mixed or length < 8:
            return value
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def plain(prefix: str, alphabet: str, length: int, suffix: str = "") -> Draw:
    """A ``prefix`` + ``length`` random characters of ``alphabet`` (+ ``suffix``) token."""
    return lambda rng: prefix + rand(rng, alphabet, length) + suffix


def parts(*pieces: str | tuple[str, int]) -> Draw:
    """A token of literal pieces and (alphabet, length) random pieces, in order."""

    def draw(rng: random.Random) -> str:
        return "".join(p if isinstance(p, str) else rand(rng, p[0], p[1]) for p in pieces)

    return draw


def _base62(number: int, width: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = (string.digits + string.ascii_uppercase + string.ascii_lowercase)[rest] + digits
    return digits.rjust(width, "0")


def github(prefix: str) -> Draw:
    """GitHub's 2021 format: prefix, 30 random base62 characters, then the CRC32 of those
    30, base62-encoded in 6 characters (GitHub engineering blog, "Behind GitHub's new
    authentication token formats")."""

    def draw(rng: random.Random) -> str:
        body = rand(rng, ALNUM, 30)
        return prefix + body + _base62(zlib.crc32(body.encode()), 6)

    return draw


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, g in enumerate(generator):
            check ^= g if (top >> i) & 1 else 0
    return check


def age_identity(rng: random.Random) -> str:
    """An age X25519 identity: 32 random bytes, bech32 with the HRP ``age-secret-key-`` and
    its checksum, in upper case (age's spec, C2SP/age)."""
    hrp = "age-secret-key-"
    bits = "".join(f"{byte:08b}" for byte in rng.randbytes(32)) + "0000"
    data = [int(bits[i : i + 5], 2) for i in range(0, 256, 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(_BECH32[d] for d in data + checksum)).upper()


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt(rng: random.Random) -> str:
    """An HS256 JSON Web Token with a subject and issue time (RFC 7519)."""
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    claims = {"sub": str(rng.randint(10_000, 999_999)), "iat": rng.randint(1_600_000_000, 2**31)}
    return f"{header}.{_b64url(json.dumps(claims).encode())}.{_b64url(rng.randbytes(32))}"


def grafana_cloud(rng: random.Random) -> str:
    """A Grafana Cloud access policy token: ``glc_`` and the base64 of a small JSON object
    (its org id, name and key)."""
    body = {"o": str(rng.randint(100_000, 999_999)), "n": f"stack-{rng.randint(1, 999)}-logs",
            "k": rand(rng, ALNUM, 24), "m": {"r": "eu"}}  # fmt: skip
    return "glc_" + base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()


def sentry_org(rng: random.Random) -> str:
    """A Sentry organization auth token: ``sntrys_``, base64 of its JSON claims, ``_`` and
    43 random characters."""
    claims = {
        "iat": rng.randint(1_600_000_000, 1_800_000_000),
        "url": "https://sentry.io",
        "region_url": "https://us.sentry.io",
        "org": f"acme-{rng.randint(1, 99)}",
    }
    encoded = base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode()
    return f"sntrys_{encoded}_{rand(rng, B64, 43)}"


def discord_bot(rng: random.Random) -> str:
    """A Discord bot token: the base64 of the bot's snowflake id, a 6-character timestamp and
    a 27- or 38-character HMAC, joined by dots."""
    snowflake = str(rng.randint(10**17, 10**19 - 1))
    head = base64.b64encode(snowflake.encode()).decode().rstrip("=")
    return f"{head}.{rand(rng, URLSAFE, 6)}.{rand(rng, URLSAFE, rng.choice((27, 38)))}"


def mapbox_secret(rng: random.Random) -> str:
    """A Mapbox secret token: ``sk.`` and a JWT-like body whose claims name the user."""
    claims = _b64url(json.dumps({"u": f"user{rng.randint(1, 999)}", "a": rand(rng, ALNUM, 25)})
                     .encode())  # fmt: skip
    return f"sk.{claims}.{rand(rng, URLSAFE, 22)}"


def pem(kind: str, first: str) -> Draw:
    """A PEM private key block of ``kind`` whose base64 body starts with ``first``."""

    def draw(rng: random.Random) -> str:
        body = first + rand(rng, B64, 64 * 12 - len(first))
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        return "\n".join((f"-----BEGIN {kind}-----", *lines, f"-----END {kind}-----"))

    return draw


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def uuid_after(prefix: str) -> Draw:
    """``prefix`` and a random UUID."""
    return lambda rng: prefix + _uuid(rng)


def teams_webhook(rng: random.Random) -> str:
    """A Microsoft Teams incoming webhook URL (Office 365 connector)."""
    return (
        f"https://acme{rng.randint(1, 99)}.webhook.office.com/webhookb2/{_uuid(rng)}@{_uuid(rng)}"
        f"/IncomingWebhook/{rand(rng, HEX, 32)}/{_uuid(rng)}"
    )


def discord_webhook(rng: random.Random) -> str:
    """A Discord webhook URL: the webhook's id and its 68-character token."""
    return (
        f"https://discord.com/api/webhooks/{rng.randint(10**17, 10**19 - 1)}/"
        f"{rand(rng, URLSAFE, 68)}"
    )


def azure_storage(rng: random.Random) -> str:
    """An Azure Storage connection string; its account key is 64 random bytes in base64."""
    key = base64.b64encode(rng.randbytes(64)).decode()
    return (
        f"DefaultEndpointsProtocol=https;AccountName=acme{rng.randint(1, 999)}store;"
        f"AccountKey={key};EndpointSuffix=core.windows.net"
    )


def account_key_part(value: str) -> tuple[int, int]:
    """The span of the account key inside an Azure Storage connection string."""
    start = value.index("AccountKey=") + len("AccountKey=")
    return start, value.index(";", start)


def slack_webhook(rng: random.Random) -> str:
    """A Slack incoming webhook URL (team id, bot id, 24-character secret)."""
    return (
        f"https://hooks.slack.com/services/T{rand(rng, UPPER_ALNUM, 8)}/"
        f"B{rand(rng, UPPER_ALNUM, 10)}/{rand(rng, ALNUM, 24)}"
    )


def slack(kind: str) -> Draw:
    """A Slack token: ``xox<kind>-``, numeric team and user ids, then a random part."""

    def draw(rng: random.Random) -> str:
        team, user = rng.randint(10**10, 10**13), rng.randint(10**10, 10**13)
        if kind == "b":
            return f"xoxb-{team}-{user}-{rand(rng, ALNUM, 24)}"
        return f"xox{kind}-{team}-{user}-{rng.randint(10**10, 10**13)}-{rand(rng, HEX, 32)}"

    return draw


def whole(value: str) -> tuple[int, int]:
    """The whole value is the secret."""
    return 0, len(value)


def after_scheme(value: str) -> tuple[int, int]:
    """The part after an authorization scheme word ("FlyV1 fm2_..."): the token."""
    return value.index(" ") + 1, len(value)


@dataclass(frozen=True, slots=True)
class TokenFormat:
    """One provider's token format: its name, family, literal prefix, a drawer of realistic
    values, where the shape comes from, and which part of a drawn value is the secret."""

    name: str
    family: str
    prefix: str
    draw: Draw
    source: str
    secret: Callable[[str], tuple[int, int]] = whole


F = TokenFormat
CODE, REGISTRY, CLOUD, VAULT, PAY, MSG, AI, OBS, KEYS = (
    "code hosting & CI", "package registries", "cloud & hosting", "secrets managers",
    "payments", "messaging & e-mail", "AI & ML", "observability & productivity",
    "keys & structured",
)  # fmt: skip

# "docs": the vendor's documentation or announcement; "scanner": the shape as published
# secret scanners (gitleaks, GitHub secret scanning partners) give it, with real examples
# seen in public code; "seen": only public examples, length read off several of them;
# "unconfirmed": a prefix reported by users whose length no source gave (left without a
# rule; listed so that the catalogue says what is not covered).
FORMATS: tuple[TokenFormat, ...] = (
    # --- code hosting & CI ---
    F("github classic PAT", CODE, "ghp_", github("ghp_"), "docs (CRC32 tail)"),
    F("github OAuth token", CODE, "gho_", github("gho_"), "docs (CRC32 tail)"),
    F("github user-to-server", CODE, "ghu_", github("ghu_"), "docs (CRC32 tail)"),
    F("github app installation", CODE, "ghs_", github("ghs_"), "docs (CRC32 tail)"),
    F("github refresh token", CODE, "ghr_", github("ghr_"), "docs (CRC32 tail)"),
    F("github fine-grained PAT", CODE, "github_pat_",
      parts("github_pat_11", (UPPER_ALNUM, 20), "_", (ALNUM, 59)), "docs"),
    F("gitlab PAT", CODE, "glpat-", plain("glpat-", URLSAFE, 20), "docs"),
    F("gitlab PAT (routable)", CODE, "glpat-",
      parts("glpat-", (URLSAFE, 27), ".01.", (LOWER_ALNUM, 9)), "docs"),
    F("gitlab runner token", CODE, "glrt-", plain("glrt-", URLSAFE, 20), "docs"),
    F("gitlab deploy token", CODE, "gldt-", plain("gldt-", URLSAFE, 20), "docs"),
    F("gitlab trigger token", CODE, "glptt-", plain("glptt-", HEX, 40), "docs"),
    F("bitbucket app password", CODE, "ATBB", parts("ATBB", (ALNUM, 24), (HEX.upper(), 8)),
      "docs (prefix); scanner (length)"),
    F("atlassian API token", CODE, "ATATT3xFfGF0",
      parts("ATATT3xFfGF0", (URLSAFE, 171), "=", (HEX.upper(), 8)), "docs (prefix); seen"),
    F("circleci personal token", CODE, "CCIPAT_",
      parts("CCIPAT_", (ALNUM, 22), "_", (HEX, 40)), "docs"),
    F("buildkite API token", CODE, "bkua_", plain("bkua_", HEX, 40), "docs"),
    F("sonarqube user token", CODE, "squ_", plain("squ_", HEX, 40), "docs"),
    F("sonarqube project token", CODE, "sqp_", plain("sqp_", HEX, 40), "docs"),
    F("docker hub PAT", CODE, "dckr_pat_", plain("dckr_pat_", URLSAFE, 27), "scanner; seen"),
    F("jfrog reference token", CODE, "cmVmdGtu", plain("cmVmdGtu", ALNUM, 56),
      "scanner (base64 of 'reftkn')"),
    F("octopus deploy API key", CODE, "API-", plain("API-", UPPER_ALNUM, 26), "docs"),
    F("terraform cloud token", CODE, ".atlasv1.",
      parts((LOWER_ALNUM, 14), ".atlasv1.", (URLSAFE, 67)), "docs; scanner"),
    F("pulumi access token", CODE, "pul-", plain("pul-", HEX, 40), "docs"),
    F("harness PAT", CODE, "pat.",
      parts("pat.", (URLSAFE, 22), ".", (HEX, 24), ".", (ALNUM, 20)), "scanner"),
    # --- package registries ---
    F("npm token", REGISTRY, "npm_", plain("npm_", ALNUM, 36), "docs"),
    F("pypi API token", REGISTRY, "pypi-AgEIcHlwaS5vcmc",
      plain("pypi-AgEIcHlwaS5vcmc", URLSAFE, 160), "docs (macaroon)"),
    F("rubygems API key", REGISTRY, "rubygems_", plain("rubygems_", HEX, 48), "docs"),
    F("clojars deploy token", REGISTRY, "CLOJARS_", plain("CLOJARS_", LOWER_ALNUM, 60),
      "docs"),
    F("nuget API key", REGISTRY, "oy2", plain("oy2", LOWER_ALNUM, 43), "scanner; seen"),
    # --- cloud & hosting ---
    F("aws access key id", CLOUD, "AKIA", plain("AKIA", UPPER_ALNUM, 16), "docs"),
    F("aws temporary key id", CLOUD, "ASIA", plain("ASIA", UPPER_ALNUM, 16), "docs"),
    F("google API key", CLOUD, "AIza", plain("AIzaSy", URLSAFE, 33), "docs"),
    F("google OAuth client secret", CLOUD, "GOCSPX-", plain("GOCSPX-", URLSAFE, 28), "docs"),
    F("google OAuth access token", CLOUD, "ya29.", plain("ya29.a0", URLSAFE, 150), "docs"),
    F("azure AD client secret", CLOUD, "Q~",
      parts((ALNUM, 3), ("0123456789", 1), "Q~", (URLSAFE + "~.", 33), (ALNUM, 1)),
      "docs; scanner"),
    F("azure storage account key", CLOUD, "AccountKey=", azure_storage, "docs",
      account_key_part),
    F("digitalocean PAT", CLOUD, "dop_v1_", plain("dop_v1_", HEX, 64), "docs"),
    F("digitalocean OAuth token", CLOUD, "doo_v1_", plain("doo_v1_", HEX, 64), "docs"),
    F("cloudflare origin CA key", CLOUD, "v1.0-",
      parts("v1.0-", (HEX, 24), "-", (HEX, 146)), "docs; scanner"),
    F("fly.io token", CLOUD, "fo1_", plain("fo1_", URLSAFE, 43), "docs; scanner"),
    F("fly.io macaroon", CLOUD, "fm2_", plain("FlyV1 fm2_", B64, 240, "=="), "docs; scanner",
      after_scheme),
    F("heroku API key (2024)", CLOUD, "HRKU-AA", plain("HRKU-AA", URLSAFE, 58),
      "docs (prefix); scanner"),
    F("databricks PAT", CLOUD, "dapi", plain("dapi", HEX, 32), "docs"),
    F("dynatrace API token", CLOUD, "dt0c01.",
      parts("dt0c01.", (UPPER_ALNUM, 24), ".", (UPPER_ALNUM, 64)), "docs"),
    F("supabase PAT", CLOUD, "sbp_", plain("sbp_", HEX, 40), "docs"),
    F("planetscale token", CLOUD, "pscale_tkn_", plain("pscale_tkn_", URLSAFE, 43), "docs"),
    F("planetscale password", CLOUD, "pscale_pw_", plain("pscale_pw_", URLSAFE, 43), "docs"),
    F("netlify PAT", CLOUD, "nfp_", plain("nfp_", ALNUM, 36), "unconfirmed"),
    F("tailscale auth key", CLOUD, "tskey-auth-",
      parts("tskey-auth-k", (ALNUM, 11), "CNTRL-", (ALNUM, 33)), "docs"),
    # --- secrets managers ---
    F("vault service token", VAULT, "hvs.", plain("hvs.CAESI", URLSAFE, 86), "docs"),
    F("vault batch token", VAULT, "hvb.", plain("hvb.AAAAAQ", URLSAFE, 150), "docs"),
    F("vault legacy token", VAULT, "s.", plain("s.", ALNUM, 24), "docs (retired in 1.10)"),
    F("doppler personal token", VAULT, "dp.pt.", plain("dp.pt.", ALNUM, 43), "docs"),
    F("doppler service token", VAULT, "dp.st.", parts("dp.st.prd.", (ALNUM, 43)), "docs"),
    F("doppler CLI token", VAULT, "dp.ct.", plain("dp.ct.", ALNUM, 43), "docs"),
    F("doppler service account", VAULT, "dp.sa.", plain("dp.sa.", ALNUM, 43), "docs"),
    F("1password secret key", VAULT, "A3-",
      parts("A3-", (UPPER_ALNUM, 6), "-", (UPPER_ALNUM, 6), "-", (UPPER_ALNUM, 5), "-",
            (UPPER_ALNUM, 5), "-", (UPPER_ALNUM, 5), "-", (UPPER_ALNUM, 5)), "docs"),
    F("1password service account", VAULT, "ops_eyJ", plain("ops_eyJ", B64, 300, "="),
      "docs; scanner"),
    # --- payments ---
    F("stripe secret key", PAY, "sk_live_", plain("sk_live_", ALNUM, 24), "docs"),
    F("stripe secret key (long)", PAY, "sk_live_", plain("sk_live_51", ALNUM, 97), "docs"),
    F("stripe restricted key", PAY, "rk_live_", plain("rk_live_51", ALNUM, 97), "docs"),
    F("stripe webhook secret", PAY, "whsec_", plain("whsec_", ALNUM, 32), "docs"),
    F("square access token", PAY, "EAAA", plain("EAAA", URLSAFE, 60), "docs"),
    F("square OAuth secret", PAY, "sq0csp-", plain("sq0csp-", URLSAFE, 43), "docs"),
    F("braintree access token", PAY, "access_token$production$",
      parts("access_token$production$", (LOWER_ALNUM, 16), "$", (HEX, 32)), "docs"),
    F("flutterwave secret key", PAY, "FLWSECK-",
      parts("FLWSECK-", (HEX, 32), "-X"), "docs"),
    F("shippo live token", PAY, "shippo_live_", plain("shippo_live_", HEX, 40), "docs"),
    F("duffel live token", PAY, "duffel_live_", plain("duffel_live_", URLSAFE, 43), "docs"),
    F("easypost API key", PAY, "EZAK", plain("EZAK", ALNUM, 54), "docs"),
    F("plaid access token", PAY, "access-production-", uuid_after("access-production-"),
      "docs"),
    # --- messaging & e-mail ---
    F("slack bot token", MSG, "xoxb-", slack("b"), "docs"),
    F("slack user token", MSG, "xoxp-", slack("p"), "docs"),
    F("slack app token", MSG, "xapp-",
      parts("xapp-1-A", (UPPER_ALNUM, 10), "-", ("0123456789", 13), "-", (HEX, 64)), "docs"),
    F("slack webhook URL", MSG, "hooks.slack.com", slack_webhook, "docs"),
    F("discord bot token", MSG, ".", discord_bot, "docs; scanner"),
    F("discord webhook URL", MSG, "discord.com/api/webhooks", discord_webhook, "docs"),
    F("teams webhook URL", MSG, "webhook.office.com", teams_webhook, "docs"),
    F("telegram bot token", MSG, ":AA",
      parts(("123456789", 1), ("0123456789", 9), ":AA", (URLSAFE, 33)), "docs"),
    F("sendgrid API key", MSG, "SG.", parts("SG.", (URLSAFE, 22), ".", (URLSAFE, 43)), "docs"),
    F("mailgun API key", MSG, "key-", plain("key-", HEX, 32), "docs"),
    F("mailchimp API key", MSG, "-us", parts((HEX, 32), "-us", ("123456789", 2)), "docs"),
    F("brevo API key", MSG, "xkeysib-",
      parts("xkeysib-", (HEX, 64), "-", (ALNUM, 16)), "docs"),
    F("postman API key", MSG, "PMAK-", parts("PMAK-", (HEX, 24), "-", (HEX, 34)), "docs; seen"),
    # --- AI & ML ---
    F("openai project key", AI, "sk-proj-",
      parts("sk-proj-", (URLSAFE, 74), "T3BlbkFJ", (URLSAFE, 74)), "docs"),
    F("openai legacy key", AI, "sk-", parts("sk-", (ALNUM, 20), "T3BlbkFJ", (ALNUM, 20)), "docs"),
    F("anthropic API key", AI, "sk-ant-api03-",
      parts("sk-ant-api03-", (URLSAFE, 93), "AA"), "docs"),
    F("hugging face token", AI, "hf_", plain("hf_", ALNUM, 34), "docs"),
    F("hugging face org token", AI, "api_org_", plain("api_org_", ALNUM, 34), "docs"),
    F("groq API key", AI, "gsk_", plain("gsk_", ALNUM, 52), "docs; seen"),
    F("perplexity API key", AI, "pplx-", plain("pplx-", ALNUM, 48), "docs"),
    F("replicate API token", AI, "r8_", plain("r8_", ALNUM, 37), "docs"),
    F("xAI API key", AI, "xai-", plain("xai-", ALNUM, 80), "docs"),
    F("langsmith API key", AI, "lsv2_pt_",
      parts("lsv2_pt_", (HEX, 32), "_", (HEX, 10)), "docs; scanner"),
    F("pinecone API key", AI, "pcsk_", parts("pcsk_", (ALNUM, 6), "_", (ALNUM, 63)), "seen"),
    F("openrouter API key", AI, "sk-or-v1-", plain("sk-or-v1-", HEX, 64), "docs"),
    # --- observability & productivity ---
    F("grafana cloud token", OBS, "glc_", grafana_cloud, "docs"),
    F("grafana API key (legacy)", OBS, "eyJrIjoi", plain("eyJrIjoi", ALNUM, 90, "=="),
      "docs (base64 of '{\"k\":\"')"),
    F("grafana service account", OBS, "glsa_",
      parts("glsa_", (ALNUM, 32), "_", (HEX, 8)), "docs"),
    F("new relic user key", OBS, "NRAK-", plain("NRAK-", UPPER_ALNUM, 27), "docs"),
    F("new relic insert key", OBS, "NRII-", plain("NRII-", URLSAFE, 32), "docs"),
    F("new relic license key", OBS, "NRAL", plain("", HEX, 36, "NRAL"), "docs"),
    F("sentry user token", OBS, "sntryu_", plain("sntryu_", HEX, 64), "docs; seen"),
    F("sentry org token", OBS, "sntrys_", sentry_org, "docs"),
    F("linear API key", OBS, "lin_api_", plain("lin_api_", ALNUM, 40), "docs"),
    F("notion integration token", OBS, "ntn_", plain("ntn_", ALNUM, 46), "docs"),
    F("notion legacy token", OBS, "secret_", plain("secret_", ALNUM, 43), "docs"),
    F("airtable PAT", OBS, "pat", parts("pat", (ALNUM, 14), ".", (HEX, 64)), "docs"),
    F("contentful PAT", OBS, "CFPAT-", plain("CFPAT-", URLSAFE, 43), "docs"),
    F("mapbox secret token", OBS, "sk.eyJ", mapbox_secret, "docs"),
    F("dropbox access token", OBS, "sl.", plain("sl.u.", URLSAFE, 140), "docs"),
    F("hubspot private app token", OBS, "pat-na1-", uuid_after("pat-na1-"), "docs"),
    F("launchdarkly SDK key", OBS, "sdk-", uuid_after("sdk-"), "docs"),
    F("prefect API key", OBS, "pnu_", plain("pnu_", ALNUM, 36), "docs"),
    F("frame.io token", OBS, "fio-u-", plain("fio-u-", URLSAFE, 64), "scanner"),
    F("adafruit IO key", OBS, "aio_", plain("aio_", ALNUM, 28), "docs"),
    F("shopify admin token", OBS, "shpat_", plain("shpat_", HEX, 32), "docs"),
    # --- keys & structured ---
    F("age identity", KEYS, "AGE-SECRET-KEY-1", age_identity, "docs (bech32)"),
    F("JWT (HS256)", KEYS, "eyJ", jwt, "RFC 7519"),
    F("RSA private key (PEM)", KEYS, "-----BEGIN", pem("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA"),
      "RFC 7468"),
    F("PKCS#8 private key (PEM)", KEYS, "-----BEGIN", pem("PRIVATE KEY", "MIIEvQIBADANBgkqh"),
      "RFC 7468"),
    F("OpenSSH private key", KEYS, "-----BEGIN",
      pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA"), "OpenSSH PROTOCOL.key"),
)  # fmt: skip

# --- contexts and negatives ------------------------------------------------------------------

# Ids with a shape of their own that go beside a secret: public (:mod:`detectors.public_ids`),
# scanned in the same contexts, where any secret finding on them is noise.
PUBLIC_IDS: tuple[TokenFormat, ...] = (
    F("alibaba access key id", CLOUD, "LTAI", plain("LTAI", ALNUM, 20), "docs; scanner"),
    F("tencent SecretId", CLOUD, "AKID", plain("AKID", ALNUM, 32), "docs"),
    F("scaleway access key id", CLOUD, "SCW", plain("SCW", UPPER_ALNUM, 17), "docs"),
)  # fmt: skip

CONTEXTS: dict[str, str] = {
    "prose": "Found this in last night's build output: {V} and then the job stopped.",
    "config": "[upload]\nregion = eu-west-1\nvalue: {V}\nretries = 3\n",
    "code": 'client = Client("{V}", timeout=30)\n',
}


def _place(template: str, value: str, span: tuple[int, int]) -> Sample:
    start = template.index("{V}")
    text = template.replace("{V}", value)
    return Sample(text, start + span[0], start + span[1])


def look_alikes(fmt: TokenFormat, rng: random.Random) -> list[str]:
    """Values a careful rule must leave alone: the prefix with a short random part (a
    truncated or mistyped token), the same with ``x``s (a documentation placeholder), and
    the prefix with an ellipsis."""
    value = fmt.draw(rng)
    start = max(value.find(fmt.prefix), 0)
    # a prefix inside the token ("<id>.atlasv1.", "<hex>NRAL") keeps a short lead
    head = value[max(0, start - 6) : start] + fmt.prefix
    return [head + rand(rng, LOWER_ALNUM, 6), head + "x" * 24, head + "..."]


# Documentation placeholders under a name that says "key" or "token", where a rule that
# trusts the name reports whatever value it holds unless it sees the filler through the
# prefix (``HEROKU_API_KEY=HRKU-AAxxxx...``, ``api_key="sk-<your key>"``).
KEY_NAMED: dict[str, str] = {
    "env": "SERVICE_API_KEY={V}\n",
    "yaml": "auth:\n  api_token: {V}\n",
    "code": 'client = Client(api_key="{V}")\n',
}
FILLERS = ("x" * 24, "X" * 8 + "-" + "X" * 8, "0" * 24, "*" * 16, "...", "\u2026", "<your key>")


def key_named_placeholders(fmt: TokenFormat, rng: random.Random) -> list[str]:
    """The format's prefix (with the short lead of a prefix inside the token) and each
    filler of :data:`FILLERS`: what ``.env.example`` files and READMEs write."""
    value = fmt.draw(rng)
    start = max(value.find(fmt.prefix), 0)
    head = value[max(0, start - 6) : start] + fmt.prefix
    return [head + filler for filler in FILLERS]


PROSE_NEGATIVE = "Tokens that start with `{P}` are issued by the vendor; rotate them every 90 days."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=6, help="values per format and context")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--families", help="comma-separated families (default: all)")
    parser.add_argument("--show", type=int, default=1, help="missed texts shown per format")
    parser.add_argument("--all", action="store_true", help="print every format's recall")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    formats = [f for f in FORMATS if args.families is None or f.family in args.families.split(",")]

    settings = DetectorSettings()
    service_settings = settings.service.model_copy(update={"workers": 0, "cache_size": 0})
    service = ScanService(settings.model_copy(update={"service": service_settings}))
    service.load()
    rng = random.Random(args.seed)
    started = time.perf_counter()

    recall: dict[str, float] = {}
    missed: dict[str, list[str]] = {}
    by_family: dict[str, list[float]] = defaultdict(list)
    by_context: dict[str, list[bool]] = defaultdict(list)
    for fmt in formats:
        samples, contexts = [], []
        for context, template in CONTEXTS.items():
            for _ in range(args.samples):
                value = fmt.draw(rng)
                samples.append(_place(template, value, fmt.secret(value)))
                contexts.append(context)
        found = service.scan_sync([s.text for s in samples])
        hits = [covered(s, f) for s, f in zip(samples, found, strict=True)]
        for context, hit in zip(contexts, hits, strict=True):
            by_context[context].append(hit)
        recall[fmt.name] = sum(hits) / len(hits)
        by_family[fmt.family].append(recall[fmt.name])
        missed[fmt.name] = [s.text for s, hit in zip(samples, hits, strict=True) if not hit]

    negatives: list[tuple[str, Sample]] = []
    for fmt in formats:
        for value in look_alikes(fmt, rng):
            for template in CONTEXTS.values():
                negatives.append((fmt.name, _place(template, value, whole(value))))
        sentence = PROSE_NEGATIVE.replace("{P}", fmt.prefix)
        start = sentence.index(fmt.prefix)
        negatives.append((fmt.name, Sample(sentence, start, start + len(fmt.prefix))))
    found = service.scan_sync([s.text for _, s in negatives])
    noisy_texts = [
        (name, s, f) for (name, s), f in zip(negatives, found, strict=True) if noisy(s, f)
    ]
    named: list[tuple[str, Sample]] = [
        (fmt.name, _place(template, value, whole(value)))
        for fmt in formats
        for value in key_named_placeholders(fmt, rng)
        for template in KEY_NAMED.values()
    ]
    found = service.scan_sync([s.text for _, s in named])
    noisy_named = [(name, s, f) for (name, s), f in zip(named, found, strict=True) if noisy(s, f)]
    ids: list[tuple[str, Sample]] = [
        (fmt.name, _place(template, value, whole(value)))
        for fmt in PUBLIC_IDS
        if args.families is None or fmt.family in args.families.split(",")
        for template in CONTEXTS.values()
        for value in (fmt.draw(rng) for _ in range(args.samples))
    ]
    found = service.scan_sync([s.text for _, s in ids])
    noisy_ids = [(name, s, f) for (name, s), f in zip(ids, found, strict=True) if noisy(s, f)]
    elapsed = time.perf_counter() - started

    print(f"{len(formats)} formats x {len(CONTEXTS)} contexts x {args.samples} values, "
          f"seed {args.seed}; {len(formats) * len(CONTEXTS) * args.samples + len(negatives)} "
          f"texts in {elapsed:.0f} s")  # fmt: skip
    print("\nformats with recall < 1:")
    for fmt in formats:
        if recall[fmt.name] < 1 or args.all:
            print(f"  {recall[fmt.name]:4.2f}  {fmt.family:<29} {fmt.name}  [{fmt.source}]")
            for text in missed[fmt.name][: args.show]:
                print(f"        {text!r}"[:220])
    print("\nrecall by family (formats fully found / formats, mean recall):")
    for family, values in by_family.items():
        full = sum(1 for v in values if v == 1)
        print(f"  {full:3d}/{len(values):<3d} {sum(values) / len(values):5.3f}  {family}")
    print("\nrecall by context:")
    for context, hits in by_context.items():
        print(f"  {sum(hits) / len(hits):5.3f}  {context}")
    print(f"\nnegatives with a finding: {len(noisy_texts)}/{len(negatives)} "
          f"({len(noisy_texts) / len(negatives):.1%})")  # fmt: skip
    for name, sample, findings in noisy_texts[: max(args.show, 1) * 20]:
        spans = [(x.entity_type, sample.text[x.start : x.end][:40]) for x in findings]
        print(f"  {name}: {sample.text!r:.120} -> {spans}")
    print(f"\nkey-named placeholders with a finding: {len(noisy_named)}/{len(named)} "
          f"({len(noisy_named) / len(named):.1%})")  # fmt: skip
    for name, sample, findings in noisy_named[: max(args.show, 1) * 20]:
        spans = [(x.entity_type, sample.text[x.start : x.end][:40]) for x in findings]
        print(f"  {name}: {sample.text!r:.120} -> {spans}")
    print(f"\npublic ids with a finding: {len(noisy_ids)}/{len(ids)}")
    for name, sample, findings in noisy_ids[: max(args.show, 1) * 20]:
        spans = [(x.entity_type, sample.text[x.start : x.end][:40]) for x in findings]
        print(f"  {name}: {sample.text!r:.120} -> {spans}")
    every = [v for values in by_family.values() for v in values]
    print(f"\nall formats: {sum(1 for v in every if v == 1)}/{len(every)} fully found, "
          f"mean recall {sum(every) / len(every):.3f}; negatives "
          f"{len(noisy_texts) / len(negatives):.1%}; key-named placeholders "
          f"{len(noisy_named) / len(named):.1%}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
