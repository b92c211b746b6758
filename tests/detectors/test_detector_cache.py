"""The bounded LRU of scan results."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors.cache import ScanCache, cache_key

F = (Finding("EMAIL_ADDRESS", 0, 5, 1.0, "presidio"),)


def test_key_depends_on_text_and_fingerprint() -> None:
    """Different text or configuration gives a different 32-byte key."""
    assert cache_key("a", "text") == cache_key("a", "text")
    assert cache_key("a", "text") != cache_key("b", "text")
    assert cache_key("a", "text") != cache_key("a", "text ")
    assert len(cache_key("a", "\ud800 lone surrogate")) == 32


def test_hit_and_miss_are_counted() -> None:
    """Lookups count hits and misses."""
    cache = ScanCache(10)
    assert cache.get(b"k") is None
    cache.put(b"k", F)
    assert cache.get(b"k") == F
    stats = cache.stats
    assert (stats.hits, stats.misses, stats.size, stats.capacity) == (1, 1, 1, 10)


def test_least_recently_used_entry_is_evicted() -> None:
    """When full, the entry used longest ago goes first."""
    cache = ScanCache(2)
    cache.put(b"a", F)
    cache.put(b"b", F)
    cache.get(b"a")
    cache.put(b"c", F)
    assert cache.get(b"b") is None
    assert cache.get(b"a") == F
    assert cache.get(b"c") == F


def test_zero_capacity_disables_caching() -> None:
    """A capacity of 0 stores nothing."""
    cache = ScanCache(0)
    cache.put(b"a", F)
    assert cache.get(b"a") is None


def test_negative_capacity_is_rejected() -> None:
    """A negative capacity is a programming error."""
    with pytest.raises(ValueError, match="capacity"):
        ScanCache(-1)
