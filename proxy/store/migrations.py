"""The store's schema, as an ordered list of versioned migrations.

Each migration is a tuple of statements that are idempotent on their own (``IF NOT
EXISTS``), so a start-up that died half-way through a migration simply runs it again.
Placeholders: ``{db}`` (database), ``{retention_days}`` (rows), ``{text_retention_days}``
(prompt and response text). Retention is applied from settings again at every start
(see :func:`proxy.store.schema.apply_retention`), so changing it needs no new migration.

The same statements run on the embedded engine and on a single ClickHouse server. The
cluster variant (``ON CLUSTER``, Replicated*, Distributed) is
``deploy/clickhouse/cluster.sql``; keep the two in step when adding a migration.

Never edit a released migration: append a new one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema change: ``version`` is its order, ``statements`` run in sequence."""

    version: int
    name: str
    statements: tuple[str, ...]


# requests: one row per call.
#
# PARTITION BY day: time-range queries (dashboards' drill-downs, ``--since 2h``) prune
# whole days, and retention drops whole expired parts cheaply.
#
# ORDER BY (team, user, ts, request_id): an investigation of one user over weeks reads one
# contiguous key range per part instead of scanning every row of every day; team first
# because it is low-cardinality (so ``WHERE user = ?`` without a team still skips well) and
# dashboards filter by team. Within a user, rows are in time order. request_id last makes
# the key unique, which is what ReplacingMergeTree collapses on.
#
# Exactly-once: the writer inserts every batch with an ``insert_deduplication_token``
# derived from its place in the spool, so a replayed batch is dropped by ClickHouse
# (``non_replicated_deduplication_window`` turns that on for non-replicated tables; on a
# cluster ReplicatedMergeTree does it). ReplacingMergeTree is the second line: a duplicate
# that ever slipped past the window is collapsed at merge time.
#
# Codecs: the text columns are most of the bytes. Measured on the embedded engine with
# prose-like text: ZSTD(1) takes half the space of LZ4 for about the same insert CPU;
# ZSTD(3) saves another ~9% of space but inserts ~25% slower.
# LowCardinality for the bounded vocabularies (teams, models, decisions, entity types).
_REQUESTS = """
CREATE TABLE IF NOT EXISTS {db}.requests
(
    request_id String,
    ts DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    user LowCardinality(String),
    team LowCardinality(String),
    app LowCardinality(String),
    key_id LowCardinality(String),
    client_ip String,
    method LowCardinality(String),
    endpoint LowCardinality(String),
    provider LowCardinality(String),
    model LowCardinality(String),
    upstream_model LowCardinality(String),
    stream Bool,
    status_code UInt16,
    upstream_status UInt16,
    decision LowCardinality(String),
    rules Array(LowCardinality(String)),
    entity_types Array(LowCardinality(String)),
    entity_counts Map(LowCardinality(String), UInt32),
    content_mode LowCardinality(String),
    prompt String CODEC(ZSTD(1))
        TTL toDateTime(ts) + INTERVAL {text_retention_days} DAY,
    prompt_forwarded String CODEC(ZSTD(1))
        TTL toDateTime(ts) + INTERVAL {text_retention_days} DAY,
    response String CODEC(ZSTD(1))
        TTL toDateTime(ts) + INTERVAL {text_retention_days} DAY,
    prompt_sha256 String CODEC(ZSTD(1)),
    response_sha256 String CODEC(ZSTD(1)),
    prompt_chars UInt32,
    response_chars UInt32,
    prompt_tokens UInt32,
    completion_tokens UInt32,
    latency_ms Float32,
    ttfb_ms Float32,
    error LowCardinality(String),
    inserted_at DateTime('UTC') DEFAULT now(),
    INDEX idx_request_id request_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_entity_types entity_types TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_ts ts TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toDate(ts)
ORDER BY (team, user, ts, request_id)
TTL toDateTime(ts) + INTERVAL {retention_days} DAY
SETTINGS non_replicated_deduplication_window = 10000
"""

# Per minute x team x user x model x provider x decision. SummingMergeTree adds the
# counters up on merge; readers still aggregate with sum() ... GROUP BY, since rows are only
# merged eventually. It needs its own deduplication window: a replayed insert into
# requests is deduplicated for this target too (deduplicate_blocks_in_dependent_
# materialized_views), which only works when the target keeps block ids.
_CALL_VOLUME_TARGET = """
CREATE TABLE IF NOT EXISTS {db}.call_volume_1m_data
(
    minute DateTime('UTC'),
    team LowCardinality(String),
    user LowCardinality(String),
    model LowCardinality(String),
    provider LowCardinality(String),
    decision LowCardinality(String),
    calls UInt64,
    errors UInt64,
    blocked UInt64,
    streamed UInt64,
    prompt_tokens UInt64,
    completion_tokens UInt64,
    tokens UInt64,
    latency_ms_sum Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, team, user, model, provider, decision)
TTL minute + INTERVAL {retention_days} DAY
SETTINGS non_replicated_deduplication_window = 10000
"""

