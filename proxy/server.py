"""Run the proxy: listeners, signals (SIGHUP reloads, SIGTERM/SIGINT drain and stop).

The API listener serves callers. The admin API and /metrics share it only when it is
loopback (or ``admin.expose_on_main_listener`` says so); otherwise they get a listener of
their own, loopback by default (``Settings.admin_listen``), and /metrics may have one of
its own (``metrics.listen``). The admin URL is recorded in the data directory for the CLI.
"""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from aiohttp import web

from detectors.errors import DetectionUnavailable, DetectorConfigError
from proxy.admin.address import write_admin_address
from proxy.app import ADMIN_LISTENER_APP, create_app, metrics_app
from proxy.config.settings import ListenConfig, Settings
from proxy.errors import StartupError
from proxy.logs import configure_logging
from proxy.malformed import ShapedErrorHandler, shaped_errors
from proxy.port_probe import cannot_listen, probe
from proxy.services import SERVICES, Services

log = structlog.get_logger("llm_proxy")

#: Seconds in-flight calls (streams included) get to finish on shutdown.
SHUTDOWN_GRACE = 30.0
#: Seconds in-flight requests on the admin and metrics listeners get on shutdown.
OPERATOR_SHUTDOWN_GRACE = 5.0
#: Where a client on this machine reaches a listener bound to a wildcard address.
_LOOPBACK_FOR_WILDCARD = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
#: Net new container objects before the collector looks at the youngest ones (CPython's
#: default is 700). The calls in flight hold more than 700 young objects at c=16, so with
#: the default the collector ran every ~20 calls, found them all alive and promoted them:
#: ~40 us of CPU a call at c=16, ~85 at c=64 (bench/call_path.py). At 7,000 it runs about
#: once per 1,000 calls at c=64; cyclic garbage still triggers it, so memory stays bounded.
GC_YOUNG_THRESHOLD = 7_000


def settle_heap() -> None:
    """Once the proxy listens: freeze what start-up loaded out of the collector's sight and
    let the young generation hold the calls in flight without a collection."""
    # What start-up loaded (modules, settings, the detectors' models when scans run in
    # process) lives as long as the process: out of the collector's sight, a full
    # collection no longer walks it. With spaCy loaded one took 150-300 ms, every call in
    # flight waiting: the tail of the latency at load (issue 11).
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


@dataclass(frozen=True, slots=True)
class Listener:
    """One address the proxy listens on, and what it serves there."""

    name: str  # api | admin | metrics
    app: web.Application
    listen: ListenConfig
    #: Seconds its in-flight requests get on shutdown.
    shutdown_timeout: float

    @property
    def setting(self) -> str:
        """The setting that names this address, for errors (the API's is the plain one)."""
        return "" if self.name == "api" else f" ({self.name}.listen)"


def listeners(app: web.Application, settings: Settings) -> list[Listener]:
    """The API listener, then the admin and metrics listeners when they have their own."""
    found = [Listener("api", app, settings.listen, SHUTDOWN_GRACE)]
    admin_listen = settings.admin_listen
    if admin_listen is not None:
        admin = app[ADMIN_LISTENER_APP]
        found.append(Listener("admin", admin, admin_listen, OPERATOR_SHUTDOWN_GRACE))
    if settings.metrics.listen is not None:
        metrics = metrics_app(app[SERVICES].metrics)
        found.append(Listener("metrics", metrics, settings.metrics.listen, OPERATOR_SHUTDOWN_GRACE))
    return found


class ProxyServer(web.Server):
    """aiohttp's server whose connections answer aiohttp's own refusals (a request it cannot
    parse, an exception escaping every handler) in the error shape (:mod:`proxy.malformed`)."""

    #: The class of its connections (the listener's: :func:`proxy.malformed.shaped_errors`).
    handler_class: type[ShapedErrorHandler] = ShapedErrorHandler

    def __call__(self) -> web.RequestHandler:
        # aiohttp builds each connection's handler here (its protocol factory), with the
        # runner's arguments; only ``handle_error`` differs, and the subclass adds no slot.
        handler = super().__call__()
        handler.__class__ = self.handler_class
        return handler


