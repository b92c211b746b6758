"""``llm-proxy scan``: table, --json and --jsonl output, bad input handling."""

from __future__ import annotations

import io

import orjson
import pytest
from secret_samples import github_token
from spacy.language import Language

from detectors.cli import EXIT_BAD_INPUT, EXIT_OK, mask, run_scan
from detectors.settings import DetectorSettings, PiiSettings, ServiceSettings

TOKEN = github_token()
TEXT = f"Mail jane.roe@example.com, token {TOKEN}\n"


@pytest.fixture
def settings(nlp: Language) -> DetectorSettings:
    """Default detector settings (the session fixture has already loaded the model)."""
    return DetectorSettings(service=ServiceSettings(workers=2))


def _run(
    settings: DetectorSettings, stdin: str, *, as_json: bool = False, jsonl: bool = False
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_scan(
        settings=settings,
        stdin=io.StringIO(stdin),
        stdout=out,
        as_json=as_json,
        jsonl=jsonl,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_table_lists_findings_without_revealing_values(settings: DetectorSettings) -> None:
    """The table shows type, offsets, score and detector, and only a masked excerpt."""
    code, out, err = _run(settings, TEXT)
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ENTITY_TYPE", "START", "END", "SCORE", "DETECTOR", "EXCERPT"]
    assert lines[1].split()[:5] == ["EMAIL_ADDRESS", "5", "25", "1.00", "presidio"]
    assert lines[2].split()[:5] == ["GITHUB_TOKEN", "33", "73", "1.00", "secrets"]
    assert TOKEN not in out
    assert "jane.roe@example.com" not in out


def test_json_prints_one_document(settings: DetectorSettings) -> None:
    """--json prints one JSON object with the findings."""
    code, out, _ = _run(settings, TEXT, as_json=True)
    assert code == EXIT_OK
    document = orjson.loads(out)
    assert document == {
        "findings": [
            {
                "entity_type": "EMAIL_ADDRESS",
                "start": 5,
                "end": 25,
                "score": 1.0,
                "detector": "presidio",
            },
            {
                "entity_type": "GITHUB_TOKEN",
                "start": 33,
                "end": 73,
                "score": 1.0,
                "detector": "secrets",
            },
        ]
    }


def test_no_findings_says_so(settings: DetectorSettings) -> None:
    """A clean text prints a short notice in table mode and an empty list in JSON."""
    assert _run(settings, "nothing to see")[1] == "no findings\n"
    assert orjson.loads(_run(settings, "", as_json=True)[1]) == {"findings": []}


def test_jsonl_answers_each_line_in_order(settings: DetectorSettings) -> None:
    """--jsonl prints one result line per input line, in order, skipping blank lines."""
    lines = [{"text": "a@example.com"}, {"text": "nothing"}, {"text": TOKEN}]
    stdin = "\n".join(orjson.dumps(line).decode() for line in lines) + "\n\n"
    code, out, err = _run(settings, stdin, jsonl=True)
    assert (code, err) == (EXIT_OK, "")
    results = [orjson.loads(line) for line in out.splitlines()]
    assert [[f["entity_type"] for f in r["findings"]] for r in results] == [
        ["EMAIL_ADDRESS"],
        [],
        ["GITHUB_TOKEN"],
    ]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ('{"txt": "x"}', 'string "text" field'),
        ('["text"]', 'string "text" field'),
        ('{"text": 42}', 'string "text" field'),
    ],
)
def test_jsonl_bad_line_is_a_one_line_error(
    settings: DetectorSettings, bad_line: str, reason: str
) -> None:
    """A bad input line stops the run with a one-line reason and a non-zero status."""
    stdin = '{"text": "fine"}\n' + bad_line + '\n{"text": "never read"}\n'
    code, out, err = _run(settings, stdin, jsonl=True)
    assert code == EXIT_BAD_INPUT
    assert len(out.splitlines()) == 1
    assert err.count("\n") == 1
    assert err.startswith("llm-proxy scan: error: stdin line 2: ")
    assert reason in err
    assert "Traceback" not in err


def test_missing_model_is_a_one_line_error() -> None:
    """A configuration that cannot load exits non-zero with a one-line reason."""
    settings = DetectorSettings(pii=PiiSettings(spacy_model="xx_no_such_model_sm"))
    code, out, err = _run(settings, "text")
    assert (code, out) == (EXIT_BAD_INPUT, "")
    assert err.count("\n") == 1
    assert "xx_no_such_model_sm" in err


def test_undecodable_stdin_is_a_one_line_error(settings: DetectorSettings) -> None:
    """Bytes that are not valid UTF-8 exit non-zero with a one-line reason."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b"caf\xe9 \xff"), encoding="utf-8")
    code = run_scan(
        settings=settings, stdin=stdin, stdout=out, as_json=False, jsonl=False, stderr=err
    )
    assert code == EXIT_BAD_INPUT
    assert "not valid text" in err.getvalue()


@pytest.mark.parametrize(
    ("value", "excerpt"),
    [
        ("sk-proj-abcdefghijklmnop", "sk-p… (24 chars)"),
        ("hunter2", "h… (7 chars)"),
        ("abc", "… (3 chars)"),
        ("line\nbreak", "li… (10 chars)"),
        ("a\nbcdefgh", "a … (9 chars)"),
    ],
)
def test_mask_shows_at_most_a_quarter(value: str, excerpt: str) -> None:
    """Excerpts reveal at most a quarter of the value (4 characters at most)."""
    assert mask(value) == excerpt


def test_a_value_printed_above_its_name_is_reported_at_both_places(
    settings: DetectorSettings,
) -> None:
    """Each input line is read whole, as the proxy reads a prompt: psql's value near the
    error, above the statement that names it, is reported at both places."""
    text = "ERROR:  syntax error at or near \"S3cr3t!\"\nLINE 1: ALTER USER app PASSWORD 'S3cr3t!';"
    code, out, _ = _run(settings, orjson.dumps({"text": text}).decode() + "\n", jsonl=True)
    assert code == EXIT_OK
    found = orjson.loads(out)["findings"]
    first, last = text.index("S3cr3t!"), text.rindex("S3cr3t!")
    assert [(f["entity_type"], f["start"], f["end"]) for f in found] == [
        ("PASSWORD", first, first + 7),
        ("PASSWORD", last, last + 7),
    ]
