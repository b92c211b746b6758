"""Text and attachments in request and response bodies, with stable locations.

The policies' view of :mod:`wire.apis`: each API's module knows where its bodies hold text
(see :mod:`wire.apis.walk` for the deny-by-default reading of requests, and
:mod:`wire.apis.texts` for locations); this module reads a body through the format of its
API and puts rewritten texts back with :func:`rewrite`.
"""

from __future__ import annotations

from typing import Any

from wire.apis.registry import WIRE_APIS
from wire.apis.texts import (
    Attachment,
    AttachmentKind,
    Extracted,
    Location,
    Step,
    TextPart,
    base64_size,
)
from wire.apis.walk import (
    FREE_FORM_FIELDS,
    NAMED_ENTRIES,
    NO_FREE_TEXT_FIELDS,
    SCHEMA_WORDS,
    carries_no_free_text,
    rewrite,
)

__all__ = [
    "FREE_FORM_FIELDS",
    "NAMED_ENTRIES",
    "NO_FREE_TEXT_FIELDS",
    "SCHEMA_WORDS",
    "Attachment",
    "AttachmentKind",
    "Extracted",
    "Location",
    "Step",
    "TextPart",
    "base64_size",
    "carries_no_free_text",
    "extract_request",
    "extract_response",
    "rewrite",
]


def extract_request(api: str, body: Any) -> Extracted:
    """The texts and attachments of a request body sent to ``api`` (see
    :meth:`wire.apis.registry.WireRegistry.extract_request`)."""
    return WIRE_APIS.extract_request(api, body)


def extract_response(api: str, body: Any) -> Extracted:
    """The texts of a (non-streamed) answer from ``api``."""
    return WIRE_APIS.extract_response(api, body)
