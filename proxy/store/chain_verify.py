"""Checking the event log's hash chain (:mod:`proxy.store.chain`) against the stored rows.

:func:`check` is the whole judgement, on plain data: links (``log_chain`` rows) and the
stored rows with their text columns' digests. It reports, each with its position (writer,
batch sequence, request id):

- ``link_altered``: a link whose rows hash or own hash does not recompute;
- ``links_missing`` / ``link_broken`` / ``link_conflict``: a gap in a writer's sequence,
  a link whose previous hash is not its predecessor's hash, two different links at one place;
- ``row_deleted``: a chained row that is gone (unless older than the row retention);
- ``row_altered``: a row whose metadata no longer gives the chained digest;
- ``content_altered``: text that no longer gives the chained content digest (text blanked
  by the text TTL is expected, not a finding, once older than the text retention);
- ``row_inserted``: a row no link claims (rows younger than ``PENDING_SECONDS`` may still
  be waiting for their link; rows older than every chain are counted as not covered).

:func:`verify_store` reads a store and checks it; :func:`proof_for` and
:func:`verify_bundle` make and check the proof written beside an export.

Cost: ClickHouse hashes the text columns (only their digests leave the server); the
metadata of every row in range is held in memory while it is judged (measured ~37,000
rows/s on the embedded engine). On a large store, check a window with ``since``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from clickhouse_connect.driver.client import Client

from proxy.store.chain import (
    CHAIN_VERSION,
    CHAINED_COLUMNS,
    CONTENT_COLUMNS,
    RowProof,
    content_digest,
    epoch_ms,
    link_hash,
    row_digest,
    rows_hash,
    text_digest,
)
from proxy.store.settings import StoreSettings

#: Unclaimed rows inserted this recently may still be waiting for their link.
PENDING_SECONDS = 120.0

# Unaliased: an alias named like its column would also replace the column in WHERE.
_LINK_COLUMNS = (
    "writer_id",
    "seq",
    "token",
    "toUnixTimestamp64Milli(ts_min)",
    "toUnixTimestamp64Milli(ts_max)",
    "row_count",
    "request_ids",
    "row_digests",
    "content_digests",
    "rows_hash",
    "prev_hash",
    "hash",
)

_LINK_NAMES = [c.removeprefix("toUnixTimestamp64Milli(").rstrip(")") for c in _LINK_COLUMNS]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with the log, and where."""

    kind: str
    writer_id: str = ""
    seq: int = 0
    request_id: str = ""
    detail: str = ""


