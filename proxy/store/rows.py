"""From a call event to the stored row: the log content mode, then one JSON line.

The row is built on the hot path, before the event touches the disk, so text that the
content mode says must not be kept never reaches the spool either. Its encoding is one
``JSONEachRow`` line whose keys are the ``requests`` columns: the spool stores exactly
these bytes and the writer sends them to ClickHouse unchanged, so a live batch and its
replay after a crash are the same rows. (A Native columnar insert built in Python costs
~40 µs of interpreter time per 4 KB row; orjson encodes one in ~1 µs and ClickHouse parses
the JSON in its own threads, outside the GIL.)
"""

from __future__ import annotations

import hashlib
import struct
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import orjson

from proxy.call.events import CallEvent
from proxy.store.chain import CHAIN_VERSION, CHAINED_COLUMNS, RowProof, epoch_ms, prove_row
from proxy.store.settings import ContentMode

_MODES = {mode.value: mode for mode in ContentMode}

#: Insert settings that go with rows built here.
INSERT_SETTINGS: dict[str, Any] = {
    "date_time_input_format": "best_effort",  # ts is ISO 8601 with an offset
    "input_format_skip_unknown_fields": 1,  # spooled rows may predate a dropped column
    "insert_deduplicate": 1,
    # Batches are a few MB: one parsing thread is enough and leaves the other cores to
    # merges and the proxy (parallel parsing cost ~20% more CPU per row, measured).
    "input_format_parallel_parsing": 0,
    # The same for the rest of the insert's pipeline (the call_volume_1m view's aggregation,
    # squashing): handing a one-second batch between pool threads cost more than it saved.
    # Embedded engine, proxy-like rows through the real writer (bench/ingest_stages.py
    # --paced): 0.72-0.75x the log's CPU per event at 300 events/s, 0.92-0.97x at 1,000.
    "max_threads": 1,
    "deduplicate_blocks_in_dependent_materialized_views": 1,
    # On a cluster (deploy/clickhouse/cluster.sql) ``requests`` is Distributed: return only
    # once every shard holds its part of the batch. No effect on a plain table.
    "insert_distributed_sync": 1,
}


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text; "" for the empty text (nothing to fingerprint)."""
    if not text:
        return ""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def resolve_mode(requested: str, default: ContentMode) -> ContentMode:
    """The content mode an event is stored with: its own if valid, else the default."""
    return _MODES.get(requested, default)


def _texts(event: CallEvent, mode: ContentMode) -> tuple[str, str, str, str, str]:
    """(prompt, prompt_forwarded, response, prompt_sha256, response_sha256) for a mode."""
    if mode is ContentMode.FULL:
        return event.prompt, event.prompt_forwarded, event.response, "", ""
    if mode is ContentMode.REDACTED:
        # The redacted prompt is what went upstream after the policy rewrote it. When the
        # policy did not rewrite it but detectors found something (flag, block), the raw
        # prompt holds that finding: keep only its fingerprint. The response already is
        # what the caller saw after output inspection.
        if event.prompt_forwarded:
            return event.prompt_forwarded, "", event.response, "", ""
        if event.entity_types:
            return "", "", event.response, sha256_hex(event.prompt), ""
        return event.prompt, "", event.response, "", ""
    if mode is ContentMode.HASH:
        return "", "", "", sha256_hex(event.prompt), sha256_hex(event.response)
    return "", "", "", "", ""


def _timestamp(ts: datetime) -> str:
    if ts.tzinfo is None:  # the contract says aware UTC; never let the server guess a zone
        ts = ts.replace(tzinfo=UTC)
    return ts.isoformat(timespec="milliseconds")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


#: A row's ``ts`` after its second: ``.mmm+00:00`` for each millisecond.
_MILLIS = tuple(f".{ms:03d}+00:00" for ms in range(1000))


class _UtcStamps:
    """``ts.isoformat(timespec="milliseconds")`` and its epoch milliseconds, for a ``ts`` in
    UTC, with the part up to the second formatted once a second (calls arrive in time order)
    instead of for every row, and the milliseconds read from the distance to that second:
    a ``timedelta`` under a second, where the distance to the epoch in milliseconds made 14
    objects a row (its microseconds, then a floor division of two of them) and this makes 5
    (0.65 -> 0.40 us, ``timeit`` by thread time, same run)."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        # (the second as a datetime, as epoch seconds, its ISO form): one tuple, so whoever
        # calls, a second never meets another's prefix.
        self._last: tuple[datetime, int, str] = (_EPOCH, 0, "1970-01-01T00:00:00")

    def stamp(self, ts: datetime) -> tuple[str, int]:
        """The ISO text and epoch milliseconds of ``ts`` (a bound method: called per row,
        it costs less than an instance's ``__call__``)."""
        base, second, prefix = self._last
        into = ts - base
        if into.days or into.seconds:  # another second, later or earlier
            second = (ts - _EPOCH) // _MS // 1000
            base = _EPOCH + timedelta(seconds=second)
            prefix = base.isoformat()[:-6]
            self._last = (base, second, prefix)
            into = ts - base
        fraction = into.microseconds // 1000
        return prefix + _MILLIS[fraction], second * 1000 + fraction


