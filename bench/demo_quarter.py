"""A seeded demo quarter for the evidence report (not a benchmark): a few thousand calls over
about 90 days, written through the proxy's real store code into an embedded ClickHouse.

What it holds, so that every section of ``llm-proxy report`` has something to show:

- configuration history: the monitor-only policy at start, the default policy enforced
  two weeks later, a register change adding a model, a refused policy reload (with its
  reason), a restart recording every kind again;
- calls of four teams and their applications to five models: allowed, flagged,
  pseudonymised, redacted answers, blocked (secrets, cards, national ids), monitor-mode
  matches that would have blocked, refusals (a model not approved, a model not in the
  register: shadow AI), upstream errors, one detector failure that failed open, one that
  failed closed, one text over the inspection limit;
- two anomalies: a user's volume spike (looked at afterwards: a responder read those
  calls) and a block spike in one team (never looked at);
- reads of the event log in ``audit_log``: content reads (show, export) and searches.

Calls go through :class:`proxy.store.EventLog` (rows, spool, writer, hash chain),
configuration versions through :func:`insert_versions`, reads through
:func:`record_audit`, exactly as the proxy writes them.

    .venv/bin/python bench/demo_quarter.py --store /tmp/demo-store [--start 2026-07-01]
        [--report docs/sample-report.html] [--format html]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from policies.loader import shipped_pack
from proxy.call.events import CallEvent
from proxy.config.history import policy_content
from proxy.config.settings import LimitsConfig, LogContentConfig, RegisterConfig
from proxy.metrics import Metrics
from proxy.store import AuditEntry, EventLog, Reader, StoreSettings, open_client, record_audit
from proxy.store.config_history import ConfigVersion, insert_versions

DAYS = 92
CONFIG_PATH = "/etc/llm-proxy/config.yaml"
POLICY_PATH = "/etc/llm-proxy/policy.yaml"

#: (user, team, app) of the callers.
CALLERS = (
    ("alice", "finance", "chat-ui"),
    ("bram", "finance", "report-writer"),
    ("chen", "finance", "chat-ui"),
    ("dmitri", "engineering", "code-assistant"),
    ("eve", "engineering", "code-assistant"),
    ("farah", "engineering", "chat-ui"),
    ("gus", "engineering", "code-assistant"),
    ("hana", "support", "support-bot"),
    ("ivan", "support", "support-bot"),
    ("jo", "support", "chat-ui"),
    ("kemal", "marketing", "chat-ui"),
    ("lena", "marketing", "copywriter"),
)
#: model → (provider, upstream model, weight of calls).
MODELS = {
    "gpt-4o": ("openai", "gpt-4o-2024-08-06", 30),
    "gpt-4o-mini": ("openai", "gpt-4o-mini-2024-07-18", 40),
    "claude-sonnet-4": ("anthropic", "claude-sonnet-4-20250514", 25),
    "o3-mini": ("openai", "o3-mini-2025-01-31", 0),  # listed from day 31
}
ADDED_MODEL_DAY = 31
ENFORCE_DAY = 14


def register_content(*, with_o3: bool) -> dict[str, Any]:
    """The register as the proxy records it (``RegisterConfig`` as JSON)."""
    models: list[dict[str, Any]] = [
        {
            "name": "gpt-4o",
            "provider": "openai",
            "owner": "platform-team",
            "data_classification": "internal",
            "region": "eu",
            "approved_by": "ciso",
            "approved_at": "2026-01-15",
            "review_by": "2026-08-31",
            "risk_notes": "General use; no customer data classified confidential.",
        },
        {
            "name": "gpt-4o-mini",
            "provider": "openai",
            "owner": "platform-team",
            "data_classification": "internal",
            "region": "eu",
            "approved_by": "ciso",
            "approved_at": "2026-01-15",
            "review_by": "2026-10-20",
        },
        {
            "name": "claude-sonnet-4",
            "provider": "anthropic",
            "owner": "engineering-leads",
            "data_classification": "confidential",
            "region": "eu",
            "approved_by": "ai-board",
            "approved_at": "2026-03-02",
            "review_by": "2027-03-01",
        },
        {
            "name": "gpt-3.5-turbo",
            "provider": "openai",
            "owner": "platform-team",
            "approved": False,
            "risk_notes": "Retired: superseded by gpt-4o-mini.",
        },
    ]
    if with_o3:
        models.append(
            {
                "name": "o3-mini",
                "provider": "openai",
                "owner": "engineering-leads",
                "data_classification": "internal",
                "region": "us",
                "approved_by": "ai-board",
                "approved_at": "2026-07-30",
                "review_by": "2027-01-31",
            }
        )
    return RegisterConfig.model_validate({"models": models}).model_dump(mode="json")


def _versions(start: datetime) -> list[ConfigVersion]:
    """The configuration history of the quarter."""
    monitor = policy_content(shipped_pack("monitor-only"))
    enforce = policy_content(shipped_pack("default"))
    providers = {
        "openai": {
            "kind": "openai",
            "base_url": "https://api.openai.com/v1",
            "api_key_env": "OPENAI_API_KEY",
        },
        "anthropic": {
            "kind": "anthropic",
            "base_url": "https://api.anthropic.com/v1",
            "api_key_env": "ANTHROPIC_API_KEY",
        },
    }
    keys = {
        "keys": [{"id": f"vk_{u}", "user": u, "team": t, "status": "active"} for u, t, _ in CALLERS]
    }

    def boot(at: datetime, policy: Any, register: Any) -> list[ConfigVersion]:
        contents = {
            "register": register,
            "providers": providers,
            "limits": LimitsConfig().model_dump(mode="json"),
            "log_content": LogContentConfig().model_dump(mode="json"),
            "keys": keys,
        }
        versions = [
            ConfigVersion(k, "start", CONFIG_PATH, True, c, ts=at) for k, c in contents.items()
        ]
        return [*versions, ConfigVersion("policy", "start", POLICY_PATH, True, policy, ts=at)]

    day = timedelta(days=1)
    return [
        *boot(start - timedelta(hours=2), monitor, register_content(with_o3=False)),
        ConfigVersion(
            "policy",
            "file_change",
            POLICY_PATH,
            True,
            enforce,
            ts=start + ENFORCE_DAY * day + timedelta(hours=9, minutes=30),
        ),
        ConfigVersion(
            "register",
            "sighup",
            CONFIG_PATH,
            True,
            register_content(with_o3=True),
            ts=start + ADDED_MODEL_DAY * day + timedelta(hours=10),
        ),
        ConfigVersion(
            "policy",
            "file_change",
            POLICY_PATH,
            False,
            None,
            reason=f"{POLICY_PATH}: rule_sets.0.rules.1.action: Input should be 'allow', "
            "'flag', 'redact', 'pseudonymise' or 'block' (got 'deny') (rule 'block-payment-data')",
            ts=start + 50 * day + timedelta(hours=14, minutes=12),
        ),
        *boot(start + 62 * day + timedelta(hours=6), enforce, register_content(with_o3=True)),
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the policy made of one call."""

    decision: str
    rules: tuple[str, ...] = ()
    entities: tuple[tuple[str, int], ...] = ()
    status: int = 200
    error: str = ""


