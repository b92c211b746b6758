"""The path segments a caller writes, read under the policy like the query string.

``GET /v1/files/<key>`` went to the provider unread and rested in clear in the call's row
and access line, and a closed register's ``GET /v1/models/<key>`` repeated the key in its
404 (h145). A segment after ``/v1`` is the caller's text unless it is

* a fixed word of an API route (:data:`ROUTE_WORDS`: ``files``, ``content``, ``batches``,
  ``cancel``, ...), or
* a fine-tuned model's id (``ft:…``).

Any other segment is read by the policy, short ones too (``c1``: no id the providers issue
is that short, so reading costs only odd calls). Of an id behind a provider's prefix
(``file-…``, ``batch_…``, ``resp_…``, ``msg_…``: :data:`wire.apis.walk.ISSUED_PREFIX`) the
part after the prefix is read: a key glued after ``file-`` is still a key (h149). The
prefix stays in clear always, and an id of the shape providers issue
(:func:`wire.apis.walk.issued_id`) stays in clear at rest once passed: responders need it.
The call is judged as a model-less call of its API family before anything else happens
(before the body is read, a closed register answers ``/v1/models/<id>``, or anything goes
upstream):

* what the policy blocks gets 403 ``policy_violation``;
* what it redacts or pseudonymises gets 403 too: a masked id names no object at the
  provider (it would answer 404 at best, or name another object), so the call is refused
  rather than forwarded masked;
* either way the path rests with those segments as the policy masks them.

A segment the policy passes is forwarded as sent. At rest it stays in clear when it reads as
a name (``my-store``, ``gpt-4o``), else (a password's ``!``, a key's scattered run, which
detectors cannot tell from a name) as a keyed fingerprint ``<PATH_SEGMENT:…>``, as a refused
model name is (:mod:`proxy.call.unlisted`). Until the path is judged (a call refused before
authentication, or a path refused as not canonical) what would be read of every caller
segment rests as ``<UNREAD>`` (``file-<UNREAD>``).
"""

from __future__ import annotations

import asyncio
import functools
import re
from dataclasses import dataclass
from typing import Any

from core.inspection import PolicyBlocked, Verdict
from proxy.call.record import CallRecord
from proxy.call.unlisted import fingerprints_of, model_less_call
from proxy.errors import PolicyViolation
from proxy.model_names import reads_as_model_name
from wire.apis.registry import WireRegistry
from wire.apis.walk import ISSUED_PREFIX, issued_id

#: The fixed words of the OpenAI and Anthropic API routes (paths under ``/v1``).
ROUTE_WORDS = frozenset(
    {
        *("v1", "chat", "completions", "embeddings", "responses", "input_items"),
        *("input_tokens", "compact", "cancel", "models", "messages", "count_tokens"),
        *("batches", "results", "files", "content", "uploads", "parts", "complete"),
        *("fine_tuning", "jobs", "checkpoints", "events", "permissions", "pause", "resume"),
        *("alpha", "graders", "run", "validate", "images", "generations", "edits"),
        *("variations", "audio", "speech", "transcriptions", "translations", "voices"),
        *("moderations", "assistants", "threads", "runs", "steps", "submit_tool_outputs"),
        *("vector_stores", "file_batches", "search", "conversations", "items"),
        *("containers", "evals", "realtime", "sessions", "client_secrets", "calls"),
        *("transcription_sessions", "organization", "organizations", "projects", "users"),
        *("invites", "api_keys", "admin_api_keys", "usage", "costs", "audit_logs"),
        *("certificates", "rate_limits", "service_accounts", "videos", "remix", "skills"),
        *("versions", "chatkit", "webhooks", "deployments", "workspaces", "members"),
        *("cost_report", "usage_report", "environments", "agents", "prompts"),
    }
)
#: A fine-tuned model's id: ``ft:<base>:<organisation>:<suffix>:<job id>``.
_FINE_TUNED = re.compile(r"ft:[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]*){2,3}")
#: What a caller segment rests as before the policy read it.
UNREAD = "<UNREAD>"
#: The type of a passed segment kept as its fingerprint.
PATH_SEGMENT = "PATH_SEGMENT"
_PATH = "path"


@functools.lru_cache(maxsize=8)
def _route_words(served: frozenset[str]) -> frozenset[str]:
    """:data:`ROUTE_WORDS` and the words of every path in ``served`` (an API registered
    beside the shipped ones, ``/v1/toy/generate``, brings its own; memoised per registry)."""
    return ROUTE_WORDS | {word.lower() for path in served for word in path.split("/") if word}


def _is_callers(segment: str, route_words: frozenset[str]) -> bool:
    """Whether a path segment is the caller's text: no route word (in any case: a case
    variant names the same route to a lenient server), no fine-tuned model's id."""
    return segment.lower() not in route_words and not _FINE_TUNED.fullmatch(segment)


