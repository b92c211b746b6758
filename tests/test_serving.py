"""``tests.serving.serve``: the port a served proxy is given stays its own while it starts."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from tests.serving import serve


async def test_the_port_is_held_until_the_proxy_listens(tmp_path: Path) -> None:
    """While the proxy starts (its listener is bound only after its detectors load), its
    port is bound: a plain bind, as the kernel's choice for another ``bind(0)`` would
    need, is refused; a server that sets ``SO_REUSEADDR``, as the proxy's does, binds it."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    # A serve that never listens (an unknown option): the port is the only subject.
    with serve(tmp_path, env=env, args=["--no-such-option"]) as proxy:
        with socket.socket() as other, pytest.raises(OSError, match="in use"):
            other.bind(("127.0.0.1", proxy.port))
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", proxy.port)
        server.close()
        await server.wait_closed()
