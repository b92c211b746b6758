"""Who is calling: the result of authentication, carried through the whole pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Identity:
    """The authenticated caller.

    ``key_id`` is a public identifier of the credential (a virtual key's id, or a
    fingerprint of a pass-through provider key). The credential itself never appears here.
    """

    user: str
    team: str
    app: str
    key_id: str
    #: Models this caller may use; ``None`` means every model the register approves.
    allowed_models: frozenset[str] | None = None
    #: True when the caller's own provider key is forwarded upstream (pass-through mode).
    passthrough: bool = False
    #: The hash, once asked for (see ``__hash__``); never compared, copied or pickled.
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def may_use(self, model: str) -> bool:
        return self.allowed_models is None or model in self.allowed_models

    def __hash__(self) -> int:
        # The rule-selection cache hashes the caller's identity on every call, and
        # authentication hands each caller the same object: hashed once (immutable).
        known = self._hash
        if known is None:
            known = hash(
                (
                    self.user,
                    self.team,
                    self.app,
                    self.key_id,
                    self.allowed_models,
                    self.passthrough,
                )
            )
            object.__setattr__(self, "_hash", known)
        return known

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields: a string's hash differs from one process to the next.
        return (
            Identity,
            (self.user, self.team, self.app, self.key_id, self.allowed_models, self.passthrough),
        )
