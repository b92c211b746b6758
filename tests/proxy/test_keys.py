"""Virtual keys: hashed storage, lookup, hot reload, and what callers holding them see."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import stat
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
import structlog
import yaml

from proxy.call.auth import KEYS_REQUIRED_MARKER
from proxy.config.key_changes import (
    IssuedKey,
    create_key,
    disable_key,
    enable_key,
    revoke_key,
    rotate_key,
)
from proxy.config.keys import (
    KEY_PREFIX,
    KeyChangeError,
    KeysFileError,
    KeyStore,
    digest,
    parse_key_id,
    read_keys_file,
)
from proxy.config.settings import RateLimit
from tests.fakes import FakeUpstream
from tests.proxy.admin_helpers import admin_get, admin_token
from tests.proxy.conftest import (
    ANTHROPIC_PROVIDER_KEY,
    CALLER_KEY,
    PROVIDER_KEY,
    Proxy,
    StartProxy,
)

RATE_LIMIT = RateLimit(requests_per_minute=5, tokens_per_minute=900)
CHAT: dict[str, Any] = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
#: Keys-file polling interval for end-to-end tests, so hot reload happens within the test.
FAST_RELOAD = {"auth": {"reload_interval": 0.05}}


def secret_of(key: str) -> str:
    return key.split("_", 2)[2]


def edit_keys_file(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the keys file's YAML, as an operator editing it would."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


async def eventually(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds (the proxy polls the keys file in the background)."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.02)
    except TimeoutError:
        pytest.fail(f"{what} did not happen within {timeout} s")


async def raw_chat(
    proxy: Proxy, headers: dict[str, str], body: dict[str, Any] = CHAT
) -> tuple[int, dict[str, Any]]:
    """POST a chat call with exactly these headers; the status and JSON body."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{proxy.url}/v1/chat/completions", json=body, headers=headers) as response,
    ):
        return response.status, await response.json()


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    """The keys file of the proxy that ``start_proxy`` starts in this test."""
    return tmp_path / "data" / "keys.yaml"


# --- the keys file and the key store ------------------------------------------------


def test_created_key_is_stored_only_as_its_sha256(keys_file: Path) -> None:
    """The keys file holds the key's SHA-256 and public id, never the key or its secret."""
    issued = create_key(keys_file, user="ann", team="red", app="chatbot")
    text = keys_file.read_text(encoding="utf-8")
    assert issued.key not in text
    assert secret_of(issued.key) not in text
    assert digest(issued.key) in text
    assert issued.key.startswith(f"{KEY_PREFIX}{issued.entry.id}_")
    (stored,) = read_keys_file(keys_file).keys
    assert stored == issued.entry
    assert (stored.user, stored.team, stored.app, stored.sha256) == (
        "ann",
        "red",
        "chatbot",
        digest(issued.key),
    )


def test_keys_file_is_private_to_its_owner(keys_file: Path) -> None:
    """The keys file is created with mode 0600 and stays so as keys are added."""
    create_key(keys_file, user="ann", team="red")
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    keys_file.chmod(0o644)
    create_key(keys_file, user="bob", team="red")
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert [k.user for k in read_keys_file(keys_file).keys] == ["ann", "bob"]
    assert [p.name for p in keys_file.parent.iterdir()] == ["keys.yaml"]  # no temp files


def test_every_key_is_different(keys_file: Path) -> None:
    """Two keys for the same user and team have different ids and secrets."""
    first = create_key(keys_file, user="ann", team="red")
    second = create_key(keys_file, user="ann", team="red")
    assert first.entry.id != second.entry.id
    assert secret_of(first.key) != secret_of(second.key)


def test_store_accepts_the_issued_key(keys_file: Path) -> None:
    """The key store maps an issued key to its user, team, app and allowed models."""
    issued = create_key(keys_file, user="ann", team="red", app="bot", models=("gpt-4o",))
    store = KeyStore(keys_file)
    store.reload()
    entry = store.lookup(issued.key)
    assert entry == issued.entry
    identity = entry.identity()
    assert (identity.user, identity.team, identity.app, identity.key_id) == (
        "ann",
        "red",
        "bot",
        issued.entry.id,
    )
    assert identity.may_use("gpt-4o")
    assert not identity.may_use("gpt-4o-mini")


