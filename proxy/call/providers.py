"""Provider adapters: the upstream URL and headers for a routed call.

OpenAI and OpenAI-compatible servers take ``<base>/<path after /v1>`` with a bearer key;
Azure OpenAI takes deployment URLs with ``api-version`` and an ``api-key`` header;
Anthropic takes ``<base>/v1/...`` with ``x-api-key`` and ``anthropic-version``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiMapping
from yarl import URL

from proxy.call.auth import CREDENTIAL_HEADERS
from proxy.config.register import Route
from proxy.config.settings import ProviderConfig, ProviderKind
from proxy.errors import UpstreamError

#: RFC 9110 §7.6.1 hop-by-hop headers, plus ones the proxy sets itself.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_NOT_FORWARDED = (
    HOP_BY_HOP
    | CREDENTIAL_HEADERS
    | {
        "host",
        "content-length",
        "accept-encoding",  # the upstream session negotiates its own and decompresses
        "content-encoding",  # the body is forwarded decompressed
        "cookie",
        "x-request-id",  # replaced by the proxy's own
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-real-ip",
    }
)
#: Provider headers never returned to the caller: hop-by-hop, set by the proxy itself, or
#: the provider's state for the proxy's session (cookies).
_NOT_RETURNED = HOP_BY_HOP | {
    "content-length",
    "content-encoding",
    "set-cookie",
    "x-request-id",
    "date",
    "server",
}
#: Azure OpenAI paths that live under a deployment.
_AZURE_DEPLOYMENT_PATHS = (
    "/chat/completions",
    "/completions",
    "/embeddings",
    "/audio/",
    "/images/",
)


@dataclass(slots=True)
class UpstreamRequest:
    """What goes to the provider besides the method and body. (Not frozen: one is made per
    call and never hashed, compared or replaced; a frozen one pays ``object.__setattr__`` per
    field.)"""

    #: Built with ``encoded=True``: sent byte for byte, never re-normalised by the client.
    url: URL
    headers: CIMultiDict[str]
    #: The query to send; ``None`` when there is none (most calls).
    params: MultiDict[str] | None


@functools.lru_cache(maxsize=512)
def _forwarded(name: str) -> bool:
    """Whether a caller header called ``name`` may be forwarded (by its name alone)."""
    return name.lower() not in _NOT_FORWARDED


@functools.lru_cache(maxsize=512)
def _returned(name: str) -> bool:
    """Whether a provider header called ``name`` may be returned to the caller."""
    return name.lower() not in _NOT_RETURNED


@functools.lru_cache(maxsize=512)
def _not_forwarded(names: tuple[str, ...], connection: str) -> tuple[str, ...]:
    """Which of a caller's header ``names`` (each once, whatever its case) must not be
    forwarded when its first ``Connection`` header is ``connection`` ("" when none).

    Memoised by the names alone (never values; ``Connection`` holds header names): a client
    sends the same headers on every call, so the filtering is one lookup, and the few names
    to drop are removed from a copy made in C instead of the rest being copied one by one.
    """
    named_in_connection = {token.strip().lower() for token in connection.split(",") if token}
    return tuple(
        name for name in names if not _forwarded(name) or name.lower() in named_in_connection
    )


@functools.lru_cache(maxsize=512)
def _not_returned(names: tuple[str, ...]) -> tuple[str, ...]:
    """Which of a provider's header ``names`` (each once) must not be returned (memoised by
    names, as :func:`_not_forwarded`)."""
    return tuple(name for name in names if not _returned(name))


def filter_request_headers(headers: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    """Caller headers safe to forward: no hop-by-hop, credentials, cookies or host."""
    # keys() names each header once (case-insensitively); popall drops every repeat.
    dropped = _not_forwarded(tuple(headers.keys()), headers.get("connection") or "")
    out = headers.copy()
    for name in dropped:
        out.popall(name, None)
    return out


def filter_response_headers(headers: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    """Provider headers safe to return to the caller."""
    out = headers.copy()
    for name in _not_returned(tuple(headers.keys())):
        out.popall(name, None)
    return out


def build_upstream(
    route: Route,
    *,
    path: str,
    query: MultiMapping[str],
    headers: CIMultiDictProxy[str],
    forward_credentials: tuple[tuple[str, str], ...],
    credentials: Mapping[str, str],
    request_id: str,
) -> UpstreamRequest:
    """The URL and headers for sending this call to ``route``'s provider.

    ``forward_credentials`` are the caller's own key headers (pass-through mode); otherwise
    the provider's credential from ``credentials`` (keyed by provider name) is used.
    """
    provider = route.provider
    kind = provider.kind
    out = filter_request_headers(headers)
    # Added, not set: the filter dropped every x-request-id and credential header of the
    # caller's, so each lands at the end, as setting it would.
    out.add("x-request-id", request_id)
    params: MultiDict[str] | None = MultiDict(query) if query else None
    if kind is ProviderKind.AZURE:
        entry = route.entry
        url = _azure_url(provider.base_url, path, entry.deployment or entry.target_model)
        if provider.api_version:
            params = params if params is not None else MultiDict()
            params["api-version"] = provider.api_version
    elif kind is ProviderKind.ANTHROPIC:
        url = upstream_url(provider.base_url, path)
        out.setdefault("anthropic-version", provider.anthropic_version)
    else:
        url = upstream_url(provider.base_url, path.removeprefix("/v1"))
    if forward_credentials:
        # Distinct names, each dropped by the filter: extending is setting each.
        out.extend(forward_credentials)
    else:
        _add_credential(out, route.provider_name, provider, credentials)
    return UpstreamRequest(url, out, params)


@functools.lru_cache(maxsize=1024)
def _azure_url(base_url: str, path: str, deployment: str) -> URL:
    """An Azure OpenAI call's URL: under its deployment for the paths that live there."""
    rest = path.removeprefix("/v1")
    if rest.startswith(_AZURE_DEPLOYMENT_PATHS):
        return upstream_url(base_url, f"/openai/deployments/{quote(deployment, safe='')}{rest}")
    return upstream_url(base_url, f"/openai{rest}")


