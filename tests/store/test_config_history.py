"""The configuration history in the store: which version was in force at a time, and a
store that is down does not stop the recorder (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clickhouse_connect.driver.client import Client
from structlog.testing import capture_logs

from proxy.store import StoreSettings
from proxy.store.config_history import (
    ConfigHistory,
    ConfigVersion,
    insert_versions,
    query_history,
)
from proxy.store.schema import migrate

T0 = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def version(minutes: int, name: str | None, *, kind: str = "policy") -> ConfigVersion:
    """A policy version loaded ``minutes`` after T0, or refused when ``name`` is None."""
    ts = T0 + timedelta(minutes=minutes)
    if name is None:
        return ConfigVersion(kind, "sighup", "/etc/p.yaml", False, None, "bad rule", ts=ts)
    return ConfigVersion(kind, "sighup", "/etc/p.yaml", True, {"name": name}, ts=ts)


def test_at_answers_the_last_accepted_version_before_it(
    client: Client, store_settings: StoreSettings
) -> None:
    """A refused version after an accepted one leaves the accepted one in force; each kind
    answers on its own."""
    migrate(client, store_settings)
    db = store_settings.database
    insert_versions(
        client,
        [
            version(0, "v1"),
            version(60, "v2"),
            version(62, None),
            version(30, "closed", kind="register"),
        ],
        database=db,
    )

    def names(at: datetime) -> dict[str, str]:
        rows = query_history(client, database=db, at=at)
        return {r["kind"]: r["content"]["name"] for r in rows}

    assert names(T0 + timedelta(minutes=59)) == {"policy": "v1", "register": "closed"}
    assert names(T0 + timedelta(minutes=63)) == {"policy": "v2", "register": "closed"}
    assert names(T0 + timedelta(minutes=10)) == {"policy": "v1"}
    assert names(T0 - timedelta(minutes=1)) == {}
    every = query_history(client, database=db, kind="policy")
    assert [(r["accepted"], r["reason"]) for r in every] == [
        (False, "bad rule"),
        (True, ""),
        (True, ""),
    ]


def test_a_store_that_is_down_loses_the_row_and_the_recorder_goes_on() -> None:
    """With no server answering, ``record`` returns at once, the loss is logged by kind,
    and the recorder keeps running."""
    down = StoreSettings(url="http://127.0.0.1:9/llm_proxy", timeout=1.0)
    recorder = ConfigHistory(down)
    try:
        with capture_logs() as logs:
            recorder.record(version(0, "v1"))
            recorder.record(version(1, "v2"))
            assert recorder.flush(10.0)
    finally:
        recorder.close()
    failures = [e for e in logs if e["event"] == "config_history_insert_failed"]
    assert [f["lost"] for f in failures] == [[("policy", "sighup")]] * 2
