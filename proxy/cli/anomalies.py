"""``llm-proxy anomalies``: the unusual-behaviour report, through the running proxy's admin API.

Like the ``logs`` commands it finds the proxy on its own (``--proxy-url``, ``LLM_PROXY_URL``
or the address recorded in the data directory), and reads the store itself when no proxy
answers. The table groups findings by kind; JSON
is the admin API's answer unchanged.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from proxy.cli.choices import BASELINE_DAYS
from proxy.cli.logs import LogsError, LogSource, add_connection_arguments

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]

#: The report's sections, as the admin API names them.
KINDS = ("volume", "blocks", "new_models", "output_drift")
#: Exit status of ``--fail-on-findings`` when the report is not empty.
EXIT_FINDINGS = 3


def add_parser(commands: Any, *, run: Run) -> argparse.ArgumentParser:
    """Add the ``anomalies`` command to a subparsers action; returns its parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "anomalies",
        help="find unusual behaviour: volume spikes, new models, block spikes, output drift",
        description=(
            "Compare recent use with each user's, app's, team's and model's own past: call "
            "volume or tokens far above the baseline, models a team never used before, "
            "spikes of blocked calls, and output drift (response length, refusal rate, "
            "error rate) against the previous period. Shows metadata only, never text."
        ),
    )
    parser.add_argument(
        "--since",
        default="7d",
        help="the window to examine: 2h, 1d, 7d ... (default: %(default)s); output drift "
        "compares it with the period of the same length before it",
    )
    parser.add_argument(
        "--baseline-days",
        type=int,
        metavar="N",
        help=f"days before the window that form each subject's baseline (default {BASELINE_DAYS})",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--fail-on-findings",
        action="store_true",
        help=f"exit with status {EXIT_FINDINGS} when anything unusual is found (for cron jobs)",
    )
    add_connection_arguments(parser)
    parser.set_defaults(run=run)
    return parser


def run(client: LogSource, args: argparse.Namespace, out: IO[str]) -> int:
    from proxy.store.timespec import parse_duration  # noqa: PLC0415 - the store, when run

    try:
        parse_duration(args.since)
    except ValueError as exc:
        raise LogsError(f"--since: {exc}") from None
    if args.baseline_days is not None and args.baseline_days < 1:
        raise LogsError(f"--baseline-days must be positive (got {args.baseline_days})")
    params = {"since": args.since, "baseline_days": str(args.baseline_days or "")}
    report = client.anomalies(params)
    if args.format == "json":
        out.write(json.dumps(report, indent=2) + "\n")
    else:
        out.write(format_report(report))
    found = any(report.get(kind) for kind in KINDS)
    return EXIT_FINDINGS if args.fail_on_findings and found else 0


def _time(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 100 or value == int(value) else f"{value:.1f}"


def _table(headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append(
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )
    return lines


def _section(title: str, headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    lines = ["", f"{title} ({len(rows)})"]
    lines += _table(headers, rows) if rows else ["  none"]
    return lines


def format_report(report: Mapping[str, Any]) -> str:
    """The report as readable text, one section per kind of finding."""
    baseline_days = report["thresholds"]["baseline_days"]
    lines = [
        f"Unusual behaviour {_time(report['window_start'])} – {_time(report['window_end'])} UTC"
        f" (baseline: {baseline_days} days before; intervals of "
        f"{_duration(report['interval_seconds'])})"
    ]
    lines += _section(
        "Call volume or tokens far above own baseline",
        ("KIND", "SUBJECT", "TEAM", "METRIC", "INTERVAL", "OBSERVED", "USUAL", "RATIO", "Z"),
        [
            [
                d["kind"],
                d["subject"],
                d["team"] or "-",
                d["metric"],
                _time(d["interval_start"]),
                str(d["observed"]),
                _num(d["baseline_mean"]),
                f"{d['ratio']:.1f}x",
                f"{d['z_score']:.1f}",
            ]
            for d in report["volume"]
        ],
    )
    lines += _section(
        "Blocked-call spikes per team",
        ("TEAM", "INTERVAL", "BLOCKED", "USUAL", "RATIO", "Z"),
        [
            [
                d["subject"],
                _time(d["interval_start"]),
                str(d["observed"]),
                _num(d["baseline_mean"]),
                f"{d['ratio']:.1f}x",
                f"{d['z_score']:.1f}",
            ]
            for d in report["blocks"]
        ],
    )
    lines += _section(
        "Models new to a team",
        ("TEAM", "MODEL", "FIRST SEEN", "CALLS", "USERS", "DECISIONS"),
        [
            [
                m["team"] or "-",
                m["model"],
                _time(m["first_seen"]),
                str(m["calls"]),
                _users(m),
                ",".join(m["decisions"]),
            ]
            for m in report["new_models"]
        ],
    )
    lines += _section(
        "Output drift per model (previous period -> window)",
        ("MODEL", "CHANGED", "CALLS", "MEDIAN TOKENS", "MEDIAN CHARS", "REFUSALS", "ERRORS"),
        [_drift_row(d) for d in report["output_drift"]],
    )
    count = report["count"]
    lines += ["", "nothing unusual found" if count == 0 else f"{count} finding(s)"]
    return "\n".join(lines) + "\n"


def _users(model: Mapping[str, Any]) -> str:
    sample = ",".join(model["sample_users"])
    more = model["users"] - len(model["sample_users"])
    return sample + (f" +{more}" if more > 0 else "")


def _drift_row(drift: Mapping[str, Any]) -> list[str]:
    before, now = drift["previous"], drift["current"]

    def pair(render: Callable[[Any], str], key: str) -> str:
        return f"{render(before[key])} -> {render(now[key])}"

    return [
        drift["model"],
        ",".join(drift["changes"]),
        pair(str, "calls"),
        pair(_num, "median_completion_tokens"),
        pair(_num, "median_response_chars"),
        pair(_pct, "refusal_rate"),
        pair(_pct, "error_rate"),
    ]


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
