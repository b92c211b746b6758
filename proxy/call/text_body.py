"""Pass-through bodies of text: prose (``text/plain``) and URL-encoded form fields.

d2f354c read a pass-through body that is JSON or multipart whatever its Content-Type says;
a body of plain text, JSON lines or form fields (``curl -d 'prompt=…'``) still reached the
provider unread (h137). Such a body is now read under the policy like a JSON one: prose as
one text, a form as its fields, each the text ``name=value`` (a label read with its value,
as in a prompt). A policy that masks something forwards the body masked (re-encoded in its
charset; a form re-encoded as ``application/x-www-form-urlencoded`` writes it); one that
blocks refuses the call.

What is not text stays opaque and is forwarded as sent, unread: a body declared as another
type (``image/png``, ``application/pdf``, ``audio/*``), or bytes that do not decode in the
declared charset (UTF-8 when none) or hold a NUL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

#: Declared types whose bodies are text (besides ``text/*``).
_TEXT_TYPES = frozenset(
    {
        "application/jsonl",
        "application/x-ndjson",
        "application/ndjson",
        "application/xml",
        "application/yaml",
        "application/x-yaml",
        "application/graphql",
    }
)
FORM = "application/x-www-form-urlencoded"
#: What aiohttp reports for a body sent with no Content-Type: read when its bytes are text.
_UNDECLARED = "application/octet-stream"
_TEXT, _FIELDS = "text", "form"


@dataclass(frozen=True, slots=True)
class TextBody:
    """A pass-through body of text: prose, or a form's fields."""

    text: str
    charset: str
    #: A form's fields, decoded; None for prose.
    fields: tuple[tuple[str, str], ...] | None = None

    def view(self) -> dict[str, Any]:
        """What the policy inspects: the prose, or each field as ``name=value``."""
        if self.fields is None:
            return {_TEXT: self.text}
        return {_FIELDS: [f"{name}={value}" for name, value in self.fields]}

    def encoded(self, judged: Any | None) -> bytes | None:
        """The body to forward when the policy rewrote the view to ``judged``; None when it
        left the body alone (forwarded as sent)."""
        if not isinstance(judged, dict):
            return None
        if self.fields is None:
            text = judged.get(_TEXT)
            return _encode(text, self.charset) if isinstance(text, str) else None
        fields = _fields_of(self.fields, judged.get(_FIELDS))
        try:
            form = urlencode(fields, encoding=self.charset, errors="replace")
        except (UnicodeError, LookupError):  # see _encode
            form = urlencode(fields, errors="replace")
        return form.encode("ascii")


def _encode(text: str, charset: str) -> bytes:
    """``text`` in ``charset``; in UTF-8 where that codec refuses it whatever the error
    handler (``idna`` does) or is no text codec (``base64``): no provider reads such text."""
    try:
        return text.encode(charset, "replace")
    except (UnicodeError, LookupError):
        return text.encode("utf-8", "replace")


def _fields_of(fields: tuple[tuple[str, str], ...], texts: Any) -> list[tuple[str, str]]:
    """The fields as the masked ``texts`` hold them; a field whose name was masked is
    dropped (its name would no longer name anything the provider reads)."""
    if not isinstance(texts, list) or len(texts) != len(fields):
        return list(fields)
    out: list[tuple[str, str]] = []
    for (name, _), text in zip(fields, texts, strict=True):
        prefix = f"{name}="
        if isinstance(text, str) and text.startswith(prefix):
            out.append((name, text[len(prefix) :]))
    return out


def text_body(content_type: str, charset: str | None, raw: bytes) -> TextBody | None:
    """``raw`` read as text when it is text (see the module's docstring); None when opaque."""
    declared = content_type.startswith("text/") or content_type in _TEXT_TYPES
    if not (declared or content_type in (FORM, _UNDECLARED)):
        return None
    encoding = charset or "utf-8"
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if "\x00" in text:
        return None
    if content_type == FORM:
        fields = parse_qsl(text, keep_blank_values=True, encoding=encoding, errors="replace")
        return TextBody(text, encoding, tuple(fields))
    return TextBody(text, encoding)