@dataclass(slots=True)
class Verification:
    """The result of a check: findings, and what was covered."""

    findings: list[Finding] = field(default_factory=list)
    links: int = 0
    rows: int = 0
    text_expired: int = 0
    rows_expired: int = 0
    not_covered: int = 0
    pending: int = 0
    heads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["intact"] = self.intact
        return data


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A ``requests`` row as read back: chained values (``ts`` in epoch ms), the digest of
    each text column (``CONTENT_COLUMNS`` order), and when it was inserted (epoch s)."""

    values: Mapping[str, Any]
    text_digests: tuple[str, ...] | None  # None: not known (a proof for a metadata reader)
    inserted_at: float = 0.0

    @property
    def request_id(self) -> str:
        return str(self.values["request_id"])

    @property
    def ts_ms(self) -> int:
        return int(self.values["ts"])


def _link_findings(
    links: Sequence[Mapping[str, Any]], out: Verification, *, from_start: bool = False
) -> None:
    """Hash, order and continuity of the links; with ``from_start`` every chain must begin
    at sequence 1 (``log_chain`` has no TTL: only someone deleting links shortens it)."""
    by_writer: dict[str, dict[int, Mapping[str, Any]]] = defaultdict(dict)
    for link in links:
        writer, seq = str(link["writer_id"]), int(link["seq"])
        seen = by_writer[writer].get(seq)
        if seen is not None:
            if seen["hash"] != link["hash"] or seen.get("row_digests") != link.get("row_digests"):
                out.findings.append(Finding("link_conflict", writer, seq))
            continue
        by_writer[writer][seq] = link
        out.links += 1
        count = int(link["row_count"])
        own = link_hash(writer, seq, str(link["prev_hash"]), count, str(link["rows_hash"]))
        if own != link["hash"] or not _rows_match(link, count):
            out.findings.append(Finding("link_altered", writer, seq))
    for writer, chain in sorted(by_writer.items()):
        previous: Mapping[str, Any] | None = None
        for seq in sorted(chain):
            link = chain[seq]
            if previous is not None:
                if seq != int(previous["seq"]) + 1:
                    detail = f"seq {int(previous['seq']) + 1}..{seq - 1}"
                    out.findings.append(Finding("links_missing", writer, seq, detail=detail))
                elif link["prev_hash"] != previous["hash"]:
                    out.findings.append(Finding("link_broken", writer, seq))
            elif seq == 1 and link["prev_hash"] != "":
                out.findings.append(Finding("link_broken", writer, seq))
            elif seq > 1 and from_start:
                detail = f"seq 1..{seq - 1} (--since starts the check later)"
                out.findings.append(Finding("links_missing", writer, seq, detail=detail))
            previous = link
        if previous is not None:
            out.heads.append(
                {
                    "writer_id": writer,
                    "first_seq": min(chain),
                    "seq": int(previous["seq"]),
                    "hash": str(previous["hash"]),
                }
            )


def _rows_match(link: Mapping[str, Any], count: int) -> bool:
    """The link's row lists give its rows hash (a bundle's link without lists: nothing to
    check)."""
    if link.get("request_ids") is None:
        return True
    arrays = (link["request_ids"], link["row_digests"], link["content_digests"])
    if {len(a) for a in arrays} != {count}:
        return False
    proofs = [RowProof(str(r), str(d), str(c)) for r, d, c in zip(*arrays, strict=True)]
    return bool(rows_hash(proofs) == link["rows_hash"])


def check(
    links: Sequence[Mapping[str, Any]],
    rows: Iterable[StoredRow],
    *,
    now: datetime,
    retention_days: int | None,
    text_retention_days: int | None,
    unclaimed_after_ms: int | None,
    pending_seconds: float = PENDING_SECONDS,
    from_start: bool = False,
) -> Verification:
    """Judge ``rows`` against ``links`` (see the module docstring).

    ``retention_days`` / ``text_retention_days``: rows (texts) older than that may have
    been removed by TTL (None: nothing may be missing). ``unclaimed_after_ms``: rows from
    this time on must be claimed by a link (None: every row must be). ``from_start``: the
    links are all there are, so each chain must begin at sequence 1."""
    out = Verification()
    _link_findings(links, out, from_start=from_start)
    now_ms = int(now.timestamp() * 1000)
    row_cutoff = None if retention_days is None else now_ms - retention_days * 86_400_000
    text_cutoff = None if text_retention_days is None else now_ms - text_retention_days * 86_400_000
    stored: dict[str, list[StoredRow]] = defaultdict(list)
    for row in rows:
        stored[row.request_id].append(row)
        out.rows += 1
    claimed: set[str] = set()
    for link in links:
        writer, seq = str(link["writer_id"]), int(link["seq"])
        for rid, digest, content in zip(
            link["request_ids"], link["row_digests"], link["content_digests"], strict=False
        ):
            if rid in claimed:
                continue
            claimed.add(rid)
            copies = stored.get(rid, [])
            if not copies:
                if row_cutoff is not None and int(link["ts_max"]) < row_cutoff:
                    out.rows_expired += 1
                else:
                    out.findings.append(Finding("row_deleted", writer, seq, rid))
                continue
            for copy in copies:
                _check_row(copy, Claim(writer, seq, str(digest), str(content)), text_cutoff, out)
    pending_since = now.timestamp() - pending_seconds
    for rid, copies in stored.items():
        if rid in claimed:
            continue
        for copy in copies:
            if unclaimed_after_ms is not None and copy.ts_ms < unclaimed_after_ms:
                out.not_covered += 1
            elif copy.inserted_at >= pending_since:
                out.pending += 1
            else:
                detail = f"ts {datetime.fromtimestamp(copy.ts_ms / 1000, UTC).isoformat()}"
                out.findings.append(Finding("row_inserted", request_id=rid, detail=detail))
    return out


class Claim(NamedTuple):
    """What a link says of one row: where it is, and its digests."""

    writer_id: str
    seq: int
    digest: str
    content: str


def _check_row(row: StoredRow, claim: Claim, text_cutoff: int | None, out: Verification) -> None:
    writer, seq, digest, content = claim
    texts = row.text_digests
    if texts is not None and content_digest(texts) != content:
        blank = not any(texts)
        if blank and text_cutoff is not None and row.ts_ms < text_cutoff:
            out.text_expired += 1
        else:
            detail = "text removed" if blank else "text changed"
            out.findings.append(Finding("content_altered", writer, seq, row.request_id, detail))
    if row_digest(row.values, content) != digest:
        out.findings.append(Finding("row_altered", writer, seq, row.request_id))


# -- the store -----------------------------------------------------------------------------


def _row_select() -> str:
    columns = [
        "toUnixTimestamp64Milli(ts)" if name == "ts" else f"`{name}`" for name, _ in CHAINED_COLUMNS
    ]
    columns += [f"if({c} = '', '', lower(hex(SHA256({c}))))" for c in CONTENT_COLUMNS]
    columns.append("toUnixTimestamp(inserted_at)")
    return ", ".join(columns)


def read_links(client: Client, database: str, since: datetime | None) -> list[dict[str, Any]]:
    """``log_chain`` rows (duplicates included), by writer and sequence."""
    where = "1" if since is None else "ts_max >= {since:DateTime64(3)}"
    result = client.query(
        f"SELECT {', '.join(_LINK_COLUMNS)} FROM {database}.log_chain "  # noqa: S608
        f"WHERE {where} ORDER BY writer_id, seq",
        parameters={"since": since} if since is not None else None,
    )
    names = _LINK_NAMES
    return [dict(zip(names, row, strict=True)) for row in result.result_rows]


def read_rows(client: Client, database: str, since_ms: int | None) -> list[StoredRow]:
    """``requests`` rows from ``since_ms`` on, as :class:`StoredRow`."""
    where = "1" if since_ms is None else "toUnixTimestamp64Milli(ts) >= {since:Int64}"
    result = client.query(
        f"SELECT {_row_select()} FROM {database}.requests WHERE {where}",  # noqa: S608
        parameters={"since": since_ms} if since_ms is not None else None,
    )
    names = [name for name, _ in CHAINED_COLUMNS]
    width = len(names)
    return [
        StoredRow(
            dict(zip(names, row[:width], strict=True)),
            tuple(str(d) for d in row[width : width + 3]),
            float(row[width + 3]),
        )
        for row in result.result_rows
    ]


def verify_store(
    client: Client,
    database: str,
    *,
    since: datetime | None,
    now: datetime,
    retention_days: int,
    text_retention_days: int,
    pending_seconds: float = PENDING_SECONDS,
) -> Verification:
    """Check the chain and the rows of ``database`` (links and rows from ``since`` on).

    Rows older than the oldest link read are counted as not covered: written before the
    chain began, or before ``since``'s first link."""
    links = read_links(client, database, since)
    since_ms = None if since is None else int(since.timestamp() * 1000)
    first_ms = min((int(link["ts_min"]) for link in links), default=None)
    start = since_ms if first_ms is None or since_ms is None else min(since_ms, first_ms)
    rows = read_rows(client, database, start)
    if first_ms is None:
        first_ms = int(now.timestamp() * 1000) + 1  # no chain yet: nothing is covered
    return check(
        links,
        rows,
        now=now,
        retention_days=retention_days,
        text_retention_days=text_retention_days,
        unclaimed_after_ms=first_ms if since_ms is None else max(first_ms, since_ms),
        pending_seconds=pending_seconds,
        from_start=since is None,
    )


