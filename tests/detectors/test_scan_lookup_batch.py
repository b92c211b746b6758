"""The scan cache looked up for a whole call at once answers exactly as a look-up text by
text did: the same keys, results, texts to scan, hit and miss counts and LRU order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.scanning import Finding
from detectors.cache import CacheKey, ScanCache
from detectors.scan_lookup import ScopedCache
from tests.fuzzing import examples

POOL = ["", "hello", "x" * 30, "Grüße \ud800", "a long text " * 8, "hello "]


def _finding(text: str) -> tuple[Finding, ...]:
    return (Finding("PERSON", 0, len(text), 0.9, "scripted"),)


def _one_by_one(
    scoped: ScopedCache, cache: ScanCache, texts: list[str], ner_chars: int | None
) -> tuple[list[CacheKey], dict[CacheKey, tuple[Finding, ...]], dict[CacheKey, str]]:
    """The look-up as it was: each distinct key asked of the cache on its own."""
    keys = [scoped._key(text, ner_chars, "fp") for text in texts]
    results: dict[CacheKey, tuple[Finding, ...]] = {}
    missing: dict[CacheKey, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key in results or key in missing:
            continue
        cached = cache.get(key)
        if cached is None:
            missing[key] = text
        else:
            results[key] = cached
    return keys, results, missing


@settings(max_examples=examples(200), deadline=None)
@given(
    texts=st.lists(st.sampled_from(POOL), max_size=12),
    cached=st.lists(st.sampled_from(POOL), max_size=6),
    ner_chars=st.sampled_from([None, 5, 40]),
    model=st.booleans(),
)
def test_a_batch_look_up_is_the_one_by_one_look_up(
    texts: list[str], cached: list[str], ner_chars: int | None, model: bool
) -> None:
    """For any texts (repeats included) and any cached subset, the batch look-up returns
    what asking text by text returned, counts the same hits and misses, and leaves the
    same least recently used entry to evict next."""
    caches = [ScanCache(4), ScanCache(4)]
    scopes = [ScopedCache(cache, "fp", model=model) for cache in caches]
    for cache, scoped in zip(caches, scopes, strict=True):
        for text in cached:
            cache.put(scoped._key(text, ner_chars, "fp"), _finding(text))
    batch = scopes[0].lookup(texts, ner_chars, None)
    single = _one_by_one(scopes[1], caches[1], texts, ner_chars)
    assert batch[0] == single[0]
    assert list(batch[1].items()) == list(single[1].items())
    assert list(batch[2].items()) == list(single[2].items())
    assert caches[0].stats == caches[1].stats
    survivors = []
    for cache, scoped in zip(caches, scopes, strict=True):
        cache.put(b"filler" * 6, ())  # evicts the least recently used entry of a full cache
        keys = [scoped._key(text, ner_chars, "fp") for text in POOL]
        survivors.append([cache.get(key) is not None for key in keys])
    assert survivors[0] == survivors[1]


SCOPES = [None, frozenset({"PERSON"}), frozenset({"PERSON", "EMAIL_ADDRESS"})]
#: (read first with cached(), its NER coverage, its scope) then (looked up, coverage, scope).
READS = st.tuples(st.sampled_from(POOL), st.sampled_from([None, 5, 40]), st.sampled_from(SCOPES))


@settings(max_examples=examples(200), deadline=None)
@given(
    steps=st.lists(st.tuples(READS, st.lists(READS, min_size=1, max_size=3)), max_size=6),
    cached=st.lists(st.sampled_from(POOL), max_size=3),
    model=st.booleans(),
)
def test_a_look_up_after_a_missed_read_is_a_fresh_look_up(
    steps: list[tuple[tuple[str, int | None, frozenset[str] | None], list[Any]]],
    cached: list[str],
    model: bool,
) -> None:
    """A text that ``cached`` missed is looked up under the key it missed with (issue 11: not
    hashed twice): whatever was read before, and whichever text, coverage or scope is looked
    up after, ``lookup`` returns the keys, results and texts to scan of a cache never read."""
    cache = ScanCache(16)
    scoped = ScopedCache(cache, "fp", model=model)
    for text in cached:
        for wanted in SCOPES:
            cache.put(scoped._key(text, 5, scoped._scope_of(wanted)[0]), _finding(text))
    for (read, read_ner, read_scope), looked_up in steps:
        scoped.cached([read], read_ner, read_scope)
        # The same text (the scan after a miss) or another, under any coverage and scope.
        for text, ner_chars, wanted in looked_up:
            asked = [text]
            fresh = ScopedCache(cache, "fp", model=model)._keys(asked, ner_chars, wanted)
            keys, results, missing = scoped.lookup(asked, ner_chars, wanted)
            assert keys == fresh
            assert set(results) | set(missing) == set(fresh)


@settings(max_examples=examples(200), deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(READS, min_size=1, max_size=4),
            st.lists(st.lists(READS, min_size=1, max_size=4), min_size=1, max_size=3),
        ),
        max_size=6,
    ),
    cached=st.lists(st.sampled_from(POOL), max_size=4),
    model=st.booleans(),
)
def test_a_look_up_after_a_missed_read_of_several_texts_is_a_fresh_look_up(
    steps: list[tuple[list[Any], list[list[Any]]]],
    cached: list[str],
    model: bool,
) -> None:
    """Texts that ``cached`` missed together (a model name and its prompt) are looked up
    under the keys they missed with (h134): whatever was read, and whichever texts are
    looked up after (the same, fewer, others, under any coverage and scope), ``lookup``
    returns the keys of a cache never read, and a read of texts all cached answers as
    the look-up would."""
    cache = ScanCache(16)
    scoped = ScopedCache(cache, "fp", model=model)
    for text in cached:
        for wanted in SCOPES:
            cache.put(scoped._key(text, 5, scoped._scope_of(wanted)[0]), _finding(text))
    for reads, looked_up in steps:
        read = [text for text, _, _ in reads]
        _, read_ner, read_scope = reads[0]
        answer = scoped.cached(read, read_ner, read_scope)
        if answer is not None:
            keys = ScopedCache(cache, "fp", model=model)._keys(read, read_ner, read_scope)
            assert answer == [list(cache.hit(key) or ()) for key in keys]
        for asked_reads in looked_up:
            asked = [text for text, _, _ in asked_reads]
            _, ner_chars, wanted = asked_reads[0]
            fresh = ScopedCache(cache, "fp", model=model)._keys(asked, ner_chars, wanted)
            keys, results, missing = scoped.lookup(asked, ner_chars, wanted)
            assert keys == fresh
            assert set(results) | set(missing) == set(fresh)
