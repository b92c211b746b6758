"""Rule evaluation: conditions, precedence, monitor mode and detector failures."""

from __future__ import annotations

import pytest

from core.inspection import Action
from core.register import Classification
from core.scanning import Finding
from detectors.errors import DetectionTimeout, DetectionUnavailable
from policies.engine import CallContext, Located, PolicyEngine, Subject
from policies.extract import Attachment, AttachmentKind
from policies.model import Direction
from tests.policies.factories import call_info, policy

PACK = policy(
    """
name: test
rule_sets:
  - name: main
    rules:
      - id: block-secrets
        action: block
        match: {entities: [SECRETS]}
      - id: pseudo-email
        action: pseudonymise
        match: {entities: [EMAIL_ADDRESS]}
      - id: redact-email
        action: redact
        match: {entities: [EMAIL_ADDRESS]}
      - id: flag-person
        action: flag
        match: {entities: [PERSON]}
      - id: watch-ssn
        action: block
        mode: monitor
        match: {entities: [US_SSN]}
"""
)


def finding(entity: str, start: int = 0, end: int = 5, score: float = 0.9) -> Located:
    return Located(0, Finding(entity, start, end, score, "test"))


def test_most_restrictive_enforced_action_wins_and_all_matches_are_recorded() -> None:
    """Block beats pseudonymise and flag; every matching rule id is in the verdict."""
    decision = (
        PolicyEngine(PACK)
        .select(CallContext.of(call_info()), Direction.INPUT)
        .evaluate(
            Subject(Direction.INPUT),
            [
                finding("OPENAI_API_KEY"),
                finding("EMAIL_ADDRESS", 10, 20),
                finding("PERSON", 30, 35),
            ],
        )
    )
    assert decision.verdict.action is Action.BLOCK
    assert decision.verdict.rules == (
        "block-secrets",
        "pseudo-email",
        "redact-email",
        "flag-person",
    )
    assert decision.verdict.entity_counts == {"OPENAI_API_KEY": 1, "EMAIL_ADDRESS": 1, "PERSON": 1}
    assert "block-secrets" in decision.verdict.message
    assert decision.masks == ()  # nothing is sent, nothing to mask


def test_pseudonymise_beats_redact_for_the_same_finding() -> None:
    """When two masking rules match, the stronger action is applied to the span."""
    selection = PolicyEngine(PACK).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.evaluate(Subject(Direction.INPUT), [finding("EMAIL_ADDRESS", 3, 9)])
    assert decision.verdict.action is Action.PSEUDONYMISE
    assert {m.action for m in decision.masks} == {Action.PSEUDONYMISE, Action.REDACT}


def test_monitor_rule_is_recorded_but_not_enforced() -> None:
    """A monitor-mode block is recorded as monitor:<id> and only flags the call."""
    selection = PolicyEngine(PACK).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.evaluate(Subject(Direction.INPUT), [finding("US_SSN")])
    assert decision.verdict.action is Action.FLAG
    assert decision.verdict.rules == ("monitor:watch-ssn",)
    assert [m.mode.value for m in decision.matches] == ["monitor"]


def test_no_findings_allows() -> None:
    """Without findings no finding rule matches and the call is allowed."""
    selection = PolicyEngine(PACK).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.evaluate(Subject(Direction.INPUT), [])
    assert (decision.verdict.action, decision.verdict.rules) == (Action.ALLOW, ())


SCOPED = policy(
    """
name: scoped
rule_sets:
  - name: main
    rules:
      - id: finance-only
        action: block
        match:
          teams: [finance]
          entities: [PERSON]
          except: {users: [cfo]}
      - id: gpt-models
        action: flag
        match: {models: ["gpt-4*"], providers: [openai]}
      - id: low-ceiling
        action: block
        match: {classification_at_most: internal, entities: [EMAIL_ADDRESS]}
      - id: outside-eu
        action: block
        match: {entities: [LOCATION], except: {regions: [eu]}}
      - id: unapproved
        action: block
        match: {approved: false}
"""
)


@pytest.mark.parametrize(
    ("call", "entity", "rules"),
    [
        ({"team": "finance"}, "PERSON", ("finance-only", "gpt-models")),
        ({"team": "finance", "user": "cfo"}, "PERSON", ("gpt-models",)),
        ({"team": "hr"}, "PERSON", ("gpt-models",)),
        ({"model": "claude-x", "provider": "anthropic"}, "PERSON", ("finance-only",)),
        (
            {"classification": Classification.INTERNAL},
            "EMAIL_ADDRESS",
            ("gpt-models", "low-ceiling"),
        ),
        ({"classification": Classification.CONFIDENTIAL}, "EMAIL_ADDRESS", ("gpt-models",)),
        ({"region": "us"}, "LOCATION", ("gpt-models", "outside-eu")),
        ({"region": "eu"}, "LOCATION", ("gpt-models",)),
        ({"approved": False}, "NONE", ("gpt-models", "unapproved")),
    ],
)
def test_identity_model_and_register_conditions(
    call: dict[str, object], entity: str, rules: tuple[str, ...]
) -> None:
    """Rules apply by team, user exceptions, model globs, provider, classification, region."""
    selection = PolicyEngine(SCOPED).select(
        CallContext.of(call_info(**call)),  # type: ignore[arg-type]
        Direction.INPUT,
    )
    decision = selection.evaluate(Subject(Direction.INPUT), [finding(entity)])
    assert decision.verdict.rules == rules