#: A memo of the last second formatted (a pure function's cache, not state that matters).
_utc_stamp = _UtcStamps().stamp


def _stamp(ts: datetime) -> tuple[str, int]:
    """The row's ``ts`` (ISO 8601, milliseconds) and its epoch milliseconds, as
    :func:`proxy.store.chain.epoch_ms` reads them back from the line."""
    if ts.tzinfo is UTC:
        return _utc_stamp(ts)
    text = _timestamp(ts)
    return text, epoch_ms(text)


def build_row(event: CallEvent, default_mode: ContentMode) -> dict[str, Any]:
    """The ``requests`` row for an event, with the content mode applied."""
    mode = resolve_mode(event.content_mode, default_mode)
    prompt, forwarded, response, prompt_hash, response_hash = _texts(event, mode)
    stamp, _ = _stamp(event.ts)
    texts = (prompt, forwarded, response, prompt_hash, response_hash)
    return _row(event, stamp, mode.value, texts)


def _row(
    event: CallEvent, stamp: str, mode_name: str, texts: tuple[str, str, str, str, str]
) -> dict[str, Any]:
    """The row's dict: the event's fields, its stamp and content mode's name, and ``texts``
    (prompt, forwarded prompt, response and the two digests) as the mode keeps them."""
    prompt, forwarded, response, prompt_hash, response_hash = texts
    return {
        "request_id": event.request_id,
        "client_request_id": event.client_request_id,
        "ts": stamp,
        "user": event.user,
        "team": event.team,
        "app": event.app,
        "key_id": event.key_id,
        "client_ip": event.client_ip,
        "method": event.method,
        "endpoint": event.endpoint,
        "provider": event.provider,
        "model": event.model,
        "upstream_model": event.upstream_model,
        "stream": event.stream,
        "status_code": event.status_code,
        "upstream_status": event.upstream_status,
        "decision": event.decision,
        "rules": event.rules,
        "entity_types": event.entity_types,
        "entity_counts": event.entity_counts,
        "content_mode": mode_name,
        "prompt": prompt,
        "prompt_forwarded": forwarded,
        "response": response,
        "prompt_sha256": prompt_hash,
        "response_sha256": response_hash,
        "prompt_chars": len(event.prompt),
        "response_chars": len(event.response),
        "prompt_tokens": event.prompt_tokens,
        "completion_tokens": event.completion_tokens,
        "cost": event.cost,
        "latency_ms": event.latency_ms,
        "ttfb_ms": event.ttfb_ms,
        "error": event.error,
    }


def _scrub(value: Any) -> Any:
    """Replace lone surrogates (valid in Python str, not in UTF-8) so the row can encode."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, tuple | list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def encode_row(row: dict[str, Any]) -> bytes:
    """One JSON line (without the newline) for a row built by :func:`build_row`."""
    try:
        return orjson.dumps(row)
    except orjson.JSONEncodeError:
        # Request bodies decoded by json.loads may carry "\\ud800"-style lone surrogates.
        return orjson.dumps(_scrub(row))


def encode_event(event: CallEvent, default_mode: ContentMode) -> bytes:
    """Build and encode the stored row for an event: what ``record()`` spools."""
    return encode_row(build_row(event, default_mode))


class ProvedRow(NamedTuple):
    """A stored row's line and its hash-chain proof, made from the one row built."""

    payload: bytes
    proof: RowProof
    ts_ms: int


#: A mode's stored name (``mode.value`` is a Python-level property of an enum member).
_MODE_NAMES = {mode: mode.value for mode in ContentMode}
_FULL = ContentMode.FULL
#: The two Float32 columns, converted as one pair (see :func:`proxy.store.chain.float32`).
_F32_PAIR = struct.Struct("<ff")
_sha256 = hashlib.sha256
#: Where :func:`proved_line`'s canonical list (the version tag, then the chained columns)
#: holds the entity counts and the two floats.
_CHAINED_NAMES = [name for name, _ in CHAINED_COLUMNS]
_COUNTS_AT, _LATENCY_AT, _TTFB_AT = (
    1 + _CHAINED_NAMES.index(name) for name in ("entity_counts", "latency_ms", "ttfb_ms")
)


