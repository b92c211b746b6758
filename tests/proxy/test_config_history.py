"""Every configuration version the proxy loads or refuses is recorded in the store's
``config_history``, and "which version was in force at time T" has an answer (issue 12)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from proxy.app import reload_keys
from proxy.call.enforcement import ENFORCEMENT
from proxy.cli.main import main
from proxy.config.key_changes import create_key, revoke_key
from proxy.store.config_history import ConfigHistory
from tests.proxy.admin_helpers import admin_get, admin_token, run_cli
from tests.proxy.conftest import Proxy, StartProxy


def write_config(path: Path, store: dict[str, Any], models: list[str]) -> dict[str, Any]:
    config = {
        "data_dir": str(path.parent / "data"),
        "auth": {"reload_interval": 60},
        "store": store,
        "register": {"models": [{"name": name, "provider": "openai"} for name in models]},
    }
    path.write_text(yaml.safe_dump(config))
    return config


@pytest.fixture
def store(clickhouse_url: str, store_database: str) -> dict[str, Any]:
    return {"url": clickhouse_url, "database": store_database, "flush_interval": 0.05}


def history(proxy: Proxy) -> ConfigHistory:
    recorder = proxy.services.config_history
    assert recorder is not None
    return recorder


async def versions(proxy: Proxy, **params: str) -> dict[str, Any]:
    assert await asyncio.to_thread(history(proxy).flush, 10.0)
    status, body = await admin_get(proxy, "/v1/config/history", admin_token(proxy), **params)
    assert status == 200, body
    return dict(body)


async def test_start_records_every_kind(
    start_proxy: StartProxy, store: dict[str, Any], tmp_path: Path
) -> None:
    """At start the register, providers, limits, log content modes and keys are recorded."""
    path = tmp_path / "proxy.yaml"
    proxy = await start_proxy(write_config(path, store, ["gpt-4o"]), event_log=True)
    body = await versions(proxy)
    rows = {row["kind"]: row for row in body["versions"]}
    assert set(rows) == {"register", "providers", "limits", "log_content", "keys"}
    assert all(r["trigger"] == "start" and r["accepted"] for r in rows.values())
    assert [m["name"] for m in rows["register"]["content"]["models"]] == ["gpt-4o"]
    assert len(rows["register"]["content_hash"]) == 64


async def test_accepted_and_rejected_reloads_and_the_version_in_force(
    start_proxy: StartProxy, store: dict[str, Any], tmp_path: Path
) -> None:
    """A reload's new register is recorded, a refused file with its reason, and ``at``
    answers with the register in force at each time."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, store, ["gpt-4o"])
    proxy = await start_proxy(config, event_log=True, config_path=path)
    await versions(proxy)
    before_reload = datetime.now(UTC)
    await asyncio.sleep(0.01)
    write_config(path, store, ["gpt-4o", "gpt-4o-mini"])
    await proxy.services.reloaders[1]()  # the config file's reload, as SIGHUP runs it
    path.write_text("register: {models: [{name: x, provider: nowhere}]}\n")
    await proxy.services.reloaders[1]()
    body = await versions(proxy, kind="register")
    assert [r["trigger"] for r in body["versions"]] == ["sighup", "start"]
    refused = (await versions(proxy, kind="config"))["versions"]
    assert [r["accepted"] for r in refused] == [False]
    assert "nowhere" in refused[0]["reason"]

    then = await versions(proxy, kind="register", at=before_reload.isoformat())
    assert [m["name"] for m in then["versions"][0]["content"]["models"]] == ["gpt-4o"]
    now = await versions(proxy, at=datetime.now(UTC).isoformat())
    in_force = {r["kind"]: r for r in now["versions"]}
    assert [m["name"] for m in in_force["register"]["content"]["models"]] == [
        "gpt-4o",
        "gpt-4o-mini",
    ]
    assert in_force["register"]["trigger"] == "sighup"


