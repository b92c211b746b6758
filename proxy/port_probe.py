"""Fail fast on an address that is taken, before the slow part of start-up.

Binding a listener runs the application's start-up hooks first (the event log's store, the
detection workers and their spaCy model), which takes seconds, and tens of seconds on a
loaded machine. A port held by another process would only be noticed after all that. So
each configured address is tried first: bound (with the same ``SO_REUSEADDR`` that asyncio
sets for servers, so a port left in TIME_WAIT does not count as taken) and released at once.
The listener's own bind later still reports any failure the probe could not foresee.
"""

from __future__ import annotations

import asyncio
import os
import socket

from proxy.config.settings import ListenConfig
from proxy.errors import StartupError


async def probe(listen: ListenConfig, setting: str = "") -> None:
    """StartupError naming ``listen`` and its ``setting`` when its address cannot be bound
    now; nothing for port 0 (any free port) or a host that does not resolve (the listener's
    own bind says why)."""
    if listen.port == 0:
        return
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(
            listen.host, listen.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except OSError:
        return
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as trial:
            trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                trial.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                trial.bind(address)
            except OSError as exc:
                raise cannot_listen(listen, setting, exc) from None


def cannot_listen(listen: ListenConfig, setting: str, exc: OSError) -> StartupError:
    """The one-line start-up error for an address that could not be bound."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return StartupError(f"cannot listen on {listen.host}:{listen.port}{setting}: {reason}")
