"""call_volume_1m rolled up by the writer: every call counted once, whatever happens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import orjson
import pytest
from clickhouse_connect.driver.client import Client

from proxy.metrics import Metrics
from proxy.store import EventLog, StoreSettings
from proxy.store.migrations import MIGRATIONS
from proxy.store.rollup import Rollup
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.schema import migrate
from proxy.store.settings import ContentMode
from tests.store.factories import make_event, wait_for

ROOT = Path(__file__).resolve().parents[2]
_T0 = datetime(2026, 11, 30, 10, 0, 15, tzinfo=UTC)
_FIGURES = (
    "sum(calls), sum(errors), sum(blocked), sum(streamed), sum(prompt_tokens),"
    " sum(completion_tokens), sum(tokens), round(sum(latency_ms_sum), 1),"
    " round(sum(cost), 4), sum(unpriced)"
)
# What call_volume_1m must say, computed from the rows themselves.
_EXPECTED = """
SELECT toStartOfMinute(ts) AS minute, team, user, model, provider, decision,
    count(), countIf(decision != 'block' AND (status_code >= 400 OR decision = 'error')),
    countIf(decision = 'block'), countIf(stream), sum(prompt_tokens), sum(completion_tokens),
    sum(prompt_tokens + completion_tokens), round(sum(latency_ms), 1),
    round(sum(ifNull(cost, 0)), 4), countIf(isNull(cost))
FROM {db}.requests GROUP BY minute, team, user, model, provider, decision ORDER BY ALL
"""


Rows = Sequence[Sequence[Any]]


def per_minute(client: Client, db: str) -> tuple[Rows, Rows]:
    """(what call_volume_1m says, what the rows of requests say), per minute and key."""
    view = client.query(
        f"SELECT minute, team, user, model, provider, decision, {_FIGURES}"
        f" FROM {db}.call_volume_1m GROUP BY minute, team, user, model, provider, decision"
        " ORDER BY ALL"
    ).result_rows
    return view, client.query(_EXPECTED.format(db=db)).result_rows


def open_tail(client: Client, db: str) -> int:
    """Rows of requests the closed steps do not cover yet."""
    sql = (
        f"SELECT count() FROM {db}.requests WHERE inserted_at >="
        f" (SELECT max(upto) FROM {db}.call_volume_1m_rolled_up_to)"
    )
    return int(client.query(sql).result_rows[0][0])


def mixed_events(count: int, *, start: datetime = _T0) -> list[Any]:
    """Calls over three minutes, two users and every kind of outcome."""
    kinds: list[dict[str, Any]] = [
        {},
        {"user": "bob", "stream": True, "cost": 0.25},
        {"decision": "block", "status_code": 403, "completion_tokens": 0},
        {"decision": "error", "status_code": 502, "cost": 0.5},
    ]
    return [
        make_event(ts=start + timedelta(seconds=37 * i), **kinds[i % len(kinds)])
        for i in range(count)
    ]


# Time, driven by the tests: rather than sleep until the engine's clock closes a step, a
# test stamps a batch's ``inserted_at`` seconds in the past, as if it had landed then (the
# writer's rows take the engine's ``now()``). The rollup reads nothing but ``inserted_at``
# and the engine's clock, so the step of a batch that landed 5 s ago is closed at once. Rows
# inserted after a rollup are stamped after the step it was closing, as real ones would be.


def engine_clock(client: Client) -> int:
    """The engine's clock (what stamps ``inserted_at`` and closes steps), in epoch seconds."""
    return int(client.query("SELECT toUnixTimestamp(now())").result_rows[0][0])


def insert(
    client: Client, db: str, events: list[Any], token: str, *, landed: int | None = None
) -> None:
    """Insert a batch as the writer does (same settings, a deduplication token); with
    ``landed`` (epoch seconds), stamped as if it had landed then rather than now."""
    lines = [encode_event(e, ContentMode.FULL) for e in events]
    if landed is not None:
        lines = [orjson.dumps({**orjson.loads(line), "inserted_at": landed}) for line in lines]
    body = b"\n".join(lines)
    settings = {**INSERT_SETTINGS, "insert_deduplication_token": token}
    client.raw_insert(f"{db}.requests", None, body, settings=settings, fmt="JSONEachRow")


