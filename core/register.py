"""A register entry as the layers below the proxy read it.

The proxy parses the AI use register into pydantic models (``proxy.config.settings.ModelEntry``);
policies only read a few plain fields of an entry, declared here as a :class:`RegisterEntry`
Protocol that ``ModelEntry`` satisfies, so no conversion is needed at the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Classification(StrEnum):
    """Data classification levels, lowest to highest."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        return list(Classification).index(self)


class RegisterEntry(Protocol):
    """The fields of an approved (or refused) model's register entry that policies read."""

    @property
    def name(self) -> str: ...

    @property
    def provider(self) -> str:
        """The name of the provider the model is routed to."""
        ...

    @property
    def approved(self) -> bool: ...

    @property
    def data_classification(self) -> Classification:
        """Highest data classification this model may receive."""
        ...

    @property
    def region(self) -> str: ...


@dataclass(frozen=True, slots=True)
class UnlistedEntry:
    """A :class:`RegisterEntry` for a model the register does not list (an open register
    admits it with the defaults: approved, internal data, no region)."""

    name: str
    provider: str
    approved: bool = True
    data_classification: Classification = Classification.INTERNAL
    region: str = ""
