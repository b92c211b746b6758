"""The ``llm-proxy`` command line.

Every command has ``--help``; bad input exits non-zero with a one-line reason on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proxy import __version__

if TYPE_CHECKING:
    from pydantic import ValidationError

    from proxy.config.settings import Settings

# Only argparse and the standard library at module level: `llm-proxy <command> --help` and
# the commands that need no store must not pay for pydantic models, the store's client,
# aiohttp or the detectors. Each command imports what it uses when it runs
# (tests/proxy/test_cli_imports.py holds this).

EXIT_USAGE = 2


class CommandError(Exception):
    """A command failed for a reason the user can act on; printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="llm-proxy",
        description="LLM traffic monitoring proxy: govern, inspect and log calls to AI APIs.",
    )
    parser.add_argument("--version", action="version", version=f"llm-proxy {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the proxy",
        description=(
            "Run the proxy. With no configuration file it listens on 127.0.0.1:8080, "
            "forwards to OpenAI (OPENAI_BASE_URL, key from the caller in pass-through mode or "
            "OPENAI_API_KEY for virtual-key callers) and Anthropic (ANTHROPIC_BASE_URL), "
            "records to the embedded ClickHouse under ./data and applies the shipped policy."
        ),
    )
    _add_config_argument(serve)
    serve.add_argument("--host", help="listen address (default 127.0.0.1, from config)")
    serve.add_argument("--port", type=int, help="listen port (default 8080, from config)")
    serve.set_defaults(run=_serve)

    keys = commands.add_parser("keys", help="manage virtual keys")
    keys_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = keys_commands.add_parser(
        "create",
        help="issue a virtual key",
        description=(
            "Issue a virtual key and add its hash to the keys file. The key is printed once; "
            "the running proxy picks it up within seconds. Creating the first key switches an "
            "'auto' proxy from pass-through to virtual keys for good: only 'auth.mode: "
            "passthrough' in the configuration switches it back."
        ),
    )
    _add_config_argument(create)
    create.add_argument("--user", required=True, help="user the key belongs to")
    create.add_argument("--team", required=True, help="team, for limits and reporting")
    create.add_argument("--app", default="", help="application using the key")
    create.add_argument(
        "--model",
        action="append",
        default=[],
        dest="models",
        metavar="MODEL",
        help="restrict the key to this model (repeatable; default: all approved models)",
    )
    create.add_argument("--rpm", type=int, help="requests per minute for this key")
    create.add_argument("--tpm", type=int, help="tokens per minute for this key")
    create.add_argument("--json", action="store_true", help="print the key and its id as JSON")
    create.set_defaults(run=_keys_create)
    _add_keys_management_parsers(keys_commands)
    _add_logs_parser(commands)
    _add_anomalies_parser(commands)
    _add_spend_parser(commands)
    _add_register_parser(commands)
    _add_config_history_parser(commands)
    _add_report_parser(commands)
    _add_detection_parsers(commands)
    return parser


def _add_keys_management_parsers(keys_commands: Any) -> None:
    from proxy.cli import keys as keys_cli

    for parser in keys_cli.add_parsers(keys_commands, run=_keys_manage):
        _add_config_argument(parser)


def _add_detection_parsers(commands: Any) -> None:
    scan = commands.add_parser(
        "scan",
        help="print detector findings for text on stdin",
        description=(
            "Read text on stdin and print what the detectors find (entity type, start, end, "
            "score, detector). Uses the configuration's detector settings."
        ),
    )
    _add_config_argument(scan)
    mode = scan.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON document")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='many texts: one {"text": ...} object per input line, one result line each',
    )
    scan.set_defaults(run=_scan)

    policy = commands.add_parser("policy", help="validate and dry-run acceptable-use policies")
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a policy file")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(run=_policy_check)
    test = actions.add_parser(
        "test",
        help="dry-run the decision for a prompt on stdin",
        description=(
            "Print the decision, the matching rules and the findings (with spans) the policy "
            "would produce for the prompt on stdin, without sending anything anywhere."
        ),
    )
    _add_config_argument(test)
    test.add_argument("--policy", type=Path, metavar="FILE", help="policy (default: configured)")
    test.add_argument("--model", required=True, help="model the prompt would be sent to")
    test.add_argument("--user", required=True, help="user sending it")
    test.add_argument("--team", default="default", help="the user's team")
    test.add_argument("--app", default="", help="the application")
    test.add_argument("--json", action="store_true", help="print JSON")
    test.add_argument(
        "--no-ner", action="store_true", help="skip spaCy NER (faster; misses names, places)"
    )
    test.set_defaults(run=_policy_test)