class ProxyRunner(web.AppRunner):
    """The runner of a proxy listener: an :class:`web.AppRunner` whose server is a
    :class:`ProxyServer`. ``records``: refused requests are calls on this listener (the
    API's), recorded with the app's services."""

    __slots__ = ("_handler_class",)

    def __init__(self, app: web.Application, *, records: bool, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._handler_class = shaped_errors(app.get(SERVICES) if records else None)

    async def _make_server(self) -> web.Server:
        # BaseRunner's hook for what a runner serves: the app's server (its start-up runs
        # here), given the proxy's connection class. tests/proxy/test_malformed_requests.py
        # fails loudly if a future aiohttp stops building connections through it.
        server = await super()._make_server()
        server.__class__ = ProxyServer
        assert isinstance(server, ProxyServer)
        server.handler_class = self._handler_class
        return server


def proxy_runner(app: web.Application, *, shutdown_timeout: float, records: bool) -> ProxyRunner:
    """The runner of a listener serving ``app``, as the proxy (and its tests) run it."""
    # handler_cancellation: a caller that disconnects cancels its handler, which aborts
    # the upstream request instead of letting the provider generate for nobody.
    return ProxyRunner(
        app,
        records=records,
        handler_cancellation=True,
        access_log=None,
        shutdown_timeout=shutdown_timeout,
    )


class Listening:
    """The proxy's bound listeners: where each one is, and how to stop them in order."""

    def __init__(self) -> None:
        self._runners: dict[str, ProxyRunner] = {}
        self._bound: dict[str, tuple[str, int]] = {}

    def address(self, name: str, *, local: bool = False) -> str | None:
        """``host:port`` listener ``name`` bound (the port may have been 0); ``None`` when it
        has no listener of its own. ``local``: as a client on this machine reaches it, a
        wildcard address (0.0.0.0, ::) replaced by loopback."""
        if name not in self._bound:
            return None
        host, port = self._bound[name]
        if local:
            host = _LOOPBACK_FOR_WILDCARD.get(host, host)
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @property
    def admin_url(self) -> str:
        """The admin API's URL for the local CLI."""
        return f"http://{self._local('admin')}/admin"

    @property
    def metrics_url(self) -> str:
        """Where /metrics is served: its own listener, else the admin API's."""
        where = self.address("metrics", local=True) or self._local("admin")
        return f"http://{where}/metrics"

    def _local(self, name: str) -> str:
        found = self.address(name, local=True) or self.address("api", local=True)
        assert found is not None, "the API listener is not bound"
        return found

    async def bind(self, listener: Listener) -> None:
        """Start serving ``listener``; StartupError names the address and its setting."""
        runner = proxy_runner(
            listener.app,
            shutdown_timeout=listener.shutdown_timeout,
            records=listener.name == "api",
        )
        try:
            await runner.setup()  # runs the start-up hooks: event log, detector pool
        except (DetectorConfigError, DetectionUnavailable) as exc:
            # Issue 9: a missing spaCy model printed a traceback instead of one line. Close
            # what the hooks that did start opened (the event log and its store clients),
            # or the embedded engine complains at exit.
            await listener.app.cleanup()
            raise StartupError(f"detectors: {exc}") from None
        self._runners[listener.name] = runner
        try:
            await web.TCPSite(runner, listener.listen.host, listener.listen.port).start()
        except OSError as exc:
            raise cannot_listen(listener.listen, listener.setting, exc) from None
        host, port = runner.addresses[0][:2]
        self._bound[listener.name] = (host, port)

    async def stop(self) -> None:
        """Stop the admin listener, then the API (draining calls, flushing the event log),
        then metrics, which stay scrapable while the API drains. Admin reads use the event
        log the API app's clean-up closes, hence admin first (an export cut short still
        writes its audit row)."""
        for name in ("admin", "api", "metrics"):
            runner = self._runners.pop(name, None)
            if runner is not None:
                await runner.cleanup()


async def start_listening(app: web.Application, settings: Settings) -> Listening:
    """Bind every listener of ``app`` and record the admin URL for the local CLI. If one
    cannot be bound, the others are stopped again and StartupError says which."""
    listening = Listening()
    found = listeners(app, settings)
    for listener in found:
        await probe(listener.listen, listener.setting)
    try:
        for listener in found:
            await listening.bind(listener)
    except BaseException:
        await listening.stop()
        raise
    write_admin_address(settings.data_dir, listening.admin_url)
    return listening


def event_loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop factory for ``Settings.event_loop``: uvloop's under ``uvloop``, and
    under ``auto`` when it is installed (``pip install 'llm-proxy[fast]'``); None for
    asyncio's own. StartupError when ``uvloop`` is asked for and not installed."""
    if choice == "asyncio":
        return None
    try:
        import uvloop  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        if choice == "uvloop":
            raise StartupError(
                "event_loop: uvloop is not installed (pip install 'llm-proxy[fast]')"
            ) from None
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def run(settings: Settings, *, environ: Mapping[str, str], config_path: Path | None = None) -> int:
    """Serve until stopped, on the event loop ``settings.event_loop`` picks."""
    factory = event_loop_factory(settings.event_loop)
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(serve(settings, environ=environ, config_path=config_path))


def loop_kind(loop: asyncio.AbstractEventLoop) -> str:
    """``uvloop`` or ``asyncio``: which event loop runs the proxy, for the start-up log."""
    return "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"


async def serve(
    settings: Settings, *, environ: Mapping[str, str], config_path: Path | None = None
) -> int:
    configure_logging(settings.log_level)
    app = create_app(settings, environ=environ, config_path=config_path)
    services = app[SERVICES]
    listening = await start_listening(app, settings)
    settle_heap()
    mode = "passthrough" if services.authenticator.passthrough else "virtual_keys"
    if mode == "passthrough" and not settings.listen.is_loopback:
        log.warning(
            "passthrough_on_network",
            detail="no virtual keys: anyone who can reach this address can use it with "
            "their own provider key. Create keys with 'llm-proxy keys create'.",
        )
    if mode == "virtual_keys":
        for name, provider in settings.providers.items():
            if provider.api_key_env and name not in services.credentials:
                log.warning(
                    "provider_key_missing",
                    provider=name,
                    env=provider.api_key_env,
                    detail=f"virtual-key calls to {name} get 502 until "
                    f"{provider.api_key_env} is set and the proxy restarted.",
                )
    log.info(
        "listening",
        address=f"http://{listening.address('api')}",
        admin=listening.admin_url,
        metrics=listening.metrics_url,
        auth_mode=mode,
        event_loop=loop_kind(asyncio.get_running_loop()),
        register="open" if services.register.is_open else "closed",
        models=len(services.register.entries()),
    )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: _reload(services))
    try:
        await stop.wait()
    finally:
        log.info("shutting_down")
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        await listening.stop()
    return 0


def _reload(services: Services) -> None:
    log.info("reload_requested", signal="SIGHUP")
    services.tasks.spawn(_reload_all(services), name="sighup_reload")


async def _reload_all(services: Services) -> None:
    """Reload every file (each is read and parsed off the event loop, then swapped in)."""
    for reload in services.reloaders:
        await reload()
