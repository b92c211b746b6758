"""The ``llm-proxy`` command line: help, key issuing, and the zero-config day-one flow."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import stat
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import openai
import pytest

from proxy.cli.main import build_parser, main
from proxy.config.keys import KeyStore, read_keys_file
from tests.fakes import FakeUpstream
from tests.proxy.conftest import CALLER_KEY
from tests.serving import LLM_PROXY, ServedProxy, serve, wait_healthy

#: A prompt the proxy's own log must never contain.
PROMPT = "Summarise the Bluebird-7731 merger memo"


def command_paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command and sub-command the parser knows, as argv prefixes."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*prefix, name))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the command in an empty working directory, as on a fresh machine."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- help -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", list(command_paths(build_parser())), ids=" ".join)
def test_every_command_has_help(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` works on the program and on every (sub)command, and exits 0."""
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--help"], environ={})
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {' '.join(('llm-proxy', *argv))}")


def test_serve_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    """``serve --help`` lists the config, host and port options and the zero-config default."""
    with pytest.raises(SystemExit):
        main(["serve", "--help"], environ={})
    out = " ".join(capsys.readouterr().out.split())
    for flag in ("--config FILE", "--host", "--port", "LLM_PROXY_CONFIG", "127.0.0.1:8080"):
        assert flag in out


def test_unknown_command_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped command is a usage error (exit 2), not a traceback."""
    with pytest.raises(SystemExit) as caught:
        main(["srve"], environ={})
    assert caught.value.code == 2
    assert "invalid choice: 'srve'" in capsys.readouterr().err


# --- keys create ----------------------------------------------------------------------


def test_keys_create_json_writes_the_keys_file_under_the_data_dir(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``keys create --json`` prints the new key and its id, and adds it to the keys file
    in the configured data directory."""
    config = in_tmp / "proxy.yaml"
    config.write_text("data_dir: ./state\n", encoding="utf-8")
    argv = ["keys", "create", "--config", str(config), "--user", "ann", "--team", "red"]
    code = main([*argv, "--app", "bot", "--model", "gpt-4o", "--rpm", "5", "--json"], environ={})
    captured = capsys.readouterr()
    assert code == 0
    printed = json.loads(captured.out)
    keys_file = in_tmp / "state" / "keys.yaml"
    assert printed["file"] == str(keys_file)
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert printed["key"] not in keys_file.read_text(encoding="utf-8")
    store = KeyStore(keys_file)
    store.reload()
    entry = store.lookup(printed["key"])
    assert entry is not None
    assert (entry.id, entry.user, entry.team, entry.app, entry.models) == (
        printed["id"],
        "ann",
        "red",
        "bot",
        ("gpt-4o",),
    )
    assert entry.limits is not None
    assert (entry.limits.requests_per_minute, entry.limits.tokens_per_minute) == (5, None)


