"""What a caller sends besides the body on an Azure OpenAI route (h149).

Callers reach an Azure deployment through the proxy's ``/v1`` paths: the register names the
deployment and the provider's ``api-version``, the caller writes neither. A caller's
``api-version`` is replaced by the provider's; its headers are read as on any route; and an
Azure-style path (``/openai/deployments/<name>/…``, as the ``AzureOpenAI`` client sends) is
no route of the proxy's. The default policy through the real proxy, the official openai
SDK, a fake upstream recording what reaches it, the real embedded engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
import pytest

from proxy.config.key_changes import create_key
from tests.fakes import FakeUpstream
from tests.policies.factories import OPENAI_KEY
from tests.policies.test_envelope_through_proxy import stored
from tests.proxy.conftest import Proxy, StartProxy
from tests.proxy.test_secrets_at_rest import default_inspector

HI: Any = [{"role": "user", "content": "hi"}]
API_VERSION = "2024-10-21"


@pytest.fixture
async def azure(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    clickhouse_url: str,
    store_database: str,
    tmp_path: Path,
) -> tuple[Proxy, str]:
    """A proxy whose register routes ``gpt-4o-eu`` to an Azure deployment at the fake, and
    a virtual key to call it with."""
    proxy = await start_proxy(
        {
            "store": {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05},
            "providers": {
                "azure-eu": {
                    "kind": "azure",
                    "base_url": fake.url,
                    "api_version": API_VERSION,
                    "api_key_env": "AZURE_OPENAI_API_KEY",
                }
            },
            "register": {
                "models": [{"name": "gpt-4o-eu", "provider": "azure-eu", "deployment": "prod"}]
            },
        },
        environ={"AZURE_OPENAI_API_KEY": "azure-secret-key"},
        event_log=True,
        inspector=default_inspector(tmp_path / "data"),
    )
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    return proxy, issued.key


async def test_a_callers_api_version_is_replaced_not_forwarded(
    azure: tuple[Proxy, str], fake: FakeUpstream
) -> None:
    """``?api-version=<key>`` from the caller never reaches Azure: the provider's version
    replaces it; the call goes to the register's deployment."""
    proxy, key = azure
    await proxy.openai(key=key).chat.completions.create(
        model="gpt-4o-eu", messages=HI, extra_query={"api-version": OPENAI_KEY}
    )
    assert fake.last.path == "/openai/deployments/prod/chat/completions"
    assert fake.last.query == {"api-version": API_VERSION}
    assert all(OPENAI_KEY not in str(row) for row in await stored(proxy))


@pytest.mark.parametrize(
    "headers",
    [{"User-Agent": f"my-app {OPENAI_KEY}"}, {"x-stainless-os": OPENAI_KEY}],
    ids=["user-agent", "stainless-os"],
)
async def test_a_key_in_a_vocabulary_header_to_azure_is_blocked(
    azure: tuple[Proxy, str], fake: FakeUpstream, headers: dict[str, str]
) -> None:
    """A key in a header the SDK writes is read on an Azure route too: 403, nothing sent."""
    proxy, key = azure
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await proxy.openai(key=key).chat.completions.create(
            model="gpt-4o-eu", messages=HI, extra_headers=headers
        )
    assert caught.value.response.json()["error"]["entity_types"] == ["OPENAI_API_KEY"]
    assert fake.requests == []


async def test_an_azure_style_path_is_no_route(
    azure: tuple[Proxy, str], fake: FakeUpstream
) -> None:
    """The ``AzureOpenAI`` client pointed at the proxy (a key as its deployment name) gets
    404: its ``/openai/deployments/…`` path is served by no route, and nothing goes to
    Azure."""
    proxy, key = azure
    client = openai.AsyncAzureOpenAI(
        azure_endpoint=proxy.url,
        azure_deployment=OPENAI_KEY,
        api_version=API_VERSION,
        api_key=key,
        max_retries=0,
    )
    proxy.clients.append(client)
    with pytest.raises(openai.NotFoundError):
        await client.chat.completions.create(model="gpt-4o-eu", messages=HI)
    assert fake.requests == []
