"""Loading policy files, and keeping the active policy current while the proxy runs.

:func:`load_policy` validates a YAML file into a :class:`~policies.model.Policy`, or raises
:class:`PolicyError` with one line per problem, each naming the key path (and the rule id
when the problem is inside a rule). :class:`PolicyHolder` owns the active policy: it
reloads on file change (polling) or on :meth:`PolicyHolder.reload` (SIGHUP); a new file
that fails validation is rejected with one log line and the previous policy stays active.
Requests already running keep the policy they started with.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import structlog
import yaml
from pydantic import ValidationError

from core.filewatch import FileWatch, Watched, watch
from core.telemetry import PolicyMetrics
from policies.engine import PolicyEngine
from policies.model import Policy

log = structlog.get_logger("llm_proxy.policy")

#: The packs shipped inside the package, by name.
SHIPPED_PACKS: Mapping[str, str] = {
    "default": "default.yaml",
    "strict": "examples/strict.yaml",
    "monitor-only": "examples/monitor-only.yaml",
}


class PolicyError(Exception):
    """A policy that cannot be used. ``problems`` holds one line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def _rule_hint(raw: Any, loc: tuple[int | str, ...]) -> str:
    """`` (rule 'id')`` when ``loc`` points into a rule whose id is readable in ``raw``."""
    node = raw
    rule_id: Any = None
    for depth, key in enumerate(loc):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if depth >= 1 and loc[depth - 1] == "rules" and isinstance(node, dict):
            rule_id = node.get("id")
    return f" (rule {rule_id!r})" if isinstance(rule_id, str) else ""


def _describe(raw: Any, loc: tuple[int | str, ...], message: str, value: Any) -> list[str]:
    message = message.removeprefix("Value error, ")
    if not loc:  # cross-field checks put the key path in the message themselves
        return message.splitlines()
    path = ".".join(str(part) for part in loc) + _rule_hint(raw, loc)
    if isinstance(value, (dict, list)) or value is None:
        return [f"{path}: {message}"]
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return [f"{path}: {message} (got {shown})"]


def parse_policy(raw: Any, *, source: str = "policy") -> Policy:
    """Validate a parsed YAML document into a policy; :class:`PolicyError` if it is not one."""
    if not isinstance(raw, dict):
        raise PolicyError(source, ["(top level): a policy must be a mapping"])
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # pydantic also reports a list as too short when its only items were invalid;
        # that line would only repeat the item errors.
        inner = {e["loc"][:n] for e in errors for n in range(len(e["loc"]))}
        problems = [
            line
            for error in errors
            if not (error["type"] == "too_short" and error["loc"] in inner)
            for line in _describe(raw, error["loc"], error["msg"], error.get("input"))
        ]
        raise PolicyError(source, problems) from None


def parse_policy_text(text: str, *, source: str = "policy") -> Policy:
    """Parse and validate YAML text."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source, [f"{where}invalid YAML: {problem}"]) from None
    return parse_policy(raw, source=source)


def load_policy(path: Path) -> Policy:
    """Read and validate the policy file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(path), [f"cannot read: {exc.strerror or exc}"]) from None
    return parse_policy_text(text, source=str(path))


def shipped_pack(name: str = "default") -> Policy:
    """One of the packs shipped with the proxy (``default``, ``strict``, ``monitor-only``)."""
    if name not in SHIPPED_PACKS:
        raise PolicyError(
            name, [f"no shipped pack of that name; known: {', '.join(SHIPPED_PACKS)}"]
        )
    resource = resources.files("policies").joinpath(SHIPPED_PACKS[name])
    return parse_policy_text(resource.read_text(encoding="utf-8"), source=f"shipped pack {name}")


class PolicyHolder:
    """The active policy. Loads ``path`` (or the shipped default pack when ``None``).

    Construction raises :class:`PolicyError` for a bad file: at start-up a broken policy is
    fatal. Later reloads never raise. ``on_reload`` callbacks run after a new policy became
    active (for example to rebuild the custom recognizers of the detection service).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        metrics: PolicyMetrics | None = None,
        on_reload: Callable[[Policy], None] | None = None,
    ) -> None:
        self.path = path
        self._metrics = metrics
        self._callbacks: list[Callable[[Policy], None]] = [on_reload] if on_reload else []
        self._outcome_callbacks: list[Callable[[str, Policy | None, list[str]], None]] = []
        self._file = FileWatch(path) if path is not None else None
        if self._file is not None:
            self._file.mark()
        policy = load_policy(path) if path is not None else shipped_pack("default")
        self._engine = PolicyEngine(policy)
        self._reloading = asyncio.Lock()

    @property
    def engine(self) -> PolicyEngine:
        """The compiled active policy; take it once per call and use it for the whole call."""
        return self._engine

    @property
    def policy(self) -> Policy:
        return self._engine.policy

    def add_reload_callback(self, callback: Callable[[Policy], None]) -> None:
        self._callbacks.append(callback)

    def changed(self) -> bool:
        """True when the file differs from the version last loaded or rejected (blocking I/O)."""
        return self._file is not None and self._file.changed()

    def add_outcome_callback(
        self, callback: Callable[[str, Policy | None, list[str]], None]
    ) -> None:
        """Call ``callback(trigger, policy, problems)`` after every reload: the new policy,
        or None and the problems when the file was rejected (the configuration history)."""
        self._outcome_callbacks.append(callback)

    def read(self) -> PolicyEngine | PolicyError:
        """Read, validate and compile the file (blocking: off the event loop in a running
        proxy); the problems when it is not a valid policy."""
        assert self.path is not None, "a holder of the shipped pack has no file to read"
        if self._file is not None:
            self._file.mark()
        try:
            return PolicyEngine(load_policy(self.path))
        except PolicyError as exc:
            return exc

    def reload(self, trigger: str = "sighup") -> bool:
        """Load the file again. True if a new policy is active; False if it was rejected."""
        if self.path is None:
            return False
        return self.apply(self.read(), trigger)

    async def reload_off_loop(self, trigger: str = "sighup") -> bool:
        """:meth:`reload` with the file read and compiled in a thread; reloads apply in the
        order they read the file."""
        if self.path is None:
            return False
        async with self._reloading:
            return self.apply(await asyncio.to_thread(self.read), trigger)

    def apply(self, new: PolicyEngine | PolicyError, trigger: str = "sighup") -> bool:
        """Make ``new`` the active policy, or log its rejection; run the callbacks."""
        if isinstance(new, PolicyError):
            log.error(
                "policy_reload_rejected",
                path=str(self.path),
                problems=new.problems,
                kept=self.policy.name,
            )
            self._count("failure")
            for outcome in self._outcome_callbacks:
                outcome(trigger, None, new.problems)
            return False
        self._engine = new
        policy = new.policy
        rules = sum(1 for _ in policy.rules())
        log.info("policy_reloaded", path=str(self.path), policy=policy.name, rules=rules)
        self._count("success")
        for callback in self._callbacks:
            callback(policy)
        for outcome in self._outcome_callbacks:
            outcome(trigger, policy, [])
        return True

    async def watch(self, interval: float = 2.0) -> None:
        """Poll the file every ``interval`` seconds and reload it when it changed, until
        cancelled. The proxy polls :meth:`watched` in its one watcher instead."""
        await watch([self.watched(interval)])

    def watched(self, interval: float) -> Watched:
        """The policy file as one of the files the proxy's watcher polls."""
        return Watched(
            "policy", self.changed, lambda: self.reload_off_loop("file_change"), interval
        )

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.config_reloads_total.labels("policy", outcome).inc()
