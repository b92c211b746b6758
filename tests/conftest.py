"""Suite-wide fixtures: the one embedded ClickHouse engine of the test process, the store's
schema migrated once into a template, and the check that the session leaves no process behind.

A process can hold only one embedded-engine (chdb) path at a time, so every test that
needs ClickHouse shares this session's engine directory and isolates itself by database
name (``store_database``), never by opening an engine of its own. A test that needs the
migrated schema but is not about migrating takes ``migrated_database``: a copy of the
session's template (:mod:`tests.store_template`), not a migration of its own.
"""

from __future__ import annotations

import contextlib
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import signal
import uuid
from collections.abc import Iterator

import pytest

from proxy.store import StoreSettings, open_client
from tests import processes
from tests.fuzzing import fuzz_scale
from tests.store_template import (
    TEST_DATABASE,
    SchemaTemplate,
    copy_into,
    drop,
    exists,
    template_name,
)


@pytest.fixture(scope="session")
def clickhouse_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``chdb://`` URL of the session's embedded engine directory."""
    return f"chdb://{tmp_path_factory.mktemp('clickhouse')}"


@pytest.fixture
def store_database(request: pytest.FixtureRequest, clickhouse_url: str) -> str:
    """A database name no other test uses; dropped once the test is over, if it was created."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    request.node.stash[TEST_DATABASE] = StoreSettings(url=clickhouse_url, database=name)
    return name


@pytest.fixture(autouse=True)
def drop_the_test_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the rest of the test's teardown (an autouse fixture is set up first, so it is
    torn down last: proxies and event logs on the database have closed), drop the database
    ``store_database`` named if it exists.

    A database left behind costs the rest of the session: the engine's background threads
    keep visiting its tables (about 1.5 % of a core per ten empty databases, measured), and
    every client opened later walks its files (``open_client`` narrows the engine's tree).
    """
    yield
    settings = request.node.stash.get(TEST_DATABASE, None)
    if settings is not None and exists(settings):
        drop(settings)


@pytest.fixture(scope="session")
def schema_template(clickhouse_url: str) -> SchemaTemplate:
    """The store's schema, migrated once for the session into a database no test uses."""
    settings = StoreSettings(url=clickhouse_url, database=template_name())
    client = open_client(settings)
    try:
        return SchemaTemplate.build(client, settings)
    finally:
        client.close()


@pytest.fixture
def migrated_database(
    clickhouse_url: str, store_database: str, schema_template: SchemaTemplate
) -> str:
    """``store_database`` created with the whole migrated schema (a copy of the template)."""
    copy_into(schema_template, StoreSettings(url=clickhouse_url, database=store_database))
    return store_database


#: Seconds the session's end waits for processes still on their way out (a forkserver
#: exits only after the proxy that owned it did).
LEFTOVER_GRACE_SECONDS = 15.0


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """At the end of the session, no process the tests started is still running.

    pytest becomes a child subreaper first, so a process orphaned when a test killed its
    parent (a proxy's detection worker, say) is reparented here and still counted. This
    process's own multiprocessing helpers (forkserver, resource tracker) end with it and
    are not counted; what they started is. Survivors are listed, then killed.
    """
    processes.become_subreaper()
    yield
    helpers = _multiprocessing_helpers()
    ours = [proc for proc in processes.descendants(os.getpid()) if proc.pid not in helpers]
    left = processes.wait_until_gone(ours, timeout=LEFTOVER_GRACE_SECONDS)
    listing = [f"  pid {proc.pid} (parent {proc.ppid}): {proc.cmdline()}" for proc in left]
    for proc in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
    processes.wait_until_gone(left, timeout=LEFTOVER_GRACE_SECONDS)
    processes.reap_zombie_children()
    if left:
        pytest.fail("processes left behind by the test session:\n" + "\n".join(listing))


def _multiprocessing_helpers() -> set[int]:
    """Pids of this process's forkserver and resource tracker (private to multiprocessing)."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    tracker = getattr(multiprocessing.resource_tracker, "_resource_tracker", None)
    pids = (getattr(server, "_forkserver_pid", None), getattr(tracker, "_pid", None))
    return {pid for pid in pids if isinstance(pid, int)}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under a soak (``LLM_PROXY_FUZZ_SCALE=N``, :mod:`tests.fuzzing`) each test's hang bound
    (pytest-timeout's, 300 s from pyproject or the test's own marker) is N times as long:
    a property test draws N times its examples, and a soak run should fail only on what the
    draws find, not on the bound meant for one run's count."""
    scale = fuzz_scale()
    if scale == 1:
        return
    default = config.getvalue("timeout") or float(config.getini("timeout") or 0)
    for item in items:
        marker = item.get_closest_marker("timeout")
        own = marker.args[0] if marker is not None and marker.args else None
        base = float(own if own is not None else default)
        if base > 0:
            item.add_marker(pytest.mark.timeout(base * scale), append=False)
