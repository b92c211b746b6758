"""Scan plans: texts into units of work for the pool, and the units' findings back."""

from __future__ import annotations

from pool_fakes import FakeModel

from core.scanning import Detector, Finding
from detectors.registry import scan_all
from detectors.scanplan import Pass, ScanPlan, execute, plan_scan
from detectors.secrets import SecretsDetector

AWS_KEY = "AKIAGYLW2FGSIORRGXT6"
CHUNK = 1000
OVERLAP = 100


def _plan(texts: list[str], ner_chars: int | None = None, *, model: bool = True) -> ScanPlan:
    return plan_scan(
        texts, ner_chars=ner_chars, chunk_chars=CHUNK, chunk_overlap=OVERLAP, model=model
    )


def _detectors() -> list[Detector]:
    return [FakeModel(seconds=0), SecretsDetector()]


def _run(plan: ScanPlan) -> list[list[Finding]]:
    detectors = _detectors()
    return plan.assemble([execute(detectors, request) for request in plan.requests])


def _long_text() -> str:
    """~6k characters with names and a key placed across chunk edges."""
    parts = []
    for n in range(12):
        parts.append(f"Paragraph {n} is ordinary prose about the quarterly plan. " * 8)
        parts.append("Alice Smith signed. " if n % 2 else f"Use {AWS_KEY} to deploy. ")
    return "".join(parts)


def test_short_texts_share_one_unit_of_all_detectors() -> None:
    """Texts within the chunk size are packed together and run through every detector."""
    plan = _plan(["one", "two", "three"])
    assert [(r.texts, r.detectors) for r in plan.requests] == [(("one", "two", "three"), Pass.ALL)]


def test_short_texts_are_packed_up_to_the_chunk_size() -> None:
    """A unit holds at most about a chunk's worth of short texts."""
    plan = _plan(["x" * 600, "y" * 600, "z" * 300])
    assert [len(r.texts) for r in plan.requests] == [1, 2]


def test_a_long_text_gets_one_pattern_unit_and_model_chunks() -> None:
    """Patterns run over the whole text; the model over overlapping chunks of it."""
    text = _long_text()
    plan = _plan([text])
    patterns, *chunks = plan.requests
    assert patterns == type(patterns)((text,), Pass.PATTERNS)
    assert {r.detectors for r in chunks} == {Pass.MODEL}
    assert all(r.chars <= CHUNK for r in chunks)
    assert len(chunks) >= len(text) // CHUNK


def test_model_chunks_stop_at_ner_chars() -> None:
    """With ner_chars, the model units cover only the start of the text."""
    plan = _plan([_long_text()], ner_chars=2500)
    model_chars = sum(r.chars for r in plan.requests if r.detectors is Pass.MODEL)
    assert 2500 <= model_chars <= 2500 + 3 * OVERLAP


def test_chunked_findings_equal_a_whole_text_scan() -> None:
    """Splitting changes nothing: names and keys at chunk edges are found once, whole."""
    text = _long_text()
    assert _run(_plan([text])) == scan_all(_detectors(), [text])


def test_beyond_ner_chars_only_patterns_report() -> None:
    """Past ner_chars no name is reported, while every key in the text still is."""
    text = _long_text()
    [found] = _run(_plan([text], ner_chars=2500))
    names = [f for f in found if f.entity_type == "PERSON"]
    keys = [f for f in found if f.entity_type == "AWS_ACCESS_KEY_ID"]
    assert names
    assert all(f.end <= 2500 for f in names)
    assert len(keys) == text.count(AWS_KEY)


def test_without_a_model_detector_long_texts_are_not_split() -> None:
    """With NER disabled there is nothing to chunk: a long text is one unit."""
    plan = _plan([_long_text()], ner_chars=10, model=False)
    assert [r.detectors for r in plan.requests] == [Pass.ALL]


def test_mixed_texts_come_back_in_order() -> None:
    """Short and long texts in one call get their own findings, in call order."""
    text = _long_text()
    texts = ["Alice Smith", text, f"key {AWS_KEY}"]
    assert _run(_plan(texts)) == scan_all(_detectors(), texts)
