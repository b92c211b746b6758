"""Reading a period's evidence from the store into a :class:`ReportData` (blocking).

One scan of ``requests`` per question, ``FINAL`` so a row the writer inserted twice (a
replay ReplacingMergeTree has not collapsed yet) counts once. Every other section reuses
the code that already answers it elsewhere: the register's state is
:func:`proxy.store.register_status.build_status`, configuration versions
:func:`proxy.store.config_history.query_history`, the hash chain
:func:`proxy.store.chain_verify.verify_configured`, unusual behaviour
:func:`proxy.store.anomalies.find_anomalies`. No prompt or response text is read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from clickhouse_connect.driver.client import Client

from proxy.config.register import Register
from proxy.config.settings import RegisterConfig
from proxy.report.anomaly_review import review_anomalies
from proxy.report.controls import CONTROLS
from proxy.report.data import (
    ChainCheck,
    ConfigChange,
    ContentRead,
    Coverage,
    EntityCount,
    Period,
    ReaderSummary,
    ReportData,
    Retention,
    RuleOutcome,
    Volume,
)
from proxy.store.chain_verify import verify_configured
from proxy.store.config_history import query_history
from proxy.store.queries import epoch_millis, requests_table
from proxy.store.register_status import WINDOW, build_status, read_usage
from proxy.store.settings import StoreSettings

#: Rule ids the policy engine records when it decided without findings.
UNCHECKED_RULES = ("detector_failed", "inspection_limit")
MONITOR_PREFIX = "monitor:"
#: Entity types listed (the most frequent first).
TOP_ENTITY_TYPES = 15
#: Request ids shown per content read (every id is in ``audit_log``).
SAMPLE_IDS = 5

_IN_PERIOD = (
    "ts >= fromUnixTimestamp64Milli({start_ms:Int64}, 'UTC') "
    "AND ts < fromUnixTimestamp64Milli({end_ms:Int64}, 'UTC')"
)


def _params(period: Period, **more: Any) -> dict[str, Any]:
    return {"start_ms": epoch_millis(period.start), "end_ms": epoch_millis(period.end), **more}


def _from_requests(database: str) -> str:
    return f"{requests_table(database)} FINAL WHERE {_IN_PERIOD}"


def collect(
    client: Client,
    settings: StoreSettings,
    period: Period,
    *,
    current_register: RegisterConfig,
    source: str,
    now: datetime,
) -> ReportData:
    """Everything the report shows for ``period``, as of ``now`` (blocking)."""
    db = settings.database
    daily, by_model, by_team, by_app = read_volumes(client, db, period)
    at_start = [_change(row) for row in query_history(client, database=db, at=period.start)]
    changes = [
        _change(row)
        for row in reversed(query_history(client, database=db, since=period.start))
        if _before(row, period.end)
    ]
    policies = _policy_rules(client, db, period)
    rules = read_rules(client, db, period, policies)
    monitor_blocks = [r.rule for r in rules if r.kind == "monitor" and r.action == "block"]
    audit_rows = read_audit(client, db, period.start, now)
    in_period = [row for row in audit_rows if row["ts"] < period.end]
    return ReportData(
        period=period,
        generated_at=now,
        source=source,
        calls=sum(day.calls for day in daily),
        daily=daily,
        by_model=by_model,
        by_team=by_team,
        by_app=by_app,
        rules=rules,
        would_block=count_matching(client, db, period, monitor_blocks),
        coverage=read_coverage(client, db, period),
        entities=read_entities(client, db, period),
        config_at_start=tuple(at_start),
        config_changes=tuple(changes),
        register=register_state(client, db, period, current_register, now),
        anomalies=review_anomalies(client, db, period, now, audit_rows),
        readers=summarise_readers(in_period),
        content_reads=tuple(_content_read(row) for row in in_period if row["include_content"]),
        retention=read_retention(client, settings, period),
        chain=check_chain(client, settings, period),
        controls=CONTROLS,
    )


# -- volume and decisions --------------------------------------------------------------------


def read_volumes(client: Client, database: str, period: Period) -> tuple[tuple[Volume, ...], ...]:
    """Calls and tokens per day, model, team and app, by decision: one scan."""
    sql = f"""
