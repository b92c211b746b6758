"""Vendors' keys in the formats the vendors issue, and the public values printed beside them.

Written for ``tuning12`` (h174, 2026-12-01, issue 14). Each format follows the vendor's
documentation or gitleaks' rule for it (prefix, alphabet, length); the bodies are random.
``SECRETS`` maps a name to the entity type a security team would mask and the value's
draw (``{{vkey_<name>}}`` in a template); ``PUBLIC`` holds values the vendors document as
safe to publish or that identify and grant nothing (``{{vpub_<name>}}``): a finding on
one is a false positive.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid
from collections.abc import Callable

Draw = Callable[[random.Random], str]

_HEX = "0123456789abcdef"
_ALNUM = string.ascii_letters + string.digits
_URLSAFE = _ALNUM + "-_"
_LOWER_ALNUM = string.ascii_lowercase + string.digits
_UPPER_ALNUM = string.ascii_uppercase + string.digits
_B64 = _ALNUM + "+/"


def _c(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _hex(rng: random.Random, length: int) -> str:
    return _c(rng, _HEX, length)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _b64url_json(claims: dict[str, object]) -> str:
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _mapbox(rng: random.Random, prefix: str) -> str:
    """``pk.``/``sk.`` + base64url of ``{"u": user, "a": token id}`` + ``.`` + 22 chars."""
    claims: dict[str, object] = {
        "u": _c(rng, string.ascii_lowercase, rng.randint(5, 10)),
        "a": _c(rng, _LOWER_ALNUM, 25),
    }
    return f"{prefix}.{_b64url_json(claims)}.{_c(rng, _URLSAFE, 22)}"


def _supabase(rng: random.Random, role: str) -> str:
    """A Supabase project key: an HS256 JWT whose ``role`` is ``anon`` (public, shipped to
    browsers) or ``service_role`` (bypasses row-level security: secret)."""
    header = _b64url_json({"alg": "HS256", "typ": "JWT"})
    iat = rng.randint(1_650_000_000, 1_750_000_000)
    claims = {
        "iss": "supabase",
        "ref": _c(rng, string.ascii_lowercase, 20),
        "role": role,
        "iat": iat,
        "exp": iat + 315_360_000,
    }
    return f"{header}.{_b64url_json(claims)}.{_c(rng, _URLSAFE, 43)}"


def _grafana_cloud(rng: random.Random) -> str:
    """``glc_`` + base64 of the token's JSON (org, name, key, region)."""
    claims = {
        "o": str(rng.randint(100000, 999999)),
        "n": f"stack-{rng.randint(100000, 999999)}-hm-{rng.choice(['read', 'write', 'rw'])}",
        "k": _c(rng, _ALNUM, 24),
        "m": {"r": rng.choice(["prod-eu-west-2", "prod-us-east-0", "prod-ap-southeast-1"])},
    }
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return "glc_" + base64.b64encode(raw).decode().rstrip("=")


def _intercom(rng: random.Random) -> str:
    """An Intercom access token: base64 of ``tok:<uuid with underscores>:1:0``."""
    body = f"tok:{_uuid(rng).replace('-', '_')}:1:0"
    return base64.b64encode(body.encode()).decode()


def _jfrog_reference(rng: random.Random) -> str:
    """A JFrog reference token: base64 of ``reftkn:01:<expiry>:<random>``."""
    body = f"reftkn:01:{rng.randint(1_800_000_000, 2_000_000_000)}:{_c(rng, _ALNUM, 27)}"
    return base64.b64encode(body.encode()).decode().rstrip("=")


def _elastic_api_key(rng: random.Random) -> str:
    """Elasticsearch's ``encoded`` API key: base64 of ``id:api_key``."""
    body = f"{_c(rng, _URLSAFE, 20)}:{_c(rng, _URLSAFE, 22)}"
    return base64.b64encode(body.encode()).decode()


