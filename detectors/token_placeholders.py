"""A vendor's token prefix followed by filler: a documentation placeholder, not a secret.

Docs, READMEs and ``.env.example`` files show where a key goes by writing the vendor's
prefix and then filler: ``HEROKU_API_KEY=HRKU-AAxxxx...``, ``OPENAI_API_KEY=sk-proj-...``,
``SLACK_BOT_TOKEN=xoxb-XXXX-XXXX``, ``api_key = "sk-<your key>"``,
``STRIPE_KEY=sk_live_your_key_here``. The whole value is no placeholder to
:func:`~detectors.secret_values.is_placeholder` (it starts with real token characters), so a
rule that trusts the key's name ("api_key = X") reported it, while the same value after a
neutral ``value:`` stayed quiet (the vendor-format rules want a random tail).

Here a value is seen through a known prefix: a provider's (:mod:`detectors.provider_keys`)
or a vendor's (:mod:`detectors.secret_vendor_keys`), and what follows it is judged alone. No
issued token is a prefix and then only ``x``, ``*``, ``0``, an ellipsis or a bracketed name.
"""

from __future__ import annotations

import re

from detectors.secret_values import is_placeholder
from detectors.secret_vendor_keys import VENDOR_PREFIXES

# The prefixes of detectors/provider_keys.py's formats, written out: there they are parts
# of patterns. Longer ones are listed for the shorter's sake too ("sk-proj-" as well as
# "sk-"): every prefix the value starts with is tried. Also the fixed starts of tokens whose
# rules match more than a prefix: JWTs ("eyJ"), Atlassian's "ATATT3xFfGF0", Octopus "API-",
# Netlify "nfp_", Vault's legacy "s.".
_PROVIDER_PREFIXES = (
    "sk-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-", "sk-ant-", "sk-ant-api03-",
    "sk-ant-admin01-", "sk-ant-oat01-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "glcbt-", "gloas-", "glimt-",
    "glagent-", "glffct-", "xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-",
    "xapp-", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "AIza", "AKIA", "ASIA",
    "eyJ", "ATATT3xFfGF0", "API-", "nfp_", "s.",
)  # fmt: skip
# Literal parts found inside a token, after a lead of its own: Terraform Cloud's
# "<id>.atlasv1.", Entra ID's "<3 characters and a digit>Q~", New Relic's "<hex>NRAL"
# (which ends a license key: filler after it is no key), Telegram's "<bot id>:AA".
_INNER = r"[A-Za-z0-9]{1,40}(?:\.atlasv1\.|Q~|NRAL|:AA)"

# The prefix, longest first so the regex tries "sk-proj-" before "sk-", then up to two
# words a format adds after it, each closed by a separator ("pat-" "na1-", "lsv2_" "pt_",
# "dp." "st.", "access-" "production-"), then filler to the value's end. Filler: runs of
# "x", "X", "*", "0" or "•" (groups joined by "-", "_" or "."), an ellipsis, or a name in
# brackets, whose closing bracket may be missing where a blank cut the value
# ("sk-<your key>" -> "sk-<your").
_FILLER = r"(?:[xX]+|\*+|0+|•+|\.{3}|…)"
_PREFIXES = frozenset((*_PROVIDER_PREFIXES, *VENDOR_PREFIXES))
_PREFIX = (
    "(?:"
    + "|".join(re.escape(p) for p in sorted(_PREFIXES, key=len, reverse=True))
    + "|"
    + _INNER
    + ")"
)
_SEEN_THROUGH = re.compile(
    _PREFIX
    + r"(?:[A-Za-z0-9]{1,12}[-_.$]){0,2}(?P<rest>"
    + _FILLER
    + r"(?:[-_.]?"
    + _FILLER
    + r")*[-_.]?|<[^<>]*>?|\{[^{}]*\}?|\[[^\[\]]*\]?|)"
)
# A placeholder's words after the prefix: "sk_live_your_key_here".
_WORDS_AFTER = re.compile(_PREFIX + r"(?P<rest>.+)")
_MIN_FILLER = 3  # "sk-x" is too little to say; "sk-...", "HRKU-AAxxx" say it
_ELLIPSIS = "…"
_MIN_BARE_PREFIX = 4  # "sk-" alone may be a word's end; "dop_v1_", "pypi-AgEI..." are not


def is_prefixed_placeholder(value: str) -> bool:
    """True for a known token prefix followed only by filler (``HRKU-AAxxxx``,
    ``sk-proj-...``, ``xoxb-XXXX-XXXX``, ``npm_0000...``, ``sk-<your key>``) or, after a
    prefix ending in "-", "_" or ".", by a placeholder's words (``sk_live_your_key_here``)."""
    match = _SEEN_THROUGH.fullmatch(value)
    if match is not None:
        rest = match["rest"]
        if not rest:  # the prefix alone, its token cut away ("pypi-AgEIcHlwaS5vcmc****")
            return value in _PREFIXES and len(value) >= _MIN_BARE_PREFIX
        return len(rest) >= _MIN_FILLER or rest == _ELLIPSIS
    words = _WORDS_AFTER.fullmatch(value)
    # words only after a prefix that ends as a word does ("sk_live_"): after "SK" or "AKIA"
    # they are the value's own letters ("SKtest" is somebody's password)
    return (
        words is not None
        and value[: words.start("rest")].endswith(("-", "_", "."))
        and is_placeholder(words["rest"])
    )