@functools.lru_cache(maxsize=1024)
def upstream_url(base_url: str, suffix: str) -> URL:
    """``base_url`` with the canonical ``suffix`` appended, as a URL the client sends as is.

    ``suffix`` comes from :func:`proxy.call.paths.canonical_path`; the client must not normalise
    it again (yarl resolves dot segments in plain URLs), so the exact path judged is sent.
    Memoised (URLs are immutable): a few providers and paths, parsed on every call before.
    """
    base = URL(base_url)
    return base.with_path(base.raw_path.rstrip("/") + suffix, encoded=True)


def _add_credential(
    headers: CIMultiDict[str],
    name: str,
    provider: ProviderConfig,
    credentials: Mapping[str, str],
) -> None:
    if provider.api_key_env is None:
        return  # a local server that needs no key
    key = credentials.get(name)
    if not key:
        raise UpstreamError(
            f"The proxy has no credential for provider {name!r} "
            f"(environment variable {provider.api_key_env} is not set).",
            code="upstream_credentials_missing",
        )
    match provider.kind:
        case ProviderKind.ANTHROPIC:
            headers.add("x-api-key", key)
        case ProviderKind.AZURE:
            headers.add("api-key", key)
        case _:
            headers.add("Authorization", f"Bearer {key}")


def resolve_credentials(
    providers: Mapping[str, ProviderConfig], environ: Mapping[str, str]
) -> dict[str, str]:
    """Read every provider's key from the environment once, at start-up."""
    return {
        name: environ[p.api_key_env]
        for name, p in providers.items()
        if p.api_key_env and environ.get(p.api_key_env)
    }
