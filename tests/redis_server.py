"""A real ``redis-server`` on a free loopback port, for tests of limits shared by replicas.

:class:`RedisServer` starts the machine's ``redis-server`` (no persistence, no config file)
and can be stopped and started again on the same port, which is how tests take Redis away
from a running proxy and give it back. ``make test`` installs the package when missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.serving import free_port, stop

REDIS_SERVER = shutil.which("redis-server")


class RedisServer:
    """One ``redis-server`` process; ``url`` stays the same across stop/start."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, timeout: float = 10.0) -> None:
        assert REDIS_SERVER is not None
        command = [
            REDIS_SERVER,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.workdir),
        ]  # fmt: skip
        with (self.workdir / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"redis-server exited: {(self.workdir / 'redis.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        pytest.fail(f"redis-server not listening on {self.port} after {timeout} s")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def require_redis_server() -> None:
    """Fail (not skip) when redis-server is missing: ``make test`` installs it."""
    if REDIS_SERVER is None:
        pytest.fail("redis-server is not installed (make system-deps installs it)")
