"""The public halves of credentials stay quiet (:mod:`detectors.public_ids`, the id words after
a key's label in :mod:`detectors.token_contexts`): Twilio's ``AC…``/``SK…`` ids, Cloudinary's
``api_key`` beside its ``cloud_name``, a value told as a secret's *id*, and a Fernet token cut
short; the secret beside each of them is still reported with its exact span.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.public_ids import is_public_id
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

PUBLIC = [
    # Twilio's ids, whatever name is around them
    "TWILIO_API_KEY=SK3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e",
    'account_sid = "AC9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"',
    "the API key id is SK0a1b2c3d4e5f60718293a4b5c6d7e8f9, the secret is in 1Password",
    "curl -u AC11aa22bb33cc44dd55ee66ff77889900:$TWILIO_AUTH_TOKEN https://api.twilio.com/",
    "Messaging service MG5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b sends the reminders.",
    # Cloudinary's configuration: the api_key is sent from browsers with signed uploads
    '{"cloud_name": "shop-media", "api_key": "918273645546372", "upload_preset": "avatars"}',
    "CLOUDINARY_CLOUD_NAME=shop\nCLOUDINARY_API_KEY=7c1e4b9a2d5f8e3c\n",
    # an id of a secret or a key, told after the label
    "Secret ID: 8d2e6a40-3c1f-4b7e-9a05-d6e2c41f8b93 (the value itself is in the vault)",
    "Key Id: 5f0c9e2a-71b4-4d38-a6c2-0e9b8f7d1a34",
    "the secret id: 0e9b8f7d-1a34-4d38-a6c2-5f0c9e2a71b4",
    "The signing key id is 3b7e1c9a5f2d8e4b6a0c1f9e2d7b4a8c; the key itself rotates monthly.",
    "our API token ID: Zr8Tq2Xw5Lm9Vp3Kc7Nb",
    # public by their vendor's documented shape, whatever label is around them (h181)
    'PostHogConfig(apiKey: "phc_Oi29aVaqhGic1JjJ0shIqGKscMY5l9COGcfBFsqxdWV")',
    "MAPBOX_TOKEN=pk.eyJ1IjoibnBzZHhtemoiLCJhIjoiMnQya2V1aWNmcTJyODBzMmFpdzRwczNjcyJ9.zDwXJ0zJyPk_6Vk",
    "final lob = Lob(apiKey: 'live_pub_fe54a2d0f94dc61bed8df27b35f6eb5');",
    "TOSS_CLIENT_KEY=live_ck_2JkTtvDO1aPDtjR1h9rbdWdP",
    "AccessKey ID LTAIpSE2q6dmSeyjvuUCZ8A0; the secret was shown once",
    "[default]\naccess_key = SCWYKGRHP1KMFTQ9Z9RB\n",
    "腾讯云的 SecretId 是 AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA，SecretKey 在密码库里",
    'cred = credential.Credential("AKIDq7Rm2Xw9Lp4Vb8Nc3Tz6Hy1Jd5Ks0Gf2", secret_key)',
    'key_id: "rzp_live_jsFa55DuWegaU7"',
    # a Supabase anon key: a JWT whose role is anon, shipped to browsers
    (
        "SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InB0"
        "ZnJtc2x2d3dybW9ucWNidHViIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MzExODc5MzYsImV4cCI6MjA0NjU0NzkzNn0"
        ".5M_qhBtEOjhnvGkyN-vaGawFURZocbnaULPTvXhbBXu"
    ),
    # a generic value its label calls public, an id, or a secret's name
    "Algolia's search-only key bd535d84659b70706c2bb234c670def1 may stay in the app",
    "The client key for the Drop-in is live_KHFGDZM2G1NVTGNEEWQP4E (goes into the web page)",
    "The snippet on every page has project token d4562b47741078696c3a8be23e364f41.",
    "Key id for the existing read-only key is 000c7b7bc4061367d8f1572d3; no new key needed.",
    "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3Wp7",
    "+  apiKeyExistingSecret: datadog-keys\n+  appKeyExistingSecret: datadog-keys\n",
    "    secretName: payments-api-credentials\n",
    # Duo's integration key: an id beside the secret key, by its shape (h187)
    "We assume the integration key DIWQ3K8ZP2MX7RT5LN0B and the API hostname are harmless.",
    "ikey = DI7HQ2MZ4XK9PL3RT8WB",
    # Mixpanel's project token, which Mixpanel documents as public (h187)
    '-MIXPANEL_TOKEN = "a7c24e9b1f0d83c6e5b2a9d4f7c1e08b"',
    "Our Mixpanel project token: 3f9e1c7a5b2d8046e1c3a5f7b9d2e4c6",
    # Algolia's key in a search URL: what the browser client sends (h187)
    "GET /1/indexes/products/query?x-algolia-application-id=Q7M2K9XZ4P&"
    "x-algolia-api-key=5d8e2a7c1b9f4e603a2c8d1e7b5f9a4c HTTP/1.1",
    # Shopify's api_key: the app's client id (h187)
    'ShopifyAPI::Context.setup(api_key: "9c4e1a7b3d5f2e8c", scope: "read_orders")',
    # a Fernet token cut short in a traceback: ciphertext, not its key
    "  token = b'gAAAAABm3kQ2vL8xP0rT5wY1zN4cF7hJ9aS2dG6kM3pQ8xV0bR5tW1yZ4nC7fH2jL9aS6dG3kM8p=='",
]


@pytest.mark.parametrize("text", PUBLIC)
def test_a_public_id_in_a_credentials_place_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A public identifier named as a key, an account or a secret's id is no finding."""
    assert spans(secrets_detector, text) == []