def test_store_rejects_a_wrong_secret_with_a_real_id(keys_file: Path) -> None:
    """Knowing a key's public id is not enough: the secret must match too."""
    issued = create_key(keys_file, user="ann", team="red")
    other = create_key(keys_file, user="bob", team="red")
    store = KeyStore(keys_file)
    store.reload()
    forged = f"{KEY_PREFIX}{issued.entry.id}_{secret_of(other.key)}"
    assert parse_key_id(forged) == issued.entry.id
    assert store.lookup(forged) is None
    assert store.lookup(issued.key[:-1]) is None
    assert store.lookup(other.key) == other.entry


@pytest.mark.parametrize(
    "presented",
    ["", "llmp_", "llmp_abc_def", "llmp_0123456789ab", "llmp_0123456789ab_", CALLER_KEY],
)
def test_store_rejects_malformed_keys(keys_file: Path, presented: str) -> None:
    """Strings that are not well-formed virtual keys are rejected."""
    create_key(keys_file, user="ann", team="red")
    store = KeyStore(keys_file)
    store.reload()
    assert store.lookup(presented) is None


def test_store_rejects_a_disabled_key(keys_file: Path) -> None:
    """A key marked ``disabled: true`` is refused but still counts as a configured key."""
    issued = create_key(keys_file, user="ann", team="red")
    edit_keys_file(keys_file, lambda data: data["keys"][0].update(disabled=True))
    store = KeyStore(keys_file)
    store.reload()
    assert store.lookup(issued.key) is None
    assert store.has_keys


def test_typo_in_the_keys_file_keeps_the_previous_keys(keys_file: Path) -> None:
    """A reload of a broken keys file raises KeysFileError naming the key path, and the
    keys loaded before keep working."""
    issued = create_key(keys_file, user="ann", team="red")
    store = KeyStore(keys_file)
    store.reload()
    keys_file.write_text(
        keys_file.read_text(encoding="utf-8").replace("user:", "usr:"), encoding="utf-8"
    )
    assert store.changed()
    with pytest.raises(KeysFileError) as caught:
        store.reload()
    lines = str(caught.value).splitlines()
    assert f"{keys_file}: keys.0.usr: Extra inputs are not permitted" in lines
    assert f"{keys_file}: keys.0.user: Field required" in lines
    assert store.lookup(issued.key) == issued.entry
    assert not store.changed()  # a bad file is reported once, not at every poll


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"keys:\n  - id: [unclosed\n", "line 3, column 1: invalid YAML"),
        (b"keys:\n  - user: \xe9\n", "not UTF-8 text"),
        (b"- just a list\n", "(top level): Input should be a valid dictionary"),
    ],
    ids=["yaml", "encoding", "shape"],
)
def test_unreadable_keys_file_is_one_line_and_keeps_the_keys(
    keys_file: Path, content: bytes, expected: str
) -> None:
    """Whatever is wrong with the file, reload raises one KeysFileError line and the old
    keys stay."""
    issued = create_key(keys_file, user="ann", team="red")
    store = KeyStore(keys_file)
    store.reload()
    keys_file.write_bytes(content)
    with pytest.raises(KeysFileError) as caught:
        store.reload()
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{keys_file}: ")
    assert expected in line
    assert store.lookup(issued.key) == issued.entry


def test_duplicate_key_ids_are_refused(keys_file: Path) -> None:
    """A keys file listing the same key id twice is an error."""
    create_key(keys_file, user="ann", team="red")
    edit_keys_file(keys_file, lambda data: data["keys"].append(dict(data["keys"][0])))
    with pytest.raises(KeysFileError, match="duplicate key ids"):
        read_keys_file(keys_file)


