"""The command line's start-up: building the parser loads no store, no aiohttp, no detectors;
a command loads only what it uses.

Incident responders run ``llm-proxy <command>`` one call at a time; each paid ~2 s of imports
that only ``serve`` needs. The imports are checked in a fresh interpreter, since this test
process has long loaded everything.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.inspection import CallDecision
from proxy.admin.address import write_admin_address
from proxy.cli import choices
from proxy.config.register import USAGE_WINDOW_DAYS
from proxy.store.anomaly_rules import Thresholds
from proxy.store.config_history import KINDS
from proxy.store.spend import Grouping
from tests.proxy.conftest import StartProxy

#: Modules only some commands need, each costing from 0.1 s to seconds to import.
HEAVY = (
    "clickhouse_connect",
    "chdb",
    "aiohttp",
    "presidio_analyzer",
    "spacy",
    "structlog",
    "prometheus_client",
)


def _loaded_after(code: str) -> dict[str, bool]:
    """Which of HEAVY (and the store package) a fresh interpreter holds after ``code``."""
    names = [*HEAVY, "proxy.store"]
    report = f"print(json.dumps({{n: n in sys.modules for n in {names!r}}}))"
    probe = f"{code}\nimport json, sys\n{report}"
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, bool] = json.loads(result.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "code",
    [
        "import proxy.cli.main",
        "from proxy.cli.main import build_parser; build_parser()",
    ],
    ids=["import", "build-parser"],
)
def test_cli_start_up_imports_no_heavy_module(code: str) -> None:
    """Importing the CLI and building every command's parser loads none of the heavy modules."""
    loaded = _loaded_after(code)
    assert [name for name, present in loaded.items() if present] == []


def test_keys_list_loads_no_heavy_module(tmp_path: Path) -> None:
    """``keys list`` reads the settings and the keys file without loading the store's client,
    the embedded engine, metrics, logging, aiohttp, Presidio or spaCy."""
    code = (
        "import contextlib, io, os\n"
        f"os.chdir({str(tmp_path)!r})\n"
        "from proxy.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['keys', 'list'], environ={}) == 0"
    )
    loaded = _loaded_after(code)
    assert [name for name in HEAVY if loaded[name]] == []


async def test_logs_search_through_a_running_proxy_loads_no_aiohttp_nor_store(
    start_proxy: StartProxy, tmp_path: Path, clickhouse_url: str, store_database: str
) -> None:
    """``logs search`` that finds a running proxy through the address recorded in the data
    directory asks its admin API without loading aiohttp or the store's client."""
    config = {
        "data_dir": str(tmp_path / "data"),
        "store": {"url": clickhouse_url, "database": store_database},
    }
    proxy = await start_proxy(config, event_log=True)
    write_admin_address(proxy.settings.data_dir, f"{proxy.url}/admin")
    path = tmp_path / "proxy.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    args = ["logs", "search", "--format", "json", "--config", str(path)]
    code = (
        "import contextlib, io\n"
        "from proxy.cli.main import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    status = main({args!r}, environ={{}})\n"
        "assert (status, err.getvalue()) == (0, ''), err.getvalue()"
    )
    # In a thread: the proxy answering the child runs on this test's event loop.
    loaded = await asyncio.to_thread(_loaded_after, code)
    assert [name for name in HEAVY if loaded[name]] == []


def test_parser_choices_are_the_stores_own() -> None:
    """The names copied for the parsers equal the store's and the register's originals."""
    assert tuple(g.value for g in Grouping) == choices.GROUPINGS
    assert tuple(d.value for d in CallDecision) == choices.DECISIONS
    assert choices.CONFIG_KINDS == KINDS
    assert Thresholds().baseline_days == choices.BASELINE_DAYS
    assert choices.USAGE_WINDOW_DAYS == USAGE_WINDOW_DAYS


def test_importing_the_app_and_policies_loads_no_model_library() -> None:
    """The app, the policies and the name rules import neither spaCy nor Presidio: only
    loading the detectors does (in workers, and in ``serve``'s thread for inline scans).
    Importing spaCy for its stop-word list cost every command that reads a policy, and
    ``serve`` before it could start its workers, ~1.5 s of CPU."""
    code = "import proxy.app, policies, detectors.name_cues, detectors.ner_language"
    loaded = _loaded_after(code)
    assert (loaded["spacy"], loaded["presidio_analyzer"]) == (False, False)
