"""``llm-proxy logs search|show|export``: incident responders' access to the event log.

The commands talk to the running proxy's admin API (it owns the embedded store). They find
it on their own: ``--proxy-url`` / ``LLM_PROXY_URL``, else the admin address the proxy
wrote in its data directory; the token comes from ``LLM_PROXY_ADMIN_TOKEN`` or the local
0600 token file. When no proxy answers there (none recorded, or the connection is
refused: the address is left over from a proxy that stopped or crashed), they read the
store themselves (:mod:`proxy.cli.logs_local`, still audited) and say so on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import socket
import sys
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from proxy.admin.address import admin_address_is_stale, read_admin_address
from proxy.cli.choices import DECISIONS
from proxy.cli.log_source import LogsError, LogSource

if TYPE_CHECKING:
    import urllib.error

    from proxy.config.settings import Settings

# The admin API's module (aiohttp), the renderer (the detectors) and urllib.request (http,
# email, ssl) are imported where they are used: the parsers built from this module must
# load fast (proxy.cli.main).

__all__ = [
    "FILTERS",
    "PROBE_SECONDS",
    "AdminClient",
    "LogSource",
    "LogsError",
    "add_connection_arguments",
    "add_filter_arguments",
    "filter_params",
    "format_table",
    "locate",
    "run_export",
    "run_find_secret",
    "run_search",
    "run_show",
]

FILTERS = ("since", "until", "user", "team", "model", "decision", "entity", "text")


def add_filter_arguments(parser: argparse.ArgumentParser, *, since_default: str | None) -> None:
    parser.add_argument(
        "--since",
        default=since_default,
        help="start of the time range: 30m, 2h, 7d or an ISO time (default: %(default)s)",
    )
    parser.add_argument("--until", help="end of the time range (duration ago or ISO time)")
    parser.add_argument("--user", help="only calls by this user")
    parser.add_argument("--team", help="only calls by this team")
    parser.add_argument("--model", help="only calls to this model")
    parser.add_argument("--decision", help=f"one of: {', '.join(DECISIONS)}")
    parser.add_argument("--entity", metavar="TYPE", help="only calls with this finding type")
    parser.add_argument(
        "--text", metavar="SUBSTRING", help="prompt or answer contains this (content role)"
    )


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--proxy-url",
        help="the running proxy's admin listener, e.g. http://127.0.0.1:8080 on a loopback "
        "proxy or http://127.0.0.1:8081 (admin.listen) on one bound to the network "
        "(default: $LLM_PROXY_URL, else the address the local proxy recorded in its data "
        "directory)",
    )


#: Seconds to wait for a recorded proxy's admin listener to accept a connection.
PROBE_SECONDS = 3.0


def locate(
    settings: Settings, proxy_url: str | None, environ: Mapping[str, str], notice: IO[str]
) -> LogSource:
    """The running proxy's admin API; else, when no proxy answers at the address recorded
    in the data directory, the store itself (a notice on ``notice`` says which).

    An explicit ``--proxy-url`` / ``LLM_PROXY_URL`` is always used as given.
    """
    if proxy_url or environ.get("LLM_PROXY_URL"):
        return AdminClient.locate(settings, proxy_url, environ)
    recorded = read_admin_address(settings.data_dir)
    if (
        recorded is not None
        and not admin_address_is_stale(settings.data_dir)
        and _accepts_connections(recorded)
    ):
        return AdminClient.locate(settings, proxy_url, environ)
    # Imported here: it imports this module, and the store's client, only when needed.
    from proxy.cli.logs_local import LocalLogs  # noqa: PLC0415

    local = LocalLogs(
        settings.store, _os_user(), data_dir=settings.data_dir, currency=settings.pricing.currency
    )
    local.check()
    notice.write(f"proxy not running: reading {local.where} directly\n")
    return local


def _accepts_connections(base: str) -> bool:
    """Whether something listens at ``base`` (a refused or unroutable connection: no)."""
    parts = urllib.parse.urlsplit(base)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), PROBE_SECONDS):
            return True
    except OSError:
        return False


class AdminClient:
    """A small synchronous client for the admin API."""

    def __init__(self, base: str, token: str, timeout: float = 60.0) -> None:
        self.base = base.rstrip("/")
        self._token = token
        self._timeout = timeout

    @classmethod
    def locate(
        cls, settings: Settings, proxy_url: str | None, environ: Mapping[str, str]
    ) -> AdminClient:
        url = proxy_url or environ.get("LLM_PROXY_URL")
        if url:
            base = url.rstrip("/") + "/admin"
        else:
            recorded = read_admin_address(settings.data_dir)
            if recorded is None:
                raise LogsError(
                    f"no running proxy found (no admin address in {settings.data_dir}); "
                    "start `llm-proxy serve` or pass --proxy-url"
                )
            base = recorded
        token = environ.get("LLM_PROXY_ADMIN_TOKEN", "").strip()
        if not token:
            try:
                token = settings.admin_token_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise LogsError(
                    f"cannot read the admin token {settings.admin_token_file}: "
                    f"{exc.strerror or exc}; set LLM_PROXY_ADMIN_TOKEN"
                ) from None
        return cls(base, token)

    def _open(self, path: str, params: Mapping[str, str], data: bytes | None = None) -> Any:
        import urllib.error  # noqa: PLC0415
        import urllib.request  # noqa: PLC0415

        query = urllib.parse.urlencode({k: v for k, v in params.items() if v})
        url = f"{self.base}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(  # noqa: S310 - URL built from an http(s) base
            url,
            data=data,  # a body makes it a POST
            headers={
                "Authorization": f"Bearer {self._token}",
                "x-llm-proxy-actor": _os_user(),
            },
        )
        try:
            return urllib.request.urlopen(request, timeout=self._timeout)  # noqa: S310
        except urllib.error.HTTPError as exc:
            raise LogsError(_error_message(exc)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LogsError(
                f"cannot reach the proxy at {self.base}: {reason}; is `llm-proxy serve` running?"
            ) from None

    def get_json(self, path: str, params: Mapping[str, str]) -> Any:
        with self._open(path, params) as response:
            return json.loads(response.read())

    def post_json(self, path: str, payload: Any) -> Any:
        with self._open(path, {}, json.dumps(payload).encode()) as response:
            return json.loads(response.read())

    def stream_lines(self, path: str, params: Mapping[str, str]) -> Iterator[bytes]:
        with self._open(path, params) as response:
            yield from response

    def search(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.get_json("/v1/logs", params)["rows"]
        return rows

    def show(self, request_id: str) -> dict[str, Any]:
        body = self.get_json(f"/v1/logs/{urllib.parse.quote(request_id)}", {})
        record: dict[str, Any] = body["record"]
        return record

    def export(self, params: Mapping[str, str]) -> Iterator[bytes]:
        return self.stream_lines("/v1/logs/export", params)

    def anomalies(self, params: Mapping[str, str]) -> dict[str, Any]:
        report: dict[str, Any] = self.get_json("/v1/anomalies", params)
        return report

    def spend(self, params: Mapping[str, str]) -> dict[str, Any]:
        return dict(self.get_json("/v1/spend", params))

    def verify(self, params: Mapping[str, str]) -> dict[str, Any]:
        result: dict[str, Any] = self.get_json("/v1/logs/verify", params)
        return result

    def chain_proof(self, request_ids: list[str]) -> dict[str, Any]:
        proof: dict[str, Any] = self.post_json("/v1/logs/chain-proof", {"request_ids": request_ids})
        return proof

    def config_history(self, params: Mapping[str, str]) -> dict[str, Any]:
        return dict(self.get_json("/v1/config/history", params))

    def find_secret(self, value: str) -> list[dict[str, Any]]:
        # In a POST body, never in a URL (access logs keep URLs).
        body = self.post_json("/v1/logs/find-secret", {"value": value})
        rows: list[dict[str, Any]] = body["rows"]
        return rows


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read())
        return f"{body['error']['message']} (HTTP {exc.code})"
    except (ValueError, KeyError, TypeError):
        return f"the proxy answered HTTP {exc.code}"


def filter_params(args: argparse.Namespace) -> dict[str, str]:
    return {name: getattr(args, name) or "" for name in FILTERS}


def run_search(client: LogSource, args: argparse.Namespace, out: IO[str]) -> int:
    params = {**filter_params(args), "limit": str(args.limit)}
    rows = client.search(params)
    if args.format == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    out.write(format_table(rows, width=shutil.get_terminal_size((160, 24)).columns))
    print(f"{len(rows)} call(s)", file=sys.stderr)
    return 0


_COLUMNS = (
    ("time", 19),
    ("request_id", 32),
    ("user", 16),
    ("team", 12),
    ("model", 18),
    ("decision", 12),
    ("status", 6),
    ("entities", 30),
)


def format_table(rows: list[dict[str, Any]], width: int) -> str:
    """Rows as an aligned table; the entities column gets what the terminal has left."""
    fixed = sum(w + 2 for _, w in _COLUMNS[:-1])
    columns = (*_COLUMNS[:-1], ("entities", max(10, width - fixed)))
    lines = ["  ".join(name.upper().ljust(w) for name, w in columns).rstrip()]
    for row in rows:
        cells = {
            "time": row["ts"][:19].replace("T", " "),
            "request_id": row["request_id"],
            "user": row["user"],
            "team": row["team"],
            "model": row["model"],
            "decision": row["decision"],
            "status": str(row["status_code"]),
            "entities": ",".join(row["entity_types"]) or "-",
        }
        lines.append("  ".join(_fit(cells[name], w) for name, w in columns).rstrip())
    return "\n".join(lines) + "\n"


def _fit(value: str, width: int) -> str:
    return value.ljust(width) if len(value) <= width else value[: width - 1] + "…"


def run_show(client: LogSource, args: argparse.Namespace, out: IO[str]) -> int:
    record = client.show(args.request_id)
    if args.format == "json":
        out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        from proxy.cli.conversation import render_record  # noqa: PLC0415

        out.write(render_record(record, reveal=args.reveal))
    return 0


def run_export(client: LogSource, args: argparse.Namespace, err: IO[str]) -> int:
    target = Path(args.output)
    count = 0
    try:
        # An export holds prompts and answers: readable by its owner only.
        with open(target, "wb", opener=_owner_only) as handle:
            os.fchmod(handle.fileno(), 0o600)  # also when it existed with a wider mode
            for line in client.export(filter_params(args)):
                handle.write(line)
                count += 1
                if count % 1000 == 0:
                    err.write(f"\rexported {count} calls")
                    err.flush()
    except OSError as exc:
        raise LogsError(f"cannot write {target}: {exc.strerror or exc}") from None
    err.write(f"\rexported {count} calls to {target}\n")
    # Imported here: the chain proof is the export's second half, not the commands' core.
    from proxy.cli.chain import write_proof  # noqa: PLC0415

    err.write(f"chain proof written to {write_proof(client, target)}\n")
    return 0


def _owner_only(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def run_find_secret(client: LogSource, source: IO[str], out: IO[str]) -> int:
    """Read a value on ``source`` and say whether and when it was sent (exit 0 when it
    was, 1 when not). Only the value's fingerprint is searched; the value is neither
    stored nor logged, and travels to the proxy in a POST body, never in a URL."""
    value = source.read()
    if not value.strip():
        raise LogsError("no value on standard input")
    rows = client.find_secret(value)
    if not rows:
        out.write("not sent: no stored call holds this value's fingerprint\n")
        return 1
    ordered = sorted(rows, key=lambda row: row["ts"])
    out.write(f"sent in {len(ordered)} call(s):\n")
    out.write(format_table(ordered, width=shutil.get_terminal_size((160, 24)).columns))
    return 0
