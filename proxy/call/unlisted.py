"""A model name a closed register refused: judged before it is answered or recorded.

A closed register refuses a name it does not list (404) before the policy reads the call.
The name is still the caller's input, and a credential pasted into ``model`` went back in
the error's message and rested in clear in the call's row and access line (h137). So the
refused name is judged first, in this order:

1. the policy reads it as it reads a model name an open register routes (818abbb): what it
   blocks gets 403 ``policy_violation`` (the register's refusal would say less), what it
   masks rests masked;
2. a name that does not read as a model's (:func:`~proxy.model_names.reads_as_model_name`:
   a password's "!", a key's scattered run) rests, and is answered, as a keyed fingerprint
   ``<UNLISTED_MODEL:…>``: detectors cannot tell a bare AWS secret or password from a name,
   its shape can;
3. any other name is kept in clear: which models staff try is the register's shadow-AI
   evidence.

The body of a refused call is not read (it rests as its digest, see ``CallRecord``).
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any

from core.apis import Api
from core.inspection import CallInfo, PolicyBlocked
from proxy.call.apis import api_family_for_path
from proxy.call.record import CallRecord
from proxy.call.routing import model_less_entry
from proxy.errors import PolicyViolation, ProxyError
from proxy.fingerprint import Fingerprints
from proxy.model_names import MAX_NAME_CHARS, reads_as_model_name
from wire.apis.registry import WireRegistry

#: The type of a refused model name kept as its fingerprint (``logs`` show it so).
UNLISTED_MODEL = "UNLISTED_MODEL"
#: Longer names are not scanned: no model name is this long, and a refused call is counted
#: by no rate limit, so what it may cost the detectors stays bounded.
_SCANNED_CHARS = 2 * MAX_NAME_CHARS


async def refusal_of_unlisted(
    call: CallRecord, model: str, wire: WireRegistry, refused: ProxyError | None = None
) -> ProxyError:
    """The error for a call naming ``model``, which the closed register does not list (or
    ``refused``: the register's 403 for a name it will not route for this caller, whose
    message names no model); sets the name (and the policy's verdict on it) the call is
    recorded with."""
    blocked = await _judge(call, model, wire) if len(model) <= _SCANNED_CHARS else None
    if call.model == model and not reads_as_model_name(model):  # the policy masked nothing
        fingerprints = await asyncio.to_thread(fingerprints_of, call.snapshot.settings.data_dir)
        call.model = fingerprints.mask(UNLISTED_MODEL, model)
    return blocked or refused or call.snapshot.register.not_found(call.model)


def model_less_call(call: CallRecord, path: str, wire: WireRegistry) -> CallInfo:
    """What the policy knows of a call read before any route took it (its model name, its
    path's ids): a model-less call of ``path``'s API family, every text read whatever its
    field."""
    assert call.identity is not None, "read once the caller is known"
    family = api_family_for_path(path, wire)
    return CallInfo(
        request_id=call.request_id,
        identity=call.identity,
        api=Api.OTHER,
        endpoint=path,
        model="",
        entry=model_less_entry(family),
        provider=family.value,
        stream=False,
    )


async def _judge(call: CallRecord, model: str, wire: WireRegistry) -> ProxyError | None:
    """Read ``model`` under the policy as a model-less call through its API family would
    be; the 403 when the policy blocks it. ``call.model`` becomes the name as stored."""
    info = model_less_call(call, call.endpoint, wire)
    try:
        inspection = await call.snapshot.inspector.inspect_request(info, {"model": model})
    except PolicyBlocked as blocked:
        call.request_verdict = blocked.verdict
        call.model = _stored_name(blocked.stored_body) or call.model
        # Not the PolicyBlocked itself: the pipeline would record its stored body (this
        # name alone) as the call's prompt, and the call's own body was never read.
        return PolicyViolation(blocked.message, extra=blocked.extra)
    call.request_verdict = inspection.verdict
    call.model = _stored_name(inspection.stored_body) or call.model
    return None


def _stored_name(stored_body: Any) -> str | None:
    """The model name as the policy stores it, when it masked something in it."""
    name = stored_body.get("model") if isinstance(stored_body, dict) else None
    return name if isinstance(name, str) else None


@functools.lru_cache(maxsize=8)
def fingerprints_of(data_dir: Path) -> Fingerprints:
    """The data directory's fingerprints (the key ``logs find-secret`` uses), read once."""
    return Fingerprints.load(data_dir)
