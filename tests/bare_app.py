"""The proxy application as tests that only look at its wiring build it: no event log, no
detectors, a fresh metrics registry."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry

from core.inspection import AllowAll
from proxy.app import create_app
from proxy.call.events import NullSink
from proxy.config.settings import Settings
from proxy.metrics import Metrics


def bare_app(settings: Settings) -> web.Application:
    """The proxy application for ``settings``, without an event log or detectors."""
    return create_app(
        settings,
        environ={},
        metrics=Metrics(CollectorRegistry()),
        sink=NullSink(),
        inspector=AllowAll(),
    )
