"""``llm-proxy keys list|revoke|disable|enable|rotate``: output, the keys file, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy.cli.main import main
from proxy.config.key_changes import create_key
from proxy.config.keys import KeyStore, read_keys_file


@pytest.fixture
def keys_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands run zero-config in an empty directory: the keys file is ./data/keys.yaml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "keys.yaml"


def keys(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``llm-proxy keys ARGV``; exit code, stdout and stderr."""
    code = main(["keys", *argv], environ={})
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_identity_and_status_but_never_the_key_or_its_hash(
    keys_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``keys list`` prints id, user, team, app, status and creation time of every key,
    revoked ones included, in a table and as JSON, and never a secret or a SHA-256."""
    ann = create_key(keys_file, user="ann", team="red", app="bot")
    bob = create_key(keys_file, user="bob", team="blue")
    assert keys(capsys, "revoke", bob.entry.id)[0] == 0

    code, table, _ = keys(capsys, "list")
    assert code == 0
    header, *rows = table.splitlines()
    assert header.split() == ["ID", "USER", "TEAM", "APP", "STATUS", "CREATED", "DETAIL"]
    assert rows[0].split()[:6] == [ann.entry.id, "ann", "red", "bot", "active", ann.entry.created]
    assert rows[1].split()[:5] == [bob.entry.id, "bob", "blue", "-", "revoked"]
    assert "revoked 20" in rows[1]

    code, out, _ = keys(capsys, "list", "--json")
    listed = json.loads(out)
    assert [(e["id"], e["status"]) for e in listed] == [
        (ann.entry.id, "active"),
        (bob.entry.id, "revoked"),
    ]
    assert listed[1]["revoked_at"] is not None
    for text in (table, out):
        for issued in (ann, bob):
            assert issued.key.split("_", 2)[2] not in text
            assert issued.entry.sha256 not in text
            assert "sha256" not in text


def test_list_filters_by_status(keys_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--status`` keeps only keys in the given statuses."""
    ann = create_key(keys_file, user="ann", team="red")
    bob = create_key(keys_file, user="bob", team="red")
    keys(capsys, "disable", bob.entry.id)
    _, out, _ = keys(capsys, "list", "--status", "disabled", "--json")
    assert [e["id"] for e in json.loads(out)] == [bob.entry.id]
    _, out, _ = keys(capsys, "list", "--status", "active", "--status", "disabled", "--json")
    assert [e["id"] for e in json.loads(out)] == [ann.entry.id, bob.entry.id]


def test_list_of_no_keys_says_so(keys_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With no keys file, ``keys list`` exits 0 and names the file it looked at."""
    assert keys(capsys, "list") == (0, f"no keys in {keys_file}\n", "")


def test_revoke_disable_enable_report_on_stderr_and_change_the_file(
    keys_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each status command exits 0, says what it did (or that nothing changed) in one line
    on stderr, prints nothing on stdout, and the store sees the new status."""
    issued = create_key(keys_file, user="ann", team="red")
    key_id = issued.entry.id
    steps = [
        ("disable", "disabled in", "disabled"),
        ("disable", "is already disabled; nothing changed", "disabled"),
        ("enable", "enabled in", "active"),
        ("enable", "is already active; nothing changed", "active"),
        ("revoke", "revoked in", "revoked"),
        ("revoke", "is already revoked; nothing changed", "revoked"),
    ]
    for action, said, status in steps:
        code, out, err = keys(capsys, action, key_id)
        assert (code, out) == (0, "")
        (line,) = err.splitlines()
        assert line.startswith(f"key {key_id} (user 'ann', team 'red') ")
        assert said in line
        (entry,) = read_keys_file(keys_file).keys
        assert entry.status == status


def test_rotate_prints_the_new_key_once(
    keys_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``keys rotate`` prints only the new key on stdout, names both ids on stderr, and the
    new key authenticates as the same user and team while the old one is refused."""
    old = create_key(keys_file, user="ann", team="red", app="bot")
    code, out, err = keys(capsys, "rotate", old.entry.id)
    assert code == 0
    (new_key,) = out.splitlines()
    assert new_key not in err
    assert f"replaces {old.entry.id}" in err
    assert "the old key is revoked" in err
    store = KeyStore(keys_file)
    store.reload()
    assert store.lookup(old.key) is None
    entry = store.lookup(new_key)
    assert entry is not None
    assert (entry.user, entry.team, entry.app, entry.rotated_from) == (
        "ann",
        "red",
        "bot",
        old.entry.id,
    )


def test_rotate_with_grace_keeps_the_old_key_working(
    keys_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--grace 2h`` leaves the old key valid until the time it prints; list shows both."""
    old = create_key(keys_file, user="ann", team="red")
    code, out, _ = keys(capsys, "rotate", old.entry.id, "--grace", "2h", "--json")
    assert code == 0
    rotated = json.loads(out)
    assert rotated["replaces"] == old.entry.id
    assert rotated["old_key_valid_until"] is not None
    store = KeyStore(keys_file)
    store.reload()
    assert store.lookup(old.key) is not None
    assert store.lookup(rotated["key"]) is not None
    _, table, _ = keys(capsys, "list")
    assert f"valid until {rotated['old_key_valid_until'][:19]}" in table
    assert f"replaced by {rotated['id']}" in table


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["revoke", "0123456789ab"], "no key with id 0123456789ab in {keys_file}"),
        (["revoke", "0123"], "KEY_ID must be 12 hexadecimal characters"),
        (["disable", "sk-live-provider-key-123456"], "KEY_ID must be 12 hexadecimal characters"),
        (["revoke", "llmp_{id}_secretpart"], "KEY_ID is the key's id, not the key"),
        (["enable", "{revoked}"], "key {revoked} is revoked and cannot be enabled"),
        (["rotate", "{revoked}"], "key {revoked} is revoked; only an active key can be rotated"),
        (["rotate", "{id}", "--grace", "soon"], "--grace: 'soon' is not a duration"),
    ],
    ids=[
        "unknown",
        "short",
        "provider-key",
        "whole-key",
        "enable-revoked",
        "rotate-revoked",
        "grace",
    ],
)
def test_bad_key_commands_exit_non_zero_in_one_line(
    keys_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Bad input is refused with one line on stderr, the keys file unchanged, and the
    argument never echoed when it might be a secret."""
    active = create_key(keys_file, user="ann", team="red")
    revoked = create_key(keys_file, user="bob", team="red")
    keys(capsys, "revoke", revoked.entry.id)
    before = keys_file.read_bytes()
    values = {"id": active.entry.id, "revoked": revoked.entry.id, "keys_file": keys_file}
    code, out, err = keys(capsys, *(arg.format(**values) for arg in argv))
    assert code == 1
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("llm-proxy: ")
    assert message.format(**values) in line
    assert "secretpart" not in line
    assert "sk-live" not in line
    assert keys_file.read_bytes() == before


@pytest.mark.parametrize("action", ["list", "revoke", "rotate"])
def test_broken_keys_file_is_one_line_and_left_alone(
    keys_file: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    """A keys file that does not parse is reported in one line and never rewritten."""
    keys_file.parent.mkdir()
    keys_file.write_text("keys: [{usr: ann}]\n", encoding="utf-8")
    argv = [action] if action == "list" else [action, "0123456789ab"]
    code, _, err = keys(capsys, *argv)
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"llm-proxy: {keys_file}: keys.0")
    assert keys_file.read_text(encoding="utf-8") == "keys: [{usr: ann}]\n"