# errors: calls the caller saw fail for any reason other than a policy block. The inner
# SELECT names the per-row token total: in the outer one, prompt_tokens and
# completion_tokens are also the names of the sums, and ClickHouse resolves aliases first.
_CALL_VOLUME_VIEW = """
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.call_volume_1m
TO {db}.call_volume_1m_data
AS SELECT
    toStartOfMinute(ts) AS minute,
    team,
    user,
    model,
    provider,
    decision,
    count() AS calls,
    countIf(decision != 'block' AND (status_code >= 400 OR decision = 'error')) AS errors,
    countIf(decision = 'block') AS blocked,
    countIf(stream) AS streamed,
    sum(prompt_tokens) AS prompt_tokens,
    sum(completion_tokens) AS completion_tokens,
    sum(row_tokens) AS tokens,
    sum(latency_ms) AS latency_ms_sum
FROM
(
    SELECT
        ts, team, user, model, provider, decision, status_code, stream,
        prompt_tokens, completion_tokens, latency_ms,
        toUInt64(prompt_tokens) + completion_tokens AS row_tokens
    FROM {db}.requests
)
GROUP BY minute, team, user, model, provider, decision
"""

# Reads of logged content (ISO 27001 A.8.15): who read which request ids with which filters.
# No TTL: this is audit evidence, kept until an operator decides otherwise.
_AUDIT_LOG = """
CREATE TABLE IF NOT EXISTS {db}.audit_log
(
    ts DateTime64(3, 'UTC'),
    actor String,
    role LowCardinality(String),
    action LowCardinality(String),
    via LowCardinality(String),
    include_content Bool,
    request_ids Array(String),
    row_count UInt32,
    filters String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, actor)
"""

# Whom a reader *claims* to act for (the CLI sends the OS user in x-llm-proxy-actor). Kept
# apart from ``actor``, which is only ever the authenticated admin credential: a claim
# anyone can type must not read as the identity the audit trail vouches for.
_AUDIT_CLAIMED_ACTOR = """
ALTER TABLE {db}.audit_log ADD COLUMN IF NOT EXISTS claimed_actor String DEFAULT '' AFTER actor
"""

# The caller's own x-request-id, for correlating with its logs. The proxy's id stays the
# event id: a caller-chosen id need not be unique (issue 8).
_CLIENT_REQUEST_ID = """
ALTER TABLE {db}.requests
    ADD COLUMN IF NOT EXISTS client_request_id String DEFAULT '' AFTER request_id
"""

# log_chain: the event log's hash chain (proxy/store/chain.py), one row per inserted batch
# of ``requests``, one chain per writer. Insert deduplication as for requests; a replayed
# link is the same row, so ReplacingMergeTree may collapse what slips past the window.
# No TTL: it is the evidence that the rows were not altered (about 150 bytes per call).
_LOG_CHAIN = """
CREATE TABLE IF NOT EXISTS {db}.log_chain
(
    writer_id LowCardinality(String),
    seq UInt64,
    token String,
    ts_min DateTime64(3, 'UTC'),
    ts_max DateTime64(3, 'UTC'),
    row_count UInt32,
    first_request_id String,
    last_request_id String,
    request_ids Array(String) CODEC(ZSTD(1)),
    row_digests Array(String) CODEC(ZSTD(1)),
    content_digests Array(String) CODEC(ZSTD(1)),
    rows_hash String,
    prev_hash String,
    hash String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY (writer_id, seq)
SETTINGS non_replicated_deduplication_window = 10000
"""

# config_history: every policy, register, limits and key-set version the proxy loaded or
# refused (issue 12), so "which policy was in force at time T" has a query answer. Rare
# rows (one per start and reload). No TTL: it is audit evidence. ``content`` is the parsed
# version as JSON; for keys only ids and statuses, never key hashes.
_CONFIG_HISTORY = """
CREATE TABLE IF NOT EXISTS {db}.config_history
(
    ts DateTime64(3, 'UTC'),
    kind LowCardinality(String),
    content_hash String,
    trigger LowCardinality(String),
    path String,
    accepted Bool,
    reason String,
    content String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (kind, ts)
"""

