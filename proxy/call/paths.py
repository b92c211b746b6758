"""One canonical path per request, decided before anything else looks at the path.

The API kind, the register's path allow-list and the upstream URL are all decided on the
path this module returns, and exactly that path is forwarded. A request path is accepted
only if it is already in canonical form, segment by segment; every ambiguous form is
refused with 400 instead of being normalised, because two parsers (ours and the provider's)
that normalise differently are how a control gets bypassed:

* dot segments (``.``, ``..``), in clear or percent-encoded (``%2e``);
* empty segments (``//``) and a trailing slash;
* an encoded slash or backslash (``%2F``, ``%5C``), a backslash, a ``;`` (path parameters,
  which some servers strip), control characters and anything outside the characters API
  ids use (letters, digits and ``-._~:@!$'()*+,=``);
* a case variant of a path the proxy inspects (``/v1/Chat/Completions``): a
  case-insensitive upstream would treat it as the inspected API.

Percent-encoding of an allowed character (``complet%69ons``) is decoded: the canonical path
is the decoded one, re-encoded the one way :func:`canonical_path` does, so the proxy and
the provider read the same bytes.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote

from proxy.call.apis import Api, api_for_path
from proxy.call.path_segments import unread_view
from proxy.errors import BadRequest
from wire.apis.registry import WIRE_APIS, WireRegistry

#: Characters a canonical path segment may hold once decoded (RFC 3986 unreserved plus the
#: sub-delimiters and ``:``/``@`` API ids use, without ``;``, ``&`` and ``%``).
_SEGMENT = re.compile(r"[A-Za-z0-9\-._~:@!$'()*+,=]+")
#: The longest path accepted; real API paths are far shorter.
MAX_PATH_CHARS = 2048


class InvalidPath(BadRequest):
    """The request path is not in canonical form (400 ``invalid_path``)."""

    code = "invalid_path"


def canonical_path(raw_path: str, *, inspected: frozenset[str] = frozenset()) -> str:
    """The canonical form of ``raw_path`` (the request target without its query).

    Raises :class:`InvalidPath` for any ambiguous form (see the module docstring).
    ``inspected`` holds the paths whose case variants are refused.
    """
    return _canonical(raw_path, inspected)


#: Accepted paths remembered (a pure function of the path and the inspected set; callers
#: send the same few paths). A refused path raises every time: errors are not kept.
@functools.lru_cache(maxsize=1024)
def _canonical(raw_path: str, inspected: frozenset[str]) -> str:
    if len(raw_path) > MAX_PATH_CHARS:
        raise InvalidPath(f"The request path is longer than {MAX_PATH_CHARS} characters.")
    if not raw_path.startswith("/"):
        raise InvalidPath("The request path must start with '/'.")
    segments = raw_path[1:].split("/")
    decoded: list[str] = []
    for segment in segments:
        if not segment:
            raise InvalidPath(_message(raw_path, inspected, "an empty segment or a trailing slash"))
        try:
            text = unquote(segment, errors="strict") if "%" in segment else segment
        except UnicodeDecodeError:
            problem = "a percent-encoding that is not UTF-8"
            raise InvalidPath(_message(raw_path, inspected, problem)) from None
        if text in (".", ".."):
            raise InvalidPath(_message(raw_path, inspected, "a '.' or '..' segment"))
        if _SEGMENT.fullmatch(text) is None:
            raise InvalidPath(_message(raw_path, inspected, "a character API paths do not use"))
        decoded.append(text)
    path = "/" + "/".join(decoded)
    lowered = path.lower()
    if lowered != path and lowered in inspected:
        raise InvalidPath(_message(raw_path, inspected, "a case variant of an API path"))
    return path


def routed_api(raw_path: str, wire: WireRegistry = WIRE_APIS) -> Api:
    """The API a request to ``raw_path`` calls, read from the path alone (before its caller
    is authenticated); :attr:`Api.OTHER` for a path not in canonical form, which the
    pipeline refuses before routing it."""
    try:
        path = _canonical(raw_path, wire.served_paths)
    except InvalidPath:
        return Api.OTHER
    return api_for_path(path, wire)


def _message(raw_path: str, inspected: frozenset[str], problem: str) -> str:
    # The path is the caller's own input but may be long: quote a bounded prefix of it, and
    # no segment the caller wrote (an id may be a key, and error bodies get logged: h145);
    # the words of the inspected paths are the routes', as where the call rests (pipeline).
    bounded = raw_path if len(raw_path) <= 120 else raw_path[:117] + "..."
    shown = unread_view(bounded, inspected)
    return (
        f"The request path {shown!r} holds {problem}; send the API path in its plain form "
        "(e.g. /v1/chat/completions)."
    )
