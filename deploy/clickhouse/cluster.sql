-- Event log schema for a ClickHouse cluster: sharded, replicated, ON CLUSTER.
--
-- The proxy's start-up migrations (proxy/store/migrations.py) create the single-node
-- schema. On a cluster, apply this file once instead, before the proxies start:
--
--   clickhouse-client --multiquery < deploy/clickhouse/cluster.sql
--
-- It needs the usual macros in every server's config: {cluster}, {shard}, {replica}.
-- It creates the same table names the proxy and the dashboards use (requests,
-- call_volume_1m, audit_log, log_chain) as Distributed tables over *_local replicated tables, and
-- records migrations 1-8 as applied so the proxies do not try to apply them again.
-- Proxies then use the server URL (http(s)://user:pass@host:8123/llm_proxy), ideally a
-- load balancer in front of the cluster.
--
-- Upgrading: every statement is idempotent, so run the whole file again before starting
-- a proxy version that brings a new migration (later migrations appear below as ALTERs
-- ON CLUSTER, on the *_local table and its Distributed table). A proxy started first would
-- apply the migration to the one server it talks to only.
--
-- Retention: 365 days for rows, 30 days for prompt and response text, as the proxy's
-- defaults. The proxy does not alter TTLs of Distributed/replicated tables; change them
-- here (ALTER TABLE ... ON CLUSTER '{cluster}' MODIFY TTL / MODIFY COLUMN ... TTL).
--
-- Exactly-once: the proxy inserts each batch with an insert_deduplication_token and
-- insert_distributed_sync = 1, so the Distributed table forwards every shard's part of a
-- batch before the insert returns. A replayed batch splits identically (the sharding key
-- is request_id), and each shard's ReplicatedMergeTree drops the repeated block (its
-- deduplication window below). ReplacingMergeTree on a key ending in request_id, on a
-- shard chosen by request_id, collapses anything that ever slips through.
--
-- Keep in step with proxy/store/migrations.py (tests/store/test_cluster_ddl.py checks
-- that the columns agree).

CREATE DATABASE IF NOT EXISTS llm_proxy ON CLUSTER '{cluster}';

-- requests: one row per call. ORDER BY and PARTITION BY as in migrations.py: daily
-- partitions for time ranges and retention, (team, user, ts) for one-user investigations.
CREATE TABLE IF NOT EXISTS llm_proxy.requests_local ON CLUSTER '{cluster}'
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
        TTL toDateTime(ts) + INTERVAL 30 DAY,
    prompt_forwarded String CODEC(ZSTD(1))
        TTL toDateTime(ts) + INTERVAL 30 DAY,
    response String CODEC(ZSTD(1))
        TTL toDateTime(ts) + INTERVAL 30 DAY,
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/llm_proxy/requests_local', '{replica}')
PARTITION BY toDate(ts)
ORDER BY (team, user, ts, request_id)
TTL toDateTime(ts) + INTERVAL 365 DAY
SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS llm_proxy.requests ON CLUSTER '{cluster}'
AS llm_proxy.requests_local
ENGINE = Distributed('{cluster}', llm_proxy, requests_local, cityHash64(request_id));

-- call_volume_1m: per minute x team x user x model x provider x decision, summed per shard
-- by the view on requests_local, read across shards through the Distributed table.
CREATE TABLE IF NOT EXISTS llm_proxy.call_volume_1m_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/llm_proxy/call_volume_1m_local', '{replica}')
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, team, user, model, provider, decision)
TTL minute + INTERVAL 365 DAY
SETTINGS replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS llm_proxy.call_volume_1m_mv ON CLUSTER '{cluster}'
TO llm_proxy.call_volume_1m_local
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
    FROM llm_proxy.requests_local
)
GROUP BY minute, team, user, model, provider, decision;

CREATE TABLE IF NOT EXISTS llm_proxy.call_volume_1m ON CLUSTER '{cluster}'
AS llm_proxy.call_volume_1m_local
ENGINE = Distributed('{cluster}', llm_proxy, call_volume_1m_local);

-- audit_log: reads of logged content. No TTL: audit evidence.
CREATE TABLE IF NOT EXISTS llm_proxy.audit_log_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/llm_proxy/audit_log_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, actor);

CREATE TABLE IF NOT EXISTS llm_proxy.audit_log ON CLUSTER '{cluster}'
AS llm_proxy.audit_log_local
ENGINE = Distributed('{cluster}', llm_proxy, audit_log_local, rand());