def _in_process_detectors(settings: Settings) -> Settings:
    service = settings.detectors.service.model_copy(update={"workers": 0})
    detectors = settings.detectors.model_copy(update={"service": service})
    return settings.model_copy(update={"detectors": detectors})


def _scan(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from detectors.cli import run_scan

    settings = _settings(args, environ)
    return run_scan(
        settings=settings.detectors,
        stdin=sys.stdin,
        stdout=sys.stdout,
        as_json=args.json,
        jsonl=args.jsonl,
    )


def _policy_check(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from policies.cli import run_policy_check

    return run_policy_check(args.file, sys.stdout, sys.stderr)


def _policy_test(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from detectors.errors import DetectorConfigError
    from detectors.service import ScanService
    from policies.cli import run_policy_test
    from policies.scanning import with_policy_recognizers
    from proxy.call.enforcement import load_policy_holder
    from proxy.errors import StartupError

    settings = _in_process_detectors(_settings(args, environ))
    if args.policy is not None:
        settings = settings.model_copy(
            update={"policy": settings.policy.model_copy(update={"file": args.policy})}
        )
    try:
        holder = load_policy_holder(settings)
    except StartupError as exc:
        raise CommandError(str(exc)) from None
    detectors = with_policy_recognizers(settings.detectors, holder.policy)
    if args.no_ner:
        enabled = tuple(name for name in detectors.enabled if name != "presidio")
        detectors = detectors.model_copy(update={"enabled": enabled})
    service = ScanService(detectors)
    try:
        service.load()
    except DetectorConfigError as exc:
        raise CommandError(str(exc)) from None

    class Scanner:
        """The in-process service, started inside the loop the policy test runs."""

        async def scan(
            self,
            texts: Sequence[str],
            *,
            budget: float | None,
            caller: str | None = None,
            ner_chars: int | None = None,
            entities: Collection[str] | None = None,
        ) -> Any:
            await service.start()
            return await service.scan(
                texts, budget=budget, caller=caller, ner_chars=ner_chars, entities=entities
            )

    register = settings.ai_register.models or ()
    entry = next((m for m in register if args.model in (m.name, *m.aliases)), None)
    return run_policy_test(
        policy_path=settings.policy.file,
        model=args.model,
        user=args.user,
        team=args.team,
        app=args.app,
        stdin_text=sys.stdin.read(),
        scanner=Scanner(),
        stdout=sys.stdout,
        as_json=args.json,
        entry=entry,
        stderr=sys.stderr,
    )


def _add_logs_parser(commands: Any) -> None:
    from proxy.cli import logs as logs_cli

    logs = commands.add_parser(
        "logs",
        help="search and read the event log (incident response)",
        description=(
            "Read the event log through the running proxy's admin API, or, when no proxy is "
            "running, from the store directly. Reading prompt and answer text needs the "
            "content role; every such read is recorded in audit_log."
        ),
    )
    actions = logs.add_subparsers(dest="logs_command", metavar="ACTION", required=True)
    search = actions.add_parser("search", help="list calls matching filters, newest first")
    logs_cli.add_filter_arguments(search, since_default="24h")
    search.add_argument("--limit", type=int, default=100, help="most rows (default 100)")
    search.add_argument("--format", choices=("table", "json"), default="table")
    show = actions.add_parser("show", help="one call in full: conversation, findings, decision")
    show.add_argument("request_id", metavar="REQUEST_ID")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument(
        "--reveal", action="store_true", help="show detected secrets instead of [TYPE] masks"
    )
    export = actions.add_parser("export", help="write matching calls to a JSON-lines file")
    logs_cli.add_filter_arguments(export, since_default=None)
    export.add_argument("--output", required=True, metavar="FILE.jsonl")
    find = actions.add_parser(
        "find-secret",
        help="was the value on standard input sent, and when (searched by fingerprint)",
    )
    verify = actions.add_parser(
        "verify",
        help="check the event log's hash chain (exit 1 on altered, deleted or inserted rows)",
    )
    verify.add_argument("--since", help="only batches from this time on: 7d, ISO time")
    verify.add_argument(
        "--bundle",
        metavar="FILE",
        help="check an export FILE against FILE.chain.json instead (no store needed)",
    )
    verify.add_argument("--format", choices=("text", "json"), default="text")
    for sub in (search, show, export, find, verify):
        _add_config_argument(sub)
        logs_cli.add_connection_arguments(sub)
        sub.set_defaults(run=_logs)


def _add_anomalies_parser(commands: Any) -> None:
    from proxy.cli import anomalies as anomalies_cli

    _add_config_argument(anomalies_cli.add_parser(commands, run=_anomalies))


def _add_spend_parser(commands: Any) -> None:
    from proxy.cli import spend as spend_cli

    _add_config_argument(spend_cli.add_parser(commands, run=_spend))


def _add_register_parser(commands: Any) -> None:
    from proxy.cli import register as register_cli

    _add_config_argument(register_cli.add_parser(commands, run=_register))


def _add_config_history_parser(commands: Any) -> None:
    from proxy.cli import config_history as config_history_cli

    _add_config_argument(config_history_cli.add_parser(commands, run=_config_history))


def _add_report_parser(commands: Any) -> None:
    from proxy.cli import report as report_cli

    _add_config_argument(report_cli.add_parser(commands, run=_report))


def _report(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import logs as logs_cli
    from proxy.cli import report as report_cli

    settings = _settings(args, environ)
    try:
        return report_cli.run(settings, args, environ, sys.stderr)
    except logs_cli.LogsError as exc:
        raise CommandError(str(exc)) from None


def _config_history(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import config_history as config_history_cli

    return _run_located(config_history_cli.run, args, environ)


def _add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="YAML configuration file (default: $LLM_PROXY_CONFIG, else built-in defaults)",
    )


def _settings(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    from proxy.config.settings import load_settings  # pydantic models and the store

    return load_settings(args.config, environ=environ)


def _serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from pydantic import ValidationError

    from proxy.config.settings import ConfigError, ListenConfig
    from proxy.errors import StartupError
    from proxy.server import run  # imports aiohttp and the detectors: only when serving

    settings = _settings(args, environ)
    if args.host is not None or args.port is not None:
        try:
            listen = ListenConfig(
                host=args.host if args.host is not None else settings.listen.host,
                port=args.port if args.port is not None else settings.listen.port,
            )
        except ValidationError as exc:
            raise ConfigError("command line", _option_problems(exc)) from None
        settings = settings.model_copy(update={"listen": listen})
    config_path = args.config or (
        Path(environ["LLM_PROXY_CONFIG"]) if environ.get("LLM_PROXY_CONFIG") else None
    )
    try:
        return run(settings, environ=environ, config_path=config_path)
    except StartupError as exc:
        raise CommandError(str(exc)) from None


def _keys_create(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from pydantic import ValidationError

    from proxy.config.key_changes import create_key
    from proxy.config.keys import KeysFileError
    from proxy.config.settings import RateLimit

    settings = _settings(args, environ)
    for name, value in (("--rpm", args.rpm), ("--tpm", args.tpm)):
        if value is not None and value <= 0:
            raise CommandError(f"{name} must be a positive number (got {value})")
    limits = None
    if args.rpm is not None or args.tpm is not None:
        limits = RateLimit(requests_per_minute=args.rpm, tokens_per_minute=args.tpm)
    try:
        issued = create_key(
            settings.keys_file,
            user=args.user,
            team=args.team,
            app=args.app,
            models=tuple(args.models),
            limits=limits,
        )
    except ValidationError as exc:  # e.g. an empty --user
        raise CommandError(_option_problems(exc)[0]) from None
    except (KeysFileError, OSError) as exc:
        raise CommandError(str(exc).splitlines()[0]) from None
    if args.json:
        print(
            json.dumps({"key": issued.key, "id": issued.entry.id, "file": str(settings.keys_file)})
        )
    else:
        print(issued.key)
        print(
            f"key id {issued.entry.id} for user {args.user!r}, team {args.team!r} "
            f"added to {settings.keys_file}. Store the key now: it is not shown again.",
            file=sys.stderr,
        )
    return 0


def _keys_manage(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import keys as keys_cli

    settings = _settings(args, environ)
    try:
        return keys_cli.run(settings.keys_file, args, sys.stdout, sys.stderr)
    except keys_cli.KeysCommandError as exc:
        raise CommandError(str(exc)) from None


def _option_problems(exc: ValidationError) -> list[str]:
    """Validation errors of values that came from command-line options, named as options."""
    return [
        f"--{'.'.join(str(part) for part in e['loc'])}: {e['msg']} (got {e['input']!r})"
        for e in exc.errors()
    ]


def _logs(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import logs as logs_cli

    settings = _settings(args, environ)
    try:
        if args.logs_command == "search" and args.limit < 1:
            raise CommandError(f"--limit must be positive (got {args.limit})")
        if args.logs_command == "verify" and args.bundle:
            from proxy.cli import chain as chain_cli

            return chain_cli.run_verify(
                None, None, args.bundle, as_json=args.format == "json", out=sys.stdout
            )
        # The running proxy's admin API, else (no proxy answers) the store itself.
        client = logs_cli.locate(settings, args.proxy_url, environ, sys.stderr)
        if args.logs_command == "search":
            return logs_cli.run_search(client, args, sys.stdout)
        if args.logs_command == "show":
            return logs_cli.run_show(client, args, sys.stdout)
        if args.logs_command == "find-secret":
            return logs_cli.run_find_secret(client, sys.stdin, sys.stdout)
        if args.logs_command == "verify":
            from proxy.cli import chain as chain_cli

            return chain_cli.run_verify(
                client, args.since, None, as_json=args.format == "json", out=sys.stdout
            )
        return logs_cli.run_export(client, args, sys.stderr)
    except logs_cli.LogsError as exc:
        raise CommandError(str(exc)) from None


def _anomalies(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import anomalies as anomalies_cli

    return _run_located(anomalies_cli.run, args, environ)


def _spend(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import spend as spend_cli

    return _run_located(spend_cli.run, args, environ)


def _run_located(run: Any, args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """``run(client, args, stdout)`` on the running proxy's admin API, else the store."""
    from proxy.cli import logs as logs_cli

    settings = _settings(args, environ)
    try:
        client = logs_cli.locate(settings, args.proxy_url, environ, sys.stderr)
        return int(run(client, args, sys.stdout))
    except logs_cli.LogsError as exc:
        raise CommandError(str(exc)) from None


def _register(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from proxy.cli import logs as logs_cli
    from proxy.cli import register as register_cli

    settings = _settings(args, environ)
    try:
        return register_cli.run(settings, args, environ, sys.stdout, sys.stderr)
    except logs_cli.LogsError as exc:
        raise CommandError(str(exc)) from None


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Entry point of the ``llm-proxy`` console script."""
    environ = os.environ if environ is None else environ
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args, environ)
    except CommandError as exc:
        print(f"llm-proxy: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A ConfigError comes from loading the settings, so its module is loaded by then.
        from proxy.config.settings import ConfigError

        if not isinstance(exc, ConfigError):
            raise
        for problem in exc.problems:
            print(f"llm-proxy: {exc.source}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
