"""Hot reload of the configuration file: the AI use register, providers, limits and log
content modes take effect for the next call, without dropping calls in flight.

The rest (listen address, data directory, store, detectors, timeouts) is wired into running
components and needs a restart; a change to it is logged and otherwise ignored. A file that
fails validation is rejected with its problems logged, and the running configuration stays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

import structlog

from core.filewatch import FileWatch
from proxy.config.history import rejected, settings_versions
from proxy.config.settings import ConfigError, Settings, load_settings
from proxy.services import Services
from proxy.store.config_history import Trigger

log = structlog.get_logger("llm_proxy")

#: Settings the running proxy picks up on reload.
HOT_SETTINGS = ("ai_register", "providers", "limits", "log_content")
#: Settings the command line may override, so a difference is not a change to the file.
_COMMAND_LINE = ("listen",)


class ConfigReloader:
    """Reloads ``path`` into ``services`` on request (SIGHUP) or when the file changes."""

    def __init__(self, services: Services, path: Path, environ: Mapping[str, str]) -> None:
        self._services = services
        self.path = path
        self._environ = environ
        self._file = FileWatch(path)
        self._file.mark()
        self._reloading = asyncio.Lock()

    def changed(self) -> bool:
        """True when the file differs from the version last loaded or rejected."""
        return self._file.changed()

    def read(self) -> Settings | ConfigError:
        """Read and validate the file (blocking I/O and YAML parsing: off the event loop in a
        running proxy); the problems when it is not valid."""
        self._file.mark()
        try:
            return load_settings(self.path, environ=self._environ)
        except ConfigError as exc:
            return exc

    def reload(self, trigger: Trigger = "sighup") -> bool:
        """Apply the file's hot settings now. True if they were applied."""
        return self.apply(self.read(), trigger)

    async def reload_off_loop(self, trigger: Trigger = "sighup") -> bool:
        """:meth:`reload` with the file read and validated in a thread, so that calls are
        not held up meanwhile; reloads apply in the order they read the file."""
        async with self._reloading:
            return self.apply(await asyncio.to_thread(self.read), trigger)

    def apply(self, new: Settings | ConfigError, trigger: Trigger = "sighup") -> bool:
        """Put the hot settings of ``new`` in force (on the event loop); log a rejection."""
        services = self._services
        if isinstance(new, ConfigError):
            log.error("config_reload_rejected", path=str(self.path), problems=new.problems)
            services.metrics.config_reloads_total.labels("config", "failure").inc()
            if services.config_history is not None:
                reason = "; ".join(new.problems)
                services.config_history.record(rejected("config", trigger, str(self.path), reason))
            return False
        old = services.settings
        cold = [
            name
            for name in Settings.model_fields
            if name not in HOT_SETTINGS
            and name not in _COMMAND_LINE
            and getattr(new, name) != getattr(old, name)
        ]
        # The limits' numbers are hot; where the buckets live is not (the limiter is built
        # at start): a changed backend keeps the running one until a restart.
        limits = new.limits
        if (limits.backend, limits.redis) != (old.limits.backend, old.limits.redis):
            cold += ["limits.backend", "limits.redis"]
            limits = limits.model_copy(
                update={"backend": old.limits.backend, "redis": old.limits.redis}
            )
        if cold:
            log.warning("config_change_needs_restart", settings=cold)
        updated = old.model_copy(
            update={**{name: getattr(new, name) for name in HOT_SETTINGS}, "limits": limits}
        )
        # One assignment: a call holds the snapshot it started with, so it never sees the
        # old register with the new provider keys (or limits).
        snapshot = services.snapshot = services.snapshot.with_settings(updated, self._environ)
        log.info(
            "config_reloaded",
            path=str(self.path),
            models=len(snapshot.register.entries()),
            register="open" if snapshot.register.is_open else "closed",
        )
        services.metrics.config_reloads_total.labels("config", "success").inc()
        if services.config_history is not None:
            services.config_history.record(*settings_versions(updated, trigger, str(self.path)))
        return True
