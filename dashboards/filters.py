"""Filter fragments shared by the dashboards' queries.

ClickHouse filters on multi-valued variables are wrapped in the plugin's
``$__conditionalAll(condition, $var)``: "All" becomes ``1=1`` (no list of every team or user
is sent), anything else becomes the condition with the selected values quoted by Grafana's
``singlequote`` format. Prometheus selectors match the variable as a regex (All is ``.*``).
"""

from __future__ import annotations

from typing import Final

#: The database the queries name; the store's default (``store.database`` in the config).
DATABASE: Final = "llm_proxy"
REQUESTS: Final = f"{DATABASE}.requests"
#: The per-minute rollup (a materialised view; reading it reads its target table).
VOLUME: Final = f"{DATABASE}.call_volume_1m"
AUDIT_LOG: Final = f"{DATABASE}.audit_log"

#: Decisions where the acceptable-use policy acted on the call.
POLICY_DECISIONS: Final = "('block', 'redact', 'pseudonymise', 'flag')"
#: ``error`` values of calls the AI use register refused (proxy/call/pipeline.py).
REGISTER_ERRORS: Final = "('model_not_found', 'model_not_approved', 'model_not_entitled')"


def any_of(column: str, variable: str) -> str:
    """SQL: ``column`` is one of the variable's selected values (true for "All")."""
    return f"$__conditionalAll({column} IN (${{{variable}:singlequote}}), ${variable})"


def has_any_of(array_column: str, variable: str) -> str:
    """SQL: the array column holds one of the variable's selected values (true for "All")."""
    return f"$__conditionalAll(hasAny({array_column}, [${{{variable}:singlequote}}]), ${variable})"


def all_of(*conditions: str) -> str:
    """SQL: the conjunction of ``conditions``, one per line for readability."""
    return "\n  AND ".join(conditions)


def matchers(*labels: str) -> str:
    """PromQL label matchers selecting each label by the variable of the same name."""
    return ", ".join(f'{label}=~"${label}"' for label in labels)