def test_create_key_refuses_to_overwrite_a_broken_keys_file(keys_file: Path) -> None:
    """Issuing a key into a keys file that does not parse fails instead of dropping keys."""
    keys_file.parent.mkdir(parents=True)
    keys_file.write_text("keys: [{usr: ann}]\n", encoding="utf-8")
    with pytest.raises(KeysFileError):
        create_key(keys_file, user="bob", team="red")
    assert keys_file.read_text(encoding="utf-8") == "keys: [{usr: ann}]\n"


def test_missing_keys_file_means_no_keys(tmp_path: Path) -> None:
    """No keys file is the same as an empty one."""
    store = KeyStore(tmp_path / "missing.yaml")
    store.reload()
    assert not store.has_keys
    assert len(store) == 0


def test_unreachable_keys_file_is_a_keys_file_error(tmp_path: Path) -> None:
    """A keys file whose path cannot be reached is reported as a KeysFileError, the one
    error the reload watcher and start-up handle, and not reported again until it changes."""
    (tmp_path / "not-a-dir").write_text("", encoding="utf-8")
    store = KeyStore(tmp_path / "not-a-dir" / "keys.yaml")
    with pytest.raises(KeysFileError, match="cannot read"):
        store.reload()
    assert not store.changed()


# --- statuses: revoke, disable, enable, rotate ------------------------------------------

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

#: A keys file as the version before key statuses wrote it (``disabled`` flags, no status).
LEGACY_FILE = f"""keys:
- app: bot
  created: '2025-01-02T03:04:05+00:00'
  disabled: false
  id: 0123456789ab
  models: []
  sha256: {digest("llmp_0123456789ab_old-secret")}
  team: red
  user: ann
- app: ''
  created: '2025-01-02T03:04:06+00:00'
  disabled: true
  id: ba9876543210
  models: []
  sha256: {digest("llmp_ba9876543210_old-secret")}
  team: red
  user: bob
"""