#: (weight, outcome under the enforced default policy).
_ENFORCED = (
    (780, Outcome("allow")),
    (70, Outcome("flag", ("flag-names-and-places",), (("PERSON", 2), ("LOCATION", 1)))),
    (50, Outcome("pseudonymise", ("pseudonymise-contact-details",), (("EMAIL_ADDRESS", 1),))),
    (
        12,
        Outcome(
            "pseudonymise",
            ("pseudonymise-contact-details", "flag-names-and-places"),
            (("PHONE_NUMBER", 1), ("PERSON", 1)),
        ),
    ),
    (10, Outcome("redact", ("redact-secrets-in-answers",), (("API_KEY", 1),))),
    (14, Outcome("block", ("block-secrets",), (("API_KEY", 1),), 403, "policy_violation")),
    (8, Outcome("block", ("block-payment-data",), (("CREDIT_CARD", 1),), 403, "policy_violation")),
    (5, Outcome("block", ("block-national-ids",), (("US_SSN", 1),), 403, "policy_violation")),
    (10, Outcome("error", (), (), 502, "upstream_unavailable")),
)


def _monitored(outcome: Outcome) -> Outcome:
    """The same call under the monitor-only policy: recorded, never enforced (flag)."""
    if not outcome.rules:
        return outcome
    rules = tuple(f"monitor:{r}" for r in outcome.rules)
    return Outcome("flag", rules, outcome.entities)


