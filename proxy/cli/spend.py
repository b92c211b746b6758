"""``llm-proxy spend``: what AI use cost, per team, model, provider, user, key or app.

Like ``llm-proxy anomalies`` it reads through the running proxy's admin API
(``GET /admin/v1/spend``) and, when no proxy answers, the store itself. The table shows each
group's cost in ``pricing.currency``, calls, tokens in and out, unpriced calls (a model with
no known price: its cost is unknown, shown as such and never as 0) and share of the total;
JSON is the admin API's answer unchanged; CSV has one row per group and a total row.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from proxy.cli.choices import GROUPINGS
from proxy.cli.logs import LogsError, LogSource, add_connection_arguments

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]

FORMATS = ("table", "json", "csv")
#: Printed where a cost is unknown because every call of the group was unpriced.
UNKNOWN = "unpriced"


def add_parser(commands: Any, *, run: Run) -> argparse.ArgumentParser:
    """Add the ``spend`` command to a subparsers action; returns its parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "spend",
        help="what AI use cost, per team, model, provider, user, key or app",
        description=(
            "Add up the cost of the calls in the event log, per group, in the currency "
            "pricing.currency names: calls, tokens in and out, calls of models with no known "
            "price (their cost is unknown, not zero) and each group's share of the total. "
            "Shows metadata only, never text."
        ),
    )
    # Checked in params_of, not by argparse choices: a wrong value is then one line.
    parser.add_argument(
        "--by",
        default=GROUPINGS[0],
        metavar="|".join(GROUPINGS),
        help="what to group by (default: %(default)s)",
    )
    parser.add_argument(
        "--since",
        help="the period back from now: 2h, 7d, 30d ... (default: 30d); whole minutes",
    )
    parser.add_argument(
        "--from", dest="first", metavar="DATE", help="first day (or ISO time) of the period"
    )
    parser.add_argument(
        "--to", dest="last", metavar="DATE", help="last day of the period (included)"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="groups listed, costliest first; the total covers all (default: %(default)s)",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    add_connection_arguments(parser)
    parser.set_defaults(run=run)
    return parser


def params_of(args: argparse.Namespace) -> dict[str, str]:
    """The admin API's query parameters; LogsError (one line) when they cannot work."""
    from proxy.store.spend import Grouping  # noqa: PLC0415 - the store, when run
    from proxy.store.timespec import parse_duration  # noqa: PLC0415

    if args.by not in {g.value for g in Grouping}:
        names = ", ".join(g.value for g in Grouping)
        raise LogsError(f"--by must be one of {names} (got {args.by!r})")
    if args.since and (args.first or args.last):
        raise LogsError("give --since, or --from and --to, not both")
    if bool(args.first) != bool(args.last):
        raise LogsError("--from and --to go together")
    if args.first:
        # Imported here: only this path needs the report's period rules.
        from proxy.report.data import parse_period  # noqa: PLC0415

        try:
            parse_period(args.first, args.last)
        except ValueError as exc:
            raise LogsError(str(exc)) from None
    elif args.since:
        try:
            parse_duration(args.since)
        except ValueError as exc:
            raise LogsError(f"--since: {exc}") from None
    if args.limit < 1:
        raise LogsError(f"--limit must be positive (got {args.limit})")
    return {
        "by": args.by,
        "since": args.since or "",
        "from": args.first or "",
        "to": args.last or "",
        "limit": str(args.limit),
    }


def run(client: LogSource, args: argparse.Namespace, out: IO[str]) -> int:
    report = client.spend(params_of(args))
    if args.format == "json":
        out.write(json.dumps(report, indent=2) + "\n")
    elif args.format == "csv":
        write_csv(report, out)
    else:
        out.write(format_report(report))
    return 0


def _cost(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value:,.4f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


_HEADERS = ("CALLS", "TOKENS IN", "TOKENS OUT", "UNPRICED CALLS", "COST", "SHARE")


def _cells(line: Mapping[str, Any]) -> list[str]:
    return [
        line["name"] or "-",
        f"{line['calls']:,}",
        f"{line['prompt_tokens']:,}",
        f"{line['completion_tokens']:,}",
        f"{line['unpriced_calls']:,}",
        _cost(line["cost"]),
        _share(line["share"]),
    ]


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """The name column left-aligned, the figures right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def format_report(report: Mapping[str, Any]) -> str:
    """The report as an aligned table, costliest group first, then the totals line."""
    window = report["window"]
    start, end = (window[k][:16].replace("T", " ") for k in ("start", "end_exclusive"))
    lines = [f"Spend by {report['by']}, {start} – {end} UTC, in {report['currency']}", ""]
    header = [report["by"].upper(), *_HEADERS]
    rows = [header, *(_cells(line) for line in report["lines"])]
    rows.append(["TOTAL", *_cells(report["total"])[1:]])
    table = _aligned(rows)
    lines += [*table[:-1], "-" * len(table[0]), table[-1]]
    hidden = report["groups"] - len(report["lines"])
    if hidden > 0:
        lines.append(f"({hidden} more {report['by']} group(s) in the total; see --limit)")
    unpriced = report["total"]["unpriced_calls"]
    if unpriced:
        lines.append(
            f"{unpriced:,} call(s) to models with no known price are not in the cost: "
            "price them in the register (price:) or the provider"
        )
    return "\n".join(lines) + "\n"


_CSV_FIELDS = (
    "name",
    "calls",
    "prompt_tokens",
    "completion_tokens",
    "unpriced_calls",
    "cost",
    "share",
)


def write_csv(report: Mapping[str, Any], out: IO[str]) -> None:
    """One row per group and a last row named ``TOTAL``; an unknown cost is an empty cell."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([report["by"], *_CSV_FIELDS[1:], "currency"])
    for line in [*report["lines"], {**report["total"], "name": "TOTAL"}]:
        values = ["" if line[f] is None else line[f] for f in _CSV_FIELDS]
        writer.writerow([*values, report["currency"]])