COUNTS = policy(
    """
name: counts
rule_sets:
  - name: main
    rules:
      - id: many-emails
        action: block
        match: {entities: [CONTACT], min_count: 3, min_score: 0.5}
      - id: big
        action: flag
        match: {min_text_chars: 1000}
      - id: images
        action: block
        match: {attachments: {kinds: [image], min_count: 1, min_bytes: 50}}
      - id: answers
        direction: output
        action: pseudonymise
        match: {entities: [PERSON]}
"""
)


def test_min_count_min_score_and_group_alias() -> None:
    """A rule needs min_count findings at or above min_score; CONTACT covers e-mail and phone."""
    selection = PolicyEngine(COUNTS).select(CallContext.of(call_info()), Direction.INPUT)
    two = [finding("EMAIL_ADDRESS"), finding("PHONE_NUMBER"), finding("EMAIL_ADDRESS", score=0.2)]
    assert selection.evaluate(Subject(Direction.INPUT), two).verdict.action is Action.ALLOW
    three = [*two, finding("PHONE_NUMBER", score=0.6)]
    assert selection.evaluate(Subject(Direction.INPUT), three).verdict.rules == ("many-emails",)


def test_size_and_attachment_conditions() -> None:
    """Large prompts and images over the size limit match their rules."""
    selection = PolicyEngine(COUNTS).select(CallContext.of(call_info()), Direction.INPUT)
    small_image = Attachment(("x",), AttachmentKind.IMAGE, 10)
    big_image = Attachment(("y",), AttachmentKind.IMAGE, 60)
    audio = Attachment(("z",), AttachmentKind.AUDIO, 600)
    subject = Subject(Direction.INPUT, 999, (small_image, audio))
    assert selection.evaluate(subject, []).verdict.rules == ()
    subject = Subject(Direction.INPUT, 1000, (small_image, big_image))
    assert selection.evaluate(subject, []).verdict.rules == ("big", "images")


def test_output_pseudonymise_masks_like_redact() -> None:
    """On answers there is nothing to restore, so pseudonymise masks as redact."""
    selection = PolicyEngine(COUNTS).select(CallContext.of(call_info()), Direction.OUTPUT)
    decision = selection.evaluate(Subject(Direction.OUTPUT), [finding("PERSON")])
    assert decision.verdict.action is Action.REDACT
    assert [m.action for m in decision.masks] == [Action.REDACT]


def test_direction_limits_rules() -> None:
    """Input rules do not apply to answers and output rules do not apply to prompts."""
    engine = PolicyEngine(COUNTS)
    prompt = engine.select(CallContext.of(call_info()), Direction.INPUT)
    assert prompt.evaluate(Subject(Direction.INPUT), [finding("PERSON")]).verdict.rules == ()
    answer = engine.select(CallContext.of(call_info()), Direction.OUTPUT)
    assert answer.evaluate(Subject(Direction.OUTPUT, 5000), []).verdict.rules == ()


FAILURES = policy(
    """
name: failures
rule_sets:
  - name: blocking
    rules:
      - id: block-secrets
        action: block
        match: {entities: [SECRETS]}
  - name: soft
    rules:
      - id: flag-names
        action: flag
        match: {entities: [PERSON]}
      - id: flag-team
        action: flag
        match: {teams: [finance]}
"""
)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DetectionTimeout("slow"), "detector_timeout"),
        (DetectionUnavailable("x"), "detector_unavailable"),
    ],
)
def test_blocking_rule_sets_fail_closed_by_default(error: Exception, reason: str) -> None:
    """When detection fails, a rule set with a blocking rule blocks, naming the reason."""
    selection = PolicyEngine(FAILURES).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.on_detection_failure(Subject(Direction.INPUT), error)  # type: ignore[arg-type]
    assert decision.verdict.action is Action.BLOCK
    assert decision.reason == reason
    assert decision.verdict.rules == ("flag-team", "detector_failed")
    assert "could not check the request" in decision.verdict.message


def test_non_blocking_rule_sets_fail_open_and_flag() -> None:
    """A rule set without blocking rules lets the call through, flagged detector_failed."""
    soft = policy(FAILURES.model_dump_json(by_alias=True).replace('"block"', '"flag"'))
    selection = PolicyEngine(soft).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.on_detection_failure(Subject(Direction.INPUT), DetectionTimeout("slow"))
    assert decision.verdict.action is Action.FLAG
    assert "detector_failed" in decision.verdict.rules


def test_explicit_fail_open_overrides_the_default() -> None:
    """on_detector_failure: fail_open lets a blocking rule set through when detection fails."""
    text = FAILURES.model_dump_json(by_alias=True).replace(
        '"on_detector_failure":null', '"on_detector_failure":"fail_open"'
    )
    selection = PolicyEngine(policy(text)).select(CallContext.of(call_info()), Direction.INPUT)
    decision = selection.on_detection_failure(Subject(Direction.INPUT), DetectionTimeout("slow"))
    assert decision.verdict.action is Action.FLAG
