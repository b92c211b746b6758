"""What a call sends the provider besides its body: query parameters and headers, read
under the policy like the body.

A key in ``?api_key=sk-…`` or in ``X-Debug: sk-…`` went to the provider unread, on inspected
paths and pass-through ones alike (h137): the policy that blocks a credential in a prompt
must block it there too. Each forwarded parameter is read as the text ``name=value`` and
each header as ``Name: value``, so a label is read with its value ("X-Password: …"), as in
a prompt. A policy that masks a value (redact, pseudonymise) forwards it masked; one that
blocks refuses the call (403) before anything goes upstream. Neither is stored: the event
log keeps the path without its query, and no header.

Not read, because the caller does not write them as text:

* the provider credentials the proxy forwards or sets (``Authorization``, ``x-api-key``,
  ``api-key``; on a Google route its ``key`` parameter and ``x-goog-api-key``) and the
  proxy's own ``x-request-id``;
* headers whose values HTTP or the official SDKs write from a vocabulary (``Accept``,
  ``Content-Type``, ``User-Agent``, the SDKs' ``x-stainless-*`` and API versions) while
  their value is of the vocabulary's shape: short words, numbers and versions between
  separators (``OpenAI/Python 1.54.0``, ``arm64``, ``prompt-caching-2024-07-31``). Every
  call sends them, and reading them would cost every call an inspection; but the caller
  may set them (``User-Agent: my-app sk-proj-…``), so a value of another shape (a word of
  more than 16 letters and digits, an ``@``, a ``!``, over 256 characters) is read (h149).
  A multipart body's ``boundary`` and a W3C ``traceparent`` are of the shape whatever
  they hold: the boundary is in the body, forwarded as sent, and a trace id is hex;
* ``api-version`` holding a date and ``beta`` holding ``true`` or ``false``.

Nothing read here is restored in the answer when the policy pseudonymises it: a provider
answers with what the body asked, and echoes no request header or query parameter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from multidict import CIMultiDict, MultiDict
from yarl import URL

from core.apis import Api
from core.inspection import CallInfo, PolicyBlocked, RequestInspection, RequestInspector, Verdict
from proxy.call.auth import CREDENTIAL_HEADERS
from proxy.call.providers import UpstreamRequest
from proxy.config.register import Route

#: Headers with values from a vocabulary: HTTP's, browsers' and the official SDKs'.
_VOCABULARY_HEADERS = frozenset(
    {
        "accept",
        "accept-charset",
        "accept-language",
        "cache-control",
        "content-language",
        "content-type",
        "dnt",
        "expect",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "origin",
        "pragma",
        "priority",
        "range",
        "sec-ch-ua",
        "sec-ch-ua-mobile",
        "sec-ch-ua-platform",
        "sec-fetch-dest",
        "sec-fetch-mode",
        "sec-fetch-site",
        "sec-fetch-user",
        "traceparent",
        "tracestate",
        "user-agent",
        # The official SDKs' (openai, anthropic: Stainless-generated clients).
        "anthropic-beta",
        "anthropic-version",
        "openai-beta",
        "x-stainless-arch",
        "x-stainless-async",
        "x-stainless-custom-poll-interval",
        "x-stainless-helper-method",
        "x-stainless-lang",
        "x-stainless-os",
        "x-stainless-package-version",
        "x-stainless-poll-helper",
        "x-stainless-raw-response",
        "x-stainless-read-timeout",
        "x-stainless-retry-count",
        "x-stainless-runtime",
        "x-stainless-runtime-version",
        "x-stainless-stream-helper",
        "x-stainless-timeout",
    }
)
#: Headers the proxy sets or forwards as provider credentials (see ``build_upstream``).
_NOT_CALLER_TEXT = _VOCABULARY_HEADERS | CREDENTIAL_HEADERS | {"x-request-id"}
#: Google's API key header and query parameter: a Gemini-like route's provider credential.
_GOOGLE_KEY_HEADER = "x-goog-api-key"
_GOOGLE_KEY_PARAM = "key"
_GOOGLE_HOST = ".googleapis.com"
#: Query parameters whose values are from a vocabulary, with the values they may hold.
_VOCABULARY_PARAMS = {
    "api-version": re.compile(r"\d{4}-\d{2}-\d{2}(?:-preview)?"),
    "beta": re.compile(r"true|false"),
}
_PARAMS, _HEADERS = "query", "headers"
#: What separates the words of a vocabulary header's value.
_SEPARATORS = r"[\s,;=/():\"*?._-]"
#: A vocabulary header's value as HTTP, a browser or an official SDK writes it: words of at
#: most 16 letters and digits between separators. A key's random run is longer; an e-mail
#: address's ``@``, a password's ``!`` are no separators.
_VOCABULARY_VALUE = re.compile(rf"{_SEPARATORS}*(?:[A-Za-z0-9]{{1,16}}(?:{_SEPARATORS}+|\Z))*")
_VOCABULARY_CHARS = 256
#: A multipart body's boundary parameter: the body's own delimiter, forwarded in it as sent.
_BOUNDARY = re.compile(r";\s*boundary=(?:\"[^\"]{1,70}\"|[^;\s]{1,70})\s*$", re.IGNORECASE)
#: A W3C trace context's ``traceparent``: hex ids of fixed lengths.
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


@dataclass(frozen=True, slots=True)
class _HeaderPlan:
    """What to read of a set of outgoing header names: those carrying the caller's text
    (lower-case), and the vocabulary headers (as sent) whose values decide."""

    read: frozenset[str]
    vocabulary: tuple[str, ...]


@functools.lru_cache(maxsize=512)
def _header_plan(names: tuple[str, ...], google: bool) -> _HeaderPlan:
    """The plan for the outgoing header ``names`` (memoised by names: a client sends the
    same headers on every call, mostly none of them read)."""
    read = {name.lower() for name in names} - _NOT_CALLER_TEXT
    if google:
        read.discard(_GOOGLE_KEY_HEADER)
    vocabulary = tuple(name for name in names if name.lower() in _VOCABULARY_HEADERS)
    return _HeaderPlan(frozenset(read), vocabulary)


@functools.lru_cache(maxsize=256)
def _unlike_vocabulary(names: tuple[str, ...], values: tuple[str, ...]) -> frozenset[str]:
    """Which vocabulary headers (lower-case) hold a value not of the vocabulary's shape.
    Memoised by the values: an SDK sends the same ones on every call."""
    return _unlike(zip(names, values, strict=True))


def _unlike(pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The names (lower-case) of the vocabulary headers of ``pairs`` whose values are not
    of the vocabulary's shape."""
    return frozenset(
        name.lower()
        for name, value in pairs
        if name.lower() in _VOCABULARY_HEADERS and not _of_vocabulary(name.lower(), value)
    )


