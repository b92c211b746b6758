"""The investigation dashboard: filter the logged calls, then open one of them.

The upper half lists calls matching the variables (team, user, model, decision, entity
type, request id) without their text. The lower half is the single-request view: the whole
record of the call named by the ``request_id`` variable, its prompt and answer (the only
place this dashboard shows them), its findings, and who has read it through the CLI or
admin API. Clicking a request id in the table fills the variable.
"""

# These modules write the SQL text of dashboard panels from constants; Grafana, not Python,
# fills in the variables (quoted by its singlequote format). Nothing here runs a query.

from __future__ import annotations

from typing import Final

from dashboards.filters import AUDIT_LOG, REQUESTS, VOLUME, all_of, any_of, has_any_of
from dashboards.grafana import (
    CLICKHOUSE,
    Dashboard,
    Link,
    Panel,
    QueryVariable,
    Row,
    SqlQuery,
    TextVariable,
)

UID = "llm-proxy-investigation"

_REQUEST_ID: Final = "${request_id:singlequote}"

_FILTERS = all_of(
    "$__timeFilter(ts)",
    any_of("team", "team"),
    any_of("user", "user"),
    any_of("model", "model"),
    any_of("decision", "decision"),
    has_any_of("entity_types", "entity_type"),
    f"({_REQUEST_ID} = '' OR request_id = {_REQUEST_ID})",
)

# The one call the lower half shows. The request id is unique and bloom-filter indexed, so
# no time filter: a responder pasting an id from an alert need not know when it happened.
# A replayed batch may hold the row twice until ClickHouse merges it: take one.
_ONE_REQUEST = f"""(
  SELECT *
  FROM {REQUESTS}
  WHERE request_id = {_REQUEST_ID}
  ORDER BY inserted_at DESC
  LIMIT 1
)"""

# (field, value) pairs of the record, every value as text, in the order a responder reads.
_RECORD_FIELDS = (
    ("request_id", "request_id"),
    ("time", "toString(ts)"),
    ("user", "toString(user)"),
    ("team", "toString(team)"),
    ("app", "toString(app)"),
    ("key_id", "toString(key_id)"),
    ("client_ip", "client_ip"),
    ("method", "toString(method)"),
    ("endpoint", "toString(endpoint)"),
    ("provider", "toString(provider)"),
    ("model", "toString(model)"),
    ("upstream_model", "toString(upstream_model)"),
    ("stream", "toString(stream)"),
    ("status_code", "toString(status_code)"),
    ("upstream_status", "toString(upstream_status)"),
    ("decision", "toString(decision)"),
    ("rules", "arrayStringConcat(rules, ', ')"),
    ("entity_types", "arrayStringConcat(entity_types, ', ')"),
    ("entity_counts", "toString(entity_counts)"),
    ("error", "toString(error)"),
    ("prompt_tokens", "toString(prompt_tokens)"),
    ("completion_tokens", "toString(completion_tokens)"),
    ("latency_ms", "toString(latency_ms)"),
    ("ttfb_ms", "toString(ttfb_ms)"),
    ("content_mode", "toString(content_mode)"),
    ("prompt_chars", "toString(prompt_chars)"),
    ("response_chars", "toString(response_chars)"),
    ("prompt_sha256", "prompt_sha256"),
    ("response_sha256", "response_sha256"),
)

_RECORD = ",\n  ".join(f"('{name}', {expr})" for name, expr in _RECORD_FIELDS)

_OPEN_REQUEST = Link(
    "Open this request",
    "/d/llm-proxy-investigation?var-request_id=${__value.raw:percentencode}&${__url_time_range}",
)
_FILTER_USER = Link(
    "Show only this user's calls",
    "/d/llm-proxy-investigation?var-user=${__value.raw:percentencode}&${__url_time_range}",
)

