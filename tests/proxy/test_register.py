"""The AI use register decides which models may be used and where calls go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest

from proxy.config.key_changes import create_key
from proxy.store.rows import build_row
from proxy.store.settings import ContentMode
from tests.fakes import FakeUpstream
from tests.proxy.conftest import ANTHROPIC_PROVIDER_KEY, PROVIDER_KEY, Proxy, StartProxy


def register_config(fake: FakeUpstream, **extra: Any) -> dict[str, Any]:
    return {
        "providers": {
            "azure-eu": {
                "kind": "azure",
                "base_url": fake.url,
                "api_version": "2024-10-21",
                "api_key_env": "AZURE_OPENAI_API_KEY",
            },
            "local-vllm": {"kind": "openai_compatible", "base_url": f"{fake.url}/v1"},
        },
        "register": {
            "approval_instructions": "File a request at https://governance.example/ai.",
            "models": [
                {
                    "name": "gpt-4o",
                    "provider": "openai",
                    "owner": "platform-team",
                    "data_classification": "confidential",
                    "region": "us",
                },
                {
                    "name": "house-model",
                    "aliases": ["house"],
                    "provider": "openai",
                    "upstream_model": "gpt-4o-2024-08-06",
                },
                {"name": "gpt-4o-eu", "provider": "azure-eu", "deployment": "gpt4o-prod"},
                {"name": "llama-3", "provider": "local-vllm"},
                {"name": "claude-test", "provider": "anthropic"},
                {"name": "gpt-5-preview", "provider": "openai", "approved": False},
            ],
        },
        **extra,
    }


async def chat(proxy: Proxy, model: str, key: str = "sk-caller") -> Any:
    return await proxy.openai(key=key).chat.completions.create(
        model=model, messages=[{"role": "user", "content": "hi"}]
    )


async def test_model_not_in_register_gets_404_with_approval_instructions(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """An unlisted model is refused with 404, saying how approval is requested."""
    proxy = await start_proxy(register_config(fake))
    with pytest.raises(openai.NotFoundError) as info:
        await chat(proxy, "gpt-3.5-turbo")
    assert "not an approved model" in info.value.message
    assert "https://governance.example/ai" in info.value.message
    assert fake.requests == []
    assert (proxy.sink.last.status_code, proxy.sink.last.decision) == (404, "reject")


async def test_unapproved_model_gets_403(start_proxy: StartProxy, fake: FakeUpstream) -> None:
    """A model listed with approved: false is refused with 403."""
    proxy = await start_proxy(register_config(fake))
    with pytest.raises(openai.PermissionDeniedError) as info:
        await chat(proxy, "gpt-5-preview")
    assert info.value.code == "model_not_approved"
    assert fake.requests == []


async def test_alias_is_rewritten_to_the_upstream_model(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """Calling an alias sends the register's upstream model name to the provider."""
    proxy = await start_proxy(register_config(fake))
    await chat(proxy, "house")
    assert fake.last.json["model"] == "gpt-4o-2024-08-06"
    assert (proxy.sink.last.model, proxy.sink.last.upstream_model) == ("house", "gpt-4o-2024-08-06")


