"""The scan cache as the scan service reads and fills it, one call's texts at a time.

Results are cached by SHA-256 of (configuration fingerprint, PII types wanted, NER
coverage, text): a chat that resends its history only pays for its new messages. A cached
wider scan does not serve a narrower one: in the proxy the scope of a text follows its
direction (a prompt's rules, an answer's), so it would never hit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from operator import is_

from core.scanning import Finding
from detectors.cache import CacheKey, CacheStats, ScanCache, key_prefix

#: Key prefixes kept per cache (one per distinct PII scope asked for; more is unusual).
_SCOPES = 256

Results = dict[CacheKey, tuple[Finding, ...]]
"""Findings per cache key."""


class ScopedCache:
    """A :class:`ScanCache` keyed by a configuration's fingerprint and a call's scope."""

    def __init__(self, cache: ScanCache, fingerprint: str, *, model: bool) -> None:
        """``model``: a detector runs NER, whose coverage of a text is part of its key."""
        self._cache = cache
        self._fingerprint = fingerprint
        self._model = model
        #: The key prefix per PII scope, and the hash state after it: a few scopes, asked on
        #: every scan.
        self._scopes: dict[frozenset[str] | None, tuple[str, hashlib._Hash]] = {}
        #: Per key prefix, the hash state after the prefix (:func:`key_prefix`): each key
        #: copies it and hashes only the text.
        self._prefixes: dict[str, hashlib._Hash] = {}
        #: The last texts :meth:`cached` did not find, as (texts, NER coverage, scope, keys):
        #: the scan that follows looks them up by the same keys, not hashed again. The texts
        #: themselves are held (compared by identity), so no other text can take their place.
        self._missed: (
            tuple[tuple[str, ...], int | None, frozenset[str] | None, list[CacheKey]] | None
        ) = None

    @property
    def stats(self) -> CacheStats:
        """Cache hits and misses so far."""
        return self._cache.stats

    def _scope_of(self, wanted: frozenset[str] | None) -> tuple[str, hashlib._Hash]:
        """The key prefix of the PII scope ``wanted``, and the hash state after it."""
        scoped = self._scopes.get(wanted)
        return scoped if scoped is not None else self._scope(wanted)

    def _scope(self, wanted: frozenset[str] | None) -> tuple[str, hashlib._Hash]:
        scope = self._fingerprint
        if wanted is not None:
            scope = f"{scope}:pii={','.join(sorted(wanted))}"
        if len(self._scopes) >= _SCOPES:
            self._scopes.clear()
        made = self._scopes[wanted] = (scope, self._prefix(scope))
        return made

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
        scope, prefix = self._scope_of(wanted)
        clipped = ner_chars if self._model else None
        keys: list[CacheKey] = []
        for text in texts:
            if clipped is not None and clipped < len(text):
                keys.append(self._key(text, ner_chars, scope))
            else:  # NER covers the whole text: the scope's own prefix
                digest = prefix.copy()
                digest.update(text.encode("utf-8", "surrogatepass"))
                keys.append(digest.digest())
        return keys

    def lookup(
        self, texts: Sequence[str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> tuple[list[CacheKey], Results, dict[CacheKey, str]]:
        """Cache keys per text, the cached results, and the distinct texts still to scan."""
        missed, self._missed = self._missed, None
        if (
            missed is not None
            and len(texts) == len(missed[0])
            and all(map(is_, texts, missed[0]))
            and ner_chars == missed[1]
            and wanted == missed[2]
        ):
            keys = missed[3]  # the texts cached() just missed: their keys are known
        else:
            keys = self._keys(texts, ner_chars, wanted)
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
        """The findings of ``texts`` when every one is cached (counted as hits, as
        :meth:`lookup` counts them), else None with nothing counted: the caller then scans
        through :meth:`lookup`, which counts, and finds the keys of this read there (so a
        miss hashes no text twice).

        For texts likely to be here (a prompt and its model name, an answer): answered
        without the lookup's three collections or a scan service's coroutines."""
        if len(texts) != 1:
            return self._cached_all(texts, ner_chars, wanted)
        # _keys of one text, without its list and loop (this runs for every answer).
        text = texts[0]
        scope, prefix = self._scopes.get(wanted) or self._scope(wanted)
        if self._model and ner_chars is not None and ner_chars < len(text):
            key = self._key(text, ner_chars, scope)
        else:
            digest = prefix.copy()
            digest.update(text.encode("utf-8", "surrogatepass"))
            key = digest.digest()
        found = self._cache.hit(key)
        if found is None:
            self._missed = ((text,), ner_chars, wanted, [key])
            return None
        self._missed = None
        return [list(found)]

    def _cached_all(
        self, texts: Sequence[str], ner_chars: int | None, wanted: frozenset[str] | None
    ) -> list[list[Finding]] | None:
        """:meth:`cached` of several texts (since the model name is a text, every chat
        prompt is two or more: h131)."""
        keys = self._keys(texts, ner_chars, wanted)
        found = self._cache.hit_all(keys)
        if found is None:
            self._missed = (tuple(texts), ner_chars, wanted, keys)
            return None
        self._missed = None
        return [list(findings) for findings in found]

    def store(
        self, missing: dict[CacheKey, str], found: list[list[Finding]], results: Results
    ) -> None:
        """Cache the findings ``found`` for the ``missing`` texts and add them to ``results``."""
        for key, findings in zip(missing, found, strict=True):
            results[key] = tuple(findings)
            self._cache.put(key, results[key])
