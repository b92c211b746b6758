"""``llm-proxy register status``: the AI use register with owners, approvals, review state
and use, and the shadow AI (models called without being in the register).

Like the ``logs`` commands it asks the running proxy (its live register and its event
log, ``GET /admin/v1/register/status``), found on its own; when no proxy answers, it reads
the configuration file's register and the store itself, and says so on stderr. JSON is the
admin API's answer unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from proxy.cli.choices import USAGE_WINDOW_DAYS
from proxy.cli.logs import AdminClient, LogsError, LogSource, add_connection_arguments, locate

if TYPE_CHECKING:
    from proxy.config.settings import Settings

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]


def add_parser(commands: Any, *, run: Run) -> argparse.ArgumentParser:
    """Add ``register status`` to a subparsers action; returns the ``status`` parser."""
    register: argparse.ArgumentParser = commands.add_parser(
        "register", help="the AI use register: owners, approvals, review dates, shadow AI"
    )
    actions = register.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    status: argparse.ArgumentParser = actions.add_parser(
        "status",
        help="every register model with its approval, review state and use",
        description=(
            "List every model in the AI use register with its owner, approval (by, at), "
            "data classification, region, review state (ok, due in N days, overdue, no "
            f"review date), last use and calls in the last {USAGE_WINDOW_DAYS} days, then the "
            "shadow AI: models that got calls in that period but are not in the register."
        ),
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    add_connection_arguments(status)
    status.set_defaults(run=run)
    return status


def find_source(
    settings: Settings, args: argparse.Namespace, environ: Mapping[str, str], notice: IO[str]
) -> LogSource | None:
    """The running proxy, else the store (as the ``logs`` commands find them); ``None``
    when no proxy answers and no embedded event log exists yet: the register is still
    worth showing, without its use."""
    try:
        return locate(settings, args.proxy_url, environ, notice)
    except LogsError:
        explicit = args.proxy_url or environ.get("LLM_PROXY_URL")
        store = settings.store
        if explicit or not store.embedded or os.path.isdir(store.embedded_path):
            raise
    notice.write(f"no event log at {store.embedded_path} yet: use of the models is unknown\n")
    return None


def read_status(source: LogSource | None, settings: Settings, now: datetime) -> dict[str, Any]:
    """The status from the proxy's admin API, else from ``settings`` and the store."""
    # Imported here: the store's client loads only when a command needs it.
    from clickhouse_connect.driver.exceptions import Error as ClickHouseError  # noqa: PLC0415

    from proxy.cli.logs_local import LocalLogs  # noqa: PLC0415
    from proxy.config.register import Register  # noqa: PLC0415
    from proxy.store.register_status import WINDOW, ModelUse, build_status, read_usage_from  # noqa: PLC0415

    if isinstance(source, AdminClient):
        body: dict[str, Any] = source.get_json("/v1/register/status", {})
        return body
    usage: dict[str, ModelUse] | None = None
    if source is not None:
        store = source.settings if isinstance(source, LocalLogs) else settings.store
        try:
            usage = read_usage_from(store, now - WINDOW)
        except ClickHouseError as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise LogsError(f"cannot read the event log: {first[:200]}") from None
    register = Register(settings.ai_register, settings.providers)
    status = build_status(register.entries(), is_open=register.is_open, usage=usage, now=now)
    return status.to_dict()


def run(
    settings: Settings,
    args: argparse.Namespace,
    environ: Mapping[str, str],
    out: IO[str],
    notice: IO[str],
) -> int:
    """Print the status; :class:`LogsError` for a failure the user can act on."""
    source = find_source(settings, args, environ, notice)
    status = read_status(source, settings, datetime.now(UTC))
    if args.json:
        out.write(json.dumps(status, indent=2) + "\n")
    else:
        out.write(format_status(status))
    return 0


_COLUMNS = (
    ("model", "MODEL"),
    ("owner", "OWNER"),
    ("approval", "APPROVED BY / AT"),
    ("data_classification", "DATA CLASS"),
    ("region", "REGION"),
    ("review", "REVIEW"),
    ("last_used", "LAST USED (UTC)"),
    ("calls", "CALLS 30D"),
)


def format_status(status: Mapping[str, Any]) -> str:
    """The register as an aligned table, then the shadow AI."""
    rows = [_row(model, known=status.get("usage_known", True)) for model in status["models"]]
    lines = [f"AI use register ({status['register']}), {status['today']}"]
    if rows:
        lines += _table(
            [header for _, header in _COLUMNS], [[r[k] for k, _ in _COLUMNS] for r in rows]
        )
    else:
        lines.append("no models listed: every model is admitted unlisted (open register)")
    overdue = sum(model["review_state"] == "overdue" for model in status["models"])
    if overdue:
        lines.append(f"{overdue} model(s) overdue for review")
    shadow = status["shadow_ai"]
    days = status["window_days"]
    lines.append("")
    if not shadow:
        lines.append(f"shadow AI: none (no calls to unlisted models in {days} days)")
    else:
        lines.append(f"shadow AI: models called in the last {days} days but not in the register")
        lines += _table(
            ["MODEL", "CALLS 30D", "REFUSED", "LAST USED (UTC)", "TEAMS"],
            [
                [
                    use["model"],
                    str(use["calls"]),
                    str(use["refused"]),
                    _time(use["last_used"]),
                    ",".join(use["teams"]) or "-",
                ]
                for use in shadow
            ],
        )
    return "\n".join(lines) + "\n"


def _row(model: Mapping[str, Any], *, known: bool) -> dict[str, str]:
    approval = " / ".join(v for v in (model["approved_by"], model["approved_at"]) if v)
    if not model["approved"]:
        approval = "refused" + (f" ({approval})" if approval else "")
    return {
        "model": model["model"],
        "owner": model["owner"] or "-",
        "approval": approval or "-",
        "data_classification": model["data_classification"],
        "region": model["region"] or "-",
        "review": model["review"],
        "last_used": _time(model["last_used"]) if known else "unknown",
        "calls": str(model["calls_30d"]) if known else "unknown",
    }


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (headers, *rows)
    ]


def _time(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "never"
