"""Values in a credential's place that are public: the *identifier* of a key, a secret or an
account, which the vendor shows in dashboards, URLs and logs, and which grants nothing alone.

* Twilio's resource ids (SIDs): two capitals that name the resource, then 32 hex digits.
  ``AC…`` is the account, ``SK…`` an API key's id (its secret is a separate value with no
  prefix), ``AP``, ``MG``, ``PN``, ``VA`` applications, messaging services, numbers and
  Verify services. Twilio's own names call the id a key (``TWILIO_API_KEY=SK…`` beside
  ``TWILIO_API_SECRET=``), so a name around the value does not make it a secret.
* Cloudinary's ``api_key`` beside its ``cloud_name``: Cloudinary's configuration, where the
  key is sent from browsers with every signed upload and the ``api_secret`` is the secret.
  Shopify's ``api_key`` likewise, after a word naming Shopify: Shopify documents it as the
  app's client id, shown in the Partner dashboard and sent in OAuth URLs; its
  ``api_secret_key`` (``shpss_``) is the secret. A Shopify token (``shpat_``, ``shpss_``…)
  under that name stays a secret.

* Keys and ids whose vendor documents them as public by their shape: publishable and
  client-side keys (PostHog's project key ``phc_``, Mapbox's public token ``pk.eyJ``, Lob's
  ``live_pub_``, Toss Payments' client keys ``live_ck_``/``live_gck_``), the access key
  *ids* that go beside a secret (Alibaba's ``LTAI…``, Scaleway's ``SCW…``, Tencent Cloud's
  SecretId ``AKID…``, which Tencent's docs call the caller's identifier beside the SecretKey
  that signs, Razorpay's
  ``rzp_live_…``, Duo's integration key ``DI`` + 18 capitals and digits, which Duo's docs
  call an identifier beside the secret key), and a Supabase project's ``anon`` key (a JWT
  whose role is ``anon``, shipped to browsers; its ``service_role`` key stays a secret).
* A generic value its label calls public, as a class: a search-only, publishable,
  client-side or anon key, a client key or token, a project token (Mixpanel's, which
  Mixpanel documents as not secret: ``MIXPANEL_TOKEN = "…"``), a key's id (``Key id
  for the read-only key is …``), and a *name* of a secret where a value could have gone
  (Helm's ``apiKeyExistingSecret: datadog-keys``, ``secretName:``). An integration key is
  no such label: vendors other than Duo call their secrets so (Duo's own id is known by
  its shape).
* An Algolia key sent as the ``x-algolia-api-key`` parameter of a search URL
  (``/1/indexes/<index>/query?…``): the query string is how Algolia's browser client sends
  its key, and a browser holds the search-only key; a key in any other URL stays a secret.

Labels and URLs are read only before the value, so a stream decides as the whole text does.

A security team reads a finding on these as noise: rotating them changes nothing, and the
secret that matters (the SID's auth token, the ``api_secret``) is reported on its own.
Wherever a key word names the value itself a secret it stays one: ``client_secret: <uuid>``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from detectors import entities as E

# Twilio's SIDs: the documented prefixes of the resources a configuration names.
_TWILIO_SID = re.compile(r"(?:AC|SK|AP|MG|PN|VA)[0-9a-f]{32}")
# The key right before a value: "api_key": "X", api_key=X, CLOUDINARY_API_KEY: X.
_API_KEY_BEFORE = re.compile(r"(?i)api[_-]?key[\"']?[ \t]*[:=][ \t]*[\"']?\Z")
_CLOUD_NAME = re.compile(r"(?i)cloud_?name|cloudinary")
_SHOPIFY = re.compile(r"(?i)shopify")
# A Shopify token of its own format (an access token, the app's secret): never an id.
_SHOPIFY_TOKEN = re.compile(r"shp[a-z]{2,4}_")
_NEAR = 300  # characters either side: one configuration block
# Values public by their documented shape (see the module's docstring).
_PUBLIC_SHAPE = re.compile(
    r"phc_[A-Za-z0-9]{43}"  # PostHog project API key
    r"|pk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"  # Mapbox public token
    r"|(?:live|test)_pub_[a-f0-9]{24,40}"  # Lob publishable key
    r"|(?:live|test)_g?ck_[A-Za-z0-9]{20,32}"  # Toss Payments client keys
    r"|LTAI[A-Za-z0-9]{12,20}"  # Alibaba Cloud AccessKey id
    r"|SCW[A-Z0-9]{17}"  # Scaleway access key id
    r"|AKID[A-Za-z0-9]{32}"  # Tencent Cloud SecretId
    r"|rzp_(?:live|test)_[A-Za-z0-9]{14}"  # Razorpay key id
    r"|DI[A-Z0-9]{18}"  # Duo integration key (ikey)
)
# A label calling the value after it public, an id, or a secret's name: the label, then up
# to 40 characters with no stop, comma, assignment, conjunction or secret word (" for the
# Drop-in is "), then the value. "key id k-42 and the key is X" and "key_id=76 key=X" are
# the key's, not the id's.
_PUBLIC_LABEL = re.compile(
    r"(?i)(?:(?<![a-z])(?:search[ _-]?only(?:[ _-]api)?[ _-]?key|publishable[ _-]?key"
    r"|client[ _-]?(?:side[ _-])?(?:api[ _-]?)?(?:key|token)|anon(?:ymous)?[ _-]?key"
    r"|project[ _-]token|mixpanel[ _-]?(?:project[ _-]?)?token|(?:access[ _-]?)?key[ _-]?id)"
    r"|existing[ _-]?secret|secret[ _-]?name|secret[ _-]?ref)"  # apiKeyExistingSecret
    r"(?![a-z])(?P<between>[^\n.;,!?=:]{0,40}?)[ \t\"'`:=>→-]*\Z"
)
# The search URL of an Algolia index up to its key parameter: "/1/indexes/products/query?
# x-algolia-application-id=A9CV&x-algolia-api-key=" (one URL: no blank, no quote).
_ALGOLIA_SEARCH_KEY = re.compile(
    r"(?i)/1/indexes/[^\s\"'/?]+/(?:query|queries)\?[^\s\"'#]*[?&]x-algolia-api-key=\Z"
)
_SECRET_WORD = re.compile(r"(?i)secret|token|pass|pwd|\b(?:and|but|while|or)\b")
_LABEL_REACH = 80  # characters before the value: the label and its between
_URL_REACH = 300  # characters before an Algolia key: its search URL


def _anon_jwt(value: str) -> bool:
    """True for a JWT whose claims give it the role ``anon`` (Supabase's public key)."""
    parts = value.split(".")
    if len(parts) != 3 or not value.startswith("eyJ") or '"' in value:
        return False
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):
        return False
    return isinstance(claims, dict) and claims.get("role") == "anon"