# -- export bundles ------------------------------------------------------------------------


def proof_for(
    client: Client, database: str, request_ids: Sequence[str], *, texts: bool = True
) -> dict[str, Any]:
    """The chain proof of exported calls: their stored chained values and text digests,
    the links that claim them, and every link between the first and the last of those
    (rows hash and hashes only) so the chain from one to the next can be checked.

    Without ``texts`` (a reader not allowed the text) the per-column text digests are left
    out: a digest of a short answer is as good as the answer to anyone who can guess it.
    The export then proves the metadata; it holds no text to check anyway."""
    ids = list(dict.fromkeys(request_ids))
    if not ids:
        return {"version": CHAIN_VERSION, "rows": [], "links": []}
    claims = client.query(
        f"SELECT writer_id, min(seq), max(seq) FROM {database}.log_chain "  # noqa: S608
        "WHERE hasAny(request_ids, {ids:Array(String)}) GROUP BY writer_id",
        parameters={"ids": ids},
    ).result_rows
    links: list[dict[str, Any]] = []
    wanted = set(ids)
    for writer, low, high in claims:
        result = client.query(
            f"SELECT {', '.join(_LINK_COLUMNS)} FROM {database}.log_chain "  # noqa: S608
            "WHERE writer_id = {w:String} AND seq BETWEEN {lo:UInt64} AND {hi:UInt64} "
            "ORDER BY seq",
            parameters={"w": writer, "lo": low, "hi": high},
        )
        names = _LINK_NAMES
        for raw in result.result_rows:
            link = dict(zip(names, raw, strict=True))
            if not wanted.intersection(link["request_ids"]):
                # Only its place in the chain is needed, not whose calls it holds.
                link["request_ids"] = link["row_digests"] = link["content_digests"] = None
            links.append(link)
    rows = client.query(
        f"SELECT {_row_select()} FROM {database}.requests "  # noqa: S608
        "WHERE request_id IN {ids:Array(String)}",
        parameters={"ids": ids},
    ).result_rows
    names = [name for name, _ in CHAINED_COLUMNS]
    width = len(names)
    return {
        "version": CHAIN_VERSION,
        "rows": [
            {
                "values": dict(zip(names, row[:width], strict=True)),
                "texts": list(row[width : width + 3]) if texts else None,
            }
            for row in rows
        ],
        "links": links,
    }