class Calls:
    """Builds call events from a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # demo data, not security
        self.serial = 0

    def event(
        self, ts: datetime, caller: tuple[str, str, str], model: str, outcome: Outcome
    ) -> CallEvent:
        self.serial += 1
        user, team, app = caller
        provider, upstream, _ = MODELS.get(model, ("openai", model, 0))
        rng = self.rng
        answered = outcome.decision not in ("block", "reject", "error")
        prompt_tokens = rng.randint(40, 1400)
        completion = rng.randint(20, 700) if answered else 0
        return CallEvent(
            request_id=f"demo-{ts:%Y%m%d}-{self.serial:06d}-{rng.getrandbits(32):08x}",
            ts=ts,
            user=user,
            team=team,
            app=app,
            key_id=f"vk_{user}",
            client_ip=f"10.20.{CALLERS.index(caller)}.{rng.randint(2, 250)}",
            method="POST",
            endpoint="/v1/chat/completions",
            provider=provider if outcome.decision != "reject" else "",
            model=model,
            upstream_model=upstream if answered else "",
            stream=rng.random() < 0.4,
            status_code=outcome.status,
            upstream_status=outcome.status if answered else 0,
            decision=outcome.decision,
            rules=outcome.rules,
            entity_types=tuple(sorted(e for e, _ in outcome.entities)),
            entity_counts=dict(outcome.entities),
            prompt=orjson.dumps(
                {
                    "model": model,
                    "messages": [
                        {"role": "user", "content": f"Draft note {self.serial} for {team}"}
                    ],
                }
            ).decode(),
            response=f"Here is the draft note {self.serial}." if answered else "",
            prompt_tokens=prompt_tokens,
            completion_tokens=completion,
            latency_ms=round(rng.uniform(300, 4000), 1)
            if answered
            else round(rng.uniform(2, 40), 1),
            ttfb_ms=round(rng.uniform(120, 900), 1) if answered else 0.0,
            error=outcome.error,
        )


def generate(start: datetime, seed: int = 7, calls_per_day: int = 30) -> list[CallEvent]:
    """Every call of the quarter, in time order."""
    calls = Calls(seed)
    rng = calls.rng
    weights = [w for w, _ in _ENFORCED]
    events: list[CallEvent] = []
    for day_index in range(DAYS):
        day = start + timedelta(days=day_index)
        models = [m for m, (_, _, w) in MODELS.items() if w] + (
            ["o3-mini"] if day_index >= ADDED_MODEL_DAY else []
        )
        model_weights = [MODELS[m][2] or 15 for m in models]
        for _ in range(calls_per_day + rng.randint(-6, 6)):
            ts = day + timedelta(
                seconds=rng.randint(7 * 3600, 19 * 3600), milliseconds=rng.randint(0, 999)
            )
            caller = rng.choice(CALLERS)
            outcome = rng.choices([o for _, o in _ENFORCED], weights)[0]
            model = rng.choices(models, model_weights)[0]
            if rng.random() < 0.02:  # refused by the register: not approved, or not listed
                model = rng.choice(("gpt-3.5-turbo", "deepseek-chat"))
                code = "model_not_approved" if model == "gpt-3.5-turbo" else "model_not_found"
                outcome = Outcome("reject", (), (), 403 if model == "gpt-3.5-turbo" else 404, code)
            elif day_index < ENFORCE_DAY:
                outcome = _monitored(outcome)
            events.append(calls.event(ts, caller, model, outcome))
        if day_index == 55:  # eve's volume spike: a script run with her key
            eve = CALLERS[4]
            for i in range(140):
                ts = day + timedelta(hours=20, seconds=i * 20)
                events.append(calls.event(ts, eve, "gpt-4o", Outcome("allow")))
        if day_index == 70:  # support pastes a log file full of keys, again and again
            for i in range(16):
                ts = day + timedelta(hours=15, minutes=i * 3)
                block = Outcome(
                    "block", ("block-secrets",), (("API_KEY", 3),), 403, "policy_violation"
                )
                events.append(calls.event(ts, CALLERS[7 + i % 2], "gpt-4o-mini", block))
        if day_index == 40:  # detectors failed: the personal-data rule set fails open
            failed_open = Outcome("flag", ("detector_failed",))
            events.append(calls.event(day + timedelta(hours=11), CALLERS[0], "gpt-4o", failed_open))
            failed_closed = Outcome("block", ("detector_failed",), (), 403, "policy_violation")
            events.append(
                calls.event(
                    day + timedelta(hours=11, seconds=2), CALLERS[1], "gpt-4o", failed_closed
                )
            )
        if day_index == 66:  # a 180,000-character paste, over the inspection limit
            over = Outcome("block", ("inspection_limit",), (), 403, "policy_violation")
            events.append(
                calls.event(day + timedelta(hours=16), CALLERS[5], "claude-sonnet-4", over)
            )
    return sorted(events, key=lambda e: e.ts)


def _reads(start: datetime, events: list[CallEvent]) -> list[AuditEntry]:
    """Reads of the event log during the quarter."""
    day = timedelta(days=1)
    analyst = Reader("local-admin", "content", "admin_api", claimed_actor="dana")
    auditor = Reader("internal-audit", "metadata", "admin_api")
    offline = Reader("root", "store-access", "cli-offline")
    eve_spike = [
        e.request_id
        for e in events
        if e.user == "eve" and e.ts.date() == (start + 55 * day).date() and e.ts.hour >= 20
    ]
    blocked = [e.request_id for e in events if e.decision == "block"][:3]
    return [
        AuditEntry(auditor, "search", False, blocked, {"decision": "block"}, ts=start + 9 * day),
        AuditEntry(
            analyst, "show", True, blocked[:1], {}, ts=start + 20 * day + timedelta(hours=10)
        ),
        AuditEntry(
            analyst,
            "search",
            False,
            eve_spike[:100],
            {"user": "eve", "limit": 100},
            ts=start + 56 * day + timedelta(hours=9),
        ),
        AuditEntry(
            analyst,
            "export",
            True,
            eve_spike,
            {"user": "eve"},
            ts=start + 56 * day + timedelta(hours=9, minutes=5),
        ),
        AuditEntry(
            offline, "show", True, blocked[1:2], {}, ts=start + 63 * day + timedelta(hours=7)
        ),
        AuditEntry(auditor, "search", False, [], {"team": "marketing"}, ts=start + 85 * day),
    ]


def write_demo(
    settings: StoreSettings, start: date, *, seed: int = 7, calls_per_day: int = 30
) -> int:
    """Write the demo quarter beginning on ``start`` into the store; returns the calls."""
    begin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    events = generate(begin, seed, calls_per_day)
    log = EventLog(settings, Metrics())
    log.start()
    try:
        for event in events:
            log.record(event)
        if not log.flush(120.0):
            raise RuntimeError("the event log did not commit the demo calls in time")
    finally:
        log.close(30.0)
    client = open_client(settings)
    try:
        insert_versions(client, _versions(begin), database=settings.database)
        for entry in _reads(begin, events):
            record_audit(client, entry, database=settings.database)
    finally:
        client.close()
    return len(events)


def last_full_quarter(today: date) -> date:
    """The first day of the last quarter that has ended before ``today``."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    year, month = today.year, first_month - 3
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, required=True, help="embedded engine directory")
    parser.add_argument("--database", default="llm_proxy")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        help="first day of the quarter (default: the last full quarter)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", type=Path, help="also write the quarter's report here")
    parser.add_argument("--format", default="html", choices=("html", "md", "json"))
    args = parser.parse_args(argv)
    start = args.start or last_full_quarter(datetime.now(UTC).date())
    settings = StoreSettings(
        url=f"chdb://{args.store.resolve()}",
        database=args.database,
        spool_dir=args.store.resolve().parent / f"{args.store.name}-spool",
        retention_days=730,
        text_retention_days=90,
        flush_interval=0.2,
    )
    count = write_demo(settings, start, seed=args.seed)
    print(
        f"wrote {count} calls from {start} into {settings.url} ({settings.database})",
        file=sys.stderr,
    )
    if args.report:
        from proxy.cli.report import write_offline_report  # noqa: PLC0415

        end = (datetime(start.year, start.month, start.day) + timedelta(days=DAYS - 1)).date()
        write_offline_report(settings, start.isoformat(), end.isoformat(), args.format, args.report)
        print(f"report written to {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
