"""The tamper-evident event log: every inserted batch is a link in a hash chain.

What is chained. Each ``requests`` row gets a *row digest*: SHA-256 of its canonical
metadata (every column but the text ones and ``inserted_at``, in a fixed order, values
normalised to what ClickHouse stores: ``ts`` as epoch milliseconds, floats as Float32,
maps as sorted pairs) plus its *content digest*, a SHA-256 over the SHA-256 of each text
column as stored (``prompt``, ``prompt_forwarded``, ``response``). The text itself is
not chained, so when TTL blanks the text columns the metadata still verifies, and the
content digest recorded in the chain still says what the text was. A batch's link in the
``log_chain`` table holds its rows' request ids, row digests and content digests, their
hash, the previous link's hash and its own hash (over writer id, sequence, previous hash,
row count and rows hash).

Whose chain. One chain per writer: a random *writer id* kept in the spool directory
(``chain-writer-id``), so a proxy's chain continues across restarts, and several proxies
writing to one server each keep their own chain. "The previous batch" is the previous
batch of the same writer.

Order and concurrency. The writer inserts up to ``insert_concurrency`` batches at once,
but commits them strictly in spool order; a batch's link is made and inserted at commit,
after its rows landed and before the spool forgets it, one at a time. So the chain order
is the spool order whatever order the concurrent inserts finish in, and wall time plays
no part in it.

Restarts and replays. The chain state is the last link in ``log_chain`` (the writer reads
it at every connect): there is no other copy to get out of step. A batch that was in
flight at a crash is replayed with the same bounds and bytes, so its rows digest is the
same; if its link had landed before the crash (the commit was not yet journaled), the
last link carries the batch's spool token and the writer does not chain it twice; if not,
it is chained now, after the last link, exactly as it would have been. A link's insert is
deduplicated by a token derived from the batch's own token, like the rows' insert.

What verification cannot see. An attacker who can rewrite ``log_chain`` as well can
rebuild a consistent chain, and deleting the newest batches together with their links
leaves no gap: compare the chain head ``logs verify`` prints with one recorded elsewhere
(the proxy logs ``log_chain_head`` lines). Rows written before the chain existed (before
migration 6) are reported as not covered.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

#: Version tag hashed into every digest; a new canonical form needs a new tag.
CHAIN_VERSION = "llm-proxy-chain-v1"
#: File in the spool directory holding this writer's id.
WRITER_ID_FILE = "chain-writer-id"

_STR, _INT, _BOOL, _FLOAT, _TS, _ARRAY, _MAP = range(7)

#: The chained metadata columns of ``requests``, in digest order, with their kind.
CHAINED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("request_id", _STR),
    ("client_request_id", _STR),
    ("ts", _TS),
    ("user", _STR),
    ("team", _STR),
    ("app", _STR),
    ("key_id", _STR),
    ("client_ip", _STR),
    ("method", _STR),
    ("endpoint", _STR),
    ("provider", _STR),
    ("model", _STR),
    ("upstream_model", _STR),
    ("stream", _BOOL),
    ("status_code", _INT),
    ("upstream_status", _INT),
    ("decision", _STR),
    ("rules", _ARRAY),
    ("entity_types", _ARRAY),
    ("entity_counts", _MAP),
    ("content_mode", _STR),
    ("prompt_sha256", _STR),
    ("response_sha256", _STR),
    ("prompt_chars", _INT),
    ("response_chars", _INT),
    ("prompt_tokens", _INT),
    ("completion_tokens", _INT),
    ("latency_ms", _FLOAT),
    ("ttfb_ms", _FLOAT),
    ("error", _STR),
)
#: Text columns, covered by the content digest only (TTL may blank them).
CONTENT_COLUMNS = ("prompt", "prompt_forwarded", "response")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_F32 = struct.Struct("<f")


def float32(value: float) -> float:
    """The value as ClickHouse stores it in a Float32 column."""
    return float(_F32.unpack(_F32.pack(value))[0])


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str:
    """Hex SHA-256 of a stored text; "" for the empty text."""
    return _sha(text.encode("utf-8")) if text else ""


def content_digest(column_digests: Sequence[str]) -> str:
    """The content digest from the per-column text digests; "" when every text is empty."""
    if not any(column_digests):
        return ""
    return _sha("\n".join(column_digests).encode())


def _normal(kind: int, value: Any) -> Any:
    if kind == _STR:
        return "" if value is None else str(value)
    if kind in (_INT, _TS):
        return 0 if value is None else int(value)
    if kind == _BOOL:
        return bool(value)
    if kind == _FLOAT:
        return 0.0 if value is None else float32(float(value))
    if kind == _ARRAY:
        return [str(item) for item in value or ()]
    return sorted([str(k), int(v)] for k, v in (value or {}).items())


def row_digest(values: Mapping[str, Any], content: str) -> str:
    """Digest of one row: ``values`` are the chained columns (``ts`` in epoch ms)."""
    canonical = [CHAIN_VERSION]
    canonical.extend(_normal(kind, values.get(name)) for name, kind in CHAINED_COLUMNS)
    canonical.append(content)
    return _sha(orjson.dumps(canonical))


def iso_ms(epoch_ms: int) -> str:
    """ISO 8601 (UTC, milliseconds) of epoch milliseconds."""
    return (_EPOCH + timedelta(milliseconds=epoch_ms)).isoformat(timespec="milliseconds")


def epoch_ms(ts: Any) -> int:
    """Epoch milliseconds of a row's ``ts`` as the writer encodes it (ISO 8601); ValueError
    when it is not one."""
    moment = datetime.fromisoformat(str(ts))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # never produced by build_row
    return (moment - _EPOCH) // timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class RowProof:
    """What the chain records of one row."""

    request_id: str
    digest: str
    content: str


_NAMES = tuple(name for name, _ in CHAINED_COLUMNS)
_GET_ALL = itemgetter(*_NAMES)
_TS_AT = _NAMES.index("ts")
_FLOATS_AT = tuple(i for i, (_, kind) in enumerate(CHAINED_COLUMNS) if kind == _FLOAT)
_MAPS_AT = tuple(i for i, (_, kind) in enumerate(CHAINED_COLUMNS) if kind == _MAP)


def prove_payload(payload: bytes) -> tuple[RowProof, int]:
    """The proof of one spooled row (a ``JSONEachRow`` line) and its ``ts`` in epoch ms.

    On the writer path, so rows as :func:`proxy.store.rows.build_row` makes them (every
    column, JSON types already canonical) take a short cut to :func:`row_digest`'s
    canonical form; anything else (a row spooled by an older version) takes the long way.
    """
    row = orjson.loads(payload)
    ts_ms = epoch_ms(row["ts"])
    return prove_row(row, ts_ms), ts_ms


def prove_row(row: Mapping[str, Any], ts_ms: int) -> RowProof:
    """The proof of one row as :func:`proxy.store.rows.build_row` makes it (or as its
    ``JSONEachRow`` line reads back), ``ts`` given in epoch ms: what :func:`prove_payload`
    computes from the line, without parsing it again."""
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
            values[i] = float32(values[i])
        for i in _MAPS_AT:
            values[i] = sorted([k, v] for k, v in values[i].items())
        digest = _sha(orjson.dumps([CHAIN_VERSION, *values, content]))
    return RowProof(str(row["request_id"]), digest, content)


@dataclass(frozen=True, slots=True)
class BatchProof:
    """The proofs of one batch's rows, in spool order, and its time range."""

    rows: tuple[RowProof, ...]
    ts_min: int
    ts_max: int

    @classmethod
    def of(cls, payloads: Iterable[bytes]) -> BatchProof:
        rows: list[RowProof] = []
        stamps: list[int] = []
        for payload in payloads:
            proof, ts_ms = prove_payload(payload)
            rows.append(proof)
            stamps.append(ts_ms)
        return cls(tuple(rows), min(stamps, default=0), max(stamps, default=0))

    @classmethod
    def of_proofs(cls, proofs: Sequence[tuple[RowProof, int]]) -> BatchProof:
        """From the rows' proofs and ``ts`` in epoch ms, made as the rows were built."""
        stamps = [ts_ms for _, ts_ms in proofs]
        return cls(tuple(row for row, _ in proofs), min(stamps, default=0), max(stamps, default=0))


