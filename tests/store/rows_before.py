"""The request path's row and proof as they were made before ``rows.proved_line`` (h116),
kept as the reference its property test compares against: the row built as a dict
(``rows.build_row``), encoded by orjson, and proved from that dict by the ``prove_row`` of
that time (copied here whole). A frozen copy on purpose: do not make it follow the module."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

import orjson

from proxy.call.events import CallEvent
from proxy.store.chain import (
    CHAIN_VERSION,
    CHAINED_COLUMNS,
    CONTENT_COLUMNS,
    RowProof,
    content_digest,
    epoch_ms,
    row_digest,
    text_digest,
)
from proxy.store.rows import _scrub, build_row
from proxy.store.settings import ContentMode

_F32 = struct.Struct("<f")
_NAMES = tuple(name for name, _ in CHAINED_COLUMNS)
_GET_ALL = itemgetter(*_NAMES)
_TS_AT = _NAMES.index("ts")
_FLOATS_AT = (_NAMES.index("latency_ms"), _NAMES.index("ttfb_ms"))
_MAPS_AT = (_NAMES.index("entity_counts"),)


def _float32(value: float) -> float:
    return float(_F32.unpack(_F32.pack(value))[0])


def prove_row_before(row: Mapping[str, Any], ts_ms: int) -> RowProof:
    """``chain.prove_row`` as it was."""
    content = content_digest([text_digest(row.get(c) or "") for c in CONTENT_COLUMNS])
    try:
        values = list(_GET_ALL(row))
    except KeyError:
        values = []
    if not values or None in values:
        digest = row_digest({**row, "ts": ts_ms}, content)
    else:
        values[_TS_AT] = ts_ms
        for i in _FLOATS_AT:
            values[i] = _float32(values[i])
        for i in _MAPS_AT:
            values[i] = sorted([k, v] for k, v in values[i].items())
        digest = hashlib.sha256(orjson.dumps([CHAIN_VERSION, *values, content])).hexdigest()
    return RowProof(str(row["request_id"]), digest, content)


def encode_proved_before(
    event: CallEvent, default_mode: ContentMode
) -> tuple[bytes, RowProof, int]:
    """(line, proof, ts in epoch ms) exactly as the request path made them before."""
    row: dict[str, Any] = build_row(event, default_mode)
    ts_ms = epoch_ms(row["ts"])
    try:
        payload = orjson.dumps(row)
    except orjson.JSONEncodeError:
        row = _scrub(row)
        payload = orjson.dumps(row)
    return payload, prove_row_before(row, ts_ms), ts_ms