STILL_SECRET = [
    # Tencent Cloud's SecretKey beside its SecretId
    (
        "TENCENTCLOUD_SECRET_ID=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA\n"
        "TENCENTCLOUD_SECRET_KEY=Gu5t9xGARNpq86cd98joQYCN3Cozk1qA\n",
        [(E.GENERIC_SECRET, "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA")],
    ),
    # the secret beside a Twilio id
    (
        "TWILIO_ACCOUNT_SID=AC9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e\n"
        "TWILIO_AUTH_TOKEN=3e7c1a9f5b2d8e4a6c0f9b1d3e5a7c2f\n",
        [(E.GENERIC_SECRET, "3e7c1a9f5b2d8e4a6c0f9b1d3e5a7c2f")],
    ),
    # Cloudinary's api_secret beside its public api_key
    (
        'cloudinary.config(cloud_name="shop", api_key="918273645546372", '
        'api_secret="Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3")',
        [(E.GENERIC_SECRET, "Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3")],
    ),
    # an api_key that is a UUID, with no Cloudinary around it: many services' keys are UUIDs
    (
        '{"api_key": "4c37dd58-025d-4ea5-89fc-9e24a1c5efc5", "region": "eu"}',
        [(E.GENERIC_SECRET, "4c37dd58-025d-4ea5-89fc-9e24a1c5efc5")],
    ),
    # the key itself, told after its id
    (
        "key id k-42, and the key is 3b7e1c9a5f2d8e4b6a0c1f9e2d7b4a8c, keep it safe",
        [(E.GENERIC_SECRET, "3b7e1c9a5f2d8e4b6a0c1f9e2d7b4a8c")],
    ),
    # a client secret that is a UUID: the key word names the value itself a secret
    (
        "client_secret: 6c99b192-c824-46c6-ac90-b751cc139078",
        [(E.GENERIC_SECRET, "6c99b192-c824-46c6-ac90-b751cc139078")],
    ),
    (
        "Secret: 42b6ae8f-7908-43d0-84d2-0dc3df2a9743",
        [(E.GENERIC_SECRET, "42b6ae8f-7908-43d0-84d2-0dc3df2a9743")],
    ),
    # the secret's id and its value: the value alone
    (
        "Secret ID: 42b6ae8f-7908-43d0-84d2-0dc3df2a9743\n"
        "Secret value: Qx8~kJ2mN5pR7sT9vW1yZ3bD6fH8jL0nP4\n",
        [(E.GENERIC_SECRET, "Qx8~kJ2mN5pR7sT9vW1yZ3bD6fH8jL0nP4")],
    ),
    # a Fernet key (32 bytes) under a key's name
    (
        'FERNET_KEY = "bDQXYUEZQcddvOysiOJr37pHFcPimHQ6AJ-zpz_3rX8="',
        [(E.GENERIC_SECRET, "bDQXYUEZQcddvOysiOJr37pHFcPimHQ6AJ-zpz_3rX8=")],
    ),
    # a Supabase service_role key stays a secret (a JWT); an anon key beside it is quiet
    (
        "anon: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlhdCI6MTczMTE4NzkzNn0"
        ".5M_qhBtEOjhnvGkyN-vaGawFURZocbnaULPTvXhbBXu\n"
        "service: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzMx"
        "MTg3OTM2fQ.Qx8kJ2mN5pR7sT9vW1yZ3bD6fH8jL0nP4aB7cE2gI4k",
        [
            (
                E.JWT,
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzMx"
                "MTg3OTM2fQ.Qx8kJ2mN5pR7sT9vW1yZ3bD6fH8jL0nP4aB7cE2gI4k",
            )
        ],
    ),
    # a key told after its id's assignment on a log line
    (
        "key_id=76 key=KSNHCVXqS4WaFWDLsB8KLPRm route=/v1/search status=401",
        [(E.GENERIC_SECRET, "KSNHCVXqS4WaFWDLsB8KLPRm")],
    ),
    # a public label's key with a secret word after it: the secret's, not the label's
    (
        "Client key live_KHFGDZM2G1NVTGNEEWQP4E, secret key jEx2rVHIKPsiBWR1GDItUh3NqKT4",
        [(E.GENERIC_SECRET, "jEx2rVHIKPsiBWR1GDItUh3NqKT4")],
    ),
    (
        "the client key's secret is Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3Wp7",
        [(E.GENERIC_SECRET, "Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3Wp7")],
    ),
    # a provider's key stays its key whatever it is called
    (
        "client token: xoxb-2741558236-4410683829-kR8pWm2Qz7XbN4sLc9TfYh3D",
        [(E.SLACK_TOKEN, "xoxb-2741558236-4410683829-kR8pWm2Qz7XbN4sLc9TfYh3D")],
    ),
    # Duo's secret key beside its integration key (h187)
    (
        "Integration key DIWQ3K8ZP2MX7RT5LN0B, secret key Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3Wp7Hs1Jf6Gt2Ue",
        [(E.GENERIC_SECRET, "Zq4Xw8Lm2Nv6Rb0Tc5Yh9Kd3Wp7Hs1Jf6Gt2Ue")],
    ),
    # Algolia's key in a URL that writes the index: no search-only key (h187)
    (
        "POST /1/indexes/products/batch?x-algolia-api-key=5d8e2a7c1b9f4e603a2c8d1e7b5f9a4c",
        [(E.GENERIC_SECRET, "5d8e2a7c1b9f4e603a2c8d1e7b5f9a4c")],
    ),
    # Mixpanel's API secret is a secret (h187)
    (
        "mixpanel api secret: a7c24e9b1f0d83c6e5b2a9d4f7c1e08b",
        [(E.GENERIC_SECRET, "a7c24e9b1f0d83c6e5b2a9d4f7c1e08b")],
    ),
    # a Shopify token under Shopify's api_key name, and its app secret (h187)
    (
        "SHOPIFY_API_KEY=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",
        [(E.GENERIC_SECRET, "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")],
    ),
    (
        'ShopifyAPI::Context.setup(api_key: "9c4e1a7b3d5f2e8c", '
        'api_secret_key: "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")',
        [(E.GENERIC_SECRET, "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")],
    ),
    # two capitals and 32 hex that are no Twilio resource's
    (
        "api_key=ZZ3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e",
        [(E.GENERIC_SECRET, "ZZ3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), STILL_SECRET)
def test_the_secret_beside_a_public_id_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, text: str, expected: list[tuple[str, str]]
) -> None:
    """Only the public half is dropped: the secret of the pair is one finding, exactly."""
    assert spans(secrets_detector, text) == expected


@pytest.mark.parametrize(
    ("text", "value", "public"),
    [
        ("sid: AC9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e", "AC9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e", True),
        ("sid: ac9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e", "ac9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e", False),
        ("sid: SK9B8A7F6E5D4C3B2A1F0E9D8C7B6A5F4E", "SK9B8A7F6E5D4C3B2A1F0E9D8C7B6A5F4E", False),
        ('"cloud_name": "x", "api_key": "7c1e4b9a2d5f8e3c"', "7c1e4b9a2d5f8e3c", True),
        ('"cloud_name": "x", "api_secret": "7c1e4b9a2d5f8e3c"', "7c1e4b9a2d5f8e3c", False),
        ('"api_key": "7c1e4b9a2d5f8e3c"', "7c1e4b9a2d5f8e3c", False),
    ],
)
def test_is_public_id_reads_the_shape_and_the_key(text: str, value: str, public: bool) -> None:
    """A SID is exactly two capitals of a Twilio resource and lowercase hex; Cloudinary's key is
    public only as ``api_key`` with its ``cloud_name`` near."""
    start = text.index(value)
    assert is_public_id(text, start, start + len(value)) is public
