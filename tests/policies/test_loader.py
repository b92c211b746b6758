"""Policy files: validation with key paths, shipped packs, and hot reload good and bad."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry
from structlog.testing import capture_logs

from core.inspection import Action
from policies.inspector import PolicyInspector
from policies.loader import SHIPPED_PACKS, PolicyError, PolicyHolder, load_policy, shipped_pack
from policies.model import Policy
from proxy.config.settings import RegisterConfig, parse_settings
from proxy.metrics import Metrics
from tests.policies.factories import EMAIL, call_info, chat, policy, real_scanner

POLICIES = Path(__file__).resolve().parents[2] / "policies"

GOOD = """
name: v1
rule_sets:
  - name: main
    rules:
      - id: flag-email
        action: flag
        match: {entities: [EMAIL_ADDRESS]}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        policy(text)
    return caught.value.problems


@pytest.mark.parametrize("name", sorted(SHIPPED_PACKS))
def test_every_shipped_pack_validates(name: str) -> None:
    """Each shipped pack loads, has rules, and names itself."""
    pack = shipped_pack(name)
    assert isinstance(pack, Policy)
    assert pack.name == name
    assert list(pack.rules())


@pytest.mark.parametrize("path", sorted(POLICIES.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_yaml_file_in_the_package_is_valid(path: Path) -> None:
    """Every YAML file shipped in policies/ is a valid policy or the example register."""
    if path.name == "register.example.yaml":
        raw = yaml.safe_load(path.read_text())
        settings = parse_settings(raw, environ={})
        assert isinstance(settings.ai_register, RegisterConfig)
        assert settings.ai_register.models
    else:
        assert load_policy(path).rule_sets


def test_problems_name_the_key_path_and_rule_id() -> None:
    """Each problem is one line with the key path, the rule id and the bad value."""
    found = problems(
        """
name: bad
rule_sets:
  - name: main
    rules:
      - id: r1
        action: obliterate
        match: {entities: [SECRETS], min_score: 2}
"""
    )
    assert any(
        p.startswith("rule_sets.0.rules.0.action (rule 'r1'): Input should be") for p in found
    )
    assert any(p.startswith("rule_sets.0.rules.0.match.min_score (rule 'r1')") for p in found)
    assert all("\n" not in p for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\nrule_sets: [{name: m, rules: [{id: a, action: block,"
            " match: {entities: [EMAIL]}}]}]",
            "rule_sets.0.rules.0.match.entities: unknown entity type(s) EMAIL",
        ),
        (
            "name: x\nrule_sets: [{name: m, rules: [{id: a, action: flag},"
            " {id: a, action: flag}]}]",
            "rule_sets.0.rules.1.id: duplicate rule id 'a'",
        ),
        (
            "name: x\nrule_sets: [{name: m, rules: [{id: a, action: redact}]}]",
            "action redact masks detected entities",
        ),
        (
            "name: x\nrule_sets: [{name: m, rules: [{id: a, action: flag, colour: red}]}]",
            "rule_sets.0.rules.0.colour (rule 'a'): Extra inputs are not permitted",
        ),
        (
            "name: x\nblock_message: 'see {manual}'",
            "block_message: Value error, message template uses unknown field(s) ['manual']",
        ),
        ("name: x\nrule_sets: [{name: m, rules: [\n", "invalid YAML"),
        ("- just a list", "(top level): a policy must be a mapping"),
    ],
)
def test_invalid_policies_are_explained(text: str, expected: str) -> None:
    """Typos, duplicates, impossible actions and unknown keys are reported clearly."""
    assert any(expected.replace("Value error, ", "") in p for p in problems(text)), problems(text)


def test_custom_recognizer_types_can_be_used_in_rules() -> None:
    """Entity types declared by the policy's own recognizers are valid in its rules."""
    pack = policy(
        """
name: custom
recognizers:
  keywords: [{entity_type: PROJECT_NAME, keywords: [Bluebird]}]
  regexes: [{entity_type: TICKET, pattern: 'T-\\d+', context: [ticket]}]
rule_sets:
  - name: m
    rules: [{id: a, action: block, match: {entities: [PROJECT_NAME, TICKET]}}]
"""
    )
    assert pack.custom_entity_types == {"PROJECT_NAME", "TICKET"}


def test_bad_custom_recognizer_is_reported_with_its_path() -> None:
    """An invalid regex in a custom recognizer names where it is."""
    found = problems("name: x\nrecognizers: {regexes: [{entity_type: T, pattern: '(unclosed'}]}")
    assert any(p.startswith("recognizers.regexes.0:") and "not a valid regex" in p for p in found)


def test_unreadable_file_is_one_line() -> None:
    """A missing file is reported as one problem, not a traceback."""
    with pytest.raises(PolicyError) as caught:
        load_policy(Path("/nonexistent/policy.yaml"))
    assert caught.value.problems[0].startswith("cannot read")


def test_holder_without_a_path_uses_the_default_pack() -> None:
    """With no policy file configured, the shipped default pack is active."""
    assert PolicyHolder().policy.name == "default"


def test_holder_refuses_a_bad_file_at_start_up(tmp_path: Path) -> None:
    """At start-up a broken policy file is an error, not a silent fallback."""
    path = tmp_path / "policy.yaml"
    path.write_text("name: x\nrule_sets: 3\n")
    with pytest.raises(PolicyError):
        PolicyHolder(path)


async def test_hot_reload_activates_a_good_policy(tmp_path: Path) -> None:
    """After the file changes, reload() makes the new policy active for new calls."""
    path = tmp_path / "policy.yaml"
    path.write_text(GOOD)
    metrics = Metrics(CollectorRegistry())
    seen: list[str] = []
    holder = PolicyHolder(path, metrics=metrics, on_reload=lambda p: seen.append(p.name))
    inspector = PolicyInspector(holder, real_scanner())
    before = await inspector.inspect_request(call_info(), chat(EMAIL))
    assert before.verdict.action is Action.FLAG
    path.write_text(GOOD.replace("v1", "v2").replace("action: flag", "action: redact"))
    assert holder.changed()
    assert holder.reload() is True
    after = await inspector.inspect_request(call_info(), chat(EMAIL))
    assert after.verdict.action is Action.REDACT
    assert seen == ["v2"]
    value = metrics.registry.get_sample_value(
        "llm_proxy_config_reloads_total", {"what": "policy", "outcome": "success"}
    )
    assert value == 1


async def test_hot_reload_rejects_a_bad_policy_and_keeps_the_old_one(tmp_path: Path) -> None:
    """A new file that fails validation is logged and rejected; the old policy stays."""
    path = tmp_path / "policy.yaml"
    path.write_text(GOOD)
    holder = PolicyHolder(path)
    path.write_text(GOOD.replace("EMAIL_ADDRESS", "EMAIL_ADRESS"))
    with capture_logs() as logs:
        assert holder.reload() is False
    assert holder.policy.name == "v1"
    [entry] = [e for e in logs if e["event"] == "policy_reload_rejected"]
    assert entry["log_level"] == "error"
    assert entry["kept"] == "v1"
    assert "unknown entity type(s) EMAIL_ADRESS" in entry["problems"][0]
    assert not holder.changed(), "a rejected version is not retried on every poll"


async def test_watch_reloads_when_the_file_changes(tmp_path: Path) -> None:
    """The watcher notices a changed file and activates it without a restart."""
    path = tmp_path / "policy.yaml"
    path.write_text(GOOD)
    holder = PolicyHolder(path)
    task = asyncio.create_task(holder.watch(interval=0.01))
    try:
        path.write_text(GOOD.replace("v1", "v2"))
        async with asyncio.timeout(5):
            while holder.policy.name != "v2":
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
