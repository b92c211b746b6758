"""Reaching a test proxy's admin side: its API and ``llm-proxy`` admin commands.

Used by the tests that read the event log back (logs, anomalies). ``analyst_admin()`` is
the ``admin`` settings that add a metadata-only reader authenticated by ``ANALYST_TOKEN``.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, Final

import aiohttp
import pytest

from proxy.cli.main import main
from tests.proxy.conftest import Proxy

ANALYST_TOKEN: Final = "analyst-token-0123456789abcdef"


def analyst_admin() -> dict[str, Any]:
    """``admin`` settings with one metadata-only reader, ``soc-analyst``."""
    return {
        "readers": [
            {
                "name": "soc-analyst",
                "token_sha256": hashlib.sha256(ANALYST_TOKEN.encode()).hexdigest(),
                "role": "metadata",
            }
        ]
    }


def admin_token(proxy: Proxy) -> str:
    """The proxy's own admin token, as ``serve`` writes it to the data directory."""
    return proxy.settings.admin_token_file.read_text().strip()


async def admin_get(proxy: Proxy, path: str, token: str, **params: str) -> tuple[int, Any]:
    """GET ``/admin<path>`` with ``token``; return the status and the JSON body."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{proxy.url}/admin{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        return response.status, await response.json()


async def run_cli(
    proxy: Proxy, capsys: pytest.CaptureFixture[str], *argv: str, token: str | None = None
) -> tuple[int, str, str]:
    """Run ``llm-proxy <argv> --proxy-url <proxy>`` with ``token`` (default: the proxy's own
    admin token); return the exit code, stdout and stderr."""
    env = {"LLM_PROXY_ADMIN_TOKEN": token or admin_token(proxy)}
    code = await asyncio.to_thread(main, [*argv, "--proxy-url", proxy.url], env)
    out, err = capsys.readouterr()
    return code, out, err
