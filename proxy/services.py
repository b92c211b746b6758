"""The collaborators a running proxy is wired from, held in the app under one typed key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from proxy.admin.log_reader import LogReader
    from proxy.store.config_history import ConfigHistory

from proxy.call.auth import Authenticator
from proxy.call.budgets import BudgetGuard, InProcessSpend
from proxy.call.events import EventSink
from proxy.call.limits import RateLimiter
from proxy.call.relay import Relay
from proxy.config.keys import KeyStore
from proxy.config.register import Register
from proxy.config.settings import Settings
from proxy.config.snapshot import ConfigSnapshot
from proxy.labels import BoundedLabel
from proxy.metrics import Metrics
from proxy.tasks import Background
from wire.apis.registry import WIRE_APIS, WireRegistry


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    """Everything the request pipeline uses. Built by ``create_app``; tests inject fakes."""

    #: Settings, register, provider keys, virtual keys and policy in force: a reload swaps
    #: the whole snapshot in one assignment, and a call takes it once at its start (see
    #: :mod:`proxy.config.snapshot`).
    snapshot: ConfigSnapshot
    #: The keys file; each reload puts its new key set in the snapshot.
    keys: KeyStore
    authenticator: Authenticator
    limiter: RateLimiter
    sink: EventSink
    metrics: Metrics
    #: Set once the upstream session exists (in the app's start-up hook).
    relay: Relay | None = None
    clock: Callable[[], datetime] = utc_now
    #: Read access to the event log for the admin API; None without a store.
    log_reader: LogReader | None = None
    #: Records configuration versions in the store (issue 12); None without a store.
    config_history: ConfigHistory | None = None
    #: Run on SIGHUP: reload the keys file, the policy, ... (each reads its file off the loop).
    reloaders: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    #: Spend budgets (``limits.budgets``), counted where the limiter keeps its buckets.
    budgets: BudgetGuard = field(default_factory=lambda: BudgetGuard(InProcessSpend()))
    model_label: BoundedLabel = field(default_factory=BoundedLabel)
    tasks: Background = field(default_factory=Background)
    #: The API wire formats served (endpoints, bodies, streams); a new API registers here.
    wire: WireRegistry = WIRE_APIS
    #: ``/v1`` calls being handled now (the in-flight gauge reads it at scrape).
    in_flight: int = 0

    # Read-through views of the current snapshot for code outside a call (admin API,
    # metrics, start-up hooks). A call reads ``snapshot`` once instead: two reads of these
    # may straddle a reload.
    @property
    def settings(self) -> Settings:
        return self.snapshot.settings

    @property
    def register(self) -> Register:
        return self.snapshot.register

    @property
    def credentials(self) -> Mapping[str, str]:
        """Provider name → key the proxy holds for it (read from the environment)."""
        return self.snapshot.credentials


SERVICES = web.AppKey("services", Services)
