"""Canonical paths are remembered for accepted paths only, per set of inspected paths: a
refused path is refused on every call, and no answer leaks from one inspected set to another."""

from __future__ import annotations

import pytest

from proxy.call.paths import InvalidPath, canonical_path

INSPECTED = frozenset({"/v1/chat/completions"})


def test_a_refused_path_is_refused_every_time() -> None:
    """An ambiguous path raises on every call, also after the same path was asked before."""
    for _ in range(3):
        with pytest.raises(InvalidPath):
            canonical_path("/v1/chat/../completions", inspected=INSPECTED)


def test_an_accepted_path_answers_the_same_every_time() -> None:
    """A percent-encoded path gets the same canonical form on every call."""
    answers = {canonical_path("/v1/chat/complet%69ons", inspected=INSPECTED) for _ in range(3)}
    assert answers == {"/v1/chat/completions"}


def test_answers_are_kept_apart_per_inspected_set() -> None:
    """A case variant accepted where the path is not inspected is still refused where it is."""
    assert canonical_path("/v1/Chat/Completions", inspected=frozenset()) == "/v1/Chat/Completions"
    with pytest.raises(InvalidPath):
        canonical_path("/v1/Chat/Completions", inspected=INSPECTED)