def _of_vocabulary(name: str, value: str) -> bool:
    """Whether the vocabulary header ``name``'s ``value`` is of the vocabulary's shape."""
    if name == "traceparent" and _TRACEPARENT.fullmatch(value):
        return True
    if name == "content-type":
        value = _BOUNDARY.sub("", value)
    return len(value) <= _VOCABULARY_CHARS and _VOCABULARY_VALUE.fullmatch(value) is not None


@functools.lru_cache(maxsize=64)
def _is_google(base_url: str) -> bool:
    """Whether a provider at ``base_url`` is Google's (Gemini: ``key=`` is its credential)."""
    host = URL(base_url).host or ""
    return host.endswith(_GOOGLE_HOST)


def _read_param(name: str, value: str, google: bool) -> bool:
    """Whether the query parameter ``name=value`` is read."""
    if google and name == _GOOGLE_KEY_PARAM:
        return False
    vocabulary = _VOCABULARY_PARAMS.get(name)
    return vocabulary is None or vocabulary.fullmatch(value) is None


@dataclass(frozen=True, slots=True)
class Envelope:
    """The outgoing query parameters and headers the policy reads, as texts."""

    upstream: UpstreamRequest
    params: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]

    def view(self) -> dict[str, list[str]]:
        """What the policy inspects: ``name=value`` per parameter, ``Name: value`` per header."""
        return {
            _PARAMS: [f"{name}={value}" for name, value in self.params],
            _HEADERS: [f"{name}: {value}" for name, value in self.headers],
        }

    async def judge(
        self, inspector: RequestInspector, info: CallInfo, body: RequestInspection
    ) -> Verdict:
        """The call's request verdict once the policy read these too (``body``'s, merged
        with theirs); masked values are forwarded masked. Raises :class:`PolicyBlocked` (the
        body as the event log keeps it from ``body``) when the policy blocks one."""
        # Every text of an object no API format serves is read, whatever its field.
        read = replace(info, api=Api.OTHER)
        try:
            inspection = await inspector.inspect_request(read, self.view())
        except PolicyBlocked as blocked:
            raise PolicyBlocked(
                "The acceptable-use policy blocks what this request's query string or "
                "headers carry; send it without.",
                body.verdict.merge(blocked.verdict),
                blocked.extra,
                stored_body=body.stored_body,
            ) from None
        if isinstance(inspection.body, dict):
            self._forward_masked(inspection.body)
        return body.verdict.merge(inspection.verdict)

    def _forward_masked(self, masked: dict[str, Any]) -> None:
        """Put the values the policy masked in the outgoing request, in place."""
        upstream = self.upstream
        params = _masking(self.params, masked.get(_PARAMS), "=")
        if params and upstream.params is not None:
            upstream.params = _replaced(upstream.params, params)
        headers = _masking(self.headers, masked.get(_HEADERS), ": ")
        if headers:
            upstream.headers = CIMultiDict(_replaced(upstream.headers, headers))


