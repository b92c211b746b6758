"""A bounded LRU of scan results, keyed by a hash of the text and the configuration.

Chat clients resend the whole history every turn; with this cache each distinct message is
scanned once, so a request costs about as much as its new text. Only digests and findings
are held - never the text itself.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.scanning import Finding

CacheKey = bytes


def cache_key(fingerprint: str, text: str) -> CacheKey:
    """SHA-256 of the configuration fingerprint and the text (lone surrogates allowed)."""
    digest = key_prefix(fingerprint)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


def key_prefix(fingerprint: str) -> hashlib._Hash:
    """The SHA-256 state of :func:`cache_key` before the text: a caller that keys many texts
    under one fingerprint copies it (``.copy()``) instead of hashing the fingerprint again."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(b"\0")
    return digest


@dataclass(frozen=True, slots=True)
class CacheStats:
    """Counters since the cache was created."""

    hits: int
    misses: int
    size: int
    capacity: int


class ScanCache:
    """Thread-safe LRU from :func:`cache_key` to the findings of one text.

    Results land from pool callback threads and are read on the event loop, hence the lock.
    A capacity of 0 disables caching.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"cache capacity must be >= 0, got {capacity}")
        self._capacity = capacity
        self._items: OrderedDict[CacheKey, tuple[Finding, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, key: CacheKey) -> tuple[Finding, ...] | None:
        """The cached findings, or None (counted as a miss)."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self._misses += 1
                return None
            self._items.move_to_end(key)
            self._hits += 1
            return found

    def hit(self, key: CacheKey) -> tuple[Finding, ...] | None:
        """The cached findings counted as a hit, or None counted as nothing: for a caller
        that looks the key up again (:meth:`get`) when it is not here."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self._hits += 1
            return found

    def hit_all(self, keys: Sequence[CacheKey]) -> list[tuple[Finding, ...]] | None:
        """The cached findings of every key, counted as hits (one per distinct key, as
        :meth:`get_many` of the distinct keys counts them), or None counted as nothing when
        any is missing: for a caller that then looks the keys up again (:meth:`get_many`)."""
        with self._lock:
            items = self._items
            found = list(map(items.get, keys))  # in C: no comprehension's frame (issue 11)
            if None in found:
                return None
            for key in keys:
                items.move_to_end(key)
            self._hits += len(set(keys))
        return found  # type: ignore[return-value]  # no None in it: checked above

    def get_many(self, keys: Collection[CacheKey]) -> list[tuple[Finding, ...] | None]:
        """:meth:`get` of each key in turn, under one acquisition of the lock (a chat's
        history is looked up on every call)."""
        with self._lock:
            items = self._items
            found = [items.get(key) for key in keys]
            hits = 0
            for key, cached in zip(keys, found, strict=True):
                if cached is not None:
                    items.move_to_end(key)
                    hits += 1
            self._hits += hits
            self._misses += len(found) - hits
        return found

    def put(self, key: CacheKey, findings: tuple[Finding, ...]) -> None:
        """Store ``findings``, evicting the least recently used entry when full."""
        if self._capacity == 0:
            return
        with self._lock:
            self._items[key] = findings
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry (the counters stay)."""
        with self._lock:
            self._items.clear()

    @property
    def stats(self) -> CacheStats:
        """Hits, misses and size so far."""
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._items), self._capacity)