def verify_bundle(records: Sequence[Mapping[str, Any]], proof: Mapping[str, Any]) -> Verification:
    """Check an export bundle on its own: each exported call matches its proven row (its
    text too, when the export holds it), each proven row its link, and the links form an
    unbroken chain per writer. Links between those that hold exported calls carry no row
    lists; their hashes and order are checked."""
    out = Verification()
    if proof.get("version") != CHAIN_VERSION:
        out.findings.append(Finding("proof_unreadable", detail="unknown proof version"))
        return out
    links = list(proof.get("links") or [])
    _link_findings(links, out)
    proven = {str(row["values"]["request_id"]): row for row in proof.get("rows") or []}
    claims = _claims(link for link in links if link.get("request_ids") is not None)
    for record in records:
        rid = str(record.get("request_id", ""))
        row, claim = proven.get(rid), claims.get(rid)
        out.rows += 1
        if row is None or claim is None:
            out.findings.append(Finding("row_inserted", request_id=rid, detail="not in the proof"))
            continue
        digests = row.get("texts")
        stored = StoredRow(row["values"], None if digests is None else tuple(map(str, digests)))
        _check_row(stored, claim, None, out)
        for name, problem in _differences(record, row):
            out.findings.append(
                Finding("export_altered", claim.writer_id, claim.seq, rid, f"{name}: {problem}")
            )
    return out


def _claims(links: Iterable[Mapping[str, Any]]) -> dict[str, Claim]:
    """request id -> its claim, for the links' rows."""
    out: dict[str, Claim] = {}
    for link in links:
        for rid, digest, content in zip(
            link["request_ids"], link["row_digests"], link["content_digests"], strict=False
        ):
            claim = Claim(str(link["writer_id"]), int(link["seq"]), str(digest), str(content))
            out.setdefault(str(rid), claim)
    return out


def _differences(record: Mapping[str, Any], row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Fields of an exported call that disagree with its proven row (texts by digest)."""
    values = row["values"]
    for name, _ in CHAINED_COLUMNS:
        if name not in record:
            continue
        exported = _epoch_ms(record[name]) if name == "ts" else _plain(record[name])
        if exported != _plain(values[name]):
            yield name, "differs from the chained row"
    for name, digest in zip(CONTENT_COLUMNS, row.get("texts") or ("",) * 3, strict=True):
        text = record.get(name)
        if isinstance(text, str) and text_digest(text) != digest:
            yield name, "text differs from the chained digest"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted((str(k), int(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    return value


def _epoch_ms(value: Any) -> int | None:
    try:
        return epoch_ms(value)
    except ValueError:
        return None


def verify_configured(
    client: Client, settings: StoreSettings, since: datetime | None
) -> Verification:
    """:func:`verify_store` with the configured database and retention, as of now."""
    return verify_store(
        client,
        settings.database,
        since=since,
        now=datetime.now(UTC),
        retention_days=settings.retention_days,
        text_retention_days=settings.text_retention_days,
    )
