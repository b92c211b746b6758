"""``llm-proxy config history``: the configuration versions the proxy loaded or refused.

Through the running proxy's admin API when one answers, else reading the store directly
(as the ``logs`` commands do). ``--at TIME`` answers which version of each kind was in
force at that time.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from typing import IO, Any

from proxy.cli.choices import CONFIG_KINDS
from proxy.cli.logs import LogSource, add_connection_arguments

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]


def add_parser(commands: Any, *, run: Run) -> argparse.ArgumentParser:
    """Add ``config history`` to a subparsers action; returns the ``history`` parser."""
    config: argparse.ArgumentParser = commands.add_parser(
        "config", help="the recorded history of configuration versions"
    )
    actions = config.add_subparsers(dest="config_command", required=True)
    history: argparse.ArgumentParser = actions.add_parser(
        "history",
        help="policy, register, limits and key-set versions loaded or refused",
        description=(
            "Every version of the policy, register, providers, limits, log content modes "
            "and key set the proxy loaded (at start and on each reload) or refused, newest "
            "first. With --at, the version of each kind in force at that time."
        ),
    )
    history.add_argument("--kind", choices=CONFIG_KINDS, help="only this kind of configuration")
    history.add_argument("--since", help="only versions since: 2h, 7d, or an ISO 8601 time")
    history.add_argument("--at", help="the version of each kind in force at this time")
    history.add_argument("--json", action="store_true", help="the admin API's answer as JSON")
    add_connection_arguments(history)
    history.set_defaults(run=run)
    return history


def run(client: LogSource, args: argparse.Namespace, out: IO[str]) -> int:
    params = {"kind": args.kind or "", "since": args.since or "", "at": args.at or ""}
    answer = client.config_history(params)
    if args.json:
        out.write(json.dumps(answer, indent=2) + "\n")
        return 0
    if answer["at"]:
        out.write(f"in force at {answer['at']}:\n")
    for row in answer["versions"]:
        state = "accepted" if row["accepted"] else f"REJECTED: {row['reason']}"
        digest = row["content_hash"][:12] or "-"
        out.write(
            f"{row['ts'][:19].replace('T', ' ')}  {row['kind']:<11} {row['trigger']:<11} "
            f"{digest:<12}  {state}  {row['path']}\n"
        )
    if not answer["versions"]:
        out.write("no configuration versions recorded\n")
    return 0
