"""Keys handed to an SDK's client as bare string arguments, with no name beside them.

Vendors' quick-starts build their client with the credentials as positional arguments, and
people paste those lines as they are:

* a client's constructor or initializer: ``new MessageBirdServiceImpl("X")``,
  ``twilio.rest.Client("AC…", "X")``, ``Algolia.initialize("APP_ID", "X")``,
  ``DefaultSearchClient.create("APP_ID", "X")``, ``plivo.NewClient("MA…", "X", &opts)``,
  ``razorpay.Client(auth=("rzp_live_…", "X"))``: its only string argument, or the last of
  a run of string arguments (the first of a pair is the account's id, the secret comes
  after it: Twilio's SID, Algolia's application id, Razorpay's key id);
* a setter named for the key: ``$mollie->setApiKey("X")``, ``client.set_access_token("X")``,
  ``builder.withApiKey("X")``.

The value must look random as a key does (the generic check, and character classes that
change like a random string's): a client built with a region, a host, a URL or a project's
name stays quiet, and an id beside the key is dropped as public
(:mod:`detectors.public_ids`). What decides is read up to the value's closing quote and the
bracket right after it, all inside the token a stream holds back while it is unfinished.
"""

from __future__ import annotations

import re

from detectors import entities as E
from detectors.letter_keys import random_letters
from detectors.secret_rule import CONTEXTUAL, AnchoredPattern, Check, SecretRule
from detectors.secret_values import all_of, is_scattered
from detectors.secret_vendor_keys import VENDOR_PREFIXES

_VALUE_CHARS = r"[A-Za-z0-9_.+/=:-]{16,256}"
_ARG = r"(?:\"[^\"\n]{0,256}\"|'[^'\n]{0,256}')"


def _value(suffix: str = "") -> str:
    return rf"(?:\"(?P<dq{suffix}>{_VALUE_CHARS})\"|'(?P<sq{suffix}>{_VALUE_CHARS})')"


# A client's class (or its factory) or an SDK's initializer, lowercased: the anchor is the
# end of its name and the opening bracket.
_CALL_ANCHOR = (
    r"(?:client|service|sdk)(?:impl)?(?:(?:\.|::)(?:create|new))?[ \t]*\("
    r"|(?<=[.:])(?:initialize|init|configure)[ \t]*\("
)
_CALLEE = (
    r"(?i:[\w$]*?(?:client|service|sdk)(?:impl)?(?:(?:\.|::)(?:create|new))?"
    r"|(?<=[.:])(?:initialize|init|configure))"
)
_CALL = AnchoredPattern.build(
    _CALL_ANCHOR,
    _CALLEE + r"[ \t]*\([ \t]*(?:auth[ \t]*=[ \t]*\(?[ \t]*)?"
    r"(?:" + _value() + r"[ \t]*\)"
    r"|" + _ARG + r"(?:[ \t]*,[ \t]*" + _ARG + r")*[ \t]*,[ \t]*" + _value("2") + r")",
    0,
    40,
)
# setApiKey("X"), set_access_token("X"), withApiKey("X"), SetToken("X")
_SETTER = AnchoredPattern.build(
    r"(?:set|with)_?[a-z_]{0,12}(?:key|token|secret)[ \t]*\(",
    r"(?<![\w$])(?i:(?:set|with)_?(?:(?:api|access|auth|secret|private|bearer|app|client"
    r"|license|account)_?)?(?:key|token|secret))[ \t]*\([ \t]*" + _value(),
    0,
    0,
)


def _key_like(value: str, match: re.Match[str], text: str) -> bool:
    """A key's value, not a URL, a path or a name: classes change as in a random string.
    A value opening with a vendor's prefix is judged by that vendor's format alone (a
    token cut short is no token: :mod:`detectors.secret_vendor_keys`)."""
    return (
        "//" not in value
        and not value.startswith(VENDOR_PREFIXES)
        and (is_scattered(value) or random_letters(value))
    )


def client_argument_rules(generic: Check) -> tuple[SecretRule, ...]:
    """The rules of this module; ``generic`` is the secrets detector's generic check."""
    check = all_of(generic, _key_like)
    return (
        SecretRule(
            E.GENERIC_SECRET,
            _CALL,
            0.75,
            CONTEXTUAL,
            ("client", "service", "sdk", "initialize(", "init(", "configure("),
            check,
        ),
        SecretRule(E.GENERIC_SECRET, _SETTER, 0.8, CONTEXTUAL, ("set", "with"), check),
    )
