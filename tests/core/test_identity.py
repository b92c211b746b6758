"""An identity hashes by its fields, computed once and never carried where it is stale."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from core.identity import Identity

BASE = Identity("ana", "risk", "notebook", "vk_1", frozenset({"gpt-4o"}), passthrough=False)
CHANGES: dict[str, Any] = {
    "user": "bo",
    "team": "ops",
    "app": "",
    "key_id": "vk_2",
    "allowed_models": None,
    "passthrough": True,
}


def test_equal_identities_hash_equal_hashed_first_or_not() -> None:
    """Two identities of the same fields are equal and hash alike, whether or not one
    was hashed before the other was made."""
    first = Identity("ana", "risk", "notebook", "vk_1", frozenset({"gpt-4o"}))
    known = hash(first)
    second = Identity("ana", "risk", "notebook", "vk_1", frozenset({"gpt-4o"}))
    assert first == second == BASE
    assert hash(second) == known == hash(first) == hash(BASE)
    assert len({first, second, BASE}) == 1


@pytest.mark.parametrize(("name", "value"), CHANGES.items(), ids=CHANGES.keys())
def test_a_changed_field_changes_the_hash(name: str, value: Any) -> None:
    """An identity that differs in any one field, made anew or copied with the change
    from one already hashed, is unequal and hashes differently (no stale hash kept)."""
    hash(BASE)
    changed = dataclasses.replace(BASE, **{name: value})
    fresh = Identity(**{**{f: getattr(BASE, f) for f in CHANGES}, name: value})
    assert changed != BASE
    assert hash(changed) == hash(fresh) != hash(BASE)
    assert {BASE: "selection"}.get(changed) is None


def test_copies_and_pickles_equal_the_original_and_hash_alike() -> None:
    """A hashed identity copied or pickled (rebuilt from its fields) is equal to it and
    hashes alike; the hash shows nowhere in its text."""
    hash(BASE)
    pickled = pickle.loads(pickle.dumps(BASE))  # noqa: S301 - our own object, in-process
    for other in (copy.copy(BASE), copy.deepcopy(BASE), pickled):
        assert other == BASE
        assert hash(other) == hash(BASE)
    assert "hash" not in repr(BASE)


def test_an_identity_cannot_be_changed() -> None:
    """Identities are immutable (what makes keeping the hash safe)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.user = "eve"  # type: ignore[misc]