def _labelled_public(text: str, start: int) -> bool:
    """Whether the words right before ``start`` call the value public, an id or a name."""
    label = _PUBLIC_LABEL.search(text, max(0, start - _LABEL_REACH), start)
    return label is not None and _SECRET_WORD.search(label["between"]) is None


def is_public_value(text: str, start: int, end: int, entity_type: str) -> bool:
    """Whether ``text[start:end]``, found as ``entity_type``, is public: an id, a public key
    by its shape or its label, or a secret's name (see the module's docstring). A label
    quiets a generic finding only: a provider's key stays its key whatever it is called."""
    if is_public_id(text, start, end):
        return True
    if _PUBLIC_SHAPE.fullmatch(text, start, end) is not None:
        return True
    if entity_type == E.JWT:
        return _anon_jwt(text[start:end])
    return entity_type == E.GENERIC_SECRET and (
        _labelled_public(text, start)
        or _ALGOLIA_SEARCH_KEY.search(text, max(0, start - _URL_REACH), start) is not None
    )


def has_public_shape(value: str) -> bool:
    """Whether ``value`` is a key or an id public by its vendor's documented shape (a Twilio
    SID, ``rzp_live_…``, ``LTAI…``, ``AKID…``, ``phc_…``: see the module's docstring)."""
    return _TWILIO_SID.fullmatch(value) is not None or _PUBLIC_SHAPE.fullmatch(value) is not None


def is_public_id(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, found in a credential's place, is a public identifier
    (see the module's docstring)."""
    if _TWILIO_SID.fullmatch(text, start, end) is not None:
        return True
    if _API_KEY_BEFORE.search(text[max(0, start - 40) : start]) is None:
        return False
    near = text[max(0, start - _NEAR) : end + _NEAR]
    if _CLOUD_NAME.search(near) is not None:
        return True
    before = text[max(0, start - _NEAR) : start]  # a stream has read it when the value ends
    return _SHOPIFY.search(before) is not None and _SHOPIFY_TOKEN.match(text, start) is None