# What each call cost (proxy/call/pricing.py), in pricing.currency; NULL when the model had no
# known price (also for rows written before this migration: their cost is unknown).
_REQUESTS_COST = """
ALTER TABLE {db}.requests ADD COLUMN IF NOT EXISTS cost Nullable(Float64) AFTER completion_tokens
"""

_CALL_VOLUME_COST = """
ALTER TABLE {db}.call_volume_1m_data ADD COLUMN IF NOT EXISTS cost Float64 DEFAULT 0
"""

# Minutes rolled up before costs existed count all their calls as unpriced.
_CALL_VOLUME_UNPRICED = """
ALTER TABLE {db}.call_volume_1m_data ADD COLUMN IF NOT EXISTS unpriced UInt64 DEFAULT calls
"""

# As in the first view, the inner SELECT names the per-row values: an outer alias equal to
# a column name (cost) would be resolved inside its own aggregate.
# A materialized view's query cannot be altered in place (MODIFY QUERY is experimental):
# drop it and create it again with the cost sums. Start-up runs migrations before the
# writer inserts anything, so no row passes while the view is away.
_DROP_CALL_VOLUME_VIEW = "DROP VIEW IF EXISTS {db}.call_volume_1m"

_CALL_VOLUME_VIEW_WITH_COST = """
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.call_volume_1m
TO {db}.call_volume_1m_data
AS SELECT
    toStartOfMinute(ts) AS minute,
    team,
    user,
    model,
    provider,
    decision,
    count() AS calls,
    countIf(decision != 'block' AND (status_code >= 400 OR decision = 'error')) AS errors,
    countIf(decision = 'block') AS blocked,
    countIf(stream) AS streamed,
    sum(prompt_tokens) AS prompt_tokens,
    sum(completion_tokens) AS completion_tokens,
    sum(row_tokens) AS tokens,
    sum(latency_ms) AS latency_ms_sum,
    sum(row_cost) AS cost,
    sum(row_unpriced) AS unpriced
FROM
(
    SELECT
        ts, team, user, model, provider, decision, status_code, stream,
        prompt_tokens, completion_tokens, latency_ms,
        toUInt64(prompt_tokens) + completion_tokens AS row_tokens,
        ifNull(cost, 0) AS row_cost,
        toUInt64(isNull(cost)) AS row_unpriced
    FROM {db}.requests
)
GROUP BY minute, team, user, model, provider, decision
"""

# Issue 11: the materialized view ran its aggregation, and wrote a part of its own, at every
# insert into requests (20-28 % of the event log's CPU at 300 events/s). Now the writer rolls
# up *closed* stretches of ``inserted_at`` (:mod:`proxy.store.rollup`), once a minute, into
# call_volume_1m_steps, and ``call_volume_1m`` becomes a plain view with the same columns:
# the rows the old view rolled up (call_volume_1m_data), the steps the writer closed, and the
# calls inserted since (the open tail, aggregated from requests when read). Readers see every
# call as soon as it is in requests, as before.
#
# ``step`` (the start of the stretch of inserted_at a row rolls up) is in the key so that rows
# of a step the writer inserted but has not yet recorded as closed (call_volume_1m_rolled_up_to)
# can be told apart: the view reads them from requests until then, never from both tables.
_CALL_VOLUME_STEPS = """
CREATE TABLE IF NOT EXISTS {db}.call_volume_1m_steps
(
    minute DateTime('UTC'),
    team LowCardinality(String),
    user LowCardinality(String),
    model LowCardinality(String),
    provider LowCardinality(String),
    decision LowCardinality(String),
    step DateTime('UTC'),
    calls UInt64,
    errors UInt64,
    blocked UInt64,
    streamed UInt64,
    prompt_tokens UInt64,
    completion_tokens UInt64,
    tokens UInt64,
    latency_ms_sum Float64,
    cost Float64,
    unpriced UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, team, user, model, provider, decision, step)
TTL minute + INTERVAL {retention_days} DAY
SETTINGS non_replicated_deduplication_window = 10000
"""

# Where the closed steps end: rows of requests inserted at or after it are the open tail.
# ReplacingMergeTree(upto) on one key keeps the largest value when parts merge.
_CALL_VOLUME_ROLLED_UP_TO = """
CREATE TABLE IF NOT EXISTS {db}.call_volume_1m_rolled_up_to
(
    upto DateTime('UTC')
)
ENGINE = ReplacingMergeTree(upto)
ORDER BY tuple()
"""

# Rows inserted before this migration were rolled up by the dropped view; the first step
# starts one second after the last of them (the writer inserts nothing while migrating).
_CALL_VOLUME_FIRST_STEP = """
INSERT INTO {db}.call_volume_1m_rolled_up_to (upto)
SELECT max(inserted_at) + 1 FROM {db}.requests
HAVING (SELECT count() FROM {db}.call_volume_1m_rolled_up_to) = 0
"""

