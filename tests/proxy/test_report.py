"""The evidence report (issue 12 item 4) on a demo quarter in the real embedded ClickHouse:
every figure it shows is checked against a direct query of the store.

The quarter (``bench/demo_quarter.py``) is written once per session through the real
event log, configuration-history and audit code; each test reads the report built from it
(``tests/proxy/report_demo.py``, shared with the rendering tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest
from clickhouse_connect.driver.client import Client

from bench.demo_quarter import DAYS
from core.inspection import CallDecision
from proxy.config.settings import RegisterConfig
from proxy.report import build_report, parse_period
from proxy.report.data import DECISIONS, ReportData
from proxy.store import Reader, StoreSettings, open_client
from tests.proxy.report_demo import LAST, START, WEEK

READER = Reader("test-auditor", "metadata", "admin_api")


@pytest.fixture(scope="module")
def client(demo_settings: StoreSettings) -> Iterator[Client]:
    c = open_client(demo_settings)
    yield c
    c.close()


@pytest.fixture(scope="module")
def data(demo_report: ReportData) -> ReportData:
    return demo_report


@pytest.fixture(scope="module")
def document(data: ReportData) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(data.to_dict()))
    return loaded


def rows(client: Client, settings: StoreSettings, sql: str) -> list[tuple[Any, ...]]:
    """A test-authored query over the period's calls (``{t}`` is the table with the period)."""
    start = datetime(START.year, START.month, START.day, tzinfo=UTC)
    table = (
        f"(SELECT * FROM {settings.database}.requests FINAL WHERE ts >= "
        f"toDateTime64('{start:%Y-%m-%d} 00:00:00', 3, 'UTC') AND ts < "
        f"toDateTime64('{start + timedelta(days=DAYS):%Y-%m-%d} 00:00:00', 3, 'UTC'))"
    )
    return [tuple(r) for r in client.query(sql.format(t=table)).result_rows]


