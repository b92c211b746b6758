"""A path's caller segments, read under the policy before anything else happens (h145).

The caller segments of the canonical path (:mod:`proxy.call.path_segments`) are judged as a
model-less call of the path's API family before the body is read, a closed register answers
``/v1/models/<id>``, or anything goes upstream:

* what the policy blocks gets 403 ``policy_violation``;
* what it redacts or pseudonymises gets 403 too: a masked id names no object at the
  provider (it would answer 404 at best, or name another object), so the call is refused
  rather than forwarded masked;
* either way the path rests with those segments as the policy masks them.

A segment the policy passes is forwarded as sent. At rest it stays in clear when it reads as
a name (``my-store``, ``gpt-4o``), else (a password's ``!``, a key's scattered run, which
detectors cannot tell from a name) as a keyed fingerprint ``<PATH_SEGMENT:…>``, as a refused
model name is (:mod:`proxy.call.unlisted`). Of an id behind a provider's prefix the part
after the prefix is read, and the prefix stays in clear.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from core.inspection import PolicyBlocked, Verdict
from proxy.call.path_segments import UNREAD, caller_segments, issued_prefix, with_segments
from proxy.call.record import CallRecord
from proxy.call.unlisted import fingerprints_of, model_less_call
from proxy.errors import PolicyViolation
from proxy.model_names import reads_as_model_name
from wire.apis.registry import WireRegistry
from wire.apis.walk import issued_id

#: The type of a passed segment kept as its fingerprint.
PATH_SEGMENT = "PATH_SEGMENT"
_PATH = "path"


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
    prefixes = [issued_prefix(segment) for segment in segments]
    read = [segment[len(prefix) :] for segment, prefix in zip(segments, prefixes, strict=True)]
    info = model_less_call(call, path, wire)
    try:
        inspection = await call.snapshot.inspector.inspect_request(info, {_PATH: read})
    except PolicyBlocked as blocked:
        call.request_verdict = blocked.verdict
        call.endpoint = with_segments(path, _masked(indexes, blocked.stored_body, prefixes))
        raise PolicyViolation(
            "The acceptable-use policy blocks what this request's path carries; send it without.",
            extra=blocked.extra,
        ) from None
    verdict = call.request_verdict = inspection.verdict
    if inspection.body is not None:
        call.endpoint = with_segments(path, _masked(indexes, inspection.stored_body, prefixes))
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
    return with_segments(path, {i: fingerprints.mask(PATH_SEGMENT, s) for i, s in odd.items()})
