"""What the proxy records in the configuration history (issue 12): the parsed content of
each kind of configuration, built here so that nothing secret reaches the store.

Keys are recorded as ids and statuses only, never key hashes; providers without any
credentials in their URL (the key itself is only ever named, by ``api_key_env``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from policies.model import Policy
from proxy.config.keys import KeyStore
from proxy.config.settings import Settings
from proxy.store.config_history import ConfigHistory, ConfigVersion, Trigger

#: The hot-reloaded settings recorded from the configuration file, by kind.
SETTINGS_KINDS = {
    "register": "ai_register",
    "providers": "providers",
    "limits": "limits",
    "log_content": "log_content",
}


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def settings_content(settings: Settings, kind: str) -> Any:
    """The JSON-able content of one hot-reloaded kind of ``settings``."""
    if kind == "providers":
        return {
            name: {**p.model_dump(mode="json"), "base_url": _without_userinfo(p.base_url)}
            for name, p in settings.providers.items()
        }
    if kind == "limits":
        limits = settings.limits.model_dump(mode="json")
        limits["redis"]["url"] = _without_userinfo(settings.limits.redis.url)
        return limits
    return getattr(settings, SETTINGS_KINDS[kind]).model_dump(mode="json")


def keys_content(keys: KeyStore) -> dict[str, Any]:
    """Key ids, owners and statuses: never a key hash."""
    return {
        "keys": [
            {"id": e.id, "user": e.user, "team": e.team, "status": e.status}
            for e in sorted(keys.entries(), key=lambda e: e.id)
        ]
    }


def policy_content(policy: Policy) -> Any:
    return policy.model_dump(mode="json")


def settings_versions(settings: Settings, trigger: Trigger, path: str) -> list[ConfigVersion]:
    """An accepted version of every hot-reloaded kind of ``settings``."""
    return [
        ConfigVersion(kind, trigger, path, True, settings_content(settings, kind))
        for kind in SETTINGS_KINDS
    ]


def rejected(kind: str, trigger: Trigger, path: str, reason: str) -> ConfigVersion:
    return ConfigVersion(kind, trigger, path, False, None, reason)


__all__ = [
    "ConfigHistory",
    "ConfigVersion",
    "keys_content",
    "policy_content",
    "rejected",
    "settings_versions",
]
