"""What the configuration decides about a call from its caller, model and path alone.

A call's route (register entry, provider), its log content mode, the model sent upstream,
the price it is charged at and the rate limits it counts against follow from the
configuration snapshot it runs under, the caller's identity, the model it names and the
path: not from its text. Callers make many calls of few kinds, so :class:`CallKinds` works
each kind out once per snapshot (issue 11: a quarter of a millisecond per call had gone to
deciding the same things again). A reload of anything (keys, register, prices, policy,
limits) is a new snapshot: the kept kinds of the old one are dropped when the first call
under the new one arrives.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.identity import Identity
from proxy.call.admission import limit_subjects
from proxy.call.content_modes import content_mode_for
from proxy.call.limits import Subject
from proxy.call.pricing import price_of
from proxy.call.routing import route_call
from proxy.config.register import Route
from proxy.config.settings import Price
from proxy.config.snapshot import ConfigSnapshot
from wire.apis.registry import WireRegistry

#: Kinds kept per snapshot; past this (not expected: callers and models are few) they start over.
KINDS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class CallKind:
    """The configuration's decisions for one caller, model and path."""

    route: Route
    #: Log content mode ("" = the store's default).
    content_mode: str
    #: The model name sent to the provider.
    upstream_model: str
    #: What the call is charged at (:func:`~proxy.call.pricing.price_of`); None = unpriced.
    price: Price | None
    #: The rate limits the call counts against (none when nothing limits the caller).
    limit_subjects: tuple[Subject, ...]


def call_kind(
    snapshot: ConfigSnapshot, path: str, model: str, identity: Identity, wire: WireRegistry
) -> CallKind:
    """Work out the kind of a call, or raise the register's 403/404 error."""
    route = route_call(snapshot, path, model, identity, wire)
    entry = route.entry
    settings = snapshot.settings
    upstream_model = entry.target_model
    return CallKind(
        route=route,
        content_mode=content_mode_for(settings, identity, entry),
        upstream_model=upstream_model,
        price=price_of(route, upstream_model, settings.pricing),
        limit_subjects=limit_subjects(settings, snapshot.keys, identity),
    )


class CallKinds:
    """:func:`call_kind` of calls naming a model, kept per snapshot.

    Kept by the identity's id (the identity kept beside, so its id cannot be reused while
    kept: authentication hands each caller the same object), the model and the path. A
    refused kind (unknown model, not entitled) is not kept: it raises again each time, as
    before. Model-less calls (files, batches: their paths carry ids) are not kept either.
    """

    def __init__(self, wire: WireRegistry, limit: int = KINDS_KEPT) -> None:
        self._wire = wire
        self._limit = limit
        self._snapshot: ConfigSnapshot | None = None
        self._kinds: dict[tuple[int, str, str], tuple[Identity, CallKind]] = {}

    def of(self, snapshot: ConfigSnapshot, path: str, model: str, identity: Identity) -> CallKind:
        """The kind of a call under ``snapshot``; raises as :func:`route_call` does."""
        if not model:
            return call_kind(snapshot, path, model, identity, self._wire)
        kinds = self._kinds
        if snapshot is not self._snapshot:
            kinds.clear()
            self._snapshot = snapshot
        key = (id(identity), model, path)
        kept = kinds.get(key)
        if kept is not None and kept[0] is identity:
            return kept[1]
        kind = call_kind(snapshot, path, model, identity, self._wire)
        if len(kinds) >= self._limit:
            kinds.clear()
        kinds[key] = (identity, kind)
        return kind
