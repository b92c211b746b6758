"""Values in a credential's place that are public: the *identifier* of a key, a secret or an
account, which the vendor shows in dashboards, URLs and logs, and which grants nothing alone.

* Twilio's resource ids (SIDs): two capitals that name the resource, then 32 hex digits.
  ``AC…`` is the account, ``SK…`` an API key's id (its secret is a separate value with no
  prefix), ``AP``, ``MG``, ``PN``, ``VA`` applications, messaging services, numbers and
  Verify services. Twilio's own names call the id a key (``TWILIO_API_KEY=SK…`` beside
  ``TWILIO_API_SECRET=``), so a name around the value does not make it a secret.
* Cloudinary's ``api_key`` beside its ``cloud_name``: Cloudinary's configuration, where the
  key is sent from browsers with every signed upload and the ``api_secret`` is the secret.

A security team reads a finding on these as noise: rotating them changes nothing, and the
secret that matters (the SID's auth token, the ``api_secret``) is reported on its own.
Wherever a key word names the value itself a secret it stays one: ``client_secret: <uuid>``.
"""

from __future__ import annotations

import re

# Twilio's SIDs: the documented prefixes of the resources a configuration names.
_TWILIO_SID = re.compile(r"(?:AC|SK|AP|MG|PN|VA)[0-9a-f]{32}")
# The key right before a value: "api_key": "X", api_key=X, CLOUDINARY_API_KEY: X.
_API_KEY_BEFORE = re.compile(r"(?i)api[_-]?key[\"']?[ \t]*[:=][ \t]*[\"']?\Z")
_CLOUD_NAME = re.compile(r"(?i)cloud_?name|cloudinary")
_NEAR = 300  # characters either side: one configuration block


def is_public_id(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, found in a credential's place, is a public identifier
    (see the module's docstring)."""
    if _TWILIO_SID.fullmatch(text, start, end) is not None:
        return True
    if _API_KEY_BEFORE.search(text[max(0, start - 40) : start]) is None:
        return False
    near = text[max(0, start - _NEAR) : end + _NEAR]
    return _CLOUD_NAME.search(near) is not None