class Clock:
    """A settable clock for the key store."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def loaded(keys_file: Path, clock: Callable[[], datetime] | None = None) -> KeyStore:
    store = KeyStore(keys_file, clock=clock) if clock else KeyStore(keys_file)
    store.reload()
    return store


def test_keys_file_from_before_statuses_still_loads(keys_file: Path) -> None:
    """A file with ``disabled: true|false`` and no status loads: the disabled key stays
    refused, the other works, and the next change writes statuses, not the old flag."""
    keys_file.parent.mkdir(parents=True)
    keys_file.write_text(LEGACY_FILE, encoding="utf-8")
    store = loaded(keys_file)
    assert store.lookup("llmp_0123456789ab_old-secret") is not None
    assert store.lookup("llmp_ba9876543210_old-secret") is None
    assert [e.status for e in store.entries()] == ["active", "disabled"]

    create_key(keys_file, user="cy", team="red")
    text = keys_file.read_text(encoding="utf-8")
    assert "disabled:" not in text
    assert [e.status for e in read_keys_file(keys_file).keys] == ["active", "disabled", "active"]


def test_legacy_disabled_flag_cannot_re_enable_a_key(keys_file: Path) -> None:
    """``disabled: false`` beside ``status: revoked`` leaves the key revoked; a flag that is
    not a boolean is an error naming the entry."""
    issued = create_key(keys_file, user="ann", team="red")
    revoke_key(keys_file, issued.entry.id)
    edit_keys_file(keys_file, lambda data: data["keys"][0].update(disabled=False))
    assert loaded(keys_file).lookup(issued.key) is None
    edit_keys_file(keys_file, lambda data: data["keys"][0].update(disabled="maybe"))
    with pytest.raises(KeysFileError, match=r"keys\.0: .*'disabled' must be true or false"):
        read_keys_file(keys_file)


def test_revoked_key_stays_in_the_file_with_the_time(keys_file: Path) -> None:
    """Revoking keeps the entry (status revoked, the time) so the audit trail survives; the
    key is refused, still counts as configured, and revoking again changes nothing."""
    issued = create_key(keys_file, user="ann", team="red")
    change = revoke_key(keys_file, issued.entry.id, now=T0)
    assert change.changed
    (stored,) = read_keys_file(keys_file).keys
    assert (stored.status, stored.revoked_at, stored.sha256) == ("revoked", T0, issued.entry.sha256)
    store = loaded(keys_file)
    assert store.lookup(issued.key) is None
    assert store.has_keys
    assert store.active_count() == 0
    again = revoke_key(keys_file, issued.entry.id, now=T0 + timedelta(hours=1))
    assert not again.changed
    assert again.entry.revoked_at == T0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (disable_key, "is revoked; revocation is permanent"),
        (enable_key, "is revoked and cannot be enabled"),
        (rotate_key, "is revoked; only an active key can be rotated"),
    ],
    ids=["disable", "enable", "rotate"],
)
def test_revocation_is_permanent(
    keys_file: Path, change: Callable[[Path, str], object], message: str
) -> None:
    """A revoked key cannot be disabled, enabled or rotated, and the file is left as it was."""
    issued = create_key(keys_file, user="ann", team="red")
    revoke_key(keys_file, issued.entry.id)
    before = keys_file.read_bytes()
    with pytest.raises(KeyChangeError, match=message):
        change(keys_file, issued.entry.id)
    assert keys_file.read_bytes() == before


def test_disable_and_enable_switch_a_key_off_and_on(keys_file: Path) -> None:
    """A disabled key is refused and records when; enabling restores it and clears that."""
    issued = create_key(keys_file, user="ann", team="red")
    assert disable_key(keys_file, issued.entry.id, now=T0).entry.disabled_at == T0
    assert loaded(keys_file).lookup(issued.key) is None
    assert not disable_key(keys_file, issued.entry.id).changed
    enabled = enable_key(keys_file, issued.entry.id)
    assert enabled.changed
    assert (enabled.entry.status, enabled.entry.disabled_at) == ("active", None)
    assert loaded(keys_file).lookup(issued.key) == enabled.entry


def test_unknown_key_id_is_refused(keys_file: Path) -> None:
    """Changing a key that is not in the file names the id and the file."""
    create_key(keys_file, user="ann", team="red")
    with pytest.raises(KeyChangeError, match=f"no key with id 0123456789ab in {keys_file}"):
        revoke_key(keys_file, "0123456789ab")


def test_rotation_issues_a_key_for_the_same_identity_and_revokes_the_old(
    keys_file: Path,
) -> None:
    """The new key has the old one's user, team, app, models and limits; the old key is
    revoked at once and the two entries point at each other."""
    old = create_key(
        keys_file, user="ann", team="red", app="bot", models=("gpt-4o",), limits=RATE_LIMIT
    )
    new, retired = rotate_key(keys_file, old.entry.id, now=T0)
    store = loaded(keys_file)
    assert store.lookup(old.key) is None
    entry = store.lookup(new.key)
    assert entry is not None
    assert entry.identity() == dataclasses.replace(old.entry.identity(), key_id=new.entry.id)
    assert entry.limits == RATE_LIMIT
    assert (entry.rotated_from, retired.rotated_to) == (old.entry.id, new.entry.id)
    assert (retired.status, retired.revoked_at) == ("revoked", T0)
    assert store.entry(old.entry.id) == retired


def test_rotation_grace_keeps_the_old_key_until_it_ends(keys_file: Path) -> None:
    """With a grace period both keys work until it ends; then the old key is refused, the
    store reports a change (so the running proxy reloads) and it cannot be rotated again."""
    old = create_key(keys_file, user="ann", team="red")
    clock = Clock(T0)
    new, retired = rotate_key(keys_file, old.entry.id, grace=timedelta(minutes=30), now=T0)
    assert (retired.status, retired.expires_at) == ("active", T0 + timedelta(minutes=30))
    store = loaded(keys_file, clock)
    assert store.lookup(old.key) is not None
    assert store.lookup(new.key) is not None
    assert store.active_count() == 2
    assert not store.changed()
    with pytest.raises(KeyChangeError, match=f"already rotated to {new.entry.id}"):
        rotate_key(keys_file, old.entry.id, now=T0)

    clock.now = T0 + timedelta(minutes=30)
    assert store.lookup(old.key) is None
    assert store.lookup(new.key) is not None
    assert store.active_count() == 1
    assert store.changed()
    store.reload()
    assert not store.changed()
    with pytest.raises(KeyChangeError, match="is expired and cannot be enabled"):
        enable_key(keys_file, old.entry.id, now=clock.now)


def test_concurrent_changes_lose_nothing(keys_file: Path) -> None:
    """Keys created, revoked and rotated from several threads at once all end up in the
    file with their final status (writes are locked and atomic)."""
    seed = [create_key(keys_file, user=f"seed{i}", team="red") for i in range(6)]
    failures: list[BaseException] = []

    def work(i: int) -> None:
        try:
            create_key(keys_file, user=f"new{i}", team="red")
            if i % 2:
                rotate_key(keys_file, seed[i].entry.id)
            else:
                revoke_key(keys_file, seed[i].entry.id)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    entries = read_keys_file(keys_file).keys
    assert len(entries) == 6 + 6 + 3
    seed_ids = {issued.entry.id for issued in seed}
    assert {e.status for e in entries if e.id in seed_ids} == {"revoked"}
    successors = sorted(e.user for e in entries if e.rotated_from in seed_ids)
    assert successors == ["seed1", "seed3", "seed5"]
    assert [p.name for p in keys_file.parent.iterdir()] == ["keys.yaml"]  # no temp files


# --- auto mode never falls back to pass-through ------------------------------------------


async def test_emptied_keys_file_locks_everyone_out_instead_of_passthrough(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """Once an auto-mode proxy has had virtual keys, removing them all makes every call a
    401 (never pass-through), logs the lockout once without key material and sets the
    gauges; a new key ends the lockout."""
    issued = create_key(keys_file, user="ann", team="red")
    proxy = await start_proxy(FAST_RELOAD)
    sample = proxy.metrics.registry.get_sample_value
    assert (sample("llm_proxy_virtual_keys_active"), sample("llm_proxy_auth_lockout")) == (1, 0)

    with structlog.testing.capture_logs() as logs:
        keys_file.write_text("keys: []\n", encoding="utf-8")
        await eventually(lambda: proxy.services.keys.entry(issued.entry.id) is None, "reload")
        for key in (CALLER_KEY, "anything", issued.key):
            status, body = await raw_chat(proxy, {"Authorization": f"Bearer {key}"})
            assert (status, body["error"]["code"]) == (401, "invalid_api_key")
        assert fake.requests == []
        assert not proxy.services.authenticator.passthrough
        assert (sample("llm_proxy_virtual_keys_active"), sample("llm_proxy_auth_lockout")) == (
            0,
            1,
        )
        added = create_key(keys_file, user="bob", team="red")
        await eventually(lambda: proxy.services.keys.lookup(added.key) is not None, "new key")
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {added.key}"}))[0] == 200
    events = [entry["event"] for entry in logs if entry["event"].startswith("virtual_keys")]
    assert events == ["virtual_keys_none_active", "virtual_keys_active_again"]
    assert secret_of(issued.key) not in repr(logs)
    assert sample("llm_proxy_auth_lockout") == 0


async def test_revoking_the_last_key_locks_everyone_out(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """Revoking (or disabling) every key leaves a proxy that answers 401 to anything, not a
    pass-through proxy."""
    ann = create_key(keys_file, user="ann", team="red")
    bob = create_key(keys_file, user="bob", team="red")
    proxy = await start_proxy(FAST_RELOAD)
    revoke_key(keys_file, ann.entry.id)
    disable_key(keys_file, bob.entry.id)
    await eventually(lambda: proxy.services.authenticator.locked_out, "the lockout")
    for key in (CALLER_KEY, ann.key, bob.key):
        assert (await raw_chat(proxy, {"Authorization": f"Bearer {key}"}))[0] == 401
    assert fake.requests == []


@pytest.mark.parametrize("emptied", ["empty", "deleted"])
async def test_restart_after_keys_existed_still_requires_them(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path, emptied: str
) -> None:
    """A proxy that ran with virtual keys records it in its data directory: started again
    with the keys file emptied or deleted, it refuses every call instead of passing through."""
    create_key(keys_file, user="ann", team="red")
    await start_proxy()
    marker = keys_file.parent / KEYS_REQUIRED_MARKER
    assert "auth.mode: passthrough" in marker.read_text(encoding="utf-8")
    if emptied == "empty":
        keys_file.write_text("keys: []\n", encoding="utf-8")
    else:
        keys_file.unlink()

    with structlog.testing.capture_logs() as logs:
        restarted = await start_proxy()
    assert not restarted.services.authenticator.passthrough
    assert [e["event"] for e in logs if e["event"] == "virtual_keys_none_active"] == [
        "virtual_keys_none_active"
    ]
    assert (await raw_chat(restarted, {"Authorization": f"Bearer {CALLER_KEY}"}))[0] == 401
    assert fake.requests == []


async def test_passthrough_mode_is_the_explicit_way_back(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """``auth.mode: passthrough`` forwards callers' own keys even after virtual keys were in
    use, and does not record that keys are required."""
    create_key(keys_file, user="ann", team="red")
    await start_proxy()
    keys_file.unlink()
    proxy = await start_proxy({"auth": {"mode": "passthrough"}})
    await proxy.openai(CALLER_KEY).chat.completions.create(**CHAT)
    assert fake.last.headers["Authorization"] == f"Bearer {CALLER_KEY}"
    assert proxy.metrics.registry.get_sample_value("llm_proxy_auth_lockout") == 0


@pytest.mark.parametrize("mode", ["auto", "passthrough"])
async def test_virtual_key_unknown_in_passthrough_is_refused_not_forwarded(
    start_proxy: StartProxy, fake: FakeUpstream, mode: str
) -> None:
    """A virtual key the proxy does not know yet (created a moment ago, before the keys file
    was re-read) or any more, presented while callers' own keys are forwarded, gets 401:
    forwarding it would hand one of our credentials to the provider."""
    proxy = await start_proxy({"auth": {"mode": mode}})
    assert proxy.services.authenticator.passthrough
    virtual = "llmp_0123456789ab_not-yet-loaded-secret"
    for headers in ({"Authorization": f"Bearer {virtual}"}, {"x-api-key": virtual}):
        status, body = await raw_chat(proxy, headers)
        assert status == 401
        assert body["error"]["code"] == "invalid_api_key"
        assert virtual not in json.dumps(body)
    assert fake.requests == []
    await proxy.openai(CALLER_KEY).chat.completions.create(**CHAT)
    assert fake.last.headers["Authorization"] == f"Bearer {CALLER_KEY}"


async def test_zero_config_proxy_without_keys_writes_no_marker(
    start_proxy: StartProxy, keys_file: Path
) -> None:
    """A proxy that never saw a virtual key stays in pass-through and records nothing."""
    proxy = await start_proxy()
    assert proxy.services.authenticator.passthrough
    assert not (keys_file.parent / KEYS_REQUIRED_MARKER).exists()
    assert proxy.metrics.registry.get_sample_value("llm_proxy_auth_lockout") == 0


# --- through the proxy ------------------------------------------------------------------


async def test_first_key_switches_the_proxy_from_passthrough_to_virtual_keys(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """A zero-config proxy forwards the caller's own key until the first virtual key is
    created; from then on, without a restart, only virtual keys are accepted."""
    proxy = await start_proxy(FAST_RELOAD)
    await proxy.openai(CALLER_KEY).chat.completions.create(**CHAT)
    assert fake.last.headers["Authorization"] == f"Bearer {CALLER_KEY}"
    assert proxy.sink.last.key_id.startswith("pt-")

    issued = create_key(keys_file, user="ann", team="red")
    await eventually(lambda: not proxy.services.authenticator.passthrough, "switch to virtual keys")

    with pytest.raises(openai.AuthenticationError):
        await proxy.openai(CALLER_KEY).chat.completions.create(**CHAT)
    await proxy.openai(issued.key).chat.completions.create(**CHAT)
    assert fake.last.headers["Authorization"] == f"Bearer {PROVIDER_KEY}"
    assert (proxy.sink.last.user, proxy.sink.last.key_id) == ("ann", issued.entry.id)


async def test_virtual_key_is_replaced_by_the_central_provider_key(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """The provider sees the proxy's own key, never the caller's virtual key."""
    issued = create_key(keys_file, user="ann", team="red", app="bot")
    proxy = await start_proxy()
    stream = await proxy.openai(issued.key).chat.completions.create(**CHAT, stream=True)
    assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    await proxy.openai(issued.key).embeddings.create(model="text-embedding-3-small", input="x")
    for request in fake.requests:
        assert request.headers["Authorization"] == f"Bearer {PROVIDER_KEY}"
        assert all(secret_of(issued.key) not in value for value in request.headers.values())
    event = proxy.sink.last
    assert (event.user, event.team, event.app, event.key_id) == (
        "ann",
        "red",
        "bot",
        issued.entry.id,
    )


async def test_anthropic_caller_with_a_virtual_key_gets_the_anthropic_provider_key(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """An Anthropic SDK caller presents its virtual key as x-api-key; the provider gets the
    proxy's Anthropic key instead."""
    issued = create_key(keys_file, user="ann", team="red")
    proxy = await start_proxy()
    message = await proxy.anthropic(issued.key).messages.create(
        model="claude-test-model", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.content
    assert fake.last.headers["x-api-key"] == ANTHROPIC_PROVIDER_KEY
    assert "authorization" not in fake.last.headers
    assert proxy.sink.last.user == "ann"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Authorization": "Bearer llmp_0123456789ab_not-a-real-secret"}, "invalid_api_key"),
        ({"Authorization": f"Bearer {CALLER_KEY}"}, "invalid_api_key"),
        ({"x-api-key": "llmp_0123456789ab_not-a-real-secret"}, "invalid_api_key"),
        ({}, "missing_api_key"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_api_key"),
    ],
    ids=["unknown-virtual-key", "provider-key", "x-api-key", "none", "basic-auth"],
)
async def test_unknown_or_missing_key_is_401_in_openai_shape(
    start_proxy: StartProxy,
    fake: FakeUpstream,
    keys_file: Path,
    headers: dict[str, str],
    code: str,
) -> None:
    """Once virtual keys exist, any other credential gets 401 in the OpenAI error shape and
    nothing reaches the provider."""
    create_key(keys_file, user="ann", team="red")
    proxy = await start_proxy()
    status, body = await raw_chat(proxy, headers)
    assert status == 401
    assert set(body["error"]) == {"message", "type", "code", "param"}
    assert (body["error"]["code"], body["error"]["type"]) == (code, "invalid_request_error")
    assert fake.requests == []
    assert proxy.sink.last.status_code == 401


