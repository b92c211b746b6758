"""Who is calling: the result of authentication, carried through the whole pipeline."""

from __future__ import annotations

from dataclasses import dataclass


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

    def may_use(self, model: str) -> bool:
        return self.allowed_models is None or model in self.allowed_models
