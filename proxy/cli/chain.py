"""``llm-proxy logs verify``: check the event log's hash chain, or an export bundle.

``logs verify [--since T]`` asks the running proxy (or the store itself, as the other
``logs`` commands do) to recompute the chain (:mod:`proxy.store.chain_verify`) and prints
every finding with its place: writer, batch sequence, request id. ``logs verify --bundle
FILE`` needs no store: it checks an export ``FILE`` against the proof ``FILE.chain.json``
that ``logs export`` wrote beside it. Exit 0 when intact, 1 with findings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from proxy.cli.log_source import LogsError

if TYPE_CHECKING:
    from proxy.cli.log_source import LogSource

#: Suffix of the chain proof written beside an export.
PROOF_SUFFIX = ".chain.json"


def proof_path(export: Path) -> Path:
    """Where the chain proof of ``export`` is kept."""
    return export.with_name(export.name + PROOF_SUFFIX)


def write_proof(client: LogSource, export: Path) -> Path:
    """Write the chain proof of the calls in ``export`` beside it (owner-only)."""
    ids = [str(orjson.loads(line)["request_id"]) for line in _lines(export)]
    proof = client.chain_proof(ids)
    target = proof_path(export)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(orjson.dumps(proof, option=orjson.OPT_INDENT_2))
    except OSError as exc:
        raise LogsError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _lines(path: Path) -> list[bytes]:
    try:
        return [line for line in path.read_bytes().splitlines() if line.strip()]
    except OSError as exc:
        raise LogsError(f"cannot read {path}: {exc.strerror or exc}") from None


def verify_bundle_file(export: Path) -> dict[str, Any]:
    """Check an export and its proof, with no store."""
    # Imported here: any proxy.store module loads the store's client, which this never uses.
    from proxy.store.chain_verify import verify_bundle  # noqa: PLC0415

    proof_file = proof_path(export)
    try:
        records = [orjson.loads(line) for line in _lines(export)]
        proof = orjson.loads(proof_file.read_bytes())
    except FileNotFoundError:
        raise LogsError(f"no chain proof {proof_file} beside {export}") from None
    except OSError as exc:
        raise LogsError(f"cannot read {proof_file}: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError:
        raise LogsError(f"{export} or {proof_file} is not valid JSON") from None
    if not isinstance(proof, dict) or not all(isinstance(r, dict) for r in records):
        raise LogsError(f"{proof_file} is not a chain proof")
    try:
        return verify_bundle(records, proof).to_dict()
    except (KeyError, TypeError, ValueError) as exc:
        raise LogsError(f"{proof_file} is malformed ({type(exc).__name__})") from None


def run_verify(
    client: LogSource | None, since: str | None, bundle: str | None, *, as_json: bool, out: IO[str]
) -> int:
    """Verify the store (through ``client``) or a bundle; print; 0 intact, 1 findings."""
    if bundle is not None:
        result = verify_bundle_file(Path(bundle))
    else:
        assert client is not None
        result = client.verify({"since": since or ""})
    if as_json:
        out.write(json.dumps(result, indent=2) + "\n")
    else:
        out.write(render(result, bundle=bundle is not None))
    return 0 if result["intact"] else 1


def render(result: dict[str, Any], *, bundle: bool) -> str:
    """The verification as lines a person reads: verdict, chains, findings."""
    what = "bundle" if bundle else "event log"
    verdict = "intact" if result["intact"] else f"{len(result['findings'])} finding(s)"
    lines = [f"{what}: {verdict} ({result['links']} batch(es), {result['rows']} row(s) checked)"]
    for head in result["heads"]:
        lines.append(
            f"  chain {head['writer_id']}: batches {head['first_seq']}..{head['seq']}, "
            f"head {head['hash']}"
        )
    notes = [
        ("text expired by retention", result["text_expired"]),
        ("rows expired by retention", result["rows_expired"]),
        ("rows older than the chain (not covered)", result["not_covered"]),
        ("rows waiting for their batch's link", result["pending"]),
    ]
    lines.extend(f"  {label}: {count}" for label, count in notes if count)
    for finding in result["findings"]:
        place = ", ".join(
            part
            for part in (
                f"writer {finding['writer_id']}" if finding["writer_id"] else "",
                f"batch {finding['seq']}" if finding["seq"] else "",
                f"request {finding['request_id']}" if finding["request_id"] else "",
            )
            if part
        )
        detail = f" ({finding['detail']})" if finding["detail"] else ""
        lines.append(f"FOUND {finding['kind']}" + (f": {place}" if place else "") + detail)
    return "\n".join(lines) + "\n"