def rows_hash(rows: Sequence[RowProof]) -> str:
    """Hash of a batch's row proofs, in order."""
    digest = hashlib.sha256(CHAIN_VERSION.encode())
    for row in rows:
        digest.update(f"\n{row.request_id}\t{row.digest}\t{row.content}".encode())
    return digest.hexdigest()


def link_hash(writer_id: str, seq: int, prev_hash: str, row_count: int, rows: str) -> str:
    """A link's own hash."""
    return _sha(f"{CHAIN_VERSION}\n{writer_id}\n{seq}\n{prev_hash}\n{row_count}\n{rows}".encode())


@dataclass(frozen=True, slots=True)
class Link:
    """One ``log_chain`` row: a batch's place in its writer's chain."""

    writer_id: str
    seq: int
    token: str
    ts_min: int
    ts_max: int
    rows: tuple[RowProof, ...]
    rows_hash: str
    prev_hash: str
    hash: str

    def to_row(self) -> dict[str, Any]:
        """The ``log_chain`` row (``JSONEachRow`` keys), also the bundle's link shape."""
        return {
            "writer_id": self.writer_id,
            "seq": self.seq,
            "token": self.token,
            "ts_min": iso_ms(self.ts_min),
            "ts_max": iso_ms(self.ts_max),
            "row_count": len(self.rows),
            "first_request_id": self.rows[0].request_id if self.rows else "",
            "last_request_id": self.rows[-1].request_id if self.rows else "",
            "request_ids": [r.request_id for r in self.rows],
            "row_digests": [r.digest for r in self.rows],
            "content_digests": [r.content for r in self.rows],
            "rows_hash": self.rows_hash,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(slots=True)
class ChainHead:
    """The writer's last link: where the next batch is chained (mutable, writer thread)."""

    writer_id: str
    seq: int = 0
    hash: str = ""
    token: str = ""

    def extend(self, token: str, proof: BatchProof) -> Link:
        """The link for the next batch (the head is not moved: see :meth:`advance`)."""
        seq = self.seq + 1
        rows = rows_hash(proof.rows)
        own = link_hash(self.writer_id, seq, self.hash, len(proof.rows), rows)
        return Link(
            self.writer_id, seq, token, proof.ts_min, proof.ts_max, proof.rows, rows, self.hash, own
        )

    def advance(self, link: Link) -> None:
        """The link landed: it is the head now."""
        self.seq, self.hash, self.token = link.seq, link.hash, link.token


def load_writer_id(directory: Path) -> str:
    """This writer's id, kept in ``directory`` (created on first use, 0600)."""
    path = directory / WRITER_ID_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    new = f"w-{secrets.token_hex(8)}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, new.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return new
