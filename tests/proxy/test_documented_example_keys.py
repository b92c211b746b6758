"""The default policy lets a call that quotes AWS's documented example keys through, and
blocks the same call carrying a real key of their shape (issue 14, h82)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from proxy.cli.main import main

DOCS_QUOTE = (
    "The AWS guide shows this credentials file, why does it fail?\n[default]\n"
    "aws_access_key_id = {id}\naws_secret_access_key = {secret}\n"
)
DOC_KEYS = {"id": "AKIAIOSFODNN7EXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
REAL_KEYS = {"id": "AKIAR4WQ7TNZ2XKCM5HJ", "secret": "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"}


def _dry_run(
    prompt: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    monkeypatch.setattr("sys.stdin", io.StringIO(prompt))
    config = tmp_path / "proxy.yaml"
    config.write_text(f"data_dir: {tmp_path / 'data'}\n")
    argv = ["policy", "test", "--model", "gpt-4o", "--user", "ann", "--json", "--no-ner"]
    assert main([*argv, "--config", str(config)], {}) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


@pytest.mark.parametrize(("keys", "decision"), [(DOC_KEYS, "allow"), (REAL_KEYS, "block")])
def test_documented_keys_pass_real_ones_are_blocked(
    keys: dict[str, str],
    decision: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Quoting AWS's documented keys is allowed by the default pack; real keys of the same
    shape in the same prompt are blocked."""
    result = _dry_run(DOCS_QUOTE.format(**keys), monkeypatch, tmp_path, capsys)
    assert result["decision"] == decision
