"""A fortnight of plausible calls for the dashboard queries to run against.

Three teams, six users (one named ``o'brien``, to exercise quoting), three models on two
providers, every decision, several entity types and rules. On top of the background
traffic, the situations the security dashboard's heuristics exist to find:

- ``mallory`` (finance, app ``ledger-bot``) averages two calls a day, then makes 40 in the
  last seven hours (52 with her blocked ones: over the 50 calls an anomaly needs);
- team support uses ``gpt-4.1`` for the first time in the last two hours;
- finance has 12 calls blocked for AWS keys within 12 minutes, and none before;
- ``claude-sonnet-4`` starts failing: three more errors a day through the last week;
- ``bob`` asks for an unapproved model, ``carol`` for one not in the register.

Rows go through the store's own row encoder (``encode_event``) and a ``JSONEachRow``
insert, as the writer sends them, so the ``call_volume_1m`` view is filled as in production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from clickhouse_connect.driver.client import Client

from proxy.call.events import CallEvent
from proxy.store import AuditEntry, Reader, record_audit
from proxy.store.rows import INSERT_SETTINGS, encode_event
from proxy.store.settings import ContentMode
from tests.store.factories import make_event

#: The blocked call the single-request view is tested on.
BLOCKED_REQUEST_ID: Final = "req_dashboard_blocked_0001"


@dataclass(frozen=True)
class Caller:
    user: str
    team: str
    app: str


CALLERS: Final = (
    Caller("alice", "research", "notebook"),
    Caller("bob", "research", "notebook"),
    Caller("carol", "finance", "reporting"),
    Caller("o'brien", "finance", "reporting"),
    Caller("dave", "support", "helpdesk"),
)
MALLORY: Final = Caller("mallory", "finance", "ledger-bot")
MODELS: Final = (("gpt-4o", "openai"), ("gpt-4o-mini", "openai"), ("claude-sonnet-4", "anthropic"))
#: Cost per answered call; claude-sonnet-4 has no price here, so its calls are unpriced.
COSTS: Final = {"gpt-4o": 0.0125, "gpt-4o-mini": 0.0006, "gpt-4.1": 0.01}

_PROMPT = '{"model":"%s","messages":[{"role":"user","content":"%s"}]}'


def _call(caller: Caller, ts: datetime, model: str, provider: str, **changes: Any) -> CallEvent:
    fields: dict[str, Any] = {
        "ts": ts,
        "user": caller.user,
        "team": caller.team,
        "app": caller.app,
        "key_id": f"vk_{caller.user.replace(chr(39), '')}",
        "model": model,
        "upstream_model": model,
        "provider": provider,
        "prompt": _PROMPT % (model, "Summarise the quarterly notes."),
        "response": "Here is a summary of the notes.",
        "prompt_tokens": 40,
        "completion_tokens": 120,
    }
    fields.update(changes)
    # What the proxy records: unpriced models cost NULL, calls no provider answered cost 0.
    answered = fields.get("decision", "allow") not in {"block", "reject", "error"}
    fields["cost"] = COSTS.get(model) if answered else 0.0
    return make_event(**fields)


def _background(rng: random.Random, now: datetime) -> list[CallEvent]:
    """Four calls a day per caller over 14 days, with redactions, flags and errors."""
    events: list[CallEvent] = []
    for day in range(14):
        for caller in CALLERS:
            for _ in range(4):
                ts = now - timedelta(days=day, minutes=rng.randint(1, 24 * 60 - 1))
                model, provider = rng.choice(MODELS)
                roll = rng.random()
                changes: dict[str, Any] = {"response": "Here is the summary. " * rng.randint(1, 9)}
                if roll < 0.15:
                    changes |= {
                        "decision": "redact",
                        "rules": ("redact-pii",),
                        "entity_types": ("EMAIL_ADDRESS",),
                        "entity_counts": {"EMAIL_ADDRESS": 2},
                        "prompt": _PROMPT % (model, "Mail jane.doe@example.com and joe@x.org"),
                        "prompt_forwarded": _PROMPT % (model, "Mail <EMAIL_1> and <EMAIL_2>"),
                    }
                elif roll < 0.25:
                    changes |= {
                        "decision": "flag",
                        "rules": ("flag-customer-names",),
                        "entity_types": ("PERSON",),
                        "entity_counts": {"PERSON": 1},
                    }
                elif roll < 0.3:
                    changes |= {
                        "decision": "error",
                        "status_code": 502,
                        "upstream_status": 503,
                        "error": "upstream_status",
                        "response": "",
                        "completion_tokens": 0,
                    }
                events.append(
                    _call(caller, ts, model, provider, stream=rng.random() < 0.5, **changes)
                )
    return events


def _situations(now: datetime) -> list[CallEvent]:
    """The unusual behaviour and register refusals the security dashboard looks for."""
    events: list[CallEvent] = []
    for day in range(1, 8):
        for n in range(2):
            events.append(
                _call(MALLORY, now - timedelta(days=day, hours=3 + n), "gpt-4o", "openai")
            )
    events += [
        _call(MALLORY, now - timedelta(minutes=20 + 10 * n), "gpt-4o", "openai") for n in range(40)
    ]
    dave = CALLERS[4]
    failed = {
        "decision": "error",
        "status_code": 502,
        "upstream_status": 503,
        "error": "upstream_status",
        "response": "",
        "completion_tokens": 0,
    }
    events += [
        _call(
            dave, now - timedelta(days=day, hours=5 + n), "claude-sonnet-4", "anthropic", **failed
        )
        for day in range(7)
        for n in range(3)
    ]
    events += [
        _call(dave, now - timedelta(minutes=10 * n + 5), "gpt-4.1", "openai") for n in range(6)
    ]
    blocked = {
        "decision": "block",
        "status_code": 403,
        "upstream_status": 0,
        "rules": ("block-secrets",),
        "entity_types": ("AWS_ACCESS_KEY_ID",),
        "entity_counts": {"AWS_ACCESS_KEY_ID": 1},
        "prompt": _PROMPT % ("gpt-4o", "deploy with AKIAGYLW2FGSIORRGXT6"),
        "response": "",
        "error": "policy_violation",
        "completion_tokens": 0,
    }
    events.append(
        _call(
            MALLORY,
            now - timedelta(minutes=2),
            "gpt-4o",
            "openai",
            request_id=BLOCKED_REQUEST_ID,
            **blocked,
        )
    )
    events += [
        _call(MALLORY, now - timedelta(minutes=3 + n), "gpt-4o", "openai", **blocked)
        for n in range(11)
    ]
    refused = {"decision": "reject", "upstream_status": 0, "response": "", "completion_tokens": 0}
    bob, carol = CALLERS[1], CALLERS[2]
    events += [
        _call(
            bob,
            now - timedelta(hours=n + 1),
            "gpt-5-preview",
            "",
            status_code=403,
            error="model_not_approved",
            **refused,
        )
        for n in range(2)
    ]
    events.append(
        _call(
            carol,
            now - timedelta(hours=4),
            "mystery-model",
            "",
            status_code=404,
            error="model_not_found",
            **refused,
        )
    )
    return events


def seed(client: Client, database: str, now: datetime) -> list[CallEvent]:
    """Insert the calls and two audit entries into ``database`` (migrated); return the calls."""
    events = _background(random.Random(5), now) + _situations(now)
    body = b"\n".join(encode_event(event, ContentMode.FULL) for event in events)
    client.raw_insert(
        f"{database}.requests", None, body, settings=INSERT_SETTINGS, fmt="JSONEachRow"
    )
    analyst = Reader(actor="dana", role="incident_responder", via="cli")
    record_audit(
        client,
        AuditEntry(
            analyst,
            "search",
            False,
            [BLOCKED_REQUEST_ID],
            {"user": "mallory"},
            ts=now - timedelta(minutes=1),
        ),
        database=database,
    )
    record_audit(
        client,
        AuditEntry(analyst, "show", True, [BLOCKED_REQUEST_ID], ts=now - timedelta(seconds=30)),
        database=database,
    )
    return events
