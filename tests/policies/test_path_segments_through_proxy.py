"""An id the caller writes in the path is judged like its query string (h145).

``GET /v1/files/<key>`` went to the provider unread and the key rested in clear in the
row's ``endpoint`` and the access line; a closed register's ``GET /v1/models/<key>``
repeated the key in its 404. The default policy through the real proxy (the official openai
SDK and raw aiohttp), a fake upstream recording what reaches it, the real embedded engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from structlog.testing import capture_logs

from proxy.fingerprint import Fingerprints
from proxy.store import open_client
from tests.fakes import FakeUpstream
from tests.policies.factories import AWS_KEY, EMAIL, OPENAI_KEY
from tests.proxy.conftest import CALLER_KEY, Proxy, StartProxy
from tests.proxy.test_event_log import flush
from tests.proxy.test_refused_model_names import AWS_SECRET_NO_SIGN
from tests.proxy.test_secrets_at_rest import default_inspector

STORE = {"flush_interval": 0.05}


@pytest.fixture
def proxy(recording_proxy: Proxy) -> Proxy:
    """See :func:`tests.policies.conftest.recording_proxy`."""
    return recording_proxy


@pytest.fixture
async def closed_proxy(
    start_proxy: StartProxy, clickhouse_url: str, store_database: str, tmp_path: Path
) -> Proxy:
    """A closed register of one model, otherwise as :func:`proxy`."""
    return await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, **STORE},
            "register": {"models": [{"name": "gpt-4o-mini", "provider": "openai"}]},
        },
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )


async def rows(proxy: Proxy) -> list[dict[str, Any]]:
    """Every recorded call's endpoint, status, error, decision and entity types."""
    await flush(proxy)
    store = proxy.settings.store
    client = open_client(store)
    try:
        result = client.query(
            "SELECT endpoint, status_code, error, decision, entity_types "
            f"FROM {store.database}.requests"
        )
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]
    finally:
        client.close()


async def get(proxy: Proxy, path: str, *, key: str | None = CALLER_KEY) -> tuple[int, str]:
    """``GET path`` through the proxy with raw aiohttp; the status and body text."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{proxy.url}{path}", headers=headers) as sent,
    ):
        return sent.status, await sent.text()


async def test_a_key_as_a_file_id_is_blocked_and_rests_masked(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """``files.retrieve(<key>)`` gets 403 naming the key's type; nothing goes upstream; the
    row and the access line hold the path with the key's mask, never the key."""
    with capture_logs() as logs, pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai().files.retrieve(OPENAI_KEY)
    error = caught.value.response.json()["error"]
    assert (error["code"], error["entity_types"]) == ("policy_violation", ["OPENAI_API_KEY"])
    assert OPENAI_KEY not in caught.value.response.text
    assert fake.requests == []
    [row] = await rows(proxy)
    assert row["endpoint"].startswith("/v1/files/<OPENAI_API_KEY:")
    assert (row["decision"], row["entity_types"]) == ("block", ["OPENAI_API_KEY"])
    [line] = [line for line in logs if line["event"] == "call"]
    assert line["path"] == row["endpoint"]
    assert OPENAI_KEY not in repr(logs)


@pytest.mark.parametrize(
    "path",
    [f"/v1/batches/{OPENAI_KEY}/cancel", f"/v1/messages/batches/{OPENAI_KEY}/results"],
    ids=["openai-batch", "anthropic-batch"],
)
async def test_a_key_anywhere_in_a_pass_through_path_is_blocked(
    proxy: Proxy, fake: FakeUpstream, path: str
) -> None:
    """Any caller segment of a pass-through path is read, under either API family."""
    status, text = await get(proxy, path)
    assert (status, fake.requests) == (403, [])
    assert OPENAI_KEY not in text
    [row] = await rows(proxy)
    assert OPENAI_KEY not in row["endpoint"]


@pytest.mark.parametrize("prefix", ["file-", "batch_", "msgbatch_"])
async def test_a_key_glued_after_a_provider_prefix_is_blocked(
    proxy: Proxy, fake: FakeUpstream, prefix: str
) -> None:
    """``/v1/files/file-<key>`` (a key of letters and digits alone is of a provider id's
    shape) gets 403 naming the key's type (h149); the row keeps the prefix and the mask."""
    with capture_logs() as logs:
        status, text = await get(proxy, f"/v1/files/{prefix}{AWS_KEY}/content")
    assert (status, fake.requests) == (403, [])
    assert AWS_KEY not in text
    [row] = await rows(proxy)
    assert row["endpoint"].startswith(f"/v1/files/{prefix}<AWS_ACCESS_KEY_ID:")
    assert (row["decision"], row["entity_types"]) == ("block", ["AWS_ACCESS_KEY_ID"])
    assert AWS_KEY not in repr(logs)


