"""The inspection seams, defined in :mod:`core.inspection` and re-exported here for the
proxy's modules (see that module for the contracts)."""

from __future__ import annotations

from core.inspection import (
    ALLOW,
    Action,
    AllowAll,
    CallInfo,
    OutputBlocked,
    OutputInspector,
    PassOutput,
    PassStream,
    PolicyBlocked,
    RequestInspection,
    RequestInspector,
    StreamInspector,
    Verdict,
    unchanged,
)

__all__ = [
    "ALLOW",
    "Action",
    "AllowAll",
    "CallInfo",
    "OutputBlocked",
    "OutputInspector",
    "PassOutput",
    "PassStream",
    "PolicyBlocked",
    "RequestInspection",
    "RequestInspector",
    "StreamInspector",
    "Verdict",
    "unchanged",
]