async def test_key_restricted_to_a_model_gets_403_for_another(
    start_proxy: StartProxy, fake: FakeUpstream, keys_file: Path
) -> None:
    """A key issued for gpt-4o may call gpt-4o; any other model is refused with 403."""
    issued = create_key(keys_file, user="ann", team="red", models=("gpt-4o",))
    proxy = await start_proxy()
    client = proxy.openai(issued.key)
    await client.chat.completions.create(model="gpt-4o", messages=CHAT["messages"])
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await client.chat.completions.create(model="gpt-4o-mini", messages=CHAT["messages"])
    error = caught.value.response.json()["error"]
    assert set(error) == {"message", "type", "code", "param"}
    assert (error["code"], error["param"]) == ("model_not_entitled", "model")
    assert [r.json["model"] for r in fake.requests] == ["gpt-4o"]


async def test_disabling_a_key_takes_effect_without_a_restart(
    start_proxy: StartProxy, keys_file: Path
) -> None:
    """Setting ``disabled: true`` in the keys file locks the key out within a reload interval,
    while other keys keep working."""
    doomed = create_key(keys_file, user="ann", team="red")
    kept = create_key(keys_file, user="bob", team="red")
    proxy = await start_proxy(FAST_RELOAD)
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {doomed.key}"}))[0] == 200
    edit_keys_file(keys_file, lambda data: data["keys"][0].update(disabled=True))
    await eventually(lambda: proxy.services.keys.lookup(doomed.key) is None, "disabling the key")
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {doomed.key}"}))[0] == 401
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {kept.key}"}))[0] == 200


