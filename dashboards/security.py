"""The security and governance dashboard: policy outcomes, sensitive data, who, the AI use
register, unusual behaviour and reads of the log itself.

Prometheus shows the live counters (policy actions, findings, register denials); ClickHouse
answers the questions counters cannot (which user, which app, which model, compared with
what baseline). The "unusual behaviour" panels run the queries and thresholds of
``llm-proxy anomalies`` (proxy/store/anomaly_rules.py), so both report the same anomalies.
"""

# These modules write the SQL text of dashboard panels from constants; Grafana, not Python,
# fills in the variables (quoted by its singlequote format). Nothing here runs a query.

from __future__ import annotations

from dashboards.filters import (
    AUDIT_LOG,
    DATABASE,
    POLICY_DECISIONS,
    REGISTER_ERRORS,
    REQUESTS,
    VOLUME,
    all_of,
    any_of,
)
from dashboards.grafana import (
    CLICKHOUSE,
    Dashboard,
    Link,
    Panel,
    PromQuery,
    QueryVariable,
    Row,
    SqlQuery,
)
from dashboards.spend import SECURITY_SPEND
from proxy.store.anomaly_rules import (
    SubjectKind,
    Thresholds,
    departures_query,
    inline,
    new_models_query,
    output_drift_query,
)
from proxy.store.queries import Query

UID = "llm-proxy-security"

_RATE = "$__rate_interval"
_TEAM = any_of("team", "team")
_IN_RANGE = all_of("$__timeFilter(ts)", _TEAM)
_INVESTIGATE_USER = Link(
    "Investigate this user's calls",
    "/d/llm-proxy-investigation?var-user=${__value.raw:percentencode}&${__url_time_range}",
)
# Per-minute rollup bucketed to the panel interval, at least one minute.
_BUCKET = "toStartOfInterval(minute, toIntervalSecond(greatest($__interval_s, 60)))"

_SUMMARY = (
    Row("Policy outcomes"),
    Panel(
        "Policy outcomes in the time range",
        "Calls blocked, redacted or pseudonymised, and flagged by the acceptable-use policy, "
        "and calls refused before inspection (authentication, register, rate limits).",
        (
            SqlQuery(
                f"""SELECT
  sum(blocked) AS blocked,
  sumIf(calls, decision IN ('redact', 'pseudonymise')) AS redacted,
  sumIf(calls, decision = 'flag') AS flagged,
  sumIf(calls, decision = 'reject') AS refused
FROM {VOLUME}
WHERE {all_of("$__timeFilter(minute)", _TEAM)}"""
            ),
        ),
        kind="stat",
        width=24,
        height=4,
    ),
    Panel(
        "Policy actions by rule (enforced)",
        "Rule matches that changed the call (block, redact, pseudonymise, flag), by rule.",
        (
            PromQuery(
                "sum by (action, rule) "
                f'(increase(llm_proxy_policy_actions_total{{mode="enforce"}}[{_RATE}]))',
                "{{action}} {{rule}}",
            ),
        ),
        bars=True,
        stacked=True,
        width=8,
    ),
    Panel(
        "Blocked, redacted and flagged calls by team",
        "Calls per team whose decision was a policy action.",
        (
            PromQuery(
                "sum by (team, decision) (increase(llm_proxy_requests_total"
                f'{{team=~"$team", decision=~"block|redact|pseudonymise|flag"}}[{_RATE}]))',
                "{{team}} {{decision}}",
            ),
        ),
        bars=True,
        stacked=True,
        width=8,
    ),
    Panel(
        "Monitor-mode rule hits",
        "Rules in monitor mode only record that they matched. Check here before switching a "
        "rule to enforce: every hit would have been acted on.",
        (
            PromQuery(
                "sum by (rule, action) "
                f'(increase(llm_proxy_policy_actions_total{{mode="monitor"}}[{_RATE}]))',
                "{{rule}} (would {{action}})",
            ),
        ),
        bars=True,
        stacked=True,
        width=8,
    ),
    Panel(
        "Policy decisions per team over time (ClickHouse)",
        "Calls per minute with a policy decision, by team and decision, from the "
        "call_volume_1m rollup.",
        (
            SqlQuery(
                f"""SELECT
  {_BUCKET} AS time,
  concat(team, ' ', decision) AS team_decision,
  sum(calls) / (greatest($__interval_s, 60) / 60) AS calls_per_minute
FROM {VOLUME}
WHERE {all_of("$__timeFilter(minute)", _TEAM, f"decision IN {POLICY_DECISIONS}")}
GROUP BY time, team_decision
ORDER BY time""",
                time_series=True,
            ),
        ),
        stacked=True,
        display_name="${__field.labels.team_decision}",
    ),
    Panel(
        "Rule matches by rule and team (ClickHouse)",
        "Which rules matched whose calls, and the decision the call ended with.",
        (
            SqlQuery(
                f"""SELECT
  rule,
  team,
  decision,
  count() AS calls,
  uniqExact(user) AS users,
  max(ts) AS last_match
FROM {REQUESTS}
ARRAY JOIN rules AS rule
WHERE {_IN_RANGE}
GROUP BY rule, team, decision
ORDER BY calls DESC
LIMIT 100"""
            ),
        ),
        kind="table",
    ),
)