-- Migration 4: whom a reader claims to act for (the x-llm-proxy-actor header), apart from
-- actor, the authenticated admin credential.
ALTER TABLE llm_proxy.audit_log_local ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS claimed_actor String DEFAULT '' AFTER actor;

ALTER TABLE llm_proxy.audit_log ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS claimed_actor String DEFAULT '' AFTER actor;

-- Migration 5: the caller's own x-request-id, kept apart from the proxy's event id.
ALTER TABLE llm_proxy.requests_local ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS client_request_id String DEFAULT '' AFTER request_id;

ALTER TABLE llm_proxy.requests ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS client_request_id String DEFAULT '' AFTER request_id;

-- Migration 6: log_chain, the event log's hash chain (one row per inserted batch, one
-- chain per writer). Sharded by writer, so each chain lives on one shard. No TTL.
CREATE TABLE IF NOT EXISTS llm_proxy.log_chain_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/llm_proxy/log_chain_local', '{replica}')
ORDER BY (writer_id, seq)
SETTINGS replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS llm_proxy.log_chain ON CLUSTER '{cluster}'
AS llm_proxy.log_chain_local
ENGINE = Distributed('{cluster}', llm_proxy, log_chain_local, cityHash64(writer_id));

-- Migration 7: config_history, every configuration version loaded or refused. Sharded by
-- kind. No TTL.
CREATE TABLE IF NOT EXISTS llm_proxy.config_history_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/llm_proxy/config_history_local', '{replica}')
PARTITION BY toYYYYMM(ts)
ORDER BY (kind, ts);

CREATE TABLE IF NOT EXISTS llm_proxy.config_history ON CLUSTER '{cluster}'
AS llm_proxy.config_history_local
ENGINE = Distributed('{cluster}', llm_proxy, config_history_local, cityHash64(kind));

-- Migration 8: what each call cost (NULL when its model had no known price), and the cost
-- sums in the per-minute rollup. The view is dropped and created again with them (a view's
-- query cannot be altered in place); apply this part while no proxy writes, or the rows
-- inserted in between miss the rollup (never the requests table).
ALTER TABLE llm_proxy.requests_local ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS cost Nullable(Float64) AFTER completion_tokens;

ALTER TABLE llm_proxy.requests ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS cost Nullable(Float64) AFTER completion_tokens;

ALTER TABLE llm_proxy.call_volume_1m_local ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS cost Float64 DEFAULT 0;

ALTER TABLE llm_proxy.call_volume_1m ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS cost Float64 DEFAULT 0;

ALTER TABLE llm_proxy.call_volume_1m_local ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS unpriced UInt64 DEFAULT calls;

ALTER TABLE llm_proxy.call_volume_1m ON CLUSTER '{cluster}'
    ADD COLUMN IF NOT EXISTS unpriced UInt64 DEFAULT calls;

DROP VIEW IF EXISTS llm_proxy.call_volume_1m_mv ON CLUSTER '{cluster}';

CREATE MATERIALIZED VIEW IF NOT EXISTS llm_proxy.call_volume_1m_mv ON CLUSTER '{cluster}'
TO llm_proxy.call_volume_1m_local
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
    FROM llm_proxy.requests_local
)
GROUP BY minute, team, user, model, provider, decision;

-- schema_migrations: one copy on every server (one replication path for all shards), so
-- every proxy sees that migrations 1-9 are in place. Migration 9 (the single node's rollup
-- closed by the writer, proxy/store/rollup.py) does not apply here: on a cluster the
-- servers keep rolling call_volume_1m up with the materialized view above, and the
-- writer leaves a call_volume_1m that is not a plain view alone.
CREATE TABLE IF NOT EXISTS llm_proxy.schema_migrations ON CLUSTER '{cluster}'
(
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/llm_proxy/schema_migrations', '{replica}')
ORDER BY version;

INSERT INTO llm_proxy.schema_migrations (version, name, checksum) VALUES
    (1, 'requests table', 'cluster.sql'),
    (2, 'call_volume_1m view', 'cluster.sql'),
    (3, 'audit_log table', 'cluster.sql'),
    (4, 'audit_log claimed_actor', 'cluster.sql'),
    (5, 'requests client_request_id', 'cluster.sql'),
    (6, 'log_chain table', 'cluster.sql'),
    (7, 'config_history table', 'cluster.sql'),
    (8, 'call cost', 'cluster.sql'),
    (9, 'call_volume_1m rolled up by the writer', 'cluster.sql');