@pytest.mark.parametrize(
    "broken", [b"keys: [{usr: ann}]\n", b"keys:\n  - user: \xe9\n"], ids=["typo", "encoding"]
)
async def test_broken_keys_file_while_running_keeps_the_old_keys(
    start_proxy: StartProxy, keys_file: Path, broken: bytes
) -> None:
    """A broken keys file saved under a running proxy is logged and counted, callers keep
    the keys loaded before, and the corrected file is picked up once saved."""
    issued = create_key(keys_file, user="ann", team="red")
    good = keys_file.read_bytes()
    proxy = await start_proxy(FAST_RELOAD)
    failures = proxy.metrics.config_reloads_total.labels("keys", "failure")
    with structlog.testing.capture_logs() as logs:
        keys_file.write_bytes(broken)
        await eventually(lambda: failures._value.get() == 1, "a failed keys reload")
    assert [entry["event"] for entry in logs] == ["keys_reload_failed"]
    assert str(keys_file) in logs[0]["problems"]
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {issued.key}"}))[0] == 200

    keys_file.write_bytes(good)
    added = create_key(keys_file, user="bob", team="red")
    await eventually(
        lambda: proxy.services.keys.entry(added.entry.id) is not None,
        "reload of the corrected keys file",
    )
    assert (await raw_chat(proxy, {"Authorization": f"Bearer {added.key}"}))[0] == 200