_SENSITIVE = (
    Row("Sensitive data found"),
    Panel(
        "Findings by entity type and direction",
        "Detector findings in prompts (input) and answers (output), by entity type.",
        (
            PromQuery(
                "sum by (entity_type, direction) "
                f"(increase(llm_proxy_detector_findings_total[{_RATE}]))",
                "{{entity_type}} {{direction}}",
            ),
        ),
        bars=True,
        stacked=True,
    ),
    Panel(
        "Blocked sensitive data by entity type",
        "Calls an enforced rule blocked, counted once per call for each entity type that made "
        "a rule block it (monitor-mode rules block nothing and are not counted). Secrets and "
        "card numbers here page (LLMProxySecretOrCardDataBlocked).",
        (
            PromQuery(
                "sum by (entity_type, direction) "
                f"(increase(llm_proxy_policy_blocked_entities_total[{_RATE}]))",
                "{{entity_type}} {{direction}}",
            ),
        ),
        bars=True,
        stacked=True,
    ),
    Panel(
        "Secrets and card numbers found (5 minutes)",
        "Recording rule entity_type_direction:llm_proxy_sensitive_findings:increase5m: "
        "credentials and payment cards found, whether or not a rule blocked them.",
        (
            PromQuery(
                "entity_type_direction:llm_proxy_sensitive_findings:increase5m",
                "{{entity_type}} {{direction}}",
            ),
        ),
        bars=True,
    ),
    Panel(
        "Calls carrying each entity type (ClickHouse)",
        "Calls whose prompt or answer held the entity type, per interval.",
        (
            SqlQuery(
                f"""SELECT
  $__timeInterval(ts) AS time,
  entity_type,
  count() AS calls
FROM {REQUESTS}
ARRAY JOIN entity_types AS entity_type
WHERE {_IN_RANGE}
GROUP BY time, entity_type
ORDER BY time""",
                time_series=True,
            ),
        ),
        bars=True,
        stacked=True,
        display_name="${__field.labels.entity_type}",
    ),
    Panel(
        "Entity types by team and decision (ClickHouse)",
        "What kind of data each team sends, and what the policy did with it.",
        (
            SqlQuery(
                f"""SELECT
  entity_type,
  team,
  decision,
  count() AS calls,
  sum(entity_counts[entity_type]) AS findings,
  uniqExact(user) AS users
FROM {REQUESTS}
ARRAY JOIN entity_types AS entity_type
WHERE {_IN_RANGE}
GROUP BY entity_type, team, decision
ORDER BY calls DESC
LIMIT 100"""
            ),
        ),
        kind="table",
        width=24,
    ),
)


def _top_violators(column: str) -> str:
    """Callers (``user`` or ``app``) ranked by the calls the policy acted on."""
    return f"""SELECT
  {column},
  team,
  countIf(decision = 'block') AS blocked,
  countIf(decision IN ('redact', 'pseudonymise')) AS redacted,
  countIf(decision = 'flag') AS flagged,
  arrayStringConcat(arraySort(groupUniqArrayArray(entity_types)), ', ') AS entities,
  max(ts) AS last_violation
FROM {REQUESTS}
WHERE {all_of("$__timeFilter(ts)", _TEAM, f"decision IN {POLICY_DECISIONS}")}
GROUP BY {column}, team
ORDER BY blocked DESC, redacted + flagged DESC
LIMIT 20"""