async def test_a_masked_id_is_refused_not_forwarded(proxy: Proxy, fake: FakeUpstream) -> None:
    """What the policy pseudonymises (an e-mail address) is refused in a path: a masked id
    names no object at the provider. The row keeps the mask and the policy's finding."""
    status, text = await get(proxy, f"/v1/files/{EMAIL}/content")
    assert (status, fake.requests) == (403, [])
    assert EMAIL not in text
    [row] = await rows(proxy)
    assert row["endpoint"].startswith("/v1/files/<EMAIL_ADDRESS")
    assert row["endpoint"].endswith("/content")
    assert row["entity_types"] == ["EMAIL_ADDRESS"]


async def test_provider_ids_pass_and_rest_in_clear(proxy: Proxy, fake: FakeUpstream) -> None:
    """Ids the provider issued (files, batches) and a caller's plain name reach it as sent
    and rest in clear: a responder needs them."""
    client = proxy.openai()
    await client.files.retrieve("file-8jQpTsKcBz9sJqY2kD")
    await client.batches.retrieve("batch_67a1b2c3d4e5f6a7b8c9")
    status, _ = await get(proxy, "/v1/vector_stores/team-handbook/files")
    assert status == 200
    sent = [r.path for r in fake.requests]
    expected = [
        "/v1/files/file-8jQpTsKcBz9sJqY2kD",
        "/v1/batches/batch_67a1b2c3d4e5f6a7b8c9",
        "/v1/vector_stores/team-handbook/files",
    ]
    assert sent == expected
    assert sorted(r["endpoint"] for r in await rows(proxy)) == sorted(expected)


async def test_a_flagged_path_is_forwarded_and_its_finding_recorded(
    proxy: Proxy, fake: FakeUpstream
) -> None:
    """What the policy only flags (a place) goes upstream as sent; the row records the
    finding, also when a header of the call is read too."""
    path = "/v1/vector_stores/London-Heathrow/files"
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{proxy.url}{path}",
            headers={"Authorization": f"Bearer {CALLER_KEY}", "X-Team": "search"},
        ) as sent,
    ):
        assert sent.status == 200
    assert fake.last.path == path
    [row] = await rows(proxy)
    assert (row["endpoint"], row["decision"], row["entity_types"]) == (path, "flag", ["LOCATION"])


async def test_a_closed_registers_404_does_not_repeat_a_key(
    closed_proxy: Proxy, fake: FakeUpstream
) -> None:
    """``GET /v1/models/<key>`` of a closed register: a key the detectors know is blocked,
    one they cannot tell from a name (a bare AWS secret) is answered 404 naming its
    fingerprint, and rests so; neither is repeated or stored in clear."""
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await closed_proxy.openai().models.retrieve(OPENAI_KEY)
    assert OPENAI_KEY not in caught.value.response.text
    with pytest.raises(openai.NotFoundError) as missing:
        await closed_proxy.openai().models.retrieve(AWS_SECRET_NO_SIGN)
    fingerprint = Fingerprints.load(closed_proxy.settings.data_dir).mask(
        "PATH_SEGMENT", AWS_SECRET_NO_SIGN
    )
    assert AWS_SECRET_NO_SIGN not in missing.value.response.text
    assert fingerprint in missing.value.response.text
    stored = [r["endpoint"] for r in await rows(closed_proxy)]
    assert f"/v1/models/{fingerprint}" in stored
    assert not any(OPENAI_KEY in e or AWS_SECRET_NO_SIGN in e for e in stored)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("path", "key", "status"),
    [(f"/v1/files/{OPENAI_KEY}", None, 401), (f"/v1/files/{OPENAI_KEY}/", CALLER_KEY, 400)],
    ids=["unauthenticated", "not-canonical"],
)
async def test_a_path_refused_before_it_is_read_rests_unread(
    proxy: Proxy, fake: FakeUpstream, path: str, key: str | None, status: int
) -> None:
    """A call refused before the policy read its path (no key; a trailing slash) rests
    with its caller segments as ``<UNREAD>``, not as sent; its error does not repeat them."""
    answered, text = await get(proxy, path, key=key)
    assert (answered, OPENAI_KEY in text) == (status, False)
    [row] = await rows(proxy)
    assert row["endpoint"] == "/v1/files/<UNREAD>" + ("/" if path.endswith("/") else "")
    assert fake.requests == []
