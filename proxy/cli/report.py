"""``llm-proxy report --from D --to D [--format html|md|json] --output FILE``: the evidence
report for auditors (issue 12).

Like the ``logs`` commands it asks the running proxy (``GET /admin/v1/report``), found on
its own; when no proxy answers it reads the store itself (the embedded engine directory or
a ClickHouse server) and says so on stderr. Either way the read is recorded in
``audit_log``. The file is written whole or not at all (a temporary file renamed into
place), readable by its owner only: it names users and teams.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from proxy.cli.logs import AdminClient, LogsError, add_connection_arguments, locate

if TYPE_CHECKING:
    from proxy.config.settings import RegisterConfig, Settings
    from proxy.store.settings import StoreSettings

FORMATS = ("html", "md", "json")
Run = Callable[[argparse.Namespace, Mapping[str, str]], int]


def add_parser(commands: Any, *, run: Run) -> argparse.ArgumentParser:
    report: argparse.ArgumentParser = commands.add_parser(
        "report",
        help="the evidence report for a period (HTML, Markdown or JSON)",
        description=(
            "Write a self-contained evidence report for auditors covering --from to --to "
            "(UTC days, both included): the AI use register and its review state, policy "
            "versions and changes, volume per model/team/app, decisions per rule, detection "
            "coverage, top entity types, anomalies and their state, reads of logged content, "
            "retention, the log-chain verification, and the ISO 27001 / ISO 42001 Annex A "
            "controls each section evidences."
        ),
    )
    report.add_argument(
        "--from",
        dest="first",
        required=True,
        metavar="DATE",
        help="first day of the period, e.g. 2026-07-01",
    )
    report.add_argument(
        "--to",
        dest="last",
        required=True,
        metavar="DATE",
        help="last day of the period (included), e.g. 2026-09-30",
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html (printable, with charts), md or json (default: %(default)s)",
    )
    report.add_argument("--output", required=True, metavar="FILE", help="where to write it")
    add_connection_arguments(report)
    report.set_defaults(run=run)
    return report


def run(
    settings: Settings, args: argparse.Namespace, environ: Mapping[str, str], notice: IO[str]
) -> int:
    """Check the arguments, build the report where the store is, write it."""
    from proxy.report.data import parse_period  # noqa: PLC0415 - loads only when run

    try:
        parse_period(args.first, args.last)
    except ValueError as exc:
        raise LogsError(str(exc)) from None
    target = Path(args.output)
    check_writable(target)
    source = locate(settings, args.proxy_url, environ, notice)
    if isinstance(source, AdminClient):
        params = {"from": args.first, "to": args.last, "format": args.format}
        body = b"".join(source.stream_lines("/v1/report", params))
    else:
        from proxy.cli.logs_local import LocalLogs  # noqa: PLC0415 - the store's client, when needed

        store = source.settings if isinstance(source, LocalLogs) else settings.store
        body = offline_report(
            store, args.first, args.last, args.format, register=settings.ai_register
        )
    write_file(target, body)
    notice.write(f"report for {args.first} to {args.last} written to {target}\n")
    return 0


def offline_report(
    store: StoreSettings, first: str, last: str, fmt: str, *, register: RegisterConfig | None = None
) -> bytes:
    """The report read from the store in this process, audited as ``cli-offline``."""
    from clickhouse_connect.driver.exceptions import Error as ClickHouseError  # noqa: PLC0415

    from proxy.cli.logs import _os_user  # noqa: PLC0415
    from proxy.cli.logs_local import ROLE_OFFLINE, VIA_OFFLINE  # noqa: PLC0415
    from proxy.config.settings import RegisterConfig  # noqa: PLC0415
    from proxy.report import build_report, parse_period  # noqa: PLC0415
    from proxy.store import Reader, open_client  # noqa: PLC0415

    period = parse_period(first, last)
    where = store.embedded_path if store.embedded else f"the ClickHouse server {store.display_url}"
    try:
        client = open_client(store)
    except ClickHouseError as exc:
        raise LogsError(f"cannot open the event log at {where}: {_first_line(exc)}") from None
    try:
        return build_report(
            client,
            store,
            period,
            reader=Reader(actor=_os_user(), role=ROLE_OFFLINE, via=VIA_OFFLINE),
            current_register=register or RegisterConfig(),
            source=where,
            now=datetime.now(UTC),
            fmt=fmt,
        )
    except ClickHouseError as exc:
        raise LogsError(f"cannot read the event log at {where}: {_first_line(exc)}") from None
    finally:
        client.close()


def write_offline_report(
    store: StoreSettings, first: str, last: str, fmt: str, target: Path
) -> None:
    """Build the report from ``store`` in this process and write it (bench/demo_quarter)."""
    check_writable(target)
    write_file(target, offline_report(store, first, last, fmt))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def check_writable(target: Path) -> None:
    """Fail before any work when ``target`` cannot be written."""
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise LogsError(f"cannot write {target}: it is a directory")
    if not directory.is_dir():
        raise LogsError(f"cannot write {target}: no directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise LogsError(f"cannot write {target}: permission denied")


def write_file(target: Path, body: bytes) -> None:
    """Write ``body`` to ``target`` whole (temporary file, then rename), mode 0600."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise LogsError(f"cannot write {target}: {exc.strerror or exc}") from None