SELECT toDate(ts) AS day, model, team, app, decision,
       count(), sum(prompt_tokens), sum(completion_tokens)
FROM {_from_requests(database)}
GROUP BY day, model, team, app, decision
"""  # noqa: S608 - identifiers only; values are bound parameters
    rows = client.query(sql, parameters=_params(period)).result_rows
    views: list[dict[str, list[int]]] = [defaultdict(lambda: [0, 0, 0]) for _ in range(4)]
    decisions: list[dict[str, Counter[str]]] = [defaultdict(Counter) for _ in range(4)]
    for day, model, team, app, decision, calls, prompt, completion in rows:
        for index, name in enumerate((day.isoformat(), model, team, app)):
            totals = views[index][name]
            totals[0] += int(calls)
            totals[1] += int(prompt)
            totals[2] += int(completion)
            decisions[index][name][decision] += int(calls)
    daily = _volumes(views[0], decisions[0], key=lambda v: v.name)
    # Days without calls are shown as such: the chart's gaps are evidence too.
    known = {v.name: v for v in daily}
    day = period.first_day
    filled = []
    while day <= period.last_day:
        filled.append(known.get(day.isoformat()) or Volume(day.isoformat(), 0, 0, 0, {}))
        day += timedelta(days=1)
    ranked = [_volumes(views[i], decisions[i], key=lambda v: (-v.calls, v.name)) for i in (1, 2, 3)]
    return (tuple(filled), *ranked)


def _volumes(
    totals: Mapping[str, list[int]], decisions: Mapping[str, Counter[str]], *, key: Any
) -> tuple[Volume, ...]:
    volumes = [
        Volume(name or "(none)", calls, prompt, completion, dict(decisions[name]))
        for name, (calls, prompt, completion) in totals.items()
    ]
    return tuple(sorted(volumes, key=key))


def read_rules(
    client: Client, database: str, period: Period, policies: Mapping[str, str]
) -> tuple[RuleOutcome, ...]:
    """Calls per recorded rule id, by decision; the action from the period's policies."""
    sql = f"""
SELECT rule, decision, count() FROM
(SELECT arrayJoin(rules) AS rule, decision FROM {_from_requests(database)})
GROUP BY rule, decision
"""  # noqa: S608 - identifiers only; values are bound parameters
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for rule, decision, calls in client.query(sql, parameters=_params(period)).result_rows:
        by_rule[rule][decision] += int(calls)
    outcomes = []
    for recorded, decisions in by_rule.items():
        if recorded in UNCHECKED_RULES:
            kind, rule = "unchecked", recorded
        elif recorded.startswith(MONITOR_PREFIX):
            kind, rule = "monitor", recorded.removeprefix(MONITOR_PREFIX)
        else:
            kind, rule = "enforce", recorded
        action = policies.get(rule, "")
        outcomes.append(RuleOutcome(rule, kind, action, sum(decisions.values()), dict(decisions)))
    return tuple(sorted(outcomes, key=lambda r: (-r.calls, r.rule, r.kind)))


def count_matching(client: Client, database: str, period: Period, rules: Sequence[str]) -> int:
    """Calls that any of the monitor-mode ``rules`` matched (each call once)."""
    if not rules:
        return 0
    recorded = [MONITOR_PREFIX + rule for rule in rules]
    sql = f"SELECT count() FROM {_from_requests(database)} AND hasAny(rules, {{ids:Array(String)}})"  # noqa: S608
    result = client.query(sql, parameters=_params(period, ids=recorded)).result_rows
    return int(result[0][0])


