"""The configuration a call runs under, as one immutable value.

A reload builds a whole new :class:`ConfigSnapshot` and swaps it in with one assignment
(``services.snapshot = ...``); a call takes the snapshot once at its start and reads the
register, the provider credentials, limits, budgets, pricing and log content modes from it
to its end. So a reload while a call is in flight never gives it the old register with the
new provider keys, or the old route with the new limits: the next call sees the new ones.

The policy is not in here: the policy inspector takes the policy holder's compiled engine
once per call in the same way (``PolicyHolder.engine``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from proxy.call.providers import resolve_credentials
from proxy.config.register import Register
from proxy.config.settings import Settings


@dataclass(frozen=True, slots=True)
class ConfigSnapshot:
    """Settings, the register built from them, and the provider keys for their providers."""

    settings: Settings
    register: Register
    #: Provider name → key the proxy holds for it (read from the environment).
    credentials: Mapping[str, str]

    @classmethod
    def build(cls, settings: Settings, environ: Mapping[str, str]) -> ConfigSnapshot:
        """The snapshot of ``settings``, with credentials read from ``environ``."""
        return cls(
            settings=settings,
            register=Register(settings.ai_register, settings.providers),
            credentials=MappingProxyType(resolve_credentials(settings.providers, environ)),
        )
