"""The store's and the register's names that the command line's parsers offer.

Copies, so that building the parser (``llm-proxy <command> --help``) imports no store: any
``proxy.store`` module loads the store's client on import (and ``core.inspection``, for
the decisions, its dataclasses and protocols). The commands check their input
against the originals when they run, and tests/proxy/test_cli_imports.py holds each copy
equal to its original.
"""

from __future__ import annotations

#: The values of ``core.inspection.CallDecision``, in its order.
DECISIONS = ("allow", "flag", "redact", "pseudonymise", "block", "reject", "budget", "error")
#: ``proxy.store.anomaly_rules.Thresholds().baseline_days``.
BASELINE_DAYS = 28
#: The values of ``proxy.store.spend.Grouping``, in its order (the first is the default).
GROUPINGS = ("team", "model", "provider", "user", "key", "app")
#: ``proxy.store.config_history.KINDS``.
CONFIG_KINDS = ("policy", "register", "providers", "limits", "log_content", "keys", "config")
#: ``proxy.config.register.USAGE_WINDOW_DAYS``.
USAGE_WINDOW_DAYS = 30