def read_coverage(client: Client, database: str, period: Period) -> Coverage:
    failed = "has(rules, 'detector_failed')"
    over = "has(rules, 'inspection_limit')"
    sql = f"""
SELECT count(),
       countIf(decision = 'reject'),
       countIf(decision != 'reject' AND NOT {failed} AND NOT {over}),
       countIf({failed}),
       countIf({failed} AND decision != 'block'),
       countIf({failed} AND decision = 'block'),
       countIf({over}),
       countIf({over} AND decision != 'block')
FROM {_from_requests(database)}
"""  # noqa: S608 - identifiers only; values are bound parameters
    row = client.query(sql, parameters=_params(period)).result_rows[0]
    return Coverage(*(int(value) for value in row))


def read_entities(client: Client, database: str, period: Period) -> tuple[EntityCount, ...]:
    sql = f"""
SELECT entity, count(), sum(found) FROM
(SELECT mapKeys(entity_counts) AS entities, mapValues(entity_counts) AS founds
 FROM {_from_requests(database)})
ARRAY JOIN entities AS entity, founds AS found
GROUP BY entity ORDER BY count() DESC, entity LIMIT {TOP_ENTITY_TYPES}
"""  # noqa: S608 - identifiers only; values are bound parameters
    rows = client.query(sql, parameters=_params(period)).result_rows
    return tuple(EntityCount(str(e), int(calls), int(found)) for e, calls, found in rows)


# -- configuration and register ------------------------------------------------------------


def _policy_rules(client: Client, database: str, period: Period) -> dict[str, str]:
    """Rule id → action, over every policy version in force during the period (a later
    version's action wins)."""
    versions = query_history(client, database=database, kind="policy", at=period.start)
    versions += reversed(
        query_history(client, database=database, kind="policy", since=period.start)
    )
    actions: dict[str, str] = {}
    for row in versions:
        if not row["accepted"] or row["content"] is None or not _before(row, period.end):
            continue
        for rule_set in row["content"].get("rule_sets", ()):
            for rule in rule_set.get("rules", ()):
                actions[str(rule["id"])] = str(rule["action"])
    return actions


def _before(row: Mapping[str, Any], moment: datetime) -> bool:
    return datetime.fromisoformat(row["ts"]) < moment


def _change(row: Mapping[str, Any]) -> ConfigChange:
    return ConfigChange(
        ts=row["ts"],
        kind=row["kind"],
        content_hash=row["content_hash"],
        trigger=row["trigger"],
        path=row["path"],
        accepted=row["accepted"],
        reason=row["reason"],
        label=describe_version(row["kind"], row["content"]),
    )


def describe_version(kind: str, content: Any) -> str:
    """A line a reader recognises a version by (never a secret: content has none)."""
    if not isinstance(content, dict):
        return ""
    if kind == "policy":
        rules = [r for s in content.get("rule_sets", ()) for r in s.get("rules", ())]
        monitored = sum(r.get("mode") == "monitor" for r in rules)
        return (
            f"policy {content.get('name', '?')!r}: {len(rules)} rules, {monitored} in monitor mode"
        )
    if kind == "register":
        models = content.get("models")
        return (
            "open register (no models listed)"
            if models is None
            else (f"{len(models)} models: " + ", ".join(str(m.get("name")) for m in models))
        )
    if kind == "keys":
        keys = content.get("keys", ())
        active = sum(k.get("status") == "active" for k in keys)
        return f"{len(keys)} keys, {active} active"
    if kind == "providers":
        return ", ".join(sorted(content))
    return ""


def register_state(
    client: Client, database: str, period: Period, current: RegisterConfig, now: datetime
) -> dict[str, Any]:
    """The register in force at the period's end (as recorded; else the current one), with
    each entry's review state on the period's last day and its use."""
    as_of = min(period.end - timedelta(milliseconds=1), now)
    recorded = query_history(client, database=database, kind="register", at=as_of)
    config, origin, digest = current, "current configuration", ""
    if recorded and recorded[0]["content"] is not None:
        config = RegisterConfig.model_validate(recorded[0]["content"])
        origin, digest = "configuration history", recorded[0]["content_hash"]
    register = Register(config, {})
    usage_since = as_of - WINDOW
    usage = read_usage(client, database=database, since=usage_since)
    status = build_status(register.entries(), is_open=register.is_open, usage=usage, now=as_of)
    return {
        **status.to_dict(),
        "origin": origin,
        "content_hash": digest,
        "usage_since": usage_since.isoformat(),
    }


