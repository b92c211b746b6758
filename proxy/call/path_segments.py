"""The path segments a caller writes, and the path as it rests before the policy reads them.

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

The policy reads them before anything else happens (:mod:`proxy.call.judged_path`). Until
the path is judged (a call refused before authentication, a path refused as not canonical,
a request no route takes) what would be read of every caller segment rests as ``<UNREAD>``
(``file-<UNREAD>``): :func:`unread_view`.
"""

from __future__ import annotations

import functools
import re

from wire.apis.walk import ISSUED_PREFIX

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


@functools.lru_cache(maxsize=8)
def _route_words(served: frozenset[str]) -> frozenset[str]:
    """:data:`ROUTE_WORDS` and the words of every path in ``served`` (an API registered
    beside the shipped ones, ``/v1/toy/generate``, brings its own; memoised per registry)."""
    return ROUTE_WORDS | {word.lower() for path in served for word in path.split("/") if word}


def _is_callers(segment: str, route_words: frozenset[str]) -> bool:
    """Whether a path segment is the caller's text: no route word (in any case: a case
    variant names the same route to a lenient server), no fine-tuned model's id."""
    return segment.lower() not in route_words and not _FINE_TUNED.fullmatch(segment)


def issued_prefix(segment: str) -> str:
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
    return with_segments(
        path, {i: issued_prefix(parts[i]) + UNREAD for i in caller_segments(path, served)}
    )


def with_segments(path: str, replaced: dict[int, str]) -> str:
    """``path`` with the segments at the indexes of ``replaced`` replaced."""
    if not replaced:
        return path
    parts = path.split("/")
    for index, text in replaced.items():
        parts[index] = text
    return "/".join(parts)
