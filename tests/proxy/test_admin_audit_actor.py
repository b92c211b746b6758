"""The audit trail names the authenticated admin credential; what a caller claims to act for
(``x-llm-proxy-actor``) is kept apart, sanitised, and can never stand in for it."""

from __future__ import annotations

import asyncio
import getpass
from typing import Any

import aiohttp
import pytest

from proxy.admin.logs import MAX_CLAIMED_ACTOR_CHARS
from proxy.store import open_client
from tests.proxy.admin_helpers import ANALYST_TOKEN, admin_token, analyst_admin, run_cli
from tests.proxy.conftest import Proxy, StartProxy


@pytest.fixture
async def logged_proxy(start_proxy: StartProxy, clickhouse_url: str, store_database: str) -> Proxy:
    """A proxy recording to the session's embedded engine, with a metadata-only reader."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "admin": analyst_admin(),
        },
        event_log=True,
    )


async def search_claiming(proxy: Proxy, token: str, claimed: str) -> int:
    """Search the event log with ``token`` while claiming to act for ``claimed``."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{proxy.url}/admin/v1/logs",
            params={"since": "1h"},
            headers={"Authorization": f"Bearer {token}", "x-llm-proxy-actor": claimed},
        ) as response,
    ):
        return response.status


async def audit_rows(proxy: Proxy) -> list[dict[str, Any]]:
    """The audit_log rows, oldest first, as the store holds them."""
    store = proxy.settings.store
    client = await asyncio.to_thread(open_client, store)
    try:
        result = await asyncio.to_thread(
            client.query,
            f"SELECT actor, claimed_actor, role, action FROM {store.database}.audit_log "
            "ORDER BY ts",
        )
    finally:
        client.close()
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


async def test_forged_actor_header_cannot_replace_the_authenticated_identity(
    logged_proxy: Proxy,
) -> None:
    """A metadata reader claiming to be the local admin is recorded as itself, with the
    claim beside it; and the local admin claiming to be the analyst stays the local admin."""
    assert await search_claiming(logged_proxy, ANALYST_TOKEN, "local-admin") == 200
    assert await search_claiming(logged_proxy, admin_token(logged_proxy), "soc-analyst") == 200
    rows = await audit_rows(logged_proxy)
    assert [(r["actor"], r["claimed_actor"], r["role"]) for r in rows] == [
        ("soc-analyst", "local-admin", "metadata"),
        ("local-admin", "soc-analyst", "content"),
    ]


async def test_claimed_actor_is_printable_and_bounded(logged_proxy: Proxy) -> None:
    """Bidi overrides, zero-width and control characters are dropped from the claim and it is
    cut to its maximum length, so it cannot disguise itself in a table of audit rows."""
    forged = "mal\u202elory\u200b\tadmin" + "x" * 200
    assert await search_claiming(logged_proxy, ANALYST_TOKEN, forged) == 200
    (row,) = await audit_rows(logged_proxy)
    assert row["actor"] == "soc-analyst"
    assert row["claimed_actor"] == ("malloryadmin" + "x" * 200)[:MAX_CLAIMED_ACTOR_CHARS]


async def test_cli_reads_record_the_os_user_as_a_claim(
    logged_proxy: Proxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """``llm-proxy logs search`` is recorded under the admin credential it authenticated
    with; the OS user it reports is the claimed actor."""
    code, _, _ = await run_cli(logged_proxy, capsys, "logs", "search", "--since", "1h")
    assert code == 0
    (row,) = await audit_rows(logged_proxy)
    assert (row["actor"], row["claimed_actor"]) == ("local-admin", getpass.getuser())