def test_keys_create_without_config_uses_data_in_the_working_directory(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no configuration the key goes to ./data/keys.yaml; stdout is only the key, and
    the note about storing it goes to stderr."""
    code = main(["keys", "create", "--user", "ann", "--team", "red"], environ={})
    captured = capsys.readouterr()
    assert code == 0
    (key,) = captured.out.splitlines()
    (stored,) = read_keys_file(in_tmp / "data" / "keys.yaml").keys
    assert key.startswith(f"llmp_{stored.id}_")
    assert stored.id in captured.err
    assert key not in captured.err


def test_keys_create_honours_llm_proxy_config(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """LLM_PROXY_CONFIG decides where ``keys create`` writes, like it does for ``serve``."""
    config = in_tmp / "proxy.yaml"
    config.write_text(f"auth:\n  keys_file: {in_tmp / 'elsewhere.yaml'}\n", encoding="utf-8")
    code = main(
        ["keys", "create", "--user", "ann", "--team", "red"],
        environ={"LLM_PROXY_CONFIG": str(config)},
    )
    assert code == 0
    assert len(read_keys_file(in_tmp / "elsewhere.yaml").keys) == 1
    assert not (in_tmp / "data").exists()
    capsys.readouterr()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--rpm", "0"], "llm-proxy: --rpm must be a positive number (got 0)"),
        (["--tpm", "-5"], "llm-proxy: --tpm must be a positive number (got -5)"),
        (["--user", ""], "llm-proxy: --user: String should have at least 1 character (got '')"),
    ],
    ids=["rpm-zero", "tpm-negative", "empty-user"],
)
def test_keys_create_with_bad_input_exits_non_zero_in_one_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    """Bad ``keys create`` input is refused with one line on stderr and no key issued."""
    code = main(["keys", "create", "--user", "ann", "--team", "red", *options], environ={})
    captured = capsys.readouterr()
    assert code != 0
    assert captured.err.splitlines() == [message]
    assert captured.out == ""
    assert not (in_tmp / "data" / "keys.yaml").exists()


def test_keys_create_into_a_broken_keys_file_exits_non_zero_in_one_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A keys file that does not parse is reported in one line and left as it was."""
    keys_file = in_tmp / "data" / "keys.yaml"
    keys_file.parent.mkdir()
    keys_file.write_text("keys: [{usr: ann}]\n", encoding="utf-8")
    code = main(["keys", "create", "--user", "bob", "--team", "red"], environ={})
    captured = capsys.readouterr()
    assert code != 0
    (line,) = captured.err.splitlines()
    assert line.startswith(f"llm-proxy: {keys_file}: keys.0")
    assert keys_file.read_text(encoding="utf-8") == "keys: [{usr: ann}]\n"


# --- serve, as a real process -----------------------------------------------------------


@pytest.fixture
async def served(tmp_path: Path, fake: FakeUpstream) -> AsyncIterator[ServedProxy]:
    """``llm-proxy serve`` started zero-config in an empty directory, in front of the fake.

    The environment holds only what a developer's shell would: no config, no provider key.
    """
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OPENAI_BASE_URL": f"{fake.url}/v1"}
    with serve(tmp_path, env=env) as proxy:
        await wait_healthy(proxy)
        yield proxy


@pytest.mark.slow
async def test_zero_config_day_one_flow(
    served: ServedProxy, fake: FakeUpstream, tmp_path: Path
) -> None:
    """With no configuration, ``llm-proxy serve`` relays a streamed chat from the official
    SDK, sets up local administration with a private token, stops cleanly on SIGTERM, and
    its log never shows the caller's key or the prompt."""
    process, url = served.process, served.url
    async with openai.AsyncOpenAI(
        api_key=CALLER_KEY, base_url=f"{url}/v1", max_retries=0
    ) as client:
        stream = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True
        )
        pieces = [chunk.choices[0].delta.content async for chunk in stream if chunk.choices]
    assert "".join(p for p in pieces if p) == "Hello from the fake"
    assert len(pieces) > 1
    assert fake.last.headers["Authorization"] == f"Bearer {CALLER_KEY}"  # pass-through

    data = tmp_path / "data"
    token_file = data / "admin.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    admin = json.loads((data / "admin.json").read_text(encoding="utf-8"))
    assert admin["url"] == f"{url}/admin"
    token = token_file.read_text(encoding="utf-8").strip()
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{admin['url']}/v1/status", headers={"Authorization": f"Bearer {token}"}
        ) as response,
    ):
        assert response.status == 200
        assert (await response.json())["auth_mode"] == "passthrough"

    process.send_signal(signal.SIGTERM)
    await asyncio.to_thread(process.wait, 15)
    assert process.returncode == 0
    stderr = served.log_file.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in stderr.splitlines()]
    events = [line["event"] for line in lines]
    assert "listening" in events
    assert "call" in events
    assert CALLER_KEY not in stderr
    assert CALLER_KEY[-12:] not in stderr
    assert "Bluebird" not in stderr


@pytest.mark.slow
def test_serve_on_a_port_in_use_exits_non_zero_in_one_line(tmp_path: Path) -> None:
    """Starting on a port another process holds fails at once with a one-line reason."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(LLM_PROXY), "serve", "--port", str(port)],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode != 0
    # Start-up log lines are JSON; the reason is the one line that is not.
    (line,) = [ln for ln in result.stderr.splitlines() if not ln.startswith("{")]
    assert line.startswith(f"llm-proxy: cannot listen on 127.0.0.1:{port}: ")
    assert "address already in use" in line.lower()
    assert not (tmp_path / "data" / "admin.json").exists()