async def test_virtual_key_never_appears_in_events_metrics_or_logs(
    start_proxy: StartProxy, keys_file: Path
) -> None:
    """Neither the recorded events, the /metrics page nor the access log carry the key."""
    issued: IssuedKey = create_key(keys_file, user="ann", team="red")
    proxy = await start_proxy()
    with structlog.testing.capture_logs() as logs:
        await proxy.openai(issued.key).chat.completions.create(**CHAT)
        stream = await proxy.openai(issued.key).chat.completions.create(**CHAT, stream=True)
        _ = [chunk async for chunk in stream]
        await raw_chat(proxy, {"Authorization": f"Bearer {issued.key}"}, {"model": 1})
        await proxy.anthropic(issued.key).messages.create(
            model="claude-test-model", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{proxy.url}/metrics") as response,
    ):
        metrics_text = await response.text()
    assert len(proxy.sink.events) == 4
    assert [e["key_id"] for e in logs if e["event"] == "call"] == [issued.entry.id] * 4
    secret = secret_of(issued.key)
    for where in (
        repr([dataclasses.asdict(event) for event in proxy.sink.events]),
        metrics_text,
        repr(logs),
    ):
        assert secret not in where
        assert issued.entry.sha256 not in where


async def test_admin_status_counts_only_keys_that_authenticate(
    start_proxy: StartProxy, keys_file: Path
) -> None:
    """/admin/v1/status reports active keys apart from every key listed in the file."""
    kept = create_key(keys_file, user="ann", team="red")
    gone = create_key(keys_file, user="bob", team="red")
    revoke_key(keys_file, gone.entry.id)
    proxy = await start_proxy()
    status, body = await admin_get(proxy, "/v1/status", admin_token(proxy))
    assert status == 200
    assert (body["virtual_keys"], body["virtual_keys_listed"]) == (1, 2)
    assert kept.entry.id != gone.entry.id