async def test_keys_history_has_ids_and_statuses_never_hashes(
    start_proxy: StartProxy, store: dict[str, Any], tmp_path: Path
) -> None:
    """Key-set versions hold ids and statuses; no key hash or key appears anywhere."""
    path = tmp_path / "proxy.yaml"
    config = write_config(path, store, ["gpt-4o"])
    keys_file = Path(config["data_dir"]) / "keys.yaml"
    keys_file.parent.mkdir(mode=0o700, exist_ok=True)
    issued = create_key(keys_file, user="ann", team="research")
    proxy = await start_proxy(config, event_log=True)
    revoke_key(proxy.settings.keys_file, issued.entry.id)
    await reload_keys(proxy.services, "file_change")
    body = await versions(proxy, kind="keys")
    statuses = [(r["trigger"], r["content"]["keys"]) for r in body["versions"]]
    assert statuses == [
        ("file_change", [{"id": issued.entry.id, "user": "ann", "team": "research",
                          "status": "revoked"}]),
        ("start", [{"id": issued.entry.id, "user": "ann", "team": "research",
                    "status": "active"}]),
    ]  # fmt: skip
    text = json.dumps(body)
    assert issued.entry.sha256 not in text
    assert issued.key not in text


async def test_cli_through_the_proxy_and_offline(
    start_proxy: StartProxy,
    store: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``config history`` answers through the admin API and, with the proxy gone, from the
    store directly."""
    path = tmp_path / "proxy.yaml"
    proxy = await start_proxy(write_config(path, store, ["gpt-4o"]), event_log=True)
    await versions(proxy)
    code, out, _ = await run_cli(proxy, capsys, "config", "history", "--kind", "register")
    assert code == 0
    assert out.split()[2:6] == ["register", "start", out.split()[4], "accepted"]
    code, _, err = await run_cli(proxy, capsys, "config", "history", "--at", "soon")
    assert code != 0
    assert "at must be" in err  # the parameter is named, its value not repeated (h163)
    assert "soon" not in err

    offline = tmp_path / "offline.yaml"  # a data directory with no proxy recorded in it
    offline.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "offline"), "store": store}))
    code = await asyncio.to_thread(
        main, ["config", "history", "--config", str(offline), "--at", "now", "--json"], {}
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err.startswith("proxy not running: reading ")
    answer = json.loads(captured.out)
    assert {r["kind"] for r in answer["versions"]} >= {"register", "keys", "limits"}


POLICY = """
version: 1
name: {name}
rule_sets:
  - name: codenames
    rules:
      - id: flag-email
        direction: input
        action: flag
        match:
          entities: [EMAIL_ADDRESS]
"""


@pytest.mark.slow
async def test_policy_versions_accepted_and_rejected(
    start_proxy: StartProxy, store: dict[str, Any], tmp_path: Path
) -> None:
    """The policy at start, an accepted reload and a refused one (with its reason) are
    recorded, and ``at`` names the policy in force before and after the reload."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY.format(name="first"))
    config = {
        "store": store,
        "detectors": {"service": {"workers": 1}},
        "policy": {"file": str(policy_file), "reload_interval": 60},
    }
    proxy = await start_proxy(config, event_log=True, enforce=True)
    await versions(proxy, kind="policy")
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    policy_file.write_text(POLICY.format(name="second"))
    await proxy.app[ENFORCEMENT].reload()
    policy_file.write_text("version: 1\nrule_sets: [ {rules: [ {id: x, action: explode} ]} ]\n")
    await proxy.app[ENFORCEMENT].reload()

    rows = (await versions(proxy, kind="policy"))["versions"]
    assert [(r["trigger"], r["accepted"]) for r in rows] == [
        ("sighup", False),
        ("sighup", True),
        ("start", True),
    ]
    assert "explode" in rows[0]["reason"]
    assert [r["content"]["name"] for r in rows[1:]] == ["second", "first"]
    assert rows[2]["path"] == str(policy_file)
    earlier = await versions(proxy, kind="policy", at=between.isoformat())
    assert [r["content"]["name"] for r in earlier["versions"]] == ["first"]
    latest = await versions(proxy, kind="policy", at="now")
    assert [r["content"]["name"] for r in latest["versions"]] == ["second"]