def test_volume_matches_direct_queries(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """Calls, tokens and decisions per model, team, app and day equal GROUP BYs of the period."""
    assert data.calls == rows(client, demo_settings, "SELECT count() FROM {t}")[0][0] > 2000
    for column, volumes in (("model", data.by_model), ("team", data.by_team), ("app", data.by_app)):
        expected = {
            name: (calls, tokens)
            for name, calls, tokens in rows(
                client,
                demo_settings,
                f"SELECT {column}, count(), sum(prompt_tokens + completion_tokens) "
                f"FROM {{t}} GROUP BY {column}",
            )
        }
        assert {
            v.name: (v.calls, v.prompt_tokens + v.completion_tokens) for v in volumes
        } == expected
    per_decision = dict(
        rows(client, demo_settings, "SELECT decision, count() FROM {t} GROUP BY decision")
    )
    assert {d: data.decision_total(d) for d in DECISIONS if data.decision_total(d)} == per_decision
    daily = dict(
        rows(client, demo_settings, "SELECT toString(toDate(ts)), count() FROM {t} GROUP BY 1")
    )
    assert {d.name: d.calls for d in data.daily if d.calls} == daily
    assert len(data.daily) == DAYS


def test_decisions_per_rule_match_direct_queries(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """Calls per recorded rule and decision, and the monitor-mode would-have-blocked count,
    equal direct queries; actions come from the recorded policies."""
    expected: dict[str, dict[str, int]] = {}
    for rule, decision, calls in rows(
        client,
        demo_settings,
        "SELECT arrayJoin(rules) AS r, decision, count() FROM {t} GROUP BY r, decision",
    ):
        expected.setdefault(rule, {})[decision] = calls
    shown = {
        ("monitor:" if r.kind == "monitor" else "") + r.rule: dict(r.decisions) for r in data.rules
    }
    assert shown == expected
    would_block = rows(
        client,
        demo_settings,
        "SELECT count() FROM {t} WHERE hasAny(rules, ['monitor:block-secrets', "
        "'monitor:block-payment-data', 'monitor:block-national-ids', 'monitor:large-attachments'])",
    )[0][0]
    assert data.would_block == would_block > 0
    kinds = {(r.rule, r.kind): r.action for r in data.rules}
    assert kinds[("block-secrets", "monitor")] == "block"
    assert kinds[("pseudonymise-contact-details", "enforce")] == "pseudonymise"
    assert ("detector_failed", "unchecked") in kinds


def test_coverage_matches_direct_queries(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """Inspected, refused, detector failures (open and closed) and over-limit calls equal
    direct counts; the demo's one fail-open decision is reported."""
    ((calls, refused, failed, failed_open, over),) = rows(
        client,
        demo_settings,
        "SELECT count(), countIf(decision = 'reject'), countIf(has(rules, 'detector_failed')), "
        "countIf(has(rules, 'detector_failed') AND decision != 'block'), "
        "countIf(has(rules, 'inspection_limit')) FROM {t}",
    )
    c = data.coverage
    assert (c.calls, c.refused, c.detector_failures, c.fail_open, c.over_limit) == (
        calls,
        refused,
        failed,
        failed_open,
        over,
    )
    assert (failed, failed_open, over) == (2, 1, 1)
    assert c.inspected == calls - refused - failed - over
    assert data.summary()["fail_open"] == 1


def test_entity_types_match_direct_queries(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """Calls and findings per entity type equal a direct ARRAY JOIN over entity_counts."""
    expected = {
        entity: (calls, found)
        for entity, calls, found in rows(
            client,
            demo_settings,
            "SELECT k, count(), sum(v) FROM {t} ARRAY JOIN mapKeys(entity_counts) AS k, "
            "mapValues(entity_counts) AS v GROUP BY k",
        )
    }
    assert {e.entity_type: (e.calls, e.findings) for e in data.entities} == expected
    assert data.entities[0].calls == max(calls for calls, _ in expected.values())


def test_configuration_history_in_force_and_changes(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """The versions in force at the start are the monitor-only policy and the first register;
    the changes are the recorded rows of the period, the refused reload with its reason."""
    at_start = {c.kind: c for c in data.config_at_start}
    assert set(at_start) == {"policy", "register", "providers", "limits", "log_content", "keys"}
    assert "monitor-only" in at_start["policy"].label
    db = demo_settings.database
    (recorded,) = client.query(
        f"SELECT count() FROM {db}.config_history WHERE ts >= toDateTime64('{START}', 3, 'UTC') "
        f"AND ts < toDateTime64('{LAST + timedelta(days=1)}', 3, 'UTC')"
    ).result_rows[0]
    assert len(data.config_changes) == recorded
    refused = [c for c in data.config_changes if not c.accepted]
    assert len(refused) == 1
    assert "got 'deny'" in refused[0].reason
    assert data.summary()["policy_changes"] == 2  # enforce, then the restart's version


def test_register_state_at_the_period_end(data: ReportData) -> None:
    """The register recorded at the period's end is shown with its review states on the last
    day: gpt-4o overdue, o3-mini listed (added mid-quarter), deepseek-chat as shadow AI."""
    register = data.register
    assert register["origin"] == "configuration history"
    models = {m["model"]: m for m in register["models"]}
    assert "o3-mini" in models
    expected_state = "overdue" if date(2026, 8, 31) < LAST else "due"
    assert models["gpt-4o"]["review_state"] == expected_state
    assert [s["model"] for s in register["shadow_ai"]] == ["deepseek-chat"]


def test_anomalies_and_their_state(data: ReportData) -> None:
    """eve's spike was read afterwards (investigated by the reader's claimed name); the
    support team's block spike was never looked at (open)."""
    eve = [a for a in data.anomalies if a.subject == "user eve"]
    assert eve
    assert all(a.state == "investigated" and a.reviewed_by == "dana" for a in eve)
    support = [a for a in data.anomalies if a.kind == "blocks" and a.subject == "team support"]
    assert len(support) == 1
    assert support[0].state == "open"


def test_content_reads_match_the_audit_log(
    data: ReportData, client: Client, demo_settings: StoreSettings
) -> None:
    """Every content read of the period is listed; calls read per reader equal the distinct
    ids of the audit rows with content."""
    db = demo_settings.database
    audit = client.query(
        f"SELECT actor, include_content, request_ids FROM {db}.audit_log "
        f"WHERE ts >= toDateTime64('{START}', 3, 'UTC') "
        f"AND ts < toDateTime64('{LAST + timedelta(days=1)}', 3, 'UTC')"
    ).result_rows
    assert len(data.content_reads) == sum(1 for _, content, _ in audit if content)
    read: dict[str, set[str]] = {}
    for actor, content, ids in audit:
        read.setdefault(actor, set()).update(ids if content else ())
    assert {r.actor: r.calls_read for r in data.readers} == {a: len(ids) for a, ids in read.items()}
    assert sum(r.reads for r in data.readers) == len(audit)


def test_retention_and_chain(data: ReportData, demo_settings: StoreSettings) -> None:
    """Retention shows the configured days; the chain of the untouched demo is intact and
    covers every call of the period."""
    assert (data.retention.retention_days, data.retention.text_retention_days) == (730, 90)
    assert data.retention.content_modes == {"full": data.calls}
    assert data.chain.intact
    assert data.chain.rows == data.calls
    assert data.summary()["chain_intact"] is True


def test_the_report_is_audited(client: Client, demo_settings: StoreSettings) -> None:
    """Building a report writes one audit row: the reader, action ``report``, the period."""
    period = parse_period(WEEK.isoformat(), LAST.isoformat())
    now = datetime.now(UTC)
    body = build_report(
        client,
        demo_settings,
        period,
        reader=READER,
        current_register=RegisterConfig(),
        source="test",
        now=now,
        fmt="json",
    )
    assert orjson.loads(body)["report_version"] == 1
    db = demo_settings.database
    audited = client.query(
        f"SELECT role, via, include_content, filters FROM {db}.audit_log "
        "WHERE actor = 'test-auditor' AND action = 'report'"
    ).result_rows
    assert len(audited) == 1
    role, via, content, filters = audited[0]
    assert (role, via, bool(content)) == ("metadata", "admin_api", False)
    assert orjson.loads(filters)["from"] == WEEK.isoformat()


def test_json_keys_are_stable(document: dict[str, Any]) -> None:
    """The JSON document has the documented top-level and summary keys."""
    assert set(document) == {
        "report_version",
        "period",
        "generated_at",
        "source",
        "summary",
        "register",
        "configuration",
        "volume",
        "decisions",
        "coverage",
        "entity_types",
        "anomalies",
        "content_access",
        "retention",
        "log_chain",
        "controls",
    }
    assert {"calls", "block", "would_block", "coverage", "fail_open", "chain_intact"} <= set(
        document["summary"]
    )
    sections = {c["section"] for c in document["controls"]}
    assert sections <= set(document)
    assert all(c["iso27001"] and c["iso42001"] for c in document["controls"])


def test_every_recorded_decision_is_counted(document: dict[str, Any]) -> None:
    """Each decision the proxy records, a spend budget's refusal included, has its count in the
    summary and in every volume row, and a row's counts add up to its calls."""
    recorded = {decision.value for decision in CallDecision}
    assert recorded <= set(document["summary"])
    for row in document["volume"]["by_model"]:
        assert set(row["decisions"]) == recorded
        assert sum(row["decisions"].values()) == row["calls"]
