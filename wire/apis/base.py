"""What most APIs share, so that each API's module states only what is its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from core.apis import ApiFamily
from core.sse import SSEEvent
from wire.apis import render, walk
from wire.apis.deltas import Channel, Delta, Speech, Template, TextRun
from wire.apis.render import Mask
from wire.apis.texts import AttachmentParts, Extracted, Location
from wire.apis.usage import Usage, usage_in
from wire.sdkjson import dumps_like_clients


class JsonApi:
    """Defaults for a :class:`wire.apis.protocol.WireApi`: requests walked deny-by-default
    with the roles of :attr:`request_roles`, usage under ``"usage"``, no stream text,
    stream errors in OpenAI's form (an unnamed event holding the error body), and
    rendering of the fields :attr:`rendered_fields` and :attr:`answer_parts` name.

    Requests use the attachment parts of every registered API (the ``parts`` the registry
    passes), not only :attr:`attachment_parts`, since a body can embed another API's parts.
    """

    api: ClassVar[str]
    paths: ClassVar[tuple[str, ...]]
    family: ClassVar[ApiFamily] = ApiFamily.OPENAI
    streams_text: ClassVar[bool] = False
    #: The role of each top-level request field; any other is "request".
    request_roles: ClassVar[Mapping[str, str]] = {}
    #: Its content part types that are attachments, by the ``type`` they name.
    attachment_parts: ClassVar[AttachmentParts] = {}
    #: Names of :data:`wire.apis.render.REQUEST_FIELDS` its requests hold.
    rendered_fields: ClassVar[tuple[str, ...]] = ()
    #: Names of :data:`wire.apis.render.ANSWER_PARTS` its answers hold.
    answer_parts: ClassVar[tuple[str, ...]] = ()
    #: The types of the stream events that may report usage (``None``: any event).
    usage_types: ClassVar[frozenset[str] | None] = None

    def with_stream_usage(self, body: dict[str, Any]) -> dict[str, Any] | None:
        return None

    def usage_only(self, payload: dict[str, Any]) -> bool:
        return False

    def stream_error(self, error: dict[str, Any]) -> bytes:
        return b"data: " + dumps_like_clients(error) + b"\n\n"

    def extract_request(self, body: dict[str, Any], parts: AttachmentParts) -> Extracted:
        return walk.walk_request(body, self.request_roles, parts)

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        return Extracted()

    def rewrite(self, body: Any, replacements: Mapping[Location, str]) -> Any:
        return walk.rewrite(body, replacements)

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        return []

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        return []

    def deltas_and_closes(self, payload: dict[str, Any]) -> tuple[list[Delta], list[Channel]]:
        return self.deltas(payload), self.closes(payload)

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        return None

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        raise ValueError(f"{self.api} streams carry no text")

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        return False

    def speech(self, payload: dict[str, Any]) -> list[Speech]:
        return []

    def event_usage(self, payload: dict[str, Any]) -> Usage | None:
        return usage_in(payload)

    def body_usage(self, body: dict[str, Any]) -> Usage:
        return usage_in(body) or Usage()

    def render_request(self, body: dict[str, Any], mask: Mask) -> list[str]:
        return render.request_fields(body, self.rendered_fields, mask)

    def render_answer(self, body: dict[str, Any], mask: Mask) -> list[str]:
        return render.answer_parts(body, self.answer_parts, mask)
