"""The security and governance dashboard: policy outcomes, sensitive data, who, the AI use
register, unusual behaviour and reads of the log itself.

Prometheus shows the live counters (policy actions, findings, register denials); ClickHouse
answers the questions counters cannot (which user, which app, which model, compared with
what baseline). The "unusual behaviour" queries are heuristics with their thresholds in
the SQL; ``llm-proxy anomalies`` runs similar ones from the command line.
"""

# These modules write the SQL text of dashboard panels from constants; Grafana, not Python,
# fills in the variables (quoted by its singlequote format). Nothing here runs a query.

from __future__ import annotations

from dashboards.filters import (
    AUDIT_LOG,
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

# Windows of the unusual-behaviour heuristics, anchored to the dashboard's time range.
_LAST_8_DAYS = all_of("minute > $__toTime - INTERVAL 8 DAY", "minute <= $__toTime", _TEAM)
_WEEK_BEFORE_RANGE = all_of("minute >= $__fromTime - INTERVAL 7 DAY", "minute < $__fromTime", _TEAM)
_NEW_MODEL_FOR_TEAM = all_of(
    "$__timeFilter(minute)",
    _TEAM,
    "model != ''",
    f"""(team, model) NOT IN (
    SELECT team, model
    FROM {VOLUME}
    WHERE minute >= $__fromTime - INTERVAL 30 DAY AND minute < $__fromTime
    GROUP BY team, model)""",
)
_TWO_WEEKS_OF_ANSWERS = all_of(
    "ts > $__toTime - INTERVAL 14 DAY",
    "ts <= $__toTime",
    _TEAM,
    "model != ''",
    "decision != 'reject'",
)

_UNUSUAL = (
    Row("Unusual behaviour (heuristics, ClickHouse)"),
    Panel(
        "Users departing from their own 7-day baseline",
        "Heuristic. Calls and tokens in the 24 hours before the end of the time range, against "
        "the user's daily average over the 7 days before that. Listed: at least 3x the "
        "baseline (and 20 calls or 10,000 tokens), or under a third of a baseline of 20+ "
        "calls a day. A runaway script or a leaked key looks like this.",
        (
            SqlQuery(
                f"""SELECT
  user,
  team,
  sumIf(calls, minute > $__toTime - INTERVAL 1 DAY) AS calls_24h,
  round(sumIf(calls, minute <= $__toTime - INTERVAL 1 DAY) / 7, 1) AS baseline_calls_per_day,
  sumIf(tokens, minute > $__toTime - INTERVAL 1 DAY) AS tokens_24h,
  round(sumIf(tokens, minute <= $__toTime - INTERVAL 1 DAY) / 7, 1) AS baseline_tokens_per_day,
  round(calls_24h / greatest(baseline_calls_per_day, 1), 1) AS calls_ratio,
  round(tokens_24h / greatest(baseline_tokens_per_day, 1), 1) AS tokens_ratio,
  if(calls_ratio >= 3 OR tokens_ratio >= 3, 'above baseline', 'below baseline') AS change
FROM {VOLUME}
WHERE {_LAST_8_DAYS}
GROUP BY user, team
HAVING (calls_24h >= 20 AND calls_ratio >= 3)
  OR (tokens_24h >= 10000 AND tokens_ratio >= 3)
  OR (baseline_calls_per_day >= 20 AND calls_24h * 3 <= baseline_calls_per_day)
ORDER BY greatest(calls_ratio, tokens_ratio) DESC
LIMIT 50"""
            ),
        ),
        kind="table",
        width=24,
        links={"user": _INVESTIGATE_USER},
    ),
    Panel(
        "First use of a model by a team",
        "Heuristic. Models a team used in the time range but not in the 30 days before it: a "
        "new tool in use, or a key used by someone outside the team.",
        (
            SqlQuery(
                f"""SELECT
  team,
  model,
  min(minute) AS first_used,
  sum(calls) AS calls,
  uniqExact(user) AS users,
  arrayStringConcat(arraySlice(arraySort(groupUniqArray(user)), 1, 5), ', ') AS some_users
FROM {VOLUME}
WHERE {_NEW_MODEL_FOR_TEAM}
GROUP BY team, model
ORDER BY first_used DESC
LIMIT 100"""
            ),
        ),
        kind="table",
    ),
    Panel(
        "Block spikes by team",
        "Heuristic. Hours in the time range in which a team had at least 5 blocked calls and "
        "more than 3x its hourly average over the 7 days before the range "
        "(cf. alert LLMProxyPolicyBlockSpike).",
        (
            SqlQuery(
                f"""WITH baseline AS (
  SELECT team, sum(blocked) / (7 * 24) AS blocked_per_hour
  FROM {VOLUME}
  WHERE {_WEEK_BEFORE_RANGE}
  GROUP BY team
)
SELECT
  toStartOfHour(v.minute) AS hour,
  v.team AS team,
  sum(v.blocked) AS blocked_calls,
  round(any(b.blocked_per_hour), 2) AS baseline_per_hour
FROM {VOLUME} AS v
LEFT JOIN baseline AS b ON v.team = b.team
WHERE {all_of("$__timeFilter(v.minute)", any_of("v.team", "team"))}
GROUP BY hour, team
HAVING blocked_calls >= 5 AND blocked_calls > 3 * baseline_per_hour
ORDER BY hour DESC, blocked_calls DESC
LIMIT 100"""
            ),
        ),
        kind="table",
    ),
    Panel(
        "Output drift per model, week over week",
        "Heuristic. For the 7 days before the end of the time range and the 7 days before "
        "those: calls, average answer length of served calls, and error rate. A model whose "
        "answers suddenly shorten or fail more often may have changed upstream.",
        (
            SqlQuery(
                f"""SELECT
  model,
  countIf(ts > $__toTime - INTERVAL 7 DAY) AS calls_this_week,
  countIf(ts <= $__toTime - INTERVAL 7 DAY) AS calls_last_week,
  round(avgIf(response_chars, ts > $__toTime - INTERVAL 7 DAY AND status_code < 400))
    AS answer_chars_this_week,
  round(avgIf(response_chars, ts <= $__toTime - INTERVAL 7 DAY AND status_code < 400))
    AS answer_chars_last_week,
  round(countIf(ts > $__toTime - INTERVAL 7 DAY AND decision = 'error')
    / greatest(calls_this_week, 1), 3) AS error_rate_this_week,
  round(countIf(ts <= $__toTime - INTERVAL 7 DAY AND decision = 'error')
    / greatest(calls_last_week, 1), 3) AS error_rate_last_week
FROM {REQUESTS}
WHERE {_TWO_WEEKS_OF_ANSWERS}
GROUP BY model
ORDER BY calls_this_week DESC
LIMIT 100"""
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
    items=(*_SUMMARY, *_SENSITIVE, *_WHO, *SECURITY_SPEND, *_REGISTER, *_UNUSUAL, *_ACCESS),
)