async def test_azure_entry_uses_deployment_url_version_and_api_key_header(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """An Azure OpenAI entry goes to its deployment URL with api-version and api-key."""
    proxy = await start_proxy(
        register_config(fake), environ={"AZURE_OPENAI_API_KEY": "azure-secret-key"}
    )
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    await chat(proxy, "gpt-4o-eu", key=issued.key)
    assert fake.last.path == "/openai/deployments/gpt4o-prod/chat/completions"
    assert fake.last.query == {"api-version": "2024-10-21"}
    assert fake.last.headers["api-key"] == "azure-secret-key"
    assert "authorization" not in fake.last.headers


async def test_anthropic_entry_gets_x_api_key_and_version(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A virtual-key call to an Anthropic model carries the central key as x-api-key."""
    proxy = await start_proxy(register_config(fake))
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    message = await proxy.anthropic(key=issued.key).messages.create(
        model="claude-test", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.content[0].text == "Hello from the fake"  # type: ignore[union-attr]
    assert fake.last.headers["x-api-key"] == ANTHROPIC_PROVIDER_KEY
    assert fake.last.headers["anthropic-version"]
    assert "authorization" not in fake.last.headers
    assert issued.key not in str(dict(fake.last.headers))


async def test_openai_compatible_server_without_key_gets_no_credential(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A local OpenAI-compatible server with no key configured receives no Authorization."""
    proxy = await start_proxy(register_config(fake))
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    await chat(proxy, "llama-3", key=issued.key)
    assert "authorization" not in fake.last.headers
    assert proxy.sink.last.provider == "local-vllm"


async def test_models_list_shows_only_what_the_caller_may_use(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """GET /v1/models lists approved models, restricted to the key's entitlement."""
    proxy = await start_proxy(register_config(fake))
    limited = create_key(
        proxy.settings.keys_file, user="bob", team="sales", models=("gpt-4o", "llama-3")
    )
    proxy.services.keys.reload()
    everyone = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    ids = {m.id async for m in proxy.openai(key=limited.key).models.list()}
    assert ids == {"gpt-4o", "llama-3"}
    all_ids = {m.id async for m in proxy.openai(key=everyone.key).models.list()}
    assert {"gpt-4o", "house-model", "house", "gpt-4o-eu", "claude-test"} <= all_ids
    assert "gpt-5-preview" not in all_ids
    model = await proxy.openai(key=everyone.key).models.retrieve("house")
    assert model.id == "house"
    assert fake.requests == []


async def test_missing_provider_credential_is_a_clear_502(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A virtual-key call to a provider whose key is not set names the missing variable."""
    proxy = await start_proxy(register_config(fake))  # AZURE_OPENAI_API_KEY not set
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{proxy.url}/v1/chat/completions",
            json={"model": "gpt-4o-eu", "messages": []},
            headers={"Authorization": f"Bearer {issued.key}"},
        ) as response,
    ):
        body = await response.json()
    assert response.status == 502
    assert "AZURE_OPENAI_API_KEY" in body["error"]["message"]
    assert PROVIDER_KEY not in str(body)


async def test_log_content_mode_is_the_more_private_of_model_and_team(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A model's and a team's log content modes combine: the more private one is recorded."""
    config = register_config(fake, log_content={"teams": {"legal": "none"}})
    models = config["register"]["models"]
    models[0] = {**models[0], "log_content": "hash"}  # gpt-4o
    proxy = await start_proxy(config)
    research = create_key(proxy.settings.keys_file, user="ann", team="research")
    legal = create_key(proxy.settings.keys_file, user="lee", team="legal")
    proxy.services.keys.reload()
    modes = {}
    for who, key in (("research", research.key), ("legal", legal.key)):
        for model in ("gpt-4o", "house"):
            await chat(proxy, model, key=key)
            modes[who, model] = proxy.sink.last.content_mode
    assert modes == {
        ("research", "gpt-4o"): "hash",
        ("research", "house"): "",  # the store's default applies
        ("legal", "gpt-4o"): "none",
        ("legal", "house"): "none",
    }


async def test_closed_register_refuses_model_less_paths_unless_listed(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """With a closed register, files and batches calls need an explicit path allowance."""
    config = register_config(fake)
    config["register"]["passthrough_paths"] = ["/v1/files*"]
    proxy = await start_proxy(config)
    issued = create_key(proxy.settings.keys_file, user="ann", team="research")
    proxy.services.keys.reload()
    headers = {"Authorization": f"Bearer {issued.key}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(f"{proxy.url}/v1/files") as response:
            assert response.status == 200
        async with session.post(f"{proxy.url}/v1/batches", json={"input_file_id": "f"}) as resp:
            assert resp.status == 403
            assert (await resp.json())["error"]["code"] == "path_not_allowed"
    assert [r.path for r in fake.requests] == ["/v1/files"]


@pytest.mark.parametrize(("stream_usage", "asked", "tokens"), [(None, False, 4), (True, True, 5)])
async def test_stream_usage_for_openai_compatible_servers(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    stream_usage: bool | None,
    asked: bool,
    tokens: int,
) -> None:
    """Stream usage is asked of compatible servers only when configured; else estimated."""
    config = register_config(fake)
    if stream_usage is not None:
        config["providers"]["local-vllm"]["stream_usage"] = stream_usage
    proxy = await start_proxy(config)
    stream = await proxy.openai().chat.completions.create(
        model="llama-3", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    async for _ in stream:
        pass
    assert ("stream_options" in fake.last.json) is asked
    # The fake streams "Hello from the fake" as 4 text events and reports 5 output tokens.
    assert proxy.sink.last.completion_tokens == tokens


async def test_a_refused_prompt_rests_as_its_digest_never_in_clear(
    start_proxy: StartProxy, fake: FakeUpstream
) -> None:
    """A call refused before the policy read it (here: a model not in the register) keeps
    its prompt's digest and length in the log, not the text: nothing masked what it holds.
    A team whose mode is more private than ``hash`` keeps its own mode."""
    config = register_config(fake, log_content={"teams": {"legal": "none"}})
    proxy = await start_proxy(config)
    research = create_key(proxy.settings.keys_file, user="ann", team="research")
    legal = create_key(proxy.settings.keys_file, user="lee", team="legal")
    proxy.services.keys.reload()
    secret = "db password is Autumn2024! for the orders replica"
    rows = []
    for key in (research.key, legal.key):
        with pytest.raises(openai.NotFoundError):
            await proxy.openai(key=key).chat.completions.create(
                model="gpt-3.5-turbo", messages=[{"role": "user", "content": secret}]
            )
        rows.append(build_row(proxy.sink.last, ContentMode.FULL))
    assert fake.requests == []
    default, legal_row = rows
    assert (default["content_mode"], legal_row["content_mode"]) == ("hash", "none")
    assert all("Autumn2024" not in str(row) for row in rows)
    assert len(default["prompt_sha256"]) == 64
    assert default["prompt_chars"] > len(secret)
