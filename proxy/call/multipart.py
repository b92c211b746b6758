"""Multipart uploads (files, batch input, audio) read for the register and the policy.

``multipart/form-data`` bodies are forwarded byte for byte, but what the provider will read
in them is judged first: text form fields (``model``, ``purpose``, a transcription
``prompt``) and text files (a batch's JSONL, a document upload). :func:`parse_form` turns a
body into a :class:`FormBody` whose :meth:`~FormBody.view` is the JSON-like value the policy
inspects. Binary files (audio, images, PDFs) are listed by name and size only.

A multipart body cannot be rewritten: a policy that would mask something in it (redact,
pseudonymise) blocks the upload instead (:func:`inspect_form`).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from core.inspection import CallInfo, PolicyBlocked, RequestInspection, RequestInspector
from proxy.errors import BadRequest

#: How much of a file part is sniffed to tell text from binary data.
_SNIFF_BYTES = 4096
_TEXT_TYPES = ("text/", "application/json", "application/jsonl", "application/x-ndjson")


@dataclass(frozen=True, slots=True)
class FormFile:
    """One file part: its field and file name, and its text when it is a text file."""

    field: str
    filename: str
    content_type: str
    size_bytes: int
    #: The decoded text of a text file; ``None`` for binary data.
    text: str | None


@dataclass(frozen=True, slots=True)
class FormBody:
    """A parsed ``multipart/form-data`` body."""

    fields: dict[str, str]
    files: tuple[FormFile, ...]

    def get(self, name: str) -> str | None:
        """A text field's value (the last one, as most servers read repeated fields)."""
        return self.fields.get(name)

    def view(self) -> dict[str, Any]:
        """The value the policy inspects: text fields, and each file's name and text."""
        view: dict[str, Any] = dict(self.fields)
        view["files"] = [
            {"filename": f.filename, "content": f.text}
            for f in self.files
            if f.text is not None or f.filename
        ]
        return view


def _is_text(part: Message, payload: bytes) -> bool:
    content_type = part.get_content_type()
    if content_type.startswith(_TEXT_TYPES):
        return True
    head = payload[:_SNIFF_BYTES]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a multi-byte character.
        if exc.start < len(head) - 3 or exc.reason != "unexpected end of data":
            return False
    return b"\x00" not in head


def parse_form(content_type: str, raw: bytes) -> FormBody:
    """Parse ``raw`` sent with ``content_type`` (which carries the boundary).

    Raises :class:`BadRequest` when the body is not well-formed multipart data.
    """
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(header + raw)
    if not message.is_multipart() or message.defects:
        raise BadRequest("The multipart request body is malformed.")
    fields: dict[str, str] = {}
    files: list[FormFile] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise BadRequest("A multipart part has no field name.")
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        text = payload.decode("utf-8", "replace") if _is_text(part, payload) else None
        if filename is None and text is not None:
            fields[name] = text
        else:
            files.append(
                FormFile(name, filename or "", part.get_content_type(), len(payload), text)
            )
    return FormBody(fields, tuple(files))


async def inspect_form(
    inspector: RequestInspector, info: CallInfo, body: FormBody, target_model: str
) -> RequestInspection:
    """Inspect a multipart upload, which is forwarded as sent: it cannot be rewritten, so
    a policy that would mask something in it blocks it, and so does a model alias (whose
    upload would name a model other than ``target_model``)."""
    if target_model != info.model:
        raise BadRequest(
            f"Multipart uploads must name the model itself ({target_model!r}), "
            "not an alias: the proxy does not rewrite them.",
            param="model",
        )
    inspection = await inspector.inspect_request(info, body.view())
    if inspection.body is not None:
        verdict = inspection.verdict
        raise PolicyBlocked(
            "The acceptable-use policy would redact part of this upload, and uploads are "
            "forwarded unchanged: remove the flagged content and send it again.",
            verdict,
            {"rules": list(verdict.rules), "entity_types": sorted(verdict.entity_counts)},
            stored_body=inspection.stored_body,
        )
    return inspection
