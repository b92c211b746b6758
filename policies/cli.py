"""``llm-proxy policy check`` and ``llm-proxy policy test``, as functions the CLI calls.

Both write to the streams they are given and return the exit status: 0 when the command
did its job (a policy test that decides "block" has done its job), 1 for an unusable policy
file or a detection problem. Findings are printed as types and spans, never as values.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, TextIO

import orjson

from core.apis import Api
from core.identity import Identity
from core.inspection import CallInfo
from core.register import RegisterEntry, UnlistedEntry
from core.scanning import Scanner
from policies.engine import Decision, PolicyEngine
from policies.inspector import RequestEvaluation, evaluate_request
from policies.loader import PolicyError, load_policy, shipped_pack
from policies.model import Mode, Policy
from policies.scanning import DetectorScanner, policy_detectors

_TEST_ID = "policy-test"


def _report_error(exc: PolicyError, stderr: TextIO) -> int:
    for problem in exc.problems:
        stderr.write(f"{exc.source}: {problem}\n")
    return 1


def run_policy_check(path: Path, stdout: TextIO, stderr: TextIO) -> int:
    """Validate the policy file at ``path``; print a summary, or one line per problem."""
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        return _report_error(exc, stderr)
    rules = [rule for _, rule in policy.rules()]
    monitored = sum(1 for rule in rules if rule.mode is Mode.MONITOR)
    stdout.write(
        f"{path}: OK: policy {policy.name!r}, {len(policy.rule_sets)} rule set(s), "
        f"{len(rules)} rule(s), {monitored} in monitor mode\n"
    )
    for rule_set in policy.rule_sets:
        stdout.write(f"  {rule_set.name} (on detector failure: {rule_set.failure_mode.value})\n")
        for rule in rule_set.rules:
            entities = ", ".join(rule.match.entities) or "-"
            stdout.write(
                f"    {rule.id}: {rule.action.value} {rule.direction.value} "
                f"[{rule.mode.value}] entities: {entities}\n"
            )
    return 0


def _call(model: str, user: str, team: str, app: str, entry: RegisterEntry | None) -> CallInfo:
    entry = entry if entry is not None else UnlistedEntry(name=model, provider="openai")
    return CallInfo(
        request_id=_TEST_ID,
        identity=Identity(user=user, team=team, app=app, key_id=_TEST_ID),
        api=Api.CHAT,
        endpoint="/v1/chat/completions",
        model=model,
        entry=entry,
        provider=entry.provider,
        stream=False,
    )


def _summary(evaluation: RequestEvaluation) -> dict[str, Any]:
    decision: Decision = evaluation.decision
    forwarded = None
    if evaluation.body is not None:
        forwarded = evaluation.body["messages"][0]["content"]
    return {
        "decision": decision.verdict.action.value,
        "message": decision.verdict.message,
        "reason": decision.reason,
        "rules": [
            {
                "id": m.rule_id,
                "rule_set": m.rule_set,
                "action": m.action.value,
                "mode": m.mode.value,
                "entity_counts": dict(m.entity_counts),
            }
            for m in decision.matches
        ],
        "entity_counts": dict(decision.verdict.entity_counts),
        "findings": [
            {
                "entity_type": item.finding.entity_type,
                "start": item.finding.start,
                "end": item.finding.end,
                "score": round(item.finding.score, 3),
                "detector": item.finding.detector,
            }
            for item in evaluation.findings
        ],
        "forwarded": forwarded,
    }


def _write_text(summary: dict[str, Any], stdout: TextIO) -> None:
    stdout.write(f"decision: {summary['decision']}\n")
    if summary["reason"]:
        stdout.write(f"reason: {summary['reason']}\n")
    if summary["message"]:
        stdout.write(f"message: {summary['message']}\n")
    stdout.write("matched rules:" + ("\n" if summary["rules"] else " none\n"))
    for rule in summary["rules"]:
        counts = ", ".join(f"{t} x{n}" for t, n in sorted(rule["entity_counts"].items()))
        stdout.write(
            f"  {rule['id']} ({rule['rule_set']}): {rule['action']} [{rule['mode']}]"
            + (f" {counts}" if counts else "")
            + "\n"
        )
    stdout.write("findings:" + ("\n" if summary["findings"] else " none\n"))
    for f in summary["findings"]:
        stdout.write(
            f"  {f['entity_type']} at {f['start']}-{f['end']} "
            f"(score {f['score']:.2f}, {f['detector']})\n"
        )
    if summary["forwarded"] is not None:
        stdout.write("forwarded to the provider as:\n")
        stdout.write(summary["forwarded"] + "\n")


async def policy_test(
    *,
    policy: Policy,
    model: str,
    user: str,
    team: str,
    app: str,
    text: str,
    scanner: Scanner,
    entry: RegisterEntry | None = None,
) -> RequestEvaluation:
    """Evaluate ``text`` as a chat prompt from the given caller to ``model``."""
    call = _call(model, user, team, app, entry)
    body = {"model": model, "messages": [{"role": "user", "content": text}]}
    return await evaluate_request(PolicyEngine(policy), call, body, scanner)


def run_policy_test(
    *,
    policy_path: Path | None,
    model: str,
    user: str,
    team: str,
    app: str,
    stdin_text: str,
    scanner: Scanner | None,
    stdout: TextIO,
    as_json: bool,
    entry: RegisterEntry | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Dry-run the policy on a prompt and print the decision, rules and findings.

    ``policy_path`` ``None`` tests the shipped default pack. ``scanner`` ``None`` uses the
    model-free detectors only (secrets and the policy's custom recognizers, no NER).
    ``entry`` is the model's register entry when known (region, classification, provider).
    Policy problems go to ``stderr`` (default: ``stdout``).
    """
    try:
        policy = load_policy(policy_path) if policy_path is not None else shipped_pack()
    except PolicyError as exc:
        return _report_error(exc, stderr or stdout)
    if scanner is None:
        scanner = DetectorScanner(policy_detectors(policy))
    evaluation = asyncio.run(
        policy_test(
            policy=policy,
            model=model,
            user=user,
            team=team,
            app=app,
            text=stdin_text,
            scanner=scanner,
            entry=entry,
        )
    )
    summary = _summary(evaluation)
    if as_json:
        stdout.write(orjson.dumps(summary).decode() + "\n")
    else:
        _write_text(summary, stdout)
    return 0