# Lets the rollup and the view's tail skip the parts inserted long ago (most of the table).
# Parts written before this migration get the index from a mutation in the background.
_INSERTED_AT_INDEX = """
ALTER TABLE {db}.requests
    ADD INDEX IF NOT EXISTS idx_inserted_at inserted_at TYPE minmax GRANULARITY 1
"""

_INSERTED_AT_INDEX_BUILT = "ALTER TABLE {db}.requests MATERIALIZE INDEX idx_inserted_at"

#: The per-minute aggregation of ``requests`` rows, filtered by ``{where}``; shared by the
#: view's open tail below and the writer's steps (:mod:`proxy.store.rollup`). Part of a
#: released migration: never edit it (checksums); a change needs a new constant.
CALL_VOLUME_AGGREGATE = """
SELECT
    toDateTime(toStartOfMinute(ts), 'UTC') AS minute,
    team,
    user,
    model,
    provider,
    decision,
    count() AS calls,
    countIf(decision != 'block' AND (status_code >= 400 OR decision = 'error')) AS errors,
    countIf(decision = 'block') AS blocked,
    countIf(stream) AS streamed,
    sum(row_prompt_tokens) AS prompt_tokens,
    sum(row_completion_tokens) AS completion_tokens,
    sum(row_tokens) AS tokens,
    sum(row_latency_ms) AS latency_ms_sum,
    sum(row_cost) AS cost,
    sum(row_unpriced) AS unpriced
FROM
(
    SELECT
        ts, team, user, model, provider, decision, status_code, stream,
        toUInt64(prompt_tokens) AS row_prompt_tokens,
        toUInt64(completion_tokens) AS row_completion_tokens,
        toUInt64(prompt_tokens) + completion_tokens AS row_tokens,
        toFloat64(latency_ms) AS row_latency_ms,
        ifNull(cost, 0) AS row_cost,
        toUInt64(isNull(cost)) AS row_unpriced
    FROM {db}.requests
    WHERE {where}
)
GROUP BY minute, team, user, model, provider, decision
"""

_CALL_VOLUME_COLUMNS = (
    "minute, team, user, model, provider, decision, calls, errors, blocked, streamed,"
    " prompt_tokens, completion_tokens, tokens, latency_ms_sum, cost, unpriced"
)
_ROLLED_UP_TO = "(SELECT max(upto) FROM {db}.call_volume_1m_rolled_up_to)"

# A template like the others (its placeholders are filled by schema.render), not a query.
_CALL_VOLUME_PLAIN_VIEW = f"""
CREATE VIEW IF NOT EXISTS {{db}}.call_volume_1m AS
SELECT {_CALL_VOLUME_COLUMNS} FROM {{db}}.call_volume_1m_data
UNION ALL
SELECT {_CALL_VOLUME_COLUMNS} FROM {{db}}.call_volume_1m_steps
WHERE step < {_ROLLED_UP_TO}
UNION ALL
{CALL_VOLUME_AGGREGATE.replace("{where}", "inserted_at >= " + _ROLLED_UP_TO)}
"""  # noqa: S608

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "requests table", (_REQUESTS,)),
    Migration(2, "call_volume_1m view", (_CALL_VOLUME_TARGET, _CALL_VOLUME_VIEW)),
    Migration(3, "audit_log table", (_AUDIT_LOG,)),
    Migration(4, "audit_log claimed_actor", (_AUDIT_CLAIMED_ACTOR,)),
    Migration(5, "requests client_request_id", (_CLIENT_REQUEST_ID,)),
    Migration(6, "log_chain table", (_LOG_CHAIN,)),
    Migration(7, "config_history table", (_CONFIG_HISTORY,)),
    Migration(
        8,
        "call cost",
        (
            _REQUESTS_COST,
            _CALL_VOLUME_COST,
            _CALL_VOLUME_UNPRICED,
            _DROP_CALL_VOLUME_VIEW,
            _CALL_VOLUME_VIEW_WITH_COST,
        ),
    ),
    Migration(
        9,
        "call_volume_1m rolled up by the writer",
        (
            _INSERTED_AT_INDEX,
            _INSERTED_AT_INDEX_BUILT,
            _CALL_VOLUME_STEPS,
            _CALL_VOLUME_ROLLED_UP_TO,
            _CALL_VOLUME_FIRST_STEP,
            _DROP_CALL_VOLUME_VIEW,
            _CALL_VOLUME_PLAIN_VIEW,
        ),
    ),
)
