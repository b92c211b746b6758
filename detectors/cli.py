"""``llm-proxy scan``: run the detectors on stdin and print the findings (DESIGN section 4).

* default: a table of entity type, start, end, score, detector and a masked excerpt
  (never the whole matched value: the point of the tool is to handle secrets);
* ``--json``: one JSON document ``{"findings": [...]}``;
* ``--jsonl``: each input line is ``{"text": ...}``; one ``{"findings": [...]}`` line per
  input line, in order. Blank lines are skipped. A bad line stops the run with a one-line
  error on stderr and exit status 2 (the results before it have been written).

Each input is read whole (it is never streamed), as the proxy reads a prompt: every
printing of a found credential is reported, earlier ones included
(:mod:`detectors.every_printing`). Detection runs in-process (no worker pool). Exit status:
0 on success, 2 on bad input or configuration.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

import orjson

from core.scanning import Finding
from detectors.errors import DetectorConfigError
from detectors.every_printing import with_every_printing
from detectors.service import ScanService
from detectors.settings import DetectorSettings

EXIT_OK = 0
EXIT_BAD_INPUT = 2
_PROG = "llm-proxy scan"
_COLUMNS = ("ENTITY_TYPE", "START", "END", "SCORE", "DETECTOR", "EXCERPT")


def mask(value: str) -> str:
    """A safe excerpt: at most a quarter (and at most 4 characters) of ``value``, its length.

    >>> mask("sk-proj-abcdefghijklmnop")
    'sk-p… (24 chars)'
    """
    shown = value[: min(4, len(value) // 4)]
    shown = "".join(ch if ch.isprintable() else " " for ch in shown)
    return f"{shown}… ({len(value)} chars)"


def _finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "entity_type": finding.entity_type,
        "start": finding.start,
        "end": finding.end,
        "score": finding.score,
        "detector": finding.detector,
    }


def _json_line(findings: Sequence[Finding]) -> str:
    return orjson.dumps({"findings": [_finding_dict(f) for f in findings]}).decode()


def format_table(text: str, findings: Sequence[Finding]) -> str:
    """The findings as an aligned text table with masked excerpts."""
    if not findings:
        return "no findings\n"
    rows = [_COLUMNS] + [
        (
            f.entity_type,
            str(f.start),
            str(f.end),
            f"{f.score:.2f}",
            f.detector,
            mask(text[f.start : f.end]),
        )
        for f in findings
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _error(stderr: TextIO, message: str) -> int:
    stderr.write(f"{_PROG}: error: {message}\n")
    return EXIT_BAD_INPUT


def _parse_line(line: str) -> str:
    """The ``text`` of one ``--jsonl`` input line; ValueError says what is wrong."""
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("text"), str):
        raise ValueError('expected a JSON object with a string "text" field')
    text: str = document["text"]
    return text


def _scan_whole(service: ScanService, text: str) -> list[Finding]:
    """The findings in ``text`` read as a prompt is: every printing of a found credential."""
    return with_every_printing([text], service.scan_sync([text]))[0]


def _run_jsonl(service: ScanService, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            text = _parse_line(line)
        except ValueError as exc:
            stdout.flush()
            return _error(stderr, f"stdin line {number}: {exc}")
        stdout.write(_json_line(_scan_whole(service, text)) + "\n")
    return EXIT_OK


def run_scan(
    *,
    settings: DetectorSettings,
    stdin: TextIO,
    stdout: TextIO,
    as_json: bool,
    jsonl: bool,
    stderr: TextIO | None = None,
) -> int:
    """Run ``llm-proxy scan``; returns the exit status. ``stderr`` defaults to sys.stderr."""
    err = stderr if stderr is not None else sys.stderr
    in_process = settings.model_copy(
        update={"service": settings.service.model_copy(update={"workers": 0})}
    )
    service = ScanService(in_process)
    try:
        service.load()
        if jsonl:
            return _run_jsonl(service, stdin, stdout, err)
        text = stdin.read()
    except DetectorConfigError as exc:
        return _error(err, str(exc))
    except UnicodeDecodeError as exc:
        return _error(err, f"stdin is not valid text ({exc.reason} at byte {exc.start})")
    findings = _scan_whole(service, text)
    stdout.write(_json_line(findings) + "\n" if as_json else format_table(text, findings))
    return EXIT_OK
