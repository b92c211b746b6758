"""Scan-cache keys: the keys the service computes from a kept hash state are exactly
:func:`detectors.cache.cache_key` of the scope and text, and results stay apart per scope."""

from __future__ import annotations

import pytest
from detector_fakes import scripted_factory

from core.scanning import Finding
from detectors import scan_lookup
from detectors.cache import ScanCache, cache_key
from detectors.scan_lookup import ScopedCache
from detectors.service import ScanService
from detectors.settings import DetectorSettings, ServiceSettings

TEXTS = ["", "short", "x" * 40, "Grüße \ud800 lone surrogate", "line\nbreak " * 30]


@pytest.mark.parametrize("model", [True, False])
@pytest.mark.parametrize("ner_chars", [None, 0, 10, 40, 10_000])
@pytest.mark.parametrize("wanted", [None, frozenset({"PERSON", "CREDIT_CARD"})])
def test_keys_are_the_documented_digest(
    model: bool, ner_chars: int | None, wanted: frozenset[str] | None
) -> None:
    """Each key is SHA-256 of the scope (fingerprint, PII types, NER coverage when NER
    sees less than the whole text) and the text, asked once or many times."""
    cache = ScopedCache(ScanCache(16), "fp", model=model)
    scope = "fp" if wanted is None else f"fp:pii={','.join(sorted(wanted))}"
    for _ in range(2):
        keys, _, _ = cache.lookup(TEXTS, ner_chars, wanted)
        expected = []
        for text in TEXTS:
            cut = model and ner_chars is not None and ner_chars < len(text)
            expected.append(cache_key(f"{scope}:ner<{ner_chars}" if cut else scope, text))
        assert keys == expected


def test_keys_stay_right_past_the_kept_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    """More scopes than are kept: the kept states start over and every key is still right."""
    monkeypatch.setattr(scan_lookup, "_SCOPES", 2)
    cache = ScopedCache(ScanCache(16), "fp", model=True)
    for round_ in range(3):
        for size in range(1, 6):
            keys, _, _ = cache.lookup(["some text here"], size, None)
            assert keys == [cache_key(f"fp:ner<{size}", "some text here")], round_


def _found(results: list[list[Finding]]) -> list[str]:
    return [f.entity_type for found in results for f in found]


def test_results_are_kept_apart_per_entity_set() -> None:
    """A text scanned for one set of entity types is scanned again for another set, and each
    set's result is served from the cache after; a list of the same types shares it."""
    settings = DetectorSettings(service=ServiceSettings.model_validate({"workers": 0}))
    service = ScanService(settings, detector_factory=scripted_factory)
    cards, names = frozenset({"CREDIT_CARD"}), frozenset({"PERSON"})
    assert _found(service.scan_sync(["text"], entities=cards)) == ["CALL_1"]
    assert _found(service.scan_sync(["text"], entities=names)) == ["CALL_2"]
    assert _found(service.scan_sync(["text"], entities=cards)) == ["CALL_1"]
    assert _found(service.scan_sync(["text"], entities=["CREDIT_CARD"])) == ["CALL_1"]
    assert _found(service.scan_sync(["text"], entities=names)) == ["CALL_2"]
