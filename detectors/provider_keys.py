"""Provider API keys, recognised by their prefix and shape: OpenAI, Anthropic, AWS, GitHub,
GitLab, Slack, Stripe, Google, and JSON Web Tokens.

Each rule is ``SPECIFIC``: the prefix names the provider, and a checksum, JWT structure,
entropy or character-variety check keeps look-alikes out.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.checks import github_token_checksum_valid, jwt_valid, shannon_entropy
from detectors.secret_rule import SPECIFIC, STRUCTURED, SecretRule
from detectors.secret_values import distinct, random_looking

# Token characters for the common "prefix + base62/base64url" key shapes.
_L = r"(?<![A-Za-z0-9_-])"
_R = r"(?![A-Za-z0-9_-])"

_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])")


def _github_classic(value: str, match: re.Match[str], text: str) -> bool:
    return github_token_checksum_valid(value)


def _jwt(value: str, match: re.Match[str], text: str) -> bool:
    return jwt_valid(value)


def _aws_secret(value: str, match: re.Match[str], text: str) -> bool:
    # AWS secret keys are 40 random base64 characters: both letter cases appear, which also
    # rules out 40-hex git SHAs in the same place.
    return (
        any(c.islower() for c in value)
        and any(c.isupper() for c in value)
        and (any(c.isdigit() for c in value) or "/" in value or "+" in value)
        and shannon_entropy(value) >= 3.5
    )


#: A bare AWS secret is one only with a key id at most this many characters before or after
#: it: a stream holds such a run until the characters after it have arrived
#: (``policies.holdback.aws_secret_run``).
AWS_KEY_ID_AFTER_CHARS = 200


def _aws_secret_near_key_id(value: str, match: re.Match[str], text: str) -> bool:
    if not _aws_secret(value, match, text):
        return False
    start, end = match.span()
    reach = AWS_KEY_ID_AFTER_CHARS
    return _AWS_KEY_ID.search(text, max(0, start - reach), min(len(text), end + reach)) is not None


def provider_key_rules() -> tuple[SecretRule, ...]:
    """The rules for provider keys, most specific first."""
    rule = SecretRule
    return (
        rule(
            E.ANTHROPIC_API_KEY,
            re.compile(_L + r"sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,256}" + _R),
            0.98,
            SPECIFIC,
            ("sk-ant-",),
            distinct(12),
        ),
        # "T3BlbkFJ" is base64 for "OpenAI": every key format since 2023 embeds it.
        rule(
            E.OPENAI_API_KEY,
            re.compile(
                _L + r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{16,256}"
                r"T3BlbkFJ[A-Za-z0-9_-]{16,256}" + _R
            ),
            0.98,
            SPECIFIC,
            ("t3blbkfj",),
        ),
        rule(
            E.OPENAI_API_KEY,
            re.compile(_L + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,256}" + _R),
            0.9,
            SPECIFIC,
            ("sk-",),
            random_looking(3.5),
        ),
        rule(  # legacy user keys: sk- + 48 base62
            E.OPENAI_API_KEY,
            re.compile(_L + r"sk-[A-Za-z0-9]{48}" + _R),
            0.9,
            SPECIFIC,
            ("sk-",),
            random_looking(4.0),
        ),
        rule(  # other OpenAI-compatible providers use sk- + 32 or more random characters
            E.GENERIC_SECRET,
            re.compile(_L + r"sk-[A-Za-z0-9_-]{32,256}" + _R),
            0.75,
            STRUCTURED,
            ("sk-",),
            random_looking(3.5),
        ),
        rule(
            E.AWS_ACCESS_KEY_ID,
            _AWS_KEY_ID,
            0.9,
            SPECIFIC,
            ("akia", "asia", "abia", "acca"),
            distinct(5),
        ),
        rule(
            E.AWS_SECRET_ACCESS_KEY,
            re.compile(
                # "aws" or "access" in the name: a bare SECRET_KEY is Django's or anyone's
                r"(?<![A-Za-z0-9])(?i:aws_?secret(?:_?access)?(?:_?key)?|secret_?access_?key)"
                r"[\"']?[ \t]*"
                r"(?::=|=>|[:=])[ \t]*[\"']?(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
            ),
            0.9,
            SPECIFIC,
            ("secret",),
            _aws_secret,
        ),
        rule(  # e.g. an exported credentials CSV: key id and secret side by side
            E.AWS_SECRET_ACCESS_KEY,
            re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
            0.8,
            SPECIFIC,
            ("akia", "asia", "abia", "acca"),
            _aws_secret_near_key_id,
        ),
        rule(
            E.GITHUB_TOKEN,
            re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
            1.0,
            SPECIFIC,
            ("gh",),
            _github_classic,
        ),
        rule(  # GitHub reserves the right to make tokens longer; those skip the checksum
            E.GITHUB_TOKEN,
            re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{37,251}(?![A-Za-z0-9_])"),
            0.85,
            SPECIFIC,
            ("gh",),
            random_looking(4.0),
        ),
        rule(
            E.GITHUB_TOKEN,
            re.compile(
                r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{20,40}_[A-Za-z0-9]{40,100}(?![A-Za-z0-9_])"
            ),
            0.98,
            SPECIFIC,
            ("github_pat_",),
            random_looking(4.0),
        ),
        rule(
            E.GITLAB_TOKEN,
            re.compile(
                _L + r"(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas|glimt|glagent|glffct)-"
                r"[A-Za-z0-9_-]{20,255}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?" + _R
            ),
            0.95,
            SPECIFIC,
            ("gl",),
            distinct(10),
        ),
        rule(
            E.SLACK_TOKEN,
            re.compile(
                r"(?<![A-Za-z0-9.-])(?:xox[abposre](?:\.xox[bp])?-|xapp-)\d+-[A-Za-z0-9-]{10,255}"
                r"(?![A-Za-z0-9-])"
            ),
            0.95,
            SPECIFIC,
            ("xox", "xapp-"),
            distinct(10),
        ),
        rule(
            E.SLACK_WEBHOOK_URL,
            re.compile(
                r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/"
                r"[A-Z0-9]{6,12}/(?:\d{6,}/)?[A-Za-z0-9]{16,64}(?![A-Za-z0-9])"
            ),
            0.98,
            SPECIFIC,
            ("hooks.slack.com",),
        ),
        rule(
            E.STRIPE_API_KEY,
            re.compile(
                # Stripe's secret keys hold 24 characters after the prefix, or 99 since
                # 2019; an sk_ of a length between is another vendor's key named like
                # Stripe's (Paystack's 40 hex, Clerk's): a generic secret, reported by
                # detectors.secret_vendor_keys
                r"(?<![A-Za-z0-9_])(?:rk_(?:live|test)_[A-Za-z0-9]{20,247}"
                r"|sk_(?:live|test)_(?:[A-Za-z0-9]{20,24}|[A-Za-z0-9]{60,247}))(?![A-Za-z0-9_])"
            ),
            0.95,
            SPECIFIC,
            ("_live_", "_test_"),
            distinct(10),
        ),
        rule(
            E.GOOGLE_API_KEY,
            re.compile(_L + r"AIza[0-9A-Za-z_-]{35}" + _R),
            0.95,
            SPECIFIC,
            ("aiza",),
            distinct(12),
        ),
        rule(
            E.JWT,
            re.compile(
                r"(?<![A-Za-z0-9_.-])e[yw][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*"
                r"(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9_-])"
            ),
            0.95,
            SPECIFIC,
            ("ey", "ew"),
            _jwt,
        ),
    )
