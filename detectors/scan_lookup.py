"""The scan cache as the scan service reads and fills it, one call's texts at a time.

Results are cached by SHA-256 of (configuration fingerprint, PII types wanted, NER
coverage, text): a chat that resends its history only pays for its new messages. A cached
wider scan does not serve a narrower one: in the proxy the scope of a text follows its
direction (a prompt's rules, an answer's), so it would never hit.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from operator import is_

from core.scanning import Finding
from detectors.cache import CacheKey, CacheStats, ScanCache, key_prefix

#: Key prefixes kept per cache (one per distinct PII scope asked for; more is unusual).
_SCOPES = 256

Results = dict[CacheKey, tuple[Finding, ...]]
"""Findings per cache key."""


class CacheScope:
    """The texts of one PII scope and NER coverage in a :class:`ScopedCache`: their keys
    and what the cache holds for them.

    A call's direction asks the same scope every time (its rules' PII types, the policy's
    NER coverage), so the scope's name and hash states are worked out once, when it is
    first asked (:meth:`ScopedCache.scope`), and a look-up only hashes its texts."""

    __slots__ = ("_cache", "_clipped", "_covered", "_owner", "_whole", "ner_chars", "wanted")

    def __init__(self, owner: ScopedCache, ner_chars: int | None, wanted: frozenset[str] | None):
        self._owner = owner
        self._cache = owner._cache
        self.ner_chars = ner_chars
        self.wanted = wanted
        scope = owner._scope_of(wanted)[0]
        #: The hash state after the scope's name: a text NER covers whole is keyed from it.
        self._whole = owner._prefix(scope)
        self._clipped = self._whole
        #: A text longer than this is keyed with its NER coverage (where NER runs at all);
        #: no text is longer than ``sys.maxsize``.
        self._covered = sys.maxsize
        if owner._model and ner_chars is not None:
            self._clipped = owner._prefix(f"{scope}:ner<{ner_chars}")
            self._covered = ner_chars

    def keys(self, texts: Sequence[str]) -> list[CacheKey]:
        """The cache key of each text (:func:`~detectors.cache.cache_key` under this scope,
        and under its coverage for a text NER sees only the start of)."""
        whole, clipped, covered = self._whole, self._clipped, self._covered
        keys: list[CacheKey] = []
        for text in texts:
            digest = (clipped if len(text) > covered else whole).copy()
            digest.update(text.encode("utf-8", "surrogatepass"))
            keys.append(digest.digest())
        return keys

    def cached(self, texts: Sequence[str]) -> list[list[Finding]] | None:
        """The findings of ``texts`` when every one is cached (counted as hits, as
        :meth:`ScopedCache.lookup` counts them), else None with nothing counted: the caller
        then scans through :meth:`ScopedCache.lookup`, which counts, and finds the keys of
        this read there (so a miss hashes no text twice).

        For texts likely to be here (a prompt and its model name, an answer): one call into
        the cache for all of them, without the lookup's three collections or a scan
        service's coroutines."""
        keys = self.keys(texts)
        if len(keys) != 1:
            found = self._cache.hit_all(keys)
            if found is not None:
                self._owner._missed = None
                return list(map(list, found))
        else:  # an answer: its key asked alone, without hit_all's lists and set
            one = self._cache.hit(keys[0])
            if one is not None:
                self._owner._missed = None
                return [list(one)]
        self._owner._missed = (tuple(texts), self, keys)
        return None


