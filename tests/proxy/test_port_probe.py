"""A taken port is reported before the slow part of start-up (store, detection workers)."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from tests.serving import LLM_PROXY


def _serve_with(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(LLM_PROXY), "serve", *args],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _events(stderr: str) -> list[str]:
    return [json.loads(line)["event"] for line in stderr.splitlines() if line.startswith("{")]


@pytest.mark.slow
def test_a_taken_api_port_fails_before_the_store_and_detectors_start(tmp_path: Path) -> None:
    """The port check comes first: no store connection or detector pool is started for a
    proxy that cannot listen, so the error comes at once even on a loaded machine."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _serve_with(tmp_path, "--port", str(port))
    assert result.returncode != 0
    (line,) = [ln for ln in result.stderr.splitlines() if not ln.startswith("{")]
    assert line.startswith(f"llm-proxy: cannot listen on 127.0.0.1:{port}: ")
    assert "store_connected" not in _events(result.stderr)
    assert not (tmp_path / "data" / "clickhouse").exists()


@pytest.mark.slow
def test_a_taken_admin_port_is_named_by_its_setting_before_start_up(tmp_path: Path) -> None:
    """A taken ``admin.listen`` port fails the same way, naming the setting, before the API
    listener's start-up runs."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        config = tmp_path / "config.yaml"
        config.write_text(
            "listen: {host: 127.0.0.1, port: 0}\n"
            f"admin:\n  listen: {{host: 127.0.0.1, port: {port}}}\n",
            encoding="utf-8",
        )
        result = _serve_with(tmp_path, "--config", str(config))
    assert result.returncode != 0, result.stderr[-2000:]
    (line,) = [ln for ln in result.stderr.splitlines() if not ln.startswith("{")]
    where = f"127.0.0.1:{port} (admin.listen)"
    assert line == f"llm-proxy: cannot listen on {where}: Address already in use"
    assert "store_connected" not in _events(result.stderr)