_MATCHING = (
    Row("Calls matching the filters"),
    Panel(
        "Matching calls",
        "Calls in the time range matching every variable above.",
        (
            SqlQuery(
                f"""SELECT
  count() AS calls,
  uniqExact(user) AS users,
  countIf(decision = 'block') AS blocked,
  countIf(notEmpty(entity_types)) AS with_findings
FROM {REQUESTS}
WHERE {_FILTERS}"""
            ),
        ),
        kind="stat",
        width=8,
        height=7,
    ),
    Panel(
        "Matching calls over time by decision",
        "The same calls per interval, by decision.",
        (
            SqlQuery(
                f"""SELECT
  $__timeInterval(ts) AS time,
  decision,
  count() AS calls
FROM {REQUESTS}
WHERE {_FILTERS}
GROUP BY time, decision
ORDER BY time""",
                time_series=True,
            ),
        ),
        bars=True,
        stacked=True,
        width=16,
        height=7,
        display_name="${__field.labels.decision}",
    ),
    Panel(
        "Calls",
        "Newest first, at most 1000; no prompt or answer text here. Click a request id to "
        "open the call below, or a user to narrow the list to them.",
        (
            SqlQuery(
                f"""SELECT
  ts AS time,
  user,
  team,
  app,
  model,
  provider,
  decision,
  arrayStringConcat(entity_types, ', ') AS entities,
  arrayStringConcat(rules, ', ') AS matched_rules,
  status_code,
  round(latency_ms) AS latency_ms,
  prompt_tokens + completion_tokens AS tokens,
  request_id
FROM {REQUESTS}
WHERE {_FILTERS}
ORDER BY ts DESC
LIMIT 1000"""
            ),
        ),
        kind="table",
        width=24,
        height=14,
        links={"request_id": _OPEN_REQUEST, "user": _FILTER_USER},
    ),
)

_SINGLE = (
    Row("Single request (set the Request id variable)"),
    Panel(
        "Request record",
        "Every recorded field of the call, whatever the time range.",
        (
            SqlQuery(
                f"""SELECT
  kv.1 AS field,
  kv.2 AS value
FROM {_ONE_REQUEST}
ARRAY JOIN [
  {_RECORD}
] AS kv"""
            ),
        ),
        kind="table",
        width=8,
        height=20,
    ),
    Panel(
        "Prompt",
        "The request body as the caller sent it, and as forwarded when the policy rewrote it "
        "(redaction, pseudonymisation). Empty when the model's log content mode kept no text.",
        (
            SqlQuery(
                f"""SELECT
  prompt AS sent_by_caller,
  prompt_forwarded AS forwarded_upstream
FROM {_ONE_REQUEST}"""
            ),
        ),
        kind="table",
        width=16,
        height=10,
        wrap_text=True,
    ),
    Panel(
        "Answer",
        "The answer as the caller saw it (after output inspection); assembled text for streams.",
        (SqlQuery(f"SELECT response AS answer\nFROM {_ONE_REQUEST}"),),
        kind="table",
        width=16,
        height=10,
        wrap_text=True,
    ),
    Panel(
        "Findings",
        "Entity types the detectors found in the call, with counts (never the values).",
        (
            SqlQuery(
                f"""SELECT
  entity_type,
  findings
FROM {_ONE_REQUEST}
ARRAY JOIN
  mapKeys(entity_counts) AS entity_type,
  mapValues(entity_counts) AS findings
ORDER BY findings DESC"""
            ),
        ),
        kind="table",
        width=8,
    ),
    Panel(
        "Reads of this call (audit log)",
        "Who read this call's record through the CLI or admin API, and whether with its text. "
        "actor is the authenticated admin credential; claimed_actor is whom the caller "
        "claimed to act for (the CLI's OS user), unverified.",
        (
            SqlQuery(
                f"""SELECT
  ts AS time,
  actor,
  claimed_actor,
  role,
  action,
  via,
  include_content
FROM {AUDIT_LOG}
WHERE has(request_ids, {_REQUEST_ID})
ORDER BY ts DESC
LIMIT 100"""
            ),
        ),
        kind="table",
        width=16,
    ),
)


def _distinct(column: str, *conditions: str) -> str:
    """Variable query: the column's values in the rollup within the time range."""
    where = all_of("$__timeFilter(minute)", *conditions)
    return f"SELECT DISTINCT {column} FROM {VOLUME} WHERE {where} ORDER BY {column} LIMIT 1000"


INVESTIGATION = Dashboard(
    uid=UID,
    title="LLM proxy: investigation",
    description="Search the logged calls by team, user, model, decision, entity type or "
    "request id, and read one call in full.",
    time_from="now-24h",
    variables=(
        QueryVariable("team", "Team", CLICKHOUSE, _distinct("team")),
        QueryVariable("user", "User", CLICKHOUSE, _distinct("user", any_of("team", "team"))),
        QueryVariable("model", "Model", CLICKHOUSE, _distinct("model", any_of("team", "team"))),
        QueryVariable("decision", "Decision", CLICKHOUSE, _distinct("decision")),
        QueryVariable(
            "entity_type",
            "Entity type",
            CLICKHOUSE,
            "SELECT DISTINCT arrayJoin(entity_types) AS entity_type\n"
            f"FROM {REQUESTS}\nWHERE $__timeFilter(ts)\nORDER BY entity_type",
        ),
        TextVariable(
            "request_id",
            "Request id",
            "The x-request-id of one call: filters the list and opens the call below.",
        ),
    ),
    items=(*_MATCHING, *_SINGLE),
)
