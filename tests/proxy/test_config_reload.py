"""Editing the configuration file changes the register and limits without a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from tests.fakes import FakeUpstream
from tests.proxy.conftest import Proxy, StartProxy


def write_config(path: Path, models: list[str], **extra: Any) -> dict[str, Any]:
    config = {
        "data_dir": str(path.parent / "data"),
        "auth": {"reload_interval": 0.05},
        "register": {"models": [{"name": name, "provider": "openai"} for name in models]},
        **extra,
    }
    path.write_text(yaml.safe_dump(config))
    return config


async def chat(proxy: Proxy, model: str) -> None:
    await proxy.openai().chat.completions.create(
        model=model, messages=[{"role": "user", "content": "hi"}]
    )


async def reload_now(proxy: Proxy) -> None:
    for reload in proxy.services.reloaders:  # what SIGHUP runs
        await reload()


async def test_a_model_added_to_the_register_is_usable_after_reload(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """After SIGHUP, a model newly listed in the register file is routed instead of 404."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, ["gpt-4o"])
    proxy = await start_proxy(config, config_path=path)
    with pytest.raises(openai.NotFoundError):
        await chat(proxy, "gpt-4o-mini")
    write_config(path, ["gpt-4o", "gpt-4o-mini"])
    await reload_now(proxy)
    await chat(proxy, "gpt-4o-mini")
    assert fake.last.json["model"] == "gpt-4o-mini"


async def test_a_broken_config_edit_keeps_the_running_register(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """A reload of an invalid file is refused; calls keep the previous register."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, ["gpt-4o"])
    proxy = await start_proxy(config, config_path=path)
    path.write_text("register:\n  models:\n    - {name: x, provider: nowhere}\n")
    await reload_now(proxy)
    await chat(proxy, "gpt-4o")
    failures = proxy.metrics.registry.get_sample_value(
        "llm_proxy_config_reloads_total", {"what": "config", "outcome": "failure"}
    )
    assert failures == 1.0


async def test_config_file_changes_are_picked_up_without_a_signal(
    start_proxy: StartProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """The proxy notices a saved config file and applies new limits by itself."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, ["gpt-4o"])
    proxy = await start_proxy(config, config_path=path)
    await chat(proxy, "gpt-4o")
    write_config(path, ["gpt-4o"], limits={"per_key": {"requests_per_minute": 1}})
    async with asyncio.timeout(5):
        while proxy.services.settings.limits.per_key.requests_per_minute != 1:
            await asyncio.sleep(0.05)
    await chat(proxy, "gpt-4o")
    with pytest.raises(openai.RateLimitError):
        await chat(proxy, "gpt-4o")
