"""The command line's start-up: building the parser loads no store, no aiohttp, no detectors.

Incident responders run ``llm-proxy <command>`` one call at a time; each paid ~2 s of imports
that only ``serve`` needs. The imports are checked in a fresh interpreter, since this test
process has long loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.inspection import CallDecision
from proxy.cli import choices
from proxy.config.register import USAGE_WINDOW_DAYS
from proxy.store.anomaly_rules import Thresholds
from proxy.store.config_history import KINDS
from proxy.store.spend import Grouping

#: Modules only some commands need, each costing from 0.1 s to seconds to import.
HEAVY = ("clickhouse_connect", "chdb", "aiohttp", "presidio_analyzer", "spacy", "structlog")


def _loaded_after(code: str) -> dict[str, bool]:
    """Which of HEAVY (and the store package) a fresh interpreter holds after ``code``."""
    names = [*HEAVY, "proxy.store"]
    report = f"print(json.dumps({{n: n in sys.modules for n in {names!r}}}))"
    probe = f"{code}\nimport json, sys\n{report}"
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
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


def test_keys_list_loads_neither_aiohttp_nor_the_detectors_models(tmp_path: Path) -> None:
    """``keys list`` reads the keys file without loading aiohttp, Presidio or spaCy."""
    code = (
        "import contextlib, io, os\n"
        f"os.chdir({str(tmp_path)!r})\n"
        "from proxy.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['keys', 'list'], environ={}) == 0"
    )
    loaded = _loaded_after(code)
    assert not any(loaded[name] for name in ("aiohttp", "presidio_analyzer", "spacy", "chdb"))


def test_parser_choices_are_the_stores_own() -> None:
    """The names copied for the parsers equal the store's and the register's originals."""
    assert tuple(g.value for g in Grouping) == choices.GROUPINGS
    assert tuple(d.value for d in CallDecision) == choices.DECISIONS
    assert choices.CONFIG_KINDS == KINDS
    assert Thresholds().baseline_days == choices.BASELINE_DAYS
    assert choices.USAGE_WINDOW_DAYS == USAGE_WINDOW_DAYS
