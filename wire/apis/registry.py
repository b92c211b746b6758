"""The registered wire formats, looked up by API name or endpoint, and the dispatch that
reads any body through the format of its API (with a fallback for APIs none serves)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from core.apis import Api, ApiFamily
from wire.apis import render, walk
from wire.apis.anthropic_messages import AnthropicMessages
from wire.apis.base import JsonApi
from wire.apis.openai_chat import OpenAIChat
from wire.apis.openai_completions import OpenAICompletions
from wire.apis.openai_embeddings import OpenAIEmbeddings
from wire.apis.openai_responses import OpenAIResponses
from wire.apis.protocol import WireApi
from wire.apis.render import Mask
from wire.apis.texts import AttachmentPart, AttachmentParts, Extracted
from wire.apis.usage import Usage, usage_in


def default_apis() -> list[WireApi]:
    """The APIs the proxy serves out of the box."""
    return [
        OpenAIChat(),
        OpenAICompletions(),
        OpenAIEmbeddings(),
        OpenAIResponses(),
        AnthropicMessages(),
    ]


class WireRegistry:
    """An immutable set of wire formats, each serving its own API name and endpoints.

    Registering a format declares its API kind (:class:`core.apis.Api`, of the format's
    family). Raises :class:`ValueError` at construction when two formats claim one name or
    path, a format gives a known API another family, or two read one attachment part type
    two ways.
    """

    def __init__(self, apis: Iterable[WireApi]) -> None:
        by_api: dict[str, WireApi] = {}
        by_path: dict[str, WireApi] = {}
        parts: dict[str, AttachmentPart] = {}
        for wire in apis:
            Api(wire.api, wire.family)  # declares a new API kind; a known one keeps its family
            if wire.api in by_api:
                raise ValueError(f"two wire formats for the API {wire.api!r}")
            by_api[wire.api] = wire
            for path in wire.paths:
                if path in by_path:
                    raise ValueError(f"two wire formats serve {path!r}")
                by_path[path] = wire
            for kind, part in wire.attachment_parts.items():
                if parts.setdefault(kind, part) != part:
                    raise ValueError(f"two readings of the attachment part {kind!r}")
        self._by_api: Mapping[str, WireApi] = MappingProxyType(by_api)
        self._by_path: Mapping[str, WireApi] = MappingProxyType(by_path)
        self._parts: AttachmentParts = MappingProxyType(parts)
        self._served = frozenset(by_path)
        #: The API kind per served path, made once (asked on every call).
        self._api_by_path: Mapping[str, Api] = MappingProxyType(
            {path: Api(wire.api) for path, wire in by_path.items()}
        )

    @property
    def apis(self) -> tuple[WireApi, ...]:
        return tuple(self._by_api.values())

    @property
    def paths(self) -> Mapping[str, WireApi]:
        """Each served endpoint and its format."""
        return self._by_path

    @property
    def served_paths(self) -> frozenset[str]:
        """Every served endpoint: the paths whose bodies the proxy inspects."""
        return self._served

    def for_api(self, api: str) -> WireApi | None:
        return self._by_api.get(api)

    def for_path(self, path: str) -> WireApi | None:
        """The format serving exactly ``path`` (a canonical path)."""
        return self._by_path.get(path)

    def api_for_path(self, path: str) -> Api:
        """The API served at exactly ``path`` (a canonical path); :attr:`Api.OTHER` for a
        path no format serves."""
        return self._api_by_path.get(path, Api.OTHER)

    def family_for_path(self, path: str) -> ApiFamily:
        """The family of the format serving ``path`` or a path above it (Anthropic's
        ``/v1/messages/batches``); OpenAI for any other path."""
        exact = self._by_path.get(path)
        if exact is not None:  # a served path itself (nearly every call): one look-up
            return exact.family
        for served, wire in self._by_path.items():
            if path == served or path.startswith(served + "/"):
                return wire.family
        return ApiFamily.OPENAI

    def extract_request(self, api: str, body: Any) -> Extracted:
        """The texts and attachments of a request body sent to ``api``.

        JSON bodies of endpoints no format serves are read the same way, every field's
        role being "request" unless an object names its own: image prompts, speech input,
        token counting and message batches (``/v1/messages/batches`` holds whole requests)
        are text the provider reads too.
        """
        if not isinstance(body, dict) or api == Api.MODELS:
            return Extracted()
        wire = self.for_api(api)
        if wire is None:
            return walk.walk_request(body, {}, self._parts)
        return wire.extract_request(body, self._parts)

    def extract_response(self, api: str, body: Any) -> Extracted:
        """The texts of a (non-streamed) answer from ``api``."""
        wire = self.for_api(api)
        if wire is None or not isinstance(body, dict):
            return Extracted()
        return wire.extract_response(body)

    def body_usage(self, api: str, body: Any) -> Usage:
        """The usage a (non-streamed) answer reports; read under ``"usage"`` for APIs no
        format serves."""
        if not isinstance(body, dict):
            return Usage()
        wire = self.for_api(api)
        return wire.body_usage(body) if wire else usage_in(body) or Usage()

    def with_stream_usage(self, api: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """``body`` asking its stream to end with usage; ``None`` when the API's streams
        cannot be asked (APIs no format serves) or ``body`` asks already."""
        wire = self.for_api(api)
        return None if wire is None else wire.with_stream_usage(body)

    def usage_only(self, api: str, payload: dict[str, Any]) -> bool:
        """Whether a stream event of ``api`` carries only the usage it was asked for."""
        wire = self.for_api(api)
        return wire is not None and wire.usage_only(payload)

    def stream_error(self, api: str, error: dict[str, Any]) -> bytes:
        """The SSE event ending a started stream of ``api`` with ``error``; OpenAI's form
        for APIs no format serves (the form OpenAI-compatible servers stream)."""
        return (self.for_api(api) or JsonApi()).stream_error(error)

    def render_request(self, api: str, body: dict[str, Any], mask: Mask) -> list[str]:
        """A request as turns; every known field for APIs no format serves."""
        wire = self.for_api(api)
        if wire is None:
            return render.request_fields(body, render.REQUEST_FIELDS, mask)
        return wire.render_request(body, mask)

    def render_answer(self, api: str, body: dict[str, Any], mask: Mask) -> list[str]:
        """An answer as turns; every known part for APIs no format serves."""
        wire = self.for_api(api)
        if wire is None:
            return render.answer_parts(body, render.ANSWER_PARTS, mask)
        return wire.render_answer(body, mask)


#: The default registry. Immutable: a registry with more APIs is a new one.
WIRE_APIS = WireRegistry(default_apis())