def _discord_bot(rng: random.Random) -> str:
    """A Discord bot token: base64 of the bot's snowflake id, a timestamp, an HMAC."""
    snowflake = str(rng.randint(10**17, 10**19 - 1))
    first = base64.b64encode(snowflake.encode()).decode().rstrip("=")
    return f"{first}.{_c(rng, _URLSAFE, 6)}.{_c(rng, _URLSAFE, 38)}"


def _adyen(rng: random.Random) -> str:
    """An Adyen API key: ``AQE`` and three dash-joined base64 parts."""
    return (
        "AQE"
        + _c(rng, _B64, 81)
        + "==-"
        + _c(rng, _B64, 43)
        + "=-"
        + _c(rng, _ALNUM + "%;{}=+", 16)
    )


def _grouped_letters(rng: random.Random, sep: str) -> str:
    return sep.join(_c(rng, string.ascii_lowercase, 4) for _ in range(4))


#: name -> (entity type, draw): the secret values, as their vendors issue them
SECRETS: dict[str, tuple[str, Draw]] = {
    # payments
    "square": ("GENERIC_SECRET", lambda r: "EAAA" + _c(r, _URLSAFE, 60)),
    "braintree": (
        "GENERIC_SECRET",
        lambda r: f"access_token$production${_c(r, _LOWER_ALNUM, 16)}${_hex(r, 32)}",
    ),
    "razorpay_secret": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 24)),
    "mollie": ("GENERIC_SECRET", lambda r: "live_" + _c(r, _ALNUM, 30)),
    "adyen": ("GENERIC_SECRET", _adyen),
    "paystack": ("GENERIC_SECRET", lambda r: "sk_live_" + _hex(r, 40)),
    "checkout": (
        "GENERIC_SECRET",
        lambda r: "sk_sbox_" + _c(r, "abcdefghijklmnopqrstuvwxyz234567", 26),
    ),
    "flutterwave": ("GENERIC_SECRET", lambda r: "FLWSECK-" + _hex(r, 32) + "-X"),
    "plaid_secret": ("GENERIC_SECRET", lambda r: _hex(r, 30)),
    "toss": ("GENERIC_SECRET", lambda r: r.choice(["live_sk_", "live_gsk_"]) + _c(r, _ALNUM, 24)),
    "paypal": ("GENERIC_SECRET", lambda r: "A21AA" + _c(r, _URLSAFE, 92)),
    "shippo": ("GENERIC_SECRET", lambda r: "shippo_live_" + _hex(r, 40)),
    "easypost": ("GENERIC_SECRET", lambda r: "EZAK" + _c(r, _ALNUM, 54)),
    # mail and messaging
    "brevo": ("GENERIC_SECRET", lambda r: f"xkeysib-{_hex(r, 64)}-{_c(r, _ALNUM, 16)}"),
    "mailgun": (
        "GENERIC_SECRET",
        lambda r: r.choice(["key-" + _hex(r, 32), f"{_hex(r, 32)}-{_hex(r, 8)}-{_hex(r, 8)}"]),
    ),
    "mailchimp": ("GENERIC_SECRET", lambda r: f"{_hex(r, 32)}-us{r.randint(1, 21)}"),
    "postmark": ("GENERIC_SECRET", _uuid),
    "resend": ("GENERIC_SECRET", lambda r: f"re_{_c(r, _ALNUM, 8)}_{_c(r, _ALNUM, 24)}"),
    "twilio_token": ("GENERIC_SECRET", lambda r: _hex(r, 32)),
    "vonage_secret": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 16)),
    "messagebird": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 25)),
    "plivo_token": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 40)),
    "telegram_bot": (
        "GENERIC_SECRET",
        lambda r: f"{r.randint(10**8, 10**10 - 1)}:AA{_c(r, _URLSAFE, 33)}",
    ),
    "discord_bot": ("GENERIC_SECRET", _discord_bot),
    "discord_webhook": ("GENERIC_SECRET", lambda r: _c(r, _URLSAFE, 68)),
    "dingtalk": ("GENERIC_SECRET", lambda r: "SEC" + _hex(r, 64)),
    "line_channel": (
        "GENERIC_SECRET",
        lambda r: base64.b64encode(r.randbytes(129)).decode().replace("=", "") + "=",
    ),
    "slack_app": (
        "SLACK_TOKEN",
        lambda r: (
            f"xapp-1-A{_c(r, _UPPER_ALNUM, 10)}-{r.randint(10**12, 10**13 - 1)}-{_hex(r, 64)}"
        ),
    ),
    # maps, analytics, CRM, support
    "mapbox": ("GENERIC_SECRET", lambda r: _mapbox(r, "sk")),
    "here": ("GENERIC_SECRET", lambda r: _c(r, _URLSAFE, 43)),
    "mixpanel_secret": ("GENERIC_SECRET", lambda r: _hex(r, 32)),
    "posthog_personal": ("GENERIC_SECRET", lambda r: "phx_" + _c(r, _ALNUM, 43)),
    "hubspot": (
        "GENERIC_SECRET",
        lambda r: f"pat-{r.choice(['na1', 'eu1', 'na2'])}-{_uuid(r)}",
    ),
    "pipedrive": ("GENERIC_SECRET", lambda r: _hex(r, 40)),
    "intercom": ("GENERIC_SECRET", _intercom),
    "zendesk": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 40)),
    "salesforce": (
        "GENERIC_SECRET",
        lambda r: f"00D{_c(r, _ALNUM, 12)}!AQ{_c(r, _ALNUM + '._', 94)}",
    ),
    # observability
    "datadog_api": ("GENERIC_SECRET", lambda r: _hex(r, 32)),
    "datadog_app": ("GENERIC_SECRET", lambda r: _hex(r, 40)),
    "newrelic_user": ("GENERIC_SECRET", lambda r: "NRAK-" + _c(r, _UPPER_ALNUM, 27)),
    "newrelic_license": ("GENERIC_SECRET", lambda r: _hex(r, 36) + "NRAL"),
    "sentry_user": ("GENERIC_SECRET", lambda r: "sntryu_" + _hex(r, 64)),
    "dynatrace": (
        "GENERIC_SECRET",
        lambda r: f"dt0c01.{_c(r, _UPPER_ALNUM, 24)}.{_c(r, _UPPER_ALNUM, 64)}",
    ),
    "grafana_cloud": ("GENERIC_SECRET", _grafana_cloud),
    "splunk_hec": ("GENERIC_SECRET", lambda r: _uuid(r).upper()),
    "rollbar_server": ("GENERIC_SECRET", lambda r: _hex(r, 32)),
    # CI/CD, hosting, infrastructure as code
    "circleci": ("GENERIC_SECRET", lambda r: f"CCIPAT_{_c(r, _ALNUM, 22)}_{_hex(r, 40)}"),
    "buildkite": ("GENERIC_SECRET", lambda r: "bkua_" + _hex(r, 40)),
    "netlify": ("GENERIC_SECRET", lambda r: "nfp_" + _c(r, _ALNUM, 36)),
    "vercel": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 24)),
    "heroku": ("GENERIC_SECRET", lambda r: "HRKU-AA" + _c(r, _URLSAFE, 58)),
    "flyio": ("GENERIC_SECRET", lambda r: "fm2_" + base64.b64encode(r.randbytes(120)).decode()),
    "render": ("GENERIC_SECRET", lambda r: "rnd_" + _c(r, _ALNUM, 32)),
    "doppler": (
        "GENERIC_SECRET",
        lambda r: r.choice(
            [
                f"dp.st.{r.choice(['prd', 'stg', 'dev'])}.{_c(r, _ALNUM, 40)}",
                "dp.pt." + _c(r, _ALNUM, 43),
            ]
        ),
    ),
    "pulumi": ("GENERIC_SECRET", lambda r: "pul-" + _hex(r, 40)),
    "terraform": (
        "GENERIC_SECRET",
        lambda r: f"{_c(r, _LOWER_ALNUM, 14)}.atlasv1.{_c(r, _URLSAFE, 67)}",
    ),
    "gitlab_runner": ("GITLAB_TOKEN", lambda r: "glrt-" + _c(r, _URLSAFE, 20)),
    "octopus": ("GENERIC_SECRET", lambda r: "API-" + _c(r, _UPPER_ALNUM, 26)),
    # package registries
    "npm": ("GENERIC_SECRET", lambda r: "npm_" + _c(r, _ALNUM, 36)),
    "rubygems": ("GENERIC_SECRET", lambda r: "rubygems_" + _hex(r, 48)),
    "nuget": ("GENERIC_SECRET", lambda r: "oy2" + _c(r, _LOWER_ALNUM, 43)),
    "crates": ("GENERIC_SECRET", lambda r: "cio" + _c(r, _ALNUM, 32)),
    "dockerhub": ("GENERIC_SECRET", lambda r: "dckr_pat_" + _c(r, _URLSAFE, 27)),
    "clojars": ("GENERIC_SECRET", lambda r: "CLOJARS_" + _c(r, _LOWER_ALNUM, 60)),
    "jfrog": ("GENERIC_SECRET", _jfrog_reference),
    # cloud consoles
    "azure_storage": ("GENERIC_SECRET", lambda r: base64.b64encode(r.randbytes(64)).decode()),
    "alibaba_secret": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 30)),
    "ibm_cloud": ("GENERIC_SECRET", lambda r: _c(r, _URLSAFE, 44)),
    "scaleway_secret": ("GENERIC_SECRET", _uuid),
    "cloudflare_token": ("GENERIC_SECRET", lambda r: _c(r, _URLSAFE, 40)),
    "cloudflare_global": ("GENERIC_SECRET", lambda r: _hex(r, 37)),
    "linode": ("GENERIC_SECRET", lambda r: _hex(r, 64)),
    "hetzner": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 64)),
    "vultr": ("GENERIC_SECRET", lambda r: _c(r, _UPPER_ALNUM, 36)),
    # AI providers
    "groq": ("GENERIC_SECRET", lambda r: "gsk_" + _c(r, _ALNUM, 52)),
    "replicate": ("GENERIC_SECRET", lambda r: "r8_" + _c(r, _ALNUM, 37)),
    "perplexity": ("GENERIC_SECRET", lambda r: "pplx-" + _c(r, _ALNUM, 48)),
    "xai": ("GENERIC_SECRET", lambda r: "xai-" + _c(r, _ALNUM, 80)),
    "mistral": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 32)),
    "cohere": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 40)),
    "openrouter": ("GENERIC_SECRET", lambda r: "sk-or-v1-" + _hex(r, 64)),
    "elevenlabs": ("GENERIC_SECRET", lambda r: "sk_" + _hex(r, 48)),
    "together": ("GENERIC_SECRET", lambda r: _hex(r, 64)),
    "deepseek": ("GENERIC_SECRET", lambda r: "sk-" + _hex(r, 32)),
    "langsmith": ("GENERIC_SECRET", lambda r: f"lsv2_pt_{_hex(r, 32)}_{_hex(r, 10)}"),
    "pinecone": ("GENERIC_SECRET", lambda r: f"pcsk_{_c(r, _ALNUM, 6)}_{_c(r, _ALNUM, 63)}"),
    "wandb": ("GENERIC_SECRET", lambda r: _hex(r, 40)),
    "anthropic_admin": (
        "ANTHROPIC_API_KEY",
        lambda r: f"sk-ant-admin01-{_c(r, _URLSAFE, 93)}AA",
    ),
    "openai_svcacct": (
        "OPENAI_API_KEY",
        lambda r: f"sk-svcacct-{_c(r, _URLSAFE, 74)}T3BlbkFJ{_c(r, _URLSAFE, 74)}",
    ),
    # feature flags
    "launchdarkly_sdk": ("GENERIC_SECRET", lambda r: "sdk-" + _uuid(r)),
    "launchdarkly_api": ("GENERIC_SECRET", lambda r: "api-" + _uuid(r)),
    "statsig_server": ("GENERIC_SECRET", lambda r: "secret-" + _c(r, _ALNUM, 43)),
    "flagsmith_server": ("GENERIC_SECRET", lambda r: "ser." + _c(r, _ALNUM, 22)),
    "unleash_backend": (
        "GENERIC_SECRET",
        lambda r: f"default:{r.choice(['production', 'development'])}.{_hex(r, 64)}",
    ),
    # search
    "algolia_admin": ("GENERIC_SECRET", lambda r: _hex(r, 32)),
    "typesense_admin": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 32)),
    "elastic": ("GENERIC_SECRET", _elastic_api_key),
    # storage
    "backblaze": ("GENERIC_SECRET", lambda r: "K00" + _c(r, _ALNUM, 28)),
    "dropbox": ("GENERIC_SECRET", lambda r: "sl.u." + _c(r, _URLSAFE, 140)),
    "supabase_service": ("JWT", lambda r: _supabase(r, "service_role")),
    "cloudinary_secret": ("GENERIC_SECRET", lambda r: _c(r, _URLSAFE, 27)),
    # identity
    "okta": ("GENERIC_SECRET", lambda r: "00" + _c(r, _URLSAFE, 40)),
    "clerk": ("GENERIC_SECRET", lambda r: "sk_live_" + _c(r, _ALNUM, 40)),
    "stytch": ("GENERIC_SECRET", lambda r: "secret-live-" + _c(r, _URLSAFE, 36)),
    "onepassword": (
        "GENERIC_SECRET",
        lambda r: "ops_eyJ" + base64.b64encode(r.randbytes(200)).decode().rstrip("="),
    ),
    "duo_secret": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 40)),
    "tailscale": (
        "GENERIC_SECRET",
        lambda r: f"tskey-auth-{_c(r, _ALNUM, 11)}CNTRL-{_c(r, _ALNUM, 33)}",
    ),
    "keycloak_secret": ("GENERIC_SECRET", lambda r: _c(r, _ALNUM, 32)),
    # work tools
    "linear": ("GENERIC_SECRET", lambda r: "lin_api_" + _c(r, _ALNUM, 40)),
    "atlassian": (
        "GENERIC_SECRET",
        lambda r: "ATATT3xFfGF0" + _c(r, _URLSAFE, 172) + "=" + _hex(r, 8).upper(),
    ),
    "postman": ("GENERIC_SECRET", lambda r: f"PMAK-{_hex(r, 24)}-{_hex(r, 34)}"),
    "figma": ("GENERIC_SECRET", lambda r: f"figd_{_c(r, _URLSAFE, 40)}"),
    "airtable": ("GENERIC_SECRET", lambda r: f"pat{_c(r, _ALNUM, 14)}.{_hex(r, 64)}"),
    "notion": ("GENERIC_SECRET", lambda r: f"ntn_{_c(r, string.digits, 11)}{_c(r, _ALNUM, 35)}"),
    "contentful": ("GENERIC_SECRET", lambda r: "CFPAT-" + _c(r, _URLSAFE, 43)),
    "asana": (
        "GENERIC_SECRET",
        lambda r: f"2/{_c(r, string.digits, 16)}/{_c(r, string.digits, 16)}:{_hex(r, 32)}",
    ),
    "clickup": (
        "GENERIC_SECRET",
        lambda r: f"pk_{r.randint(10**7, 10**8 - 1)}_{_c(r, _UPPER_ALNUM, 32)}",
    ),
    "sonarqube": ("GENERIC_SECRET", lambda r: r.choice(["squ_", "sqp_", "sqa_"]) + _hex(r, 40)),
    "snyk": ("GENERIC_SECRET", _uuid),
    "shopify_secret": ("GENERIC_SECRET", lambda r: r.choice(["shpss_", "shpca_"]) + _hex(r, 32)),
    # app passwords: issued by the vendor, typed where the account's password goes
    "app_password_google": ("PASSWORD", lambda r: _grouped_letters(r, r.choice([" ", ""]))),
    "app_password_apple": ("PASSWORD", lambda r: _grouped_letters(r, "-")),
    "app_password_bitbucket": ("PASSWORD", lambda r: "ATBB" + _c(r, _ALNUM, 32)),
}

