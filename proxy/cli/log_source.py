"""Where the ``logs`` commands read the event log, and how they fail.

:class:`LogSource` is the admin API's client (:mod:`proxy.cli.logs`) or the store itself
(:mod:`proxy.cli.logs_local`); both, and the commands built on them, raise :class:`LogsError`.
A module of its own so that the command line and the offline reader do not import each
other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol


class LogsError(Exception):
    """A logs command failed for a reason the user can act on (printed as one line)."""


class LogSource(Protocol):
    """Where the commands read the event log: the admin API, or the store itself.

    Answers have the admin API's shapes (a row per call as ``LogRecord.to_dict()``);
    failures raise :class:`LogsError`.
    """

    def search(self, params: Mapping[str, str]) -> list[dict[str, Any]]:
        """Calls matching the filters, newest first (metadata)."""
        ...

    def show(self, request_id: str) -> dict[str, Any]:
        """One call with its content (audited)."""
        ...

    def export(self, params: Mapping[str, str]) -> Iterator[bytes]:
        """Matching calls as NDJSON lines, oldest first (audited before they are sent)."""
        ...

    def anomalies(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The unusual-behaviour report."""
        ...

    def spend(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The spend report (:class:`proxy.store.spend.SpendReport`)."""
        ...

    def verify(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The hash chain's verification (:class:`proxy.store.chain_verify.Verification`)."""
        ...

    def chain_proof(self, request_ids: list[str]) -> dict[str, Any]:
        """The chain proof of exported calls (written beside an export)."""
        ...

    def config_history(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The configuration history (``kind``, ``since``, ``at``)."""
        ...

    def find_secret(self, value: str) -> list[dict[str, Any]]:
        """Calls whose stored texts hold ``value``'s fingerprint (metadata, audited). The
        value is fingerprinted and forgotten."""
        ...
