"""Credentials laid out by notes and Markdown, found by ``bench/context_grid.py`` (h127).

The grid crossed value shapes with contexts; every shape was missed in the same few layouts:
a name on its own line with the value alone on a line below it after a blank line, under a
Markdown heading in a code block, after an aside ("Password (staging):"), or a name written
as an identifier (``api_key:``); a key told before its name ("X is the API key for
staging"), after an arrow ("API key → X") or after the name as an identifier in a
sentence ("try again, api_key X should work"); and a value in bold was judged with its marks, so
``**changeme**`` passed as a password and ``**X**.`` was reported with them. Each positive
has its exact span; the negatives are the same layouts holding placeholders, sentences,
public keys and ids.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

G, P = E.GENERIC_SECRET, E.PASSWORD

# (text before, secret, text after, entity type): the finding must span exactly the secret.
POSITIVES = [
    # the value after a blank line, or after an aside on the name's line
    ("Password:\n\n", "MgUXVAjaWMV9", "\n", P),
    ("API key (staging, rotated monthly):\n\n", "ucokBjRj63PVV5toAyvR", "\n", G),
    ("pwd (prod):\n", "Kitten59@", "\n", P),
    # under a Markdown heading, in a code block
    ("### Password\n\n```\n", "Rabbit1998$", "\n```\n", P),
    ("## Access token\n\n```text\n", "0af6b69753b0aa1e66d2b373e3e5b210", "\n```\n", G),
    ("**Token:**\n\n", "2edf6404-8d47-48c8-a34d-3cd7cb03adcf", "\n", G),
    # the name as an identifier
    ("api_key:\n", "ISCh0a48MxazOEGI4bDe", "\n", G),
    ("db_password:\n", "Velvet10l37!", "\n", P),
    ("### client-secret\n\n```\n", "dfPviYabbNOnkUi0Putx", "\n```\n", G),
    # in bold before the sentence's full stop: the password, not its marks
    ("The password is **", "Tr0ub4dor&3", "**.", P),
    ("password: **", "Island54@", "**, then log in", P),
    # a key told before its name
    ("", "xLyMF4Xp91Ph7PTDxFrh", " is the API key for the staging box.", G),
    ("ok so ", "c96961f9-e364-444f-ae81-102e56022998", " is our new access token", G),
    ("(", "ca62a4e90d16319c201f677a38f0d362", " was the old secret, revoked)", G),
    # after an arrow, and after the name written as an identifier in prose
    ("API key → ", "ucokBjRj63PVV5toAyvR", "\n", G),
    ("secret -> ", "F9KD12EMPM2B7WYR", "", G),
    ("can you try again, api_key ", "bBVKsm7PtCADdjLO9QKE", " should work now", G),
    ("Use access-token ", "WnTRS2E5vYdbMR6YnY0ftKVvS5QHbjKO", ", then restart the service.", G),
    ("staging api_key - ", "0Nc80bcwg1nRutEIDI8j", "\n", G),
]  # fmt: skip

NEGATIVES = [
    # placeholders, calls and prose where the value would stand
    "Password:\n\n${DB_PASSWORD}\n",
    "### API key\n\n```\n<your-api-key>\n```\n",
    "### Password\n\nRequirements\n",
    "API key (optional):\n\nsee the settings page\n",
    "api_key:\n\ngetApiKey()\n",
    # keys that are public or an index's, ids under other names
    "public_key:\nISCh0a48MxazOEGI4bDe\n",
    "cache_key:\n\n0af6b69753b0aa1e66d2b373e3e5b210\n",
    "### Commit\n\n```\n9fceb02d0ae598e95dc970b74767f19372d61af8\n```\n",
    "Request id (staging):\n\n2edf6404-8d47-48c8-a34d-3cd7cb03adcf\n",
    # a placeholder in bold is still a placeholder
    "The Password is **changeme**\n",
    "The pwd is **${DB_PASSWORD}**\n",
    # told first, but named as no credential's
    "9fceb02d0ae598e95dc970b74767f19372d61af8 is the commit that broke it",
    "node-modules-044bfceea6df2de9e3da55d063db87c7008fd5d7be3247a4 is the cache key",
    "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6 is the key",
    "KeyError2HandlerFactory is the token class we use",
    "X-Request-Signature-256 is the secret header to check",
    "b7JnlGXyetm68yGjC3Tf is the token type for refresh grants",
    # arrows and identifiers in code and maps
    "for key -> value in pairs: print(key)",
    "api_key -> ApiKeyRepository2Factory",
    "cache key -> 044bfceea6df2de9e3da55d063db87c7008fd5d7be3247a4",
    "public_key → MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
    "api-key → <your-api-key>",
    "cache_key - 044bfceea6df2de9e3da55d063db87c7008fd5d7be3247a4\n",
]  # fmt: skip


@pytest.mark.parametrize(("before", "secret", "after", "entity_type"), POSITIVES)
def test_credentials_laid_out_by_notes_are_found_with_exact_spans(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str, entity_type: str
) -> None:
    """A value below its name's line is reported, spanning exactly the value."""
    assert (entity_type, secret) in spans(secrets_detector, before + secret + after)


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_in_the_same_layouts_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A placeholder, a sentence, a public key or an id in these layouts is no secret."""
    assert spans(secrets_detector, text) == []