class FailingClient:
    """A real client whose statements containing ``marker`` fail, as if the process had
    died just before them."""

    def __init__(self, client: Client, marker: str) -> None:
        self._client = client
        self._marker = marker

    def command(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        if self._marker in sql:
            raise ConnectionError("killed")
        return self._client.command(sql, *args, **kwargs)

    def query(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return self._client.query(sql, *args, **kwargs)


@pytest.fixture
def rollup_settings(store_settings: StoreSettings) -> StoreSettings:
    """One-second steps, so that tests see steps close."""
    return store_settings.model_copy(update={"rollup_step": 1})


@pytest.fixture
def migrated(client: Client, rollup_settings: StoreSettings, migrated_database: str) -> str:
    """The test's database with the whole schema; its name."""
    return migrated_database


def test_closed_steps_move_calls_from_the_view_tail_to_the_table(
    client: Client, rollup_settings: StoreSettings, migrated: str
) -> None:
    """A closed step's calls are summed into call_volume_1m_steps and read from there,
    with the same figures per minute and key as the rows, before and after."""
    insert(client, migrated, mixed_events(12), "b1", landed=engine_clock(client) - 5)
    view, rows = per_minute(client, migrated)
    assert view == rows
    assert len(rows) > 4  # several minutes, users and decisions
    rollup = Rollup(rollup_settings)
    assert rollup.prepare(client)
    assert rollup.advance(client) >= 1
    assert open_tail(client, migrated) == 0
    stepped = client.query(f"SELECT sum(calls) FROM {migrated}.call_volume_1m_steps")
    assert stepped.result_rows == [(12,)]
    assert per_minute(client, migrated) == (rows, rows)


def test_a_step_still_open_is_left_to_the_tail(
    client: Client, rollup_settings: StoreSettings, migrated: str
) -> None:
    """Rows stamped within the last second are not rolled up yet, and still counted."""
    insert(client, migrated, mixed_events(4), "b1")
    assert Rollup(rollup_settings).advance(client) == 0
    assert open_tail(client, migrated) == 4
    view, rows = per_minute(client, migrated)
    assert view == rows


def test_a_step_redone_after_a_crash_before_its_end_was_recorded_counts_once(
    client: Client, rollup_settings: StoreSettings, migrated: str
) -> None:
    """Killed between a step's insert and the record of its end: the view reads the step
    from requests only, and redoing it (more rows inserted meanwhile) adds nothing twice."""
    insert(client, migrated, mixed_events(8), "b1", landed=engine_clock(client) - 10)
    dying = cast(Client, FailingClient(client, "call_volume_1m_rolled_up_to (upto)"))
    with pytest.raises(ConnectionError):
        Rollup(rollup_settings).advance(dying)
    assert client.query(f"SELECT sum(calls) FROM {migrated}.call_volume_1m_steps").result_rows == [
        (8,)
    ]
    view, rows = per_minute(client, migrated)
    assert view == rows
    # Landed after the step being closed ended, as every row inserted after that rollup.
    later = mixed_events(5, start=_T0 + timedelta(minutes=1))
    insert(client, migrated, later, "b2", landed=engine_clock(client) - 5)
    assert Rollup(rollup_settings).advance(client) >= 2
    assert open_tail(client, migrated) == 0
    view, rows = per_minute(client, migrated)
    assert view == rows
    assert sum(row[6] for row in view) == 13


def test_a_replayed_batch_adds_no_calls(
    client: Client, rollup_settings: StoreSettings, migrated: str
) -> None:
    """A batch sent again with its token after its step was closed (a restarted writer
    replaying its spool, then closing steps) changes no figure."""
    events = mixed_events(6)
    insert(client, migrated, events, "segment-1:0:600", landed=engine_clock(client) - 10)
    assert Rollup(rollup_settings).advance(client) >= 1
    # Replayed after that step ended: a copy that were kept would sit in a later step.
    insert(client, migrated, events, "segment-1:0:600", landed=engine_clock(client) - 5)
    Rollup(rollup_settings).advance(client)
    view, rows = per_minute(client, migrated)
    assert view == rows
    assert sum(row[6] for row in view) == 6


def test_an_upgraded_store_counts_old_and_new_calls_once(
    client: Client, rollup_settings: StoreSettings, metrics: Metrics
) -> None:
    """Calls the materialized view rolled up before migration 9 and calls recorded right
    after it (in the same second) are each counted once, through the writer's steps."""
    db = rollup_settings.database
    migrate(client, rollup_settings, [m for m in MIGRATIONS if m.version < 9])
    insert(client, db, mixed_events(6), "old")
    migrate(client, rollup_settings)
    log = EventLog(rollup_settings, metrics)
    log.start()
    try:
        for event in mixed_events(6, start=_T0 + timedelta(minutes=1)):
            log.record(event)
        assert log.flush(10)
        wait_for(lambda: open_tail(client, db) == 0)
    finally:
        log.close(timeout=5)
    view, rows = per_minute(client, db)
    assert view == rows
    assert sum(row[6] for row in view) == 12


def test_the_writer_closes_steps_while_recording(
    client: Client, rollup_settings: StoreSettings, metrics: Metrics
) -> None:
    """The running writer rolls closed steps up by itself, between its inserts."""
    db = rollup_settings.database
    log = EventLog(rollup_settings, metrics)
    log.start()
    try:
        for event in mixed_events(5):
            log.record(event)
        assert log.flush(10)
        wait_for(lambda: open_tail(client, db) == 0)
    finally:
        log.close(timeout=5)
    stepped = client.query(f"SELECT sum(calls) FROM {db}.call_volume_1m_steps")
    assert stepped.result_rows == [(5,)]
    view, rows = per_minute(client, db)
    assert view == rows


def test_the_writer_closes_steps_under_steady_load(
    client: Client, rollup_settings: StoreSettings, metrics: Metrics
) -> None:
    """Steps close while calls keep arriving (the writer's queue never runs dry)."""
    db = rollup_settings.database
    log = EventLog(rollup_settings.model_copy(update={"flush_interval": 0.2}), metrics)
    log.start()
    stop = threading.Event()

    def traffic() -> None:
        while not stop.is_set():
            log.record(make_event())
            time.sleep(0.005)

    recorder = threading.Thread(target=traffic)
    recorder.start()
    try:
        wait_for(lambda: _stepped(client, db) > 0)
    finally:
        stop.set()
        recorder.join()
        log.close(timeout=5)
    view, rows = per_minute(client, db)
    assert view == rows


def _stepped(client: Client, db: str) -> int:
    return int(client.query(f"SELECT count() FROM {db}.call_volume_1m_steps").result_rows[0][0])


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "tests.store.rollup_child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_kill_9_while_steps_close_loses_and_doubles_no_call(tmp_path: Path) -> None:
    """A writer killed with SIGKILL while recording and closing steps, then restarted:
    call_volume_1m equals the rows of requests per minute and key, every call once."""
    child = _child("record", str(tmp_path))
    assert child.stdout is not None
    try:
        line = child.stdout.readline()
        assert line.startswith("recorded"), line
        recorded = int(line.split()[1])
        time.sleep(0.7)  # mid-step: recording goes on, a step may be closing
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
    verify = _child("verify", str(tmp_path))
    out, _ = verify.communicate(timeout=120)
    assert verify.returncode == 0
    result = orjson.loads(out.strip().splitlines()[-1])
    assert result["steps"] >= 2, "no step was closed: this test checks nothing"
    assert result["view"] == result["rows"]
    assert result["calls"] == result["unique"] >= recorded


class CountingClient:
    """A real client that counts the statements sent through it."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self.sent = 0

    def command(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        self.sent += 1
        return self._client.command(sql, *args, **kwargs)

    def query(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        self.sent += 1
        return self._client.query(sql, *args, **kwargs)


def test_the_engine_is_not_asked_again_before_a_step_can_close(
    client: Client, store_settings: StoreSettings, migrated: str
) -> None:
    """Having found no step to close, the rollup sends nothing until the first moment one
    could close (a minute's step: the writer's eleven other turns of that minute cost no
    query), then asks again."""
    insert(client, migrated, mixed_events(3), "b1")
    now = [time.time()]
    rollup = Rollup(store_settings.model_copy(update={"rollup_step": 60}), clock=lambda: now[0])
    counting = CountingClient(client)
    assert rollup.advance(cast(Client, counting)) == 0
    asked = counting.sent
    assert asked >= 2
    now[0] += 55
    assert rollup.advance(cast(Client, counting)) == 0
    assert counting.sent == asked
    now[0] += 10  # past the step's end and the lag
    rollup.advance(cast(Client, counting))
    assert counting.sent > asked