_WHO = (
    Row("Who"),
    Panel(
        "Top users by policy violations",
        "Users whose calls were blocked, redacted or flagged most; click a user to open "
        "their calls in the investigation dashboard.",
        (SqlQuery(_top_violators("user")),),
        kind="table",
        links={"user": _INVESTIGATE_USER},
    ),
    Panel(
        "Top applications by policy violations",
        "The same ranking by the application named on the virtual key.",
        (SqlQuery(_top_violators("app")),),
        kind="table",
    ),
)

_REGISTER = (
    Row("AI use register"),
    Panel(
        "Unapproved-model attempts by team",
        "Calls for models that are not in the register, not approved or not entitled to the "
        "team (alert LLMProxyUnapprovedModelAttempts).",
        (
            PromQuery(
                "sum by (team, reason) "
                f'(increase(llm_proxy_register_denials_total{{team=~"$team"}}[{_RATE}]))',
                "{{team}} {{reason}}",
            ),
        ),
        bars=True,
        stacked=True,
        width=8,
    ),
    Panel(
        "Models in use and what the register did (ClickHouse)",
        "Every model callers asked for in the time range. The register itself is "
        "configuration (register: in the proxy config, GET /v1/models); 'refused' means the "
        "register turned every call to the model away, 'partly refused' that some teams are "
        "not entitled to it.",
        (
            SqlQuery(
                f"""SELECT
  model,
  arrayStringConcat(arraySort(groupUniqArrayIf(provider, provider != '')), ', ') AS providers,
  count() AS calls,
  countIf(decision = 'reject' AND error IN {REGISTER_ERRORS}) AS refused_by_register,
  multiIf(
    refused_by_register = 0, 'served',
    refused_by_register = calls, 'refused',
    'partly refused') AS register,
  uniqExact(team) AS teams,
  uniqExact(user) AS users,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {REQUESTS}
WHERE {all_of("$__timeFilter(ts)", _TEAM, "model != ''")}
GROUP BY model
ORDER BY calls DESC"""
            ),
        ),
        kind="table",
        width=16,
    ),
    Panel(
        "Refused by the register: who asked for what (ClickHouse)",
        "Callers that asked for a model outside the register, with the reason. Either start "
        "the model's approval or point the team to an approved model.",
        (
            SqlQuery(
                f"""SELECT
  team,
  user,
  app,
  model,
  error AS reason,
  count() AS attempts,
  max(ts) AS last_attempt
FROM {REQUESTS}
WHERE {all_of("$__timeFilter(ts)", _TEAM, "decision = 'reject'", f"error IN {REGISTER_ERRORS}")}
GROUP BY team, user, app, model, reason
ORDER BY attempts DESC
LIMIT 100"""
            ),
        ),
        kind="table",
        width=24,
    ),
)

# The unusual-behaviour panels run the queries of ``llm-proxy anomalies`` (one definition,
# proxy/store/anomaly_rules.py): the dashboard's time range is the window, as ``--since`` is
# the command's, and the thresholds are inlined as literals.
_RANGE_END = "toUnixTimestamp64Milli($__toTime_ms)"
_RANGE_START = "toUnixTimestamp64Milli($__fromTime_ms)"
#: Output drift compares the week before the range's end with the week before that
#: (``llm-proxy anomalies --since 7d``), whatever the range.
_WEEK_BEFORE_END = f"{_RANGE_END} - {7 * 24 * 3600 * 1000}"


def _anomaly_sql(query: Query, thresholds: Thresholds, *, start: str = _RANGE_START) -> SqlQuery:
    return SqlQuery(inline(query, thresholds, now_ms=_RANGE_END, window_ms=start))


def _departing(kind: SubjectKind, thresholds: Thresholds) -> SqlQuery:
    return _anomaly_sql(departures_query(kind, database=DATABASE, scope=_TEAM), thresholds)


