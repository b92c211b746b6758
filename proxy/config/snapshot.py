"""The configuration a call runs under, as one immutable value.

A reload builds a new :class:`ConfigSnapshot` and swaps it in with one assignment
(``services.snapshot = ...``); a call takes the snapshot once at its start and reads the
virtual keys, the register, the provider credentials, limits, budgets, pricing, log content
modes and the policy from it to its end. So a reload while a call is in flight never gives
it the old register with the new provider keys, the old keys with the new policy, or the
old route with the new limits: the next call sees the new ones.

Three files feed it, each reloaded on its own (:mod:`proxy.config.reload`, the keys file,
the policy file): a reload replaces its part of the snapshot and keeps the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from core.inspection import RequestInspector
from proxy.call.providers import resolve_credentials
from proxy.config.keys import KeySet
from proxy.config.register import Register
from proxy.config.settings import Settings


@dataclass(frozen=True, slots=True)
class ConfigSnapshot:
    """Settings and what is built from them, the virtual keys, and the policy in force."""

    settings: Settings
    register: Register
    #: Provider name → key the proxy holds for it (read from the environment).
    credentials: Mapping[str, str]
    #: The virtual keys callers authenticate with.
    keys: KeySet
    #: The request inspector of the policy in force (bound to one version of the policy).
    inspector: RequestInspector

    @classmethod
    def build(
        cls,
        settings: Settings,
        environ: Mapping[str, str],
        *,
        keys: KeySet,
        inspector: RequestInspector,
    ) -> ConfigSnapshot:
        """The snapshot of ``settings``, with credentials read from ``environ``."""
        return cls(
            settings=settings,
            register=Register(settings.ai_register, settings.providers),
            credentials=MappingProxyType(resolve_credentials(settings.providers, environ)),
            keys=keys,
            inspector=inspector,
        )

    def with_settings(self, settings: Settings, environ: Mapping[str, str]) -> ConfigSnapshot:
        """This snapshot with new settings (and the register and credentials built from them)."""
        return ConfigSnapshot.build(settings, environ, keys=self.keys, inspector=self.inspector)

    def with_keys(self, keys: KeySet) -> ConfigSnapshot:
        return dataclasses.replace(self, keys=keys)

    def with_inspector(self, inspector: RequestInspector) -> ConfigSnapshot:
        return dataclasses.replace(self, inspector=inspector)