# -- reads of the log, retention, the chain -------------------------------------------------


def read_audit(
    client: Client, database: str, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """``audit_log`` rows from ``since`` to ``until``, oldest first."""
    sql = f"""
SELECT * FROM {database}.audit_log
WHERE ts >= {{since:DateTime64(3, 'UTC')}} AND ts <= {{until:DateTime64(3, 'UTC')}}
ORDER BY ts
"""  # noqa: S608 - identifiers only; values are bound parameters
    result = client.query(sql, parameters={"since": since, "until": until})
    rows = []
    for values in result.result_rows:
        row = dict(zip(result.column_names, values, strict=True))
        ts = row["ts"]
        row["ts"] = ts if ts.tzinfo else ts.replace(tzinfo=UTC)
        row["include_content"] = bool(row["include_content"])
        try:
            row["filters"] = orjson.loads(row["filters"] or "{}")
        except orjson.JSONDecodeError:
            row["filters"] = {}
        rows.append(row)
    return rows


def summarise_readers(rows: Iterable[Mapping[str, Any]]) -> tuple[ReaderSummary, ...]:
    groups: dict[tuple[str, str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["actor"], row["claimed_actor"], row["via"], row["role"])].append(row)
    summaries = [
        ReaderSummary(
            actor=actor,
            claimed_actor=claimed,
            via=via,
            role=role,
            reads=len(reads),
            content_reads=sum(r["include_content"] for r in reads),
            calls_read=len({i for r in reads if r["include_content"] for i in r["request_ids"]}),
            last_read=max(r["ts"] for r in reads).isoformat(),
        )
        for (actor, claimed, via, role), reads in groups.items()
    ]
    return tuple(sorted(summaries, key=lambda s: (-s.calls_read, -s.reads, s.actor)))


def _content_read(row: Mapping[str, Any]) -> ContentRead:
    return ContentRead(
        ts=row["ts"].isoformat(),
        actor=row["actor"],
        claimed_actor=row["claimed_actor"],
        action=row["action"],
        via=row["via"],
        calls=int(row["row_count"]),
        sample_ids=tuple(row["request_ids"][:SAMPLE_IDS]),
    )


def read_retention(client: Client, settings: StoreSettings, period: Period) -> Retention:
    table = _from_requests(settings.database)
    sql = f"SELECT content_mode, count() FROM {table} GROUP BY content_mode"  # noqa: S608
    modes = {str(m): int(n) for m, n in client.query(sql, parameters=_params(period)).result_rows}
    oldest_sql = f"SELECT count(), min(ts) FROM {requests_table(settings.database)}"  # noqa: S608
    stored, oldest = client.query(oldest_sql).result_rows[0]
    return Retention(
        retention_days=settings.retention_days,
        text_retention_days=settings.text_retention_days,
        default_content_mode=settings.default_content_mode.value,
        content_modes=dict(sorted(modes.items())),
        oldest_call=(oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)).isoformat()
        if int(stored)
        else "",
    )


def check_chain(client: Client, settings: StoreSettings, period: Period) -> ChainCheck:
    result = verify_configured(client, settings, period.start)
    return ChainCheck(
        intact=result.intact,
        checked_since=period.start.isoformat(),
        links=result.links,
        rows=result.rows,
        findings=tuple(
            {
                "kind": f.kind,
                "writer_id": f.writer_id,
                "seq": f.seq,
                "request_id": f.request_id,
                "detail": f.detail,
            }
            for f in result.findings
        ),
        text_expired=result.text_expired,
        rows_expired=result.rows_expired,
        not_covered=result.not_covered,
        pending=result.pending,
    )