#: name -> draw: values vendors document as public, or ids that grant nothing alone
PUBLIC: dict[str, Draw] = {
    "mapbox": lambda r: _mapbox(r, "pk"),
    "posthog_project": lambda r: "phc_" + _c(r, _ALNUM, 43),
    "mixpanel_token": lambda r: _hex(r, 32),
    "clerk": lambda r: (
        "pk_live_"
        + base64.b64encode(f"clerk.{_c(r, string.ascii_lowercase, 8)}.com$".encode())
        .decode()
        .rstrip("=")
    ),
    "stripe": lambda r: "pk_live_51" + _c(r, _ALNUM, 97),
    "paystack": lambda r: "pk_live_" + _hex(r, 40),
    "toss_client": lambda r: r.choice(["live_ck_", "live_gck_"]) + _c(r, _ALNUM, 24),
    "flutterwave": lambda r: "FLWPUBK-" + _hex(r, 32) + "-X",
    "lob": lambda r: "live_pub_" + _hex(r, 31),
    "statsig_client": lambda r: "client-" + _c(r, _ALNUM, 43),
    "launchdarkly_client_id": lambda r: _hex(r, 24),
    "flagsmith_env": lambda r: _c(r, _ALNUM, 22),
    "algolia_search": lambda r: _hex(r, 32),
    "algolia_app_id": lambda r: _c(r, _UPPER_ALNUM, 10),
    "rollbar_client": lambda r: _hex(r, 32),
    "sentry_dsn": lambda r: (
        f"https://{_hex(r, 32)}@o{r.randint(100000, 4_999_999)}.ingest."
        f"{r.choice(['', 'us.', 'de.'])}sentry.io/{r.randint(1_000_000, 9_999_999)}"
    ),
    "supabase_anon": lambda r: _supabase(r, "anon"),
    "razorpay_key_id": lambda r: "rzp_live_" + _c(r, _ALNUM, 14),
    "twilio_sid": lambda r: "AC" + _hex(r, 32),
    "alibaba_id": lambda r: "LTAI" + _c(r, _ALNUM, 20),
    "backblaze_key_id": lambda r: "00" + _hex(r, 23),
    "scaleway_access": lambda r: "SCW" + _c(r, _UPPER_ALNUM, 17),
    "duo_ikey": lambda r: "DI" + _c(r, _UPPER_ALNUM, 18),
    "plaid_client_id": lambda r: _hex(r, 24),
    "datadog_site": lambda r: r.choice(["datadoghq.eu", "us5.datadoghq.com", "ap1.datadoghq.com"]),
    "cloudinary_key": lambda r: _c(r, string.digits, 15),
    "dynatrace_id": lambda r: "dt0c01." + _c(r, _UPPER_ALNUM, 24),
    "sha256_pin": lambda r: base64.b64encode(r.randbytes(32)).decode(),
    "stripe_object": lambda r: (
        r.choice(["price_", "prod_", "cus_", "pi_", "evt_"]) + _c(r, _ALNUM, 24)
    ),
    "github_run": lambda r: str(r.randint(10**9, 10**11)),
    "docker_digest": lambda r: "sha256:" + _hex(r, 64),
}
