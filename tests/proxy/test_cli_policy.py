"""`llm-proxy scan`, `policy check` and `policy test` as policy authors run them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from proxy.cli.main import main

POLICIES = Path(__file__).resolve().parents[2] / "policies"
AWS_KEY = "AKIAGYLW2FGSIORRGXT6"


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    config = tmp_path / "proxy.yaml"
    config.write_text(f"data_dir: {tmp_path / 'data'}\n")
    return main([*argv, "--config", str(config)], {})


@pytest.mark.parametrize(
    "pack", ["default.yaml", "examples/strict.yaml", "examples/monitor-only.yaml"]
)
def test_shipped_packs_pass_policy_check(pack: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every shipped policy pack validates."""
    assert main(["policy", "check", str(POLICIES / pack)], {}) == 0
    assert "OK" in capsys.readouterr().out


def test_policy_check_reports_a_broken_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken policy fails the check with the key path of the problem."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nrule_sets:\n  - name: s\n    rules:\n      - {id: r, action: nuke}\n"
    )
    assert main(["policy", "check", str(bad)], {}) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert "action" in text
    assert "Traceback" not in text


def test_policy_test_dry_runs_the_default_pack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prompt with an AWS key is shown as blocked by block-secrets, with the span."""
    argv = ["policy", "test", "--model", "gpt-4o", "--user", "ann", "--json", "--no-ner"]
    code = run(argv, f"deploy with {AWS_KEY}", monkeypatch, tmp_path)
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["decision"] == "block"
    assert "block-secrets" in json.dumps(result["rules"])
    assert AWS_KEY not in json.dumps(result)


def test_scan_jsonl_answers_each_line_in_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`scan --jsonl` prints one result line per input line, in order."""
    lines = [json.dumps({"text": f"key {AWS_KEY}"}), json.dumps({"text": "nothing here"})]
    code = run(["scan", "--jsonl"], "\n".join(lines) + "\n", monkeypatch, tmp_path)
    assert code == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 2
    assert [f["entity_type"] for f in out[0]["findings"]] == ["AWS_ACCESS_KEY_ID"]
    assert out[1]["findings"] == []
