"""A real Prometheus for tests: started from the shipped config, queried over its HTTP API.

``running_prometheus(workdir, targets)`` starts Debian's ``prometheus`` on a free loopback
port, scraping ``targets`` as job ``llm-proxy`` every second with the shipped rule files
loaded, and yields a :class:`Prometheus` whose :meth:`Prometheus.query` runs PromQL through
``/api/v1/query``. Used by the live scrape test and by the dashboard tests, which check
their panels' expressions the same way. Everything here is synchronous (stdlib HTTP); async
tests call it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.serving import free_port, stop

REPO = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO / "deploy" / "prometheus"
CONFIG_FILE = DEPLOY_DIR / "prometheus.yml"
RULE_FILES: tuple[Path, ...] = (DEPLOY_DIR / "recording.yml", DEPLOY_DIR / "alerts.yml")
JOB = "llm-proxy"
INSTALL_HINT = (
    "install Debian's Prometheus package, which provides both `prometheus` and `promtool`: "
    "`apt-get update && apt-get install -y prometheus` (CI does this in .ci/run)"
)

Sample = dict[str, Any]


def require_tool(name: str) -> str:
    """Return the path of ``prometheus`` or ``promtool``, failing the test when it is missing."""
    # /usr/bin too, for a test process started with a narrow PATH.
    path = shutil.which(name) or shutil.which(name, path="/usr/bin")
    if path is None:
        # A missing tool must fail, not skip: the alert tests are part of the contract.
        pytest.fail(f"`{name}` is not installed: {INSTALL_HINT}", pytrace=False)
    return path


def shipped_rule_groups(rule_files: Sequence[Path] = RULE_FILES) -> list[dict[str, Any]]:
    """Return the rule groups of ``rule_files`` as parsed YAML, in file order."""
    groups: list[dict[str, Any]] = []
    for path in rule_files:
        groups.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["groups"])
    return groups


def loopback_config(
    targets: Sequence[str],
    *,
    interval: float = 1.0,
    rule_files: Sequence[Path] = RULE_FILES,
) -> dict[str, Any]:
    """Return the shipped Prometheus config rewritten for a test on loopback.

    Only the ``llm-proxy`` job is kept, pointed at ``targets``; scrape and evaluation run
    every ``interval`` seconds; rule files become absolute paths; Alertmanager is dropped
    (it would resolve a non-loopback host name).
    """
    config: dict[str, Any] = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    (job,) = (j for j in config["scrape_configs"] if j["job_name"] == JOB)
    job["static_configs"] = [{"targets": list(targets)}]
    every = f"{round(interval * 1000)}ms"
    job["scrape_interval"] = job["scrape_timeout"] = every
    config["scrape_configs"] = [job]
    config["global"] = {
        **config.get("global", {}),
        "scrape_interval": every,
        "evaluation_interval": every,
    }
    config["rule_files"] = [str(path) for path in rule_files]
    config.pop("alerting", None)
    return config


class PrometheusError(AssertionError):
    """Prometheus' HTTP API answered with an error (for example a PromQL parse error)."""


@dataclass(frozen=True)
class Prometheus:
    """A running Prometheus, reached over its HTTP API at ``url``."""

    url: str
    log_file: Path

    def api(self, path: str, **params: str) -> Any:
        """GET ``/api/v1/<path>`` and return its ``data``; raise on an API error."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/{path}{query}", timeout=10) as r:  # noqa: S310 - loopback http URL we built
                body = json.load(r)
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read() or b"{}")
            raise PrometheusError(
                f"{path} {params}: HTTP {exc.code}: {body.get('errorType')}: {body.get('error')}"
            ) from None
        if body.get("status") != "success":
            raise PrometheusError(f"{path} {params}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str) -> list[Sample]:
        """Evaluate an instant PromQL query; return its samples (a scalar is one sample)."""
        data = self.api("query", query=expr)
        if data["resultType"] in ("scalar", "string"):
            return [{"metric": {}, "value": data["result"]}]
        result: list[Sample] = data["result"]
        return result

    def query_range(self, expr: str, start: float, end: float, step: float) -> list[Sample]:
        """Evaluate a range PromQL query (as Grafana time-series panels do)."""
        data = self.api("query_range", query=expr, start=str(start), end=str(end), step=str(step))
        result: list[Sample] = data["result"]
        return result

    def rule_groups(self) -> list[dict[str, Any]]:
        """Return the loaded rule groups with each rule's health and last error."""
        groups: list[dict[str, Any]] = self.api("rules")["groups"]
        return groups

    def wait_for(self, expr: str, *, timeout: float, finite: bool = False) -> list[Sample]:
        """Poll ``expr`` until it has samples (``finite``: a finite one); fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            samples = self.query(expr)
            if samples and (not finite or any(math.isfinite(value(s)) for s in samples)):
                return samples
            if time.monotonic() > deadline:
                pytest.fail(f"no {'finite ' if finite else ''}data for {expr!r} after {timeout} s")
            time.sleep(0.25)


def value(sample: Sample) -> float:
    """Return the float value of an instant-query sample (NaN and Inf included)."""
    return float(sample["value"][1])


@contextmanager
def running_prometheus(
    workdir: Path,
    targets: Sequence[str],
    *,
    interval: float = 1.0,
    rule_files: Sequence[Path] = RULE_FILES,
    start_timeout: float = 60.0,
) -> Iterator[Prometheus]:
    """Run Prometheus on a free loopback port with storage in ``workdir``; stop it on exit."""
    binary = require_tool("prometheus")
    workdir.mkdir(parents=True, exist_ok=True)
    config_file = workdir / "prometheus.yml"
    config_file.write_text(
        yaml.safe_dump(loopback_config(targets, interval=interval, rule_files=rule_files)),
        encoding="utf-8",
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = workdir / "prometheus.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
            [
                binary,
                f"--config.file={config_file}",
                f"--storage.tsdb.path={workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(url, process, log_file, start_timeout)
        yield Prometheus(url=url, log_file=log_file)
    finally:
        stop(process)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log_file: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"prometheus exited ({process.returncode}) during start-up:\n{_tail(log_file)}"
            )
        try:
            with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as response:  # noqa: S310 - loopback http URL we built
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"prometheus not ready after {timeout} s:\n{_tail(log_file)}")
        time.sleep(0.1)


def _tail(path: Path, size: int = 3000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-size:]