def _prefix(segment: str) -> str:
    """The provider id prefix of a caller segment, kept in clear ("" when none): the policy
    reads what follows it."""
    issued = ISSUED_PREFIX.match(segment)
    return issued.group() if issued and issued.end() < len(segment) else ""


@functools.lru_cache(maxsize=1024)
def caller_segments(path: str, served: frozenset[str]) -> tuple[int, ...]:
    """The indexes (in ``path.split("/")``) of the segments of ``path`` the caller wrote,
    the words of the ``served`` paths (:attr:`WireRegistry.served_paths`) being the
    routes'; memoised: callers send the same few paths, nearly all with none."""
    words = _route_words(served)
    return tuple(i for i, s in enumerate(path.split("/")) if i > 0 and s and _is_callers(s, words))


@functools.lru_cache(maxsize=1024)
def unread_view(path: str, served: frozenset[str]) -> str:
    """``path`` as it rests before the policy read it: what would be read of each caller
    segment :data:`UNREAD` (memoised: asked on every call, of the same few paths).
    ``served`` has no default: every caller names the paths its proxy serves, or two
    callers could render one path two ways (h163)."""
    parts = path.split("/")
    return _with(path, {i: _prefix(parts[i]) + UNREAD for i in caller_segments(path, served)})


def _with(path: str, replaced: dict[int, str]) -> str:
    """``path`` with the segments at the indexes of ``replaced`` replaced."""
    if not replaced:
        return path
    parts = path.split("/")
    for index, text in replaced.items():
        parts[index] = text
    return "/".join(parts)


@dataclass(frozen=True, slots=True)
class JudgedPath:
    """A path the policy passed: its verdict, and the path as it rests."""

    verdict: Verdict
    stored: str


async def judge_path(call: CallRecord, path: str, wire: WireRegistry) -> JudgedPath | None:
    """Read the caller segments of the canonical ``path`` under the policy; None when there
    are none. Raises :class:`PolicyViolation` (403) when the policy blocks or masks one; the
    call's ``endpoint`` and verdict are set to what rests either way."""
    indexes = caller_segments(path, wire.served_paths)
    if not indexes:
        return None
    parts = path.split("/")
    segments = [parts[i] for i in indexes]
    prefixes = [_prefix(segment) for segment in segments]
    read = [segment[len(prefix) :] for segment, prefix in zip(segments, prefixes, strict=True)]
    info = model_less_call(call, path, wire)
    try:
        inspection = await call.snapshot.inspector.inspect_request(info, {_PATH: read})
    except PolicyBlocked as blocked:
        call.request_verdict = blocked.verdict
        call.endpoint = _with(path, _masked(indexes, blocked.stored_body, prefixes))
        raise PolicyViolation(
            "The acceptable-use policy blocks what this request's path carries; send it without.",
            extra=blocked.extra,
        ) from None
    verdict = call.request_verdict = inspection.verdict
    if inspection.body is not None:
        call.endpoint = _with(path, _masked(indexes, inspection.stored_body, prefixes))
        raise PolicyViolation(
            "The acceptable-use policy masks what this request's path names, and a masked id "
            "names no object at the provider; send the call without it.",
            extra={"rules": list(verdict.rules), "entity_types": sorted(verdict.entity_counts)},
        )
    call.endpoint = await _stored_clean(call, path, indexes, segments)
    return JudgedPath(verdict, call.endpoint)


def _masked(indexes: tuple[int, ...], stored: Any, prefixes: list[str]) -> dict[int, str]:
    """Each caller segment as the policy stores it (``stored``: the masked view of what was
    read, after each segment's provider prefix in ``prefixes``); any it did not give back
    as a string rests :data:`UNREAD`."""
    texts = stored.get(_PATH) if isinstance(stored, dict) else None
    if not isinstance(texts, list) or len(texts) != len(indexes):
        texts = [UNREAD] * len(indexes)
    return {
        i: prefix + (t if isinstance(t, str) else UNREAD)
        for i, t, prefix in zip(indexes, texts, prefixes, strict=True)
    }


async def _stored_clean(
    call: CallRecord, path: str, indexes: tuple[int, ...], segments: list[str]
) -> str:
    """``path`` as it rests once the policy passed it: a segment that is no provider id and
    reads as no name as its fingerprint, the rest in clear."""
    odd = {
        i: s
        for i, s in zip(indexes, segments, strict=True)
        if not (issued_id("id", s) or reads_as_model_name(s))
    }
    if not odd:
        return path
    fingerprints = await asyncio.to_thread(fingerprints_of, call.snapshot.settings.data_dir)
    return _with(path, {i: fingerprints.mask(PATH_SEGMENT, s) for i, s in odd.items()})