class ScopedCache:
    """A :class:`ScanCache` keyed by a configuration's fingerprint and a call's scope."""

    def __init__(self, cache: ScanCache, fingerprint: str, *, model: bool) -> None:
        """``model``: a detector runs NER, whose coverage of a text is part of its key."""
        self._cache = cache
        self._fingerprint = fingerprint
        self._model = model
        #: Per (NER coverage, PII scope) asked for: a few, asked on every scan.
        self._scopes: dict[tuple[int | None, frozenset[str] | None], CacheScope] = {}
        #: Per key prefix, the hash state after the prefix (:func:`key_prefix`): each key
        #: copies it and hashes only the text.
        self._prefixes: dict[str, hashlib._Hash] = {}
        #: The last texts a scope's :meth:`~CacheScope.cached` did not find, as (texts,
        #: scope, keys): the scan that follows looks them up by the same keys, not hashed
        #: again. The texts themselves are held (compared by identity), so no other text can
        #: take their place.
        self._missed: tuple[tuple[str, ...], CacheScope, list[CacheKey]] | None = None

    @property
    def stats(self) -> CacheStats:
        """Cache hits and misses so far."""
        return self._cache.stats

    def scope(self, ner_chars: int | None, wanted: frozenset[str] | None) -> CacheScope:
        """The texts scanned for the PII types ``wanted`` (None: all) with NER over their
        first ``ner_chars`` characters (None: all of them)."""
        scope = self._scopes.get((ner_chars, wanted))
        if scope is None:
            if len(self._scopes) >= _SCOPES:
                self._scopes.clear()
            scope = self._scopes[ner_chars, wanted] = CacheScope(self, ner_chars, wanted)
        return scope

    def _scope_of(self, wanted: frozenset[str] | None) -> tuple[str, hashlib._Hash]:
        """The key prefix of the PII scope ``wanted``, and the hash state after it."""
        scope = self._fingerprint
        if wanted is not None:
            scope = f"{scope}:pii={','.join(sorted(wanted))}"
        return scope, self._prefix(scope)

    def _prefix(self, scope: str) -> hashlib._Hash:
        """The hash state after ``scope`` (:func:`~detectors.cache.key_prefix`), made once."""
        prefix = self._prefixes.get(scope)
        if prefix is None:
            if len(self._prefixes) >= _SCOPES:
                self._prefixes.clear()
            prefix = self._prefixes[scope] = key_prefix(scope)
        return prefix

    def _key(self, text: str, ner_chars: int | None, scope: str) -> CacheKey:
        """:func:`~detectors.cache.cache_key` of ``text`` under ``scope`` and its coverage."""
        if self._model and ner_chars is not None and ner_chars < len(text):
            scope = f"{scope}:ner<{ner_chars}"
        digest = self._prefix(scope).copy()
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def _keys(
        self, texts: Sequence[str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> list[CacheKey]:
        """The cache key of each text under the scope ``wanted`` and NER coverage."""
        return self.scope(ner_chars, wanted).keys(texts)

    def lookup(
        self, texts: Sequence[str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> tuple[list[CacheKey], Results, dict[CacheKey, str]]:
        """Cache keys per text, the cached results, and the distinct texts still to scan."""
        scope = self.scope(ner_chars, wanted)
        missed, self._missed = self._missed, None
        if (
            missed is not None
            and missed[1] is scope
            and len(texts) == len(missed[0])
            and all(map(is_, texts, missed[0]))
        ):
            keys = missed[2]  # the texts the scope's cached() just missed: their keys are known
        else:
            keys = scope.keys(texts)
        if len(keys) == 1:  # a one-message prompt, an answer: nothing to pair or dedupe
            key = keys[0]
            cached = self._cache.get(key)
            if cached is None:
                return keys, {}, {key: texts[0]}
            return keys, {key: cached}, {}
        distinct = dict(zip(keys, texts, strict=True))  # a key is its text's: either will do
        results: Results = {}
        missing: dict[CacheKey, str] = {}
        # One lock for all of them: a chat resends its whole history on every call.
        found = self._cache.get_many(distinct)
        for (key, text), cached in zip(distinct.items(), found, strict=True):
            if cached is None:
                missing[key] = text
            else:
                results[key] = cached
        return keys, results, missing

    def cached(
        self, texts: Sequence[str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> list[list[Finding]] | None:
        """:meth:`CacheScope.cached` of ``texts`` under the scope ``wanted`` and NER
        coverage."""
        return self.scope(ner_chars, wanted).cached(texts)

    def store(
        self, missing: dict[CacheKey, str], found: list[list[Finding]], results: Results
    ) -> None:
        """Cache the findings ``found`` for the ``missing`` texts and add them to ``results``."""
        for key, findings in zip(missing, found, strict=True):
            results[key] = tuple(findings)
            self._cache.put(key, results[key])