def unusual_behaviour(thresholds: Thresholds) -> tuple[Panel | Row, ...]:
    """The "Unusual behaviour" row: the anomaly report's four questions, one panel each
    (departures of users and of applications side by side)."""
    t = thresholds
    baseline = f"{t.baseline_days}-day baseline"
    judged = (
        f"at least {t.ratio:g}x the baseline mean and {t.z_score:g} standard deviations above "
        f"it, after {t.min_history_days} days of history"
    )
    return (
        Row("Unusual behaviour (heuristics, ClickHouse)"),
        Panel(
            f"Users departing from their own {baseline}",
            f"The time range cut into intervals of at most a day; a user's busiest interval "
            f"against the user's intervals over the {t.baseline_days} days before the range. "
            f"Listed: {t.min_calls:,} calls or {t.min_tokens:,} tokens in the interval, "
            f"{judged}. A runaway script or a leaked key looks like this. Same heuristic "
            "and thresholds as llm-proxy anomalies.",
            (_departing(SubjectKind.USER, t),),
            kind="table",
            links={"user": _INVESTIGATE_USER},
        ),
        Panel(
            f"Applications departing from their own {baseline}",
            "The same heuristic per application (the app named on the virtual key).",
            (_departing(SubjectKind.APP, t),),
            kind="table",
        ),
        Panel(
            "First use of a model by a team",
            f"Models a team used in the time range but not in the {t.baseline_days} days "
            "before it (teams with calls in those days only): a new tool in use, or a key "
            "used by someone outside the team. A 'reject' decision means the register "
            "refused it.",
            (_anomaly_sql(new_models_query(database=DATABASE, scope=_TEAM), t),),
            kind="table",
        ),
        Panel(
            "Block spikes by team",
            f"A team's blocked calls in an interval of the time range (at most a day) against "
            f"its {baseline}: at least {t.min_blocked:,} blocked, {judged}. Bursts within "
            "minutes page through the alert LLMProxyPolicyBlockSpike.",
            (_departing(SubjectKind.TEAM, t),),
            kind="table",
        ),
        Panel(
            "Output drift per model, week over week",
            f"Served calls of the 7 days before the end of the time range (c_) against the 7 "
            f"days before those (p_), for models with {t.drift_min_calls:,} calls in both: "
            f"the median answer length moved by {t.length_change:.0%}, or the refusal or "
            f"error rate rose by {t.rate_increase * 100:g} points to at least "
            f"{t.rate_ratio:g}x. A model that changed upstream looks like this.",
            (
                _anomaly_sql(
                    output_drift_query(database=DATABASE, scope=_TEAM), t, start=_WEEK_BEFORE_END
                ),
            ),
            kind="table",
            width=24,
        ),
    )


_ACCESS = (
    Row("Access to logged content"),
    Panel(
        "Reads of the event log (audit log)",
        "Every search, show and export of logged calls through the CLI or admin API, with "
        "who read it and whether prompt and answer text was included (ISO 27001 A.8.15). "
        "actor is the authenticated admin credential; claimed_actor is whom the caller "
        "claimed to act for (the CLI's OS user), unverified. "
        "Reads through this Grafana are not in this list: they show in ClickHouse's query log.",
        (
            SqlQuery(
                f"""SELECT
  ts AS time,
  actor,
  claimed_actor,
  role,
  action,
  via,
  include_content,
  row_count,
  filters
FROM {AUDIT_LOG}
WHERE $__timeFilter(ts)
ORDER BY ts DESC
LIMIT 500"""
            ),
        ),
        kind="table",
        width=24,
    ),
)


SECURITY = Dashboard(
    uid=UID,
    title="LLM proxy: security and governance",
    description="What the acceptable-use policy did, which sensitive data was sent by whom, "
    "which models are in use against the AI use register, unusual behaviour, and who read "
    "the logs.",
    time_from="now-24h",
    refresh="5m",
    variables=(
        QueryVariable(
            "team",
            "Team",
            CLICKHOUSE,
            f"SELECT DISTINCT team FROM {VOLUME} WHERE $__timeFilter(minute) ORDER BY team",
        ),
    ),
    items=(
        *_SUMMARY,
        *_SENSITIVE,
        *_WHO,
        *SECURITY_SPEND,
        *_REGISTER,
        *unusual_behaviour(Thresholds()),
        *_ACCESS,
    ),
)