def _masking(
    pairs: tuple[tuple[str, str], ...], texts: Any, separator: str
) -> dict[tuple[str, str], tuple[str, str] | None]:
    """Each of ``pairs`` the policy masked, to its masked pair (None: its name was masked
    too, so it is dropped), read back from the masked ``texts``."""
    if not isinstance(texts, list) or len(texts) != len(pairs):
        return {}
    out: dict[tuple[str, str], tuple[str, str] | None] = {}
    for (name, value), text in zip(pairs, texts, strict=True):
        prefix = f"{name}{separator}"
        if text == f"{prefix}{value}":
            continue
        kept = isinstance(text, str) and text.startswith(prefix)
        out[name, value] = (name, text[len(prefix) :]) if kept else None
    return out


def _replaced(
    items: MultiDict[str] | CIMultiDict[str], masked: dict[tuple[str, str], tuple[str, str] | None]
) -> MultiDict[str]:
    """``items`` with each read pair replaced by its masked one (dropped when None)."""
    out: MultiDict[str] = MultiDict()
    for pair in items.items():
        if pair in masked:
            replacement = masked[pair]
            if replacement is not None:
                out.add(*replacement)
        else:
            out.add(*pair)
    return out


def envelope_of(upstream: UpstreamRequest, route: Route) -> Envelope | None:
    """The parameters and headers of ``upstream`` the policy reads; None when there are
    none (most calls: no query, and only the headers an SDK sends)."""
    google = _is_google(route.provider.base_url)
    headers = upstream.headers
    sent = tuple(headers.keys())  # each name once, whatever its case
    plan = _header_plan(sent, google)
    names = plan.read
    vocabulary = plan.vocabulary
    if len(headers) > len(sent):  # a name sent twice: each of its values judged (rare)
        names = names | _unlike(headers.items())
    elif vocabulary:  # nearly every call: judged by their values' shape, memoised
        unlike = _unlike_vocabulary(vocabulary, tuple(map(headers.getone, vocabulary)))
        if unlike:
            names = names | unlike
    params = upstream.params
    if not names and not params:
        return None
    read_params = tuple(
        (name, value) for name, value in (params or {}).items() if _read_param(name, value, google)
    )
    read_headers = tuple((name, value) for name, value in headers.items() if name.lower() in names)
    if not read_params and not read_headers:
        return None
    return Envelope(upstream, read_params, read_headers)
