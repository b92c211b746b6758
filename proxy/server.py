"""Run the proxy: listeners, signals (SIGHUP reloads, SIGTERM/SIGINT drain and stop)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Mapping
from pathlib import Path

import structlog
from aiohttp import web

from proxy.admin import write_admin_address
from proxy.app import create_app, metrics_app
from proxy.config import Settings
from proxy.errors import StartupError
from proxy.logs import configure_logging
from proxy.services import SERVICES, Services

log = structlog.get_logger("llm_proxy")

#: Seconds in-flight calls (streams included) get to finish on shutdown.
SHUTDOWN_GRACE = 30.0


async def serve(
    settings: Settings, *, environ: Mapping[str, str], config_path: Path | None = None
) -> int:
    configure_logging(settings.log_level)
    app = create_app(settings, environ=environ, config_path=config_path)
    services = app[SERVICES]
    # handler_cancellation: a caller that disconnects cancels its handler, which aborts the
    # upstream request instead of letting the provider generate for nobody.
    runner = web.AppRunner(
        app, handler_cancellation=True, access_log=None, shutdown_timeout=SHUTDOWN_GRACE
    )
    await runner.setup()
    sites = [web.TCPSite(runner, settings.listen.host, settings.listen.port)]
    metrics_runner: web.AppRunner | None = None
    if settings.metrics.listen is not None:
        metrics_runner = web.AppRunner(metrics_app(services.metrics), access_log=None)
        await metrics_runner.setup()
        listen = settings.metrics.listen
        sites.append(web.TCPSite(metrics_runner, listen.host, listen.port))
    try:
        for site in sites:
            await site.start()
    except OSError as exc:
        await runner.cleanup()
        if metrics_runner is not None:
            await metrics_runner.cleanup()
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise StartupError(
            f"cannot listen on {settings.listen.host}:{settings.listen.port}: {reason}"
        ) from None
    address = _bound_address(sites[0], settings)
    write_admin_address(settings.data_dir, f"http://{address}/admin")
    mode = "passthrough" if services.authenticator.passthrough else "virtual_keys"
    if mode == "passthrough" and not settings.listen.is_loopback:
        log.warning(
            "passthrough_on_network",
            detail="no virtual keys: anyone who can reach this address can use it with "
            "their own provider key. Create keys with 'llm-proxy keys create'.",
        )
    log.info(
        "listening",
        address=f"http://{address}",
        auth_mode=mode,
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
        await runner.cleanup()
        if metrics_runner is not None:
            await metrics_runner.cleanup()
    return 0


def _reload(services: Services) -> None:
    log.info("reload_requested", signal="SIGHUP")
    for reload in services.reloaders:
        reload()


def _bound_address(site: web.TCPSite, settings: Settings) -> str:
    """host:port actually bound (the port may have been 0 = any free port)."""
    server = site._server
    if isinstance(server, asyncio.Server) and server.sockets:
        host, port = server.sockets[0].getsockname()[:2]
        return f"{host}:{port}"
    return f"{settings.listen.host}:{settings.listen.port}"
