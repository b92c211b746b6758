"""``policy check`` and ``policy test``: summaries, one line per problem, no secret values."""

from __future__ import annotations

import io
import json
from pathlib import Path

from core.register import Classification
from policies.cli import run_policy_check, run_policy_test
from proxy.config.settings import ModelEntry
from tests.policies.factories import EMAIL, OPENAI_KEY, real_scanner

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def test_check_accepts_a_valid_policy_and_summarises_it() -> None:
    """A valid file exits 0 and lists its rule sets and rules."""
    out, err = io.StringIO(), io.StringIO()
    assert run_policy_check(POLICIES / "default.yaml", out, err) == 0
    assert "OK: policy 'default'" in out.getvalue()
    assert "block-secrets: block input [enforce]" in out.getvalue()
    assert err.getvalue() == ""


def test_check_reports_each_problem_on_its_own_line(tmp_path: Path) -> None:
    """An invalid file exits 1 with one line per problem, prefixed by the file name."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: x\nrule_sets:\n  - name: m\n    rules:\n"
        "      - {id: a, action: nuke}\n      - {id: b, action: flag, match: {entities: [FOO]}}\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_policy_check(path, out, err) == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: rule_sets.0.rules.0.action (rule 'a')")
    path.write_text(
        "name: x\nrule_sets:\n  - name: m\n    rules:\n"
        "      - {id: b, action: flag, match: {entities: [FOO]}}\n"
    )
    err = io.StringIO()
    assert run_policy_check(path, out, err) == 1
    assert "unknown entity type(s) FOO" in err.getvalue()


def test_policy_test_prints_decision_rules_and_spans_without_values() -> None:
    """A dry run shows the decision, matched rules and finding spans, never the secret."""
    out = io.StringIO()
    prompt = f"deploy with {OPENAI_KEY} and mail {EMAIL}"
    code = run_policy_test(
        policy_path=POLICIES / "default.yaml",
        model="gpt-4o-mini",
        user="alice",
        team="finance",
        app="cli",
        stdin_text=prompt,
        scanner=real_scanner(),
        stdout=out,
        as_json=False,
    )
    text = out.getvalue()
    assert code == 0
    assert text.startswith("decision: block\n")
    assert "block-secrets (never-send): block [enforce] OPENAI_API_KEY x1" in text
    start = prompt.index(OPENAI_KEY)
    assert f"OPENAI_API_KEY at {start}-{start + len(OPENAI_KEY)}" in text
    assert OPENAI_KEY not in text
    assert EMAIL not in text


def test_policy_test_json_shows_what_would_be_forwarded() -> None:
    """The JSON report includes findings and the pseudonymised prompt the provider would get."""
    out = io.StringIO()
    code = run_policy_test(
        policy_path=None,
        model="gpt-4o-mini",
        user="alice",
        team="finance",
        app="cli",
        stdin_text=f"mail {EMAIL}",
        scanner=real_scanner(),
        stdout=out,
        as_json=True,
        entry=ModelEntry(
            name="gpt-4o-mini", provider="openai", data_classification=Classification.PUBLIC
        ),
    )
    report = json.loads(out.getvalue())
    assert code == 0
    assert report["decision"] == "pseudonymise"
    assert report["forwarded"] == "mail <EMAIL_ADDRESS_1>"
    assert report["findings"] == [
        {
            "entity_type": "EMAIL_ADDRESS",
            "start": 5,
            "end": 5 + len(EMAIL),
            "score": 0.9,
            "detector": "custom",
        }
    ]


def test_policy_test_with_a_bad_policy_exits_non_zero(tmp_path: Path) -> None:
    """A broken policy file gives exit status 1 and the problem, not a traceback."""
    path = tmp_path / "p.yaml"
    path.write_text("rule_sets: []\n")
    out, err = io.StringIO(), io.StringIO()
    code = run_policy_test(
        policy_path=path,
        model="m",
        user="u",
        team="t",
        app="a",
        stdin_text="hi",
        scanner=None,
        stdout=out,
        as_json=False,
        stderr=err,
    )
    assert code == 1
    assert "name: Field required" in err.getvalue()
