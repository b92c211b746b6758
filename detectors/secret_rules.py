"""The table of secret rules, in the order they are tried.

Precise patterns with checks (checksums, JWT structure, entropy, placeholder filters) come
first (:mod:`detectors.provider_keys`), then passwords in URLs and client command lines
(:mod:`detectors.connection_secrets`); context rules (``password=``, ``api_key: ...``,
:mod:`detectors.assigned_secrets`; header names and values in calls, URL parameters,
cookies, prose, :mod:`detectors.token_contexts`) only fire on values that look like real
credentials.
When findings overlap, the higher ``priority`` wins (a provider key inside
``api_key = "..."`` is reported as that provider's key, not as a generic secret).
"""

from __future__ import annotations

import re

from detectors.account_pairs import account_pair_rules
from detectors.asked_passwords import asked_password_rules
from detectors.assigned_secrets import assigned_secret_rules
from detectors.connection_secrets import connection_rules
from detectors.credential_labels import load_labels
from detectors.credential_phrases import load_tech_words
from detectors.device_secrets import device_secret_rules
from detectors.letter_keys import random_letters
from detectors.native_config_keys import native_config_key_rules
from detectors.native_keys import native_key_rules
from detectors.native_passwords import native_password_rules
from detectors.office_codes import office_code_rules
from detectors.password_commands import command_value
from detectors.password_prose import looks_like_password
from detectors.printed_secrets import printed_secret_rules
from detectors.provider_keys import provider_key_rules
from detectors.secret_kinds import secret_kind_rules
from detectors.secret_places import secret_place_rules
from detectors.secret_rule import SecretRule
from detectors.secret_values import (
    all_of,
    either,
    has_digit,
    is_scattered,
    min_length,
    random_looking,
)
from detectors.secret_vendor_keys import vendor_key_rules
from detectors.settings import SecretsSettings
from detectors.spoken_credentials import spoken_credential_rules
from detectors.token_contexts import token_context_rules


def build_rules(
    settings: SecretsSettings,
    prose_words: frozenset[str] = frozenset(),
    english_words: frozenset[str] = frozenset(),
) -> tuple[SecretRule, ...]:
    """The secret rules, with the generic thresholds taken from ``settings``; the word lists
    of :mod:`detectors.credential_phrases` tell a password from a word where only the
    value's place says what it is."""
    generic = all_of(
        min_length(settings.generic_min_length),
        random_looking(settings.generic_min_entropy),
        either(has_digit, _random_letters),
    )
    return (
        *provider_key_rules(),
        *vendor_key_rules(),
        *connection_rules(),
        *assigned_secret_rules(generic),
        *device_secret_rules(generic),
        *token_context_rules(generic, prose_words, english_words),
        *printed_secret_rules(generic, prose_words, english_words),
        *secret_place_rules(
            generic,
            command_value(prose_words),
            looks_like_password(prose_words | english_words),
        ),
        *office_code_rules(looks_like_password(prose_words | english_words), english_words),
        *secret_kind_rules(),
        *account_pair_rules(),
        *native_config_key_rules(generic),
        *asked_password_rules(load_labels(), prose_words | english_words | load_tech_words()),
        *native_password_rules(prose_words | english_words),
        *native_key_rules(generic),
        *spoken_credential_rules(),
    )


_MIN_LETTERS_TOKEN = 20


def _random_letters(value: str, match: re.Match[str], text: str) -> bool:
    """A token of letters alone, as some services issue them ("rSYFYWkAwUCpxsGScdGWlYnM"):
    20 characters or more whose case changes at least every third letter. A name in code
    ("AuthTokenService", "CancellationTokenSource") changes case once per word."""
    return (len(value) >= _MIN_LETTERS_TOKEN and is_scattered(value)) or random_letters(value)
