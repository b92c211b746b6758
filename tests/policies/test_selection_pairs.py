"""A call's input and output rule selections are looked up once per kind of call and stay
right: per caller and register entry, per policy version (a reload is a new engine); the
plain per-direction ``Subject`` still builds as its frozen form did, and texts are still
counted for the rules that read their length."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from core.identity import Identity
from core.inspection import Action
from core.register import Classification
from policies.engine import CallContext, PolicyEngine, Subject
from policies.extract import Attachment, AttachmentKind
from policies.inspector import PolicyInspector, RequestBlocked
from policies.loader import PolicyHolder
from policies.model import Direction
from proxy.config.settings import ModelEntry
from tests.policies.factories import AWS_KEY, call_info, chat, policy, real_scanner

SCOPED = policy(
    """
name: scoped
rule_sets:
  - name: main
    rules:
      - id: finance-secrets
        action: block
        match: {entities: [SECRETS], teams: [finance]}
      - id: answers-secret
        action: redact
        direction: output
        match: {entities: [SECRETS], classification_at_least: confidential}
"""
)
FLAG_SECRETS = """
name: v{version}
rule_sets:
  - name: main
    rules:
      - id: secrets-v{version}
        action: {action}
        match: {{entities: [SECRETS]}}
"""


def _rule_ids(engine: PolicyEngine, call: object, direction: Direction) -> list[str]:
    selection = engine.select(CallContext.of(call), direction)  # type: ignore[arg-type]
    decision = selection.evaluate(Subject(direction), [])
    return [m.rule_id for m in decision.matches] + sorted(selection.entity_types)


def test_selections_are_the_engines_selections_per_direction() -> None:
    """Both selections of a call are what ``select`` gives for its input and output."""
    engine = PolicyEngine(SCOPED)
    call = call_info(classification=Classification.CONFIDENTIAL)
    prompt, answer = engine.selections(call)
    context = CallContext.of(call)
    assert prompt is engine.select(context, Direction.INPUT)
    assert answer is engine.select(context, Direction.OUTPUT)
    assert engine.selections(call) == (prompt, answer)


def test_another_caller_or_entry_gets_its_own_selections() -> None:
    """A caller of another team, or another register entry for the same model name (a
    reloaded register), is selected for afresh, never served a kept selection."""
    engine = PolicyEngine(SCOPED)
    finance = call_info(classification=Classification.CONFIDENTIAL)
    prompt, answer = engine.selections(finance)
    assert prompt
    assert answer
    sales = replace(finance, identity=Identity(user="bob", team="sales", app="", key_id="k2"))
    assert not engine.selections(sales)[0]  # the finance-only rule does not apply
    assert isinstance(finance.entry, ModelEntry)  # call_info's entry is the register's own
    public_entry = finance.entry.model_copy(update={"data_classification": Classification.PUBLIC})
    reloaded = replace(finance, entry=public_entry)
    prompt_public, answer_public = engine.selections(reloaded)
    assert prompt_public  # the caller's team still has its input rule
    assert not answer_public  # answers of a public model: no output rule


async def test_a_reloaded_policy_applies_to_the_next_call_of_the_same_kind(
    tmp_path: Path,
) -> None:
    """After a policy reload the same caller and model are inspected under the new rules,
    not a selection kept from the old policy."""
    path = tmp_path / "policy.yaml"
    path.write_text(FLAG_SECRETS.format(version=1, action="flag"), encoding="utf-8")
    holder = PolicyHolder(path)
    inspector = PolicyInspector(holder, real_scanner())
    call = call_info()
    body = chat(f"deploy with {AWS_KEY}")
    first = await inspector.inspect_request(call, body)
    assert first.verdict.action is Action.FLAG
    path.write_text(FLAG_SECRETS.format(version=2, action="block"), encoding="utf-8")
    assert holder.reload()
    with pytest.raises(RequestBlocked) as blocked:
        await inspector.inspect_request(call, body)
    assert blocked.value.verdict.rules == ("secrets-v2",)


def test_subject_builds_as_its_frozen_form() -> None:
    """The plain Subject holds what the frozen one held: fields, defaults, values, slots."""
    spec = [
        (f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(Subject)
    ]
    frozen = dataclasses.make_dataclass("Subject", spec, frozen=True, slots=True)
    attachment = Attachment(("x",), AttachmentKind.IMAGE, 10)
    cases: list[tuple[Any, ...]] = [(Direction.INPUT,), (Direction.OUTPUT, 7, (attachment,))]
    for args in cases:
        built, reference = Subject(*args), frozen(*args)
        assert dataclasses.astuple(built) == dataclasses.astuple(reference)
        assert repr(built) == repr(reference)
        assert not hasattr(built, "__dict__")


LONG_TEXTS = policy(
    """
name: long
rule_sets:
  - name: main
    rules:
      - id: long-prompt
        action: flag
        match: {min_text_chars: 40}
      - id: long-answer
        action: flag
        direction: output
        match: {min_text_chars: 40}
      - id: secrets
        action: redact
        match: {entities: [SECRETS]}
"""
)


async def test_a_rule_reading_text_length_still_counts_it() -> None:
    """Characters are counted for a selection with a ``min_text_chars`` rule, in prompts
    (over two messages) and answers: long ones match it, short ones do not."""
    inspector = PolicyInspector(LONG_TEXTS, real_scanner())
    long_prompt = await inspector.inspect_request(call_info(), chat("x" * 25, "y" * 25))
    assert long_prompt.verdict.rules == ("long-prompt",)
    short = await inspector.inspect_request(call_info(), chat("short"))
    assert short.verdict.rules == ()
    answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "z" * 45}}]}
    verdict, _ = await short.output.inspect_body(answer)
    assert verdict.rules == ("long-answer",)
    prompt_only = PolicyEngine(policy(LONG_TEXTS_INPUT_ONLY))
    selection_in, selection_out = prompt_only.selections(call_info())
    assert selection_in.reads_text_chars
    assert not selection_out.reads_text_chars


LONG_TEXTS_INPUT_ONLY = """
name: long-input
rule_sets:
  - name: main
    rules:
      - id: long-prompt
        action: flag
        direction: input
        match: {min_text_chars: 40}
      - id: secrets
        action: redact
        match: {entities: [SECRETS]}
"""
