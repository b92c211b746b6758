"""The per-call objects made plain (not frozen) slots classes build exactly as their frozen
form did: same fields in the same order, same defaults, same values and repr."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from core.inspection import ALLOW, CallInfo, PassOutput, RequestInspection
from policies.inspector import RequestEvaluation


def _frozen_twin(cls: type) -> type:
    """``cls`` as the frozen slots dataclass it was before (same fields and defaults)."""
    spec = [
        (f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True, slots=True)


_OUTPUT = PassOutput()
CASES: list[tuple[type, tuple[Any, ...], dict[str, Any]]] = [
    (CallInfo, ("req-1", "identity", "api", "/v1/chat/completions", "m", "entry", "p", True), {}),
    (RequestInspection, (ALLOW, None, _OUTPUT), {}),
    (RequestInspection, (ALLOW, {"a": 1}, _OUTPUT), {"stored_body": {"a": "<MASK>"}}),
    (RequestEvaluation, ("decision", "extracted", (), None, "pseudonyms"), {}),
    (RequestEvaluation, ("decision", "extracted", (), {"b": 2}, "p", {"b": "x"}, "stored"), {}),
]


@pytest.mark.parametrize(("cls", "args", "kwargs"), CASES)
def test_plain_per_call_objects_build_as_their_frozen_form(
    cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """Given the same arguments, each class holds the same field values as its frozen form."""
    twin = _frozen_twin(cls)
    built, reference = cls(*args, **kwargs), twin(*args, **kwargs)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names == [f.name for f in dataclasses.fields(twin)]
    for name in names:
        mine, theirs = getattr(built, name), getattr(reference, name)
        # A default factory's product (StoredMasks) has no equality: the same type will do.
        assert mine == theirs or type(mine) is type(theirs), name
    assert repr(built).split("(")[0] == repr(reference).split("(")[0]
    assert not hasattr(built, "__dict__")  # still slots: no per-object dict


def test_per_call_objects_refuse_unknown_fields() -> None:
    """A misspelt field is refused at construction, as a frozen dataclass refused it."""
    with pytest.raises(TypeError):
        # Deliberately malformed: strings stand in for the typed fields, and "extra" is no field.
        CallInfo("r", "i", "a", "e", "m", "en", "p", False, extra=1)  # type: ignore[call-arg, arg-type]
