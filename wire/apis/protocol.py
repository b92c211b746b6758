"""The one extension point for an API's wire format: :class:`WireApi`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from core.apis import ApiFamily
from core.sse import SSEEvent
from wire.apis.deltas import Channel, Delta, Speech, Template, TextRun
from wire.apis.render import Mask
from wire.apis.texts import AttachmentParts, Extracted, Location
from wire.apis.usage import Usage


class WireApi(Protocol):
    """Everything the proxy and the policies know of one API's JSON bodies and streams.

    Bodies and stream payloads are untrusted provider or caller JSON: every method accepts
    any field of any type without raising, and reads only what it needs, so new provider
    fields pass through untouched. Stream payloads are decoded once by the SSE parser and
    shared: methods read them and change them only where the contract says so.
    """

    @property
    def api(self) -> str:
        """The API's name: a :class:`core.apis.Api` constant, or a new API's own name (the
        registry declares it as an :class:`~core.apis.Api` of :attr:`family`). It is what
        the event log and the metrics record for its calls."""
        ...

    @property
    def family(self) -> ApiFamily:
        """The provider family, which picks the default upstream for unlisted models."""
        ...

    @property
    def paths(self) -> tuple[str, ...]:
        """The canonical endpoints it serves; paths below them belong to its family."""
        ...

    def with_stream_usage(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """A copy of the streamed request ``body`` asking the stream to end with usage
        (OpenAI's ``stream_options.include_usage``); ``None`` when its streams cannot be
        asked or ``body`` asks already. The proxy then drops the usage-only event."""
        ...

    def usage_only(self, payload: dict[str, Any]) -> bool:
        """Whether a stream event carries only the usage :meth:`with_stream_usage` asked for
        (then the proxy keeps it from the caller who did not ask)."""
        ...

    def stream_error(self, error: dict[str, Any]) -> bytes:
        """The SSE event that ends a started stream with ``error`` (an OpenAI error body),
        in the form its SDKs raise on."""
        ...

    @property
    def streams_text(self) -> bool:
        """Whether its streams carry text (then output inspection reads them)."""
        ...

    @property
    def attachment_parts(self) -> AttachmentParts:
        """Its content part types that are attachments (images, audio, files)."""
        ...

    def extract_request(self, body: dict[str, Any], parts: AttachmentParts) -> Extracted:
        """Every text and attachment of a request body (deny by default, see
        :mod:`wire.apis.walk`); ``parts`` are every registered API's attachment parts."""
        ...

    def extract_response(self, body: dict[str, Any]) -> Extracted:
        """The texts the answer relays: its text, refusals, tool calls and reasoning."""
        ...

    def rewrite(self, body: Any, replacements: Mapping[Location, str]) -> Any:
        """A copy of ``body`` with the text at each extracted location replaced."""
        ...

    def deltas(self, payload: dict[str, Any]) -> list[Delta]:
        """The non-empty text deltas of one decoded stream event."""
        ...

    def closes(self, payload: dict[str, Any]) -> list[Channel]:
        """Channel prefixes this event ends (``()`` ends every channel)."""
        ...

    def deltas_and_closes(self, payload: dict[str, Any]) -> tuple[list[Delta], list[Channel]]:
        """:meth:`deltas` and :meth:`closes` of one stream event, read together: output
        inspection asks both of every event of every stream."""
        ...

    def text_run(self, events: Sequence[SSEEvent]) -> TextRun | None:
        """The longest stretch of ``events`` (a read's, in order; at least two) that each
        carry one piece of text on one channel and nothing else a consumer reads - no
        other delta, usage or channel end - with their texts: what :meth:`deltas` reads of
        each, in one step; ``None`` when there is none (the format reads none, or not in
        one step)."""
        ...

    def template(self, payload: dict[str, Any], delta: Delta, event: str | None) -> Template:
        """A payload like ``payload`` carrying only ``delta``'s channel."""
        ...

    def snapshots(self, payload: dict[str, Any], texts: Mapping[Channel, str]) -> bool:
        """Replace full-text copies in ``payload`` (in place) by ``texts``; True if changed."""
        ...

    def speech(self, payload: dict[str, Any]) -> list[Speech]:
        """The non-empty speech (base64 audio) of one decoded stream event that says the
        text of a transcript channel; asked only of streams with such a channel."""
        ...

    def event_usage(self, payload: dict[str, Any]) -> Usage | None:
        """The usage one stream event reports; ``None`` when it reports none. A later
        report's non-zero counts replace earlier ones."""
        ...

    @property
    def usage_types(self) -> frozenset[str] | None:
        """The ``type`` of every stream event :meth:`event_usage` may read usage in (the
        recorder asks no other event of a read); ``None`` when any event may report it."""
        ...

    def body_usage(self, body: dict[str, Any]) -> Usage:
        """The usage a (non-streamed) answer reports."""
        ...

    def render_request(self, body: dict[str, Any], mask: Mask) -> list[str]:
        """A logged request as role-labelled turns (see :mod:`wire.apis.render`)."""
        ...

    def render_answer(self, body: dict[str, Any], mask: Mask) -> list[str]:
        """A logged answer's text and tool calls as turns."""
        ...
