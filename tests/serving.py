"""``llm-proxy serve`` as a real process, for tests that need the installed console script.

``serve(workdir, env=...)`` starts it on a loopback port with its output in a log file and
stops it on exit (SIGTERM, then SIGKILL); ``wait_healthy(proxy)`` polls ``/healthz`` and
fails at once, showing the log's tail, if the process exits first, or after
:data:`START_TIMEOUT` (the same generous bound for every test: how long a start takes
depends on the machine's load, not on the test). What a test is about (environment,
configuration, its own waits) stays with the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import aiohttp
import pytest

LLM_PROXY: Final = Path(sys.executable).with_name("llm-proxy")
#: Characters of the log shown when the proxy fails to start.
LOG_TAIL_CHARS: Final = 2000
#: Seconds a proxy may take to answer ``/healthz`` after it was started: a bound for
#: noticing that it never will, not a goal. One start takes ~3 s on an idle 2-core machine
#: and took 28 s with the suite sharing it with seven other jobs.
START_TIMEOUT: Final = 300.0
#: Configuration lines for tests about none of detection, its workers or the policy's PII
#: rules (keys, the log's readers, shutdown): only the secrets detector, in the proxy's own
#: process, so no spaCy model is loaded at all. A start takes a few seconds, not a third of
#: a minute under load.
LIGHT_DETECTION: Final = "detectors:\n  enabled: [secrets]\n  service: {workers: 0}\n"


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def reserved_port(port: int | None = None) -> Iterator[int]:
    """Hold ``port`` (by default a free one) on 127.0.0.1 until exit, without listening.

    A proxy binds its listener only once its detectors are loaded, a minute and more under
    load: until then a port from :func:`free_port` is free for any process's ``bind(0)``,
    and a test proxy of a suite running beside this one could take it and answer this
    one's ``/readyz`` and ``/metrics`` (h201: a first ``/readyz`` whose metrics were a
    light proxy's, loads 1 instead of 2, passing alone). Held here with ``SO_REUSEADDR``
    and never listened on, the kernel gives it to no ``bind(0)``, while the proxy's port
    probe and its own bind (asyncio and uvloop servers set ``SO_REUSEADDR``) succeed. A
    given port another socket holds is yielded unheld.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if port is None:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        else:
            with contextlib.suppress(OSError):
                sock.bind(("127.0.0.1", port))
        yield port


def stop(process: subprocess.Popen[bytes], *, timeout: float = 10.0) -> None:
    """Terminate ``process`` and wait for it; kill it if it is still running after ``timeout``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class ServedProxy:
    """A running ``llm-proxy serve`` process, where it listens and where it logs."""

    process: subprocess.Popen[bytes]
    port: int
    log_file: Path

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host_port}"

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-chars:]

    def kill(self, *, timeout: float = 30.0) -> None:
        """SIGKILL the process (no shutdown, no flush) and wait until it is gone."""
        self.process.kill()
        self.process.wait(timeout=timeout)


@contextlib.contextmanager
def serve(
    workdir: Path,
    *,
    env: Mapping[str, str],
    config: str | None = None,
    args: Sequence[str] = (),
    port: int | None = None,
    stop_timeout: float = 10.0,
) -> Iterator[ServedProxy]:
    """Run ``llm-proxy serve`` in ``workdir`` on ``port`` (by default a free one).

    ``env`` is the process' whole environment. ``config``, when given, is written to
    ``workdir/proxy.yaml`` and passed with ``--config``; ``args`` are appended to the
    command line. stdout and stderr are appended to ``workdir/proxy.log``, so a restart in
    the same directory keeps the earlier run's lines. On exit the process is stopped with
    :func:`stop`.
    """
    assert LLM_PROXY.exists(), f"console script not installed at {LLM_PROXY}"
    workdir.mkdir(parents=True, exist_ok=True)
    with reserved_port(port) as held:
        command = [str(LLM_PROXY), "serve"]
        if config is not None:
            (workdir / "proxy.yaml").write_text(config, encoding="utf-8")
            command += ["--config", "proxy.yaml"]
        command += ["--port", str(held), *args]
        log_file = workdir / "proxy.log"
        with log_file.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own console script
                command,
                cwd=workdir,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            yield ServedProxy(process, held, log_file)
        finally:
            stop(process, timeout=stop_timeout)


async def wait_healthy(proxy: ServedProxy, *, timeout: float = START_TIMEOUT) -> None:
    """Poll ``/healthz`` until it answers 200; fail with the log's tail if the process exits
    first or ``timeout`` seconds pass."""
    async with aiohttp.ClientSession() as session:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    if proxy.process.poll() is not None:
                        pytest.fail(
                            f"llm-proxy serve exited ({proxy.process.returncode}) during"
                            f" start-up:\n{proxy.log_tail()}"
                        )
                    with contextlib.suppress(aiohttp.ClientError):
                        async with session.get(f"{proxy.url}/healthz") as response:
                            if response.status == 200:
                                return
                    await asyncio.sleep(0.05)
        except TimeoutError:
            pytest.fail(f"llm-proxy serve not healthy after {timeout} s:\n{proxy.log_tail()}")