def encode_proved(event: CallEvent, default_mode: ContentMode) -> ProvedRow:
    """:func:`encode_event`, plus the row's chain proof computed from the row just built.

    The writer would otherwise parse the line back to prove it (encoding and proving an
    event cost 0.83x as much this way, ``bench/ingest_stages.py``);
    :func:`proxy.store.chain.prove_payload` of the line gives the same proof.
    """
    payload, (proof, ts_ms) = proved_line(event, default_mode)
    return ProvedRow(payload, proof, ts_ms)


def proved_line(event: CallEvent, default_mode: ContentMode) -> tuple[bytes, tuple[RowProof, int]]:
    """:func:`encode_proved` as the pair ``record()`` hands the feed: the line, and its
    proof with ``ts`` in epoch ms.

    One pass over the event for the request path: the row is :func:`build_row`'s
    (:func:`_row`), and the proof's canonical list (``chain.row_digest``'s form, as
    :func:`proxy.store.chain.prove_row` makes it from that row) is read from the same
    locals instead of picked back out of the dict; the two Float32 values are converted as
    a pair. Anything ``prove_row`` would not take its short cut for (a None among the
    chained values, text with lone surrogates) is proved by ``prove_row`` itself.
    ``tests/store/test_row_encoding.py`` holds both to the row and proof of the
    field-by-field definitions for generated events.
    """
    mode = _MODES.get(event.content_mode, default_mode)
    if mode is _FULL:
        prompt, forwarded, response = event.prompt, event.prompt_forwarded, event.response
        prompt_hash = response_hash = ""
    else:
        prompt, forwarded, response, prompt_hash, response_hash = _texts(event, mode)
    ts = event.ts
    stamp, ts_ms = _utc_stamp(ts) if ts.tzinfo is UTC else _stamp(ts)
    mode_name = _MODE_NAMES[mode]
    counts = event.entity_counts
    prompt_chars = len(event.prompt)
    response_chars = len(event.response)
    texts = (prompt, forwarded, response, prompt_hash, response_hash)
    row = _row(event, stamp, mode_name, texts)
    try:
        payload = orjson.dumps(row)
    except orjson.JSONEncodeError:
        row = _scrub(row)  # prove what is stored: the text with its surrogates replaced
        return orjson.dumps(row), (prove_row(row, ts_ms), ts_ms)
    # chain.CHAINED_COLUMNS in order, between the version tag and the content digest.
    canonical: list[Any] = [
        CHAIN_VERSION,
        event.request_id,
        event.client_request_id,
        ts_ms,
        event.user,
        event.team,
        event.app,
        event.key_id,
        event.client_ip,
        event.method,
        event.endpoint,
        event.provider,
        event.model,
        event.upstream_model,
        event.stream,
        event.status_code,
        event.upstream_status,
        event.decision,
        event.rules,
        event.entity_types,
        counts,
        mode_name,
        prompt_hash,
        response_hash,
        prompt_chars,
        response_chars,
        event.prompt_tokens,
        event.completion_tokens,
        event.latency_ms,
        event.ttfb_ms,
        event.error,
    ]
    if None in canonical:  # prove_row's long way normalises None
        return payload, (prove_row(row, ts_ms), ts_ms)
    canonical[_COUNTS_AT] = sorted([k, v] for k, v in counts.items()) if counts else []
    canonical[_LATENCY_AT], canonical[_TTFB_AT] = _F32_PAIR.unpack(
        _F32_PAIR.pack(event.latency_ms, event.ttfb_ms)
    )
    # chain.content_digest of chain.text_digest of each stored text.
    prompt_digest = _sha256(prompt.encode()).hexdigest() if prompt else ""
    forwarded_digest = _sha256(forwarded.encode()).hexdigest() if forwarded else ""
    response_digest = _sha256(response.encode()).hexdigest() if response else ""
    content = (
        _sha256(f"{prompt_digest}\n{forwarded_digest}\n{response_digest}".encode()).hexdigest()
        if prompt_digest or forwarded_digest or response_digest
        else ""
    )
    canonical.append(content)
    digest = _sha256(orjson.dumps(canonical)).hexdigest()
    return payload, (RowProof(str(event.request_id), digest, content), ts_ms)
