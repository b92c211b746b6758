"""Spend panels of the operations and security dashboards (issue 13).

Costs are in the currency ``pricing.currency`` names (USD by default), from the usage the
providers reported and each model's price (``proxy/call/pricing.py``). Calls of models with no
known price are *unpriced*: they add nothing to the cost lines and are counted on panels of
their own, so a gap in the price list shows instead of hiding as a low spend.

Operations reads Prometheus (``llm_proxy_cost_total``, ``llm_proxy_unpriced_calls_total``);
security reads the ``call_volume_1m`` rollup, which keeps users (never a metric label), for
the top spenders. ``llm-proxy spend`` answers the same questions from the command line.
"""

# These modules write the SQL text of dashboard panels from constants; Grafana, not Python,
# fills in the variables (quoted by its singlequote format). Nothing here runs a query.

from __future__ import annotations

from typing import Final

from dashboards.filters import VOLUME, all_of, any_of, matchers
from dashboards.grafana import Link, Panel, PromQuery, Row, SqlQuery

_RATE = "$__rate_interval"
_CALLS = matchers("team", "model", "provider")
_UPSTREAM = matchers("model", "provider")
_CURRENCY_NOTE = "In the currency pricing.currency names (USD unless configured)."

OPERATIONS_SPEND: Final = (
    Row("Spend"),
    Panel(
        "Spend per hour by team",
        "What calls cost, from the providers' reported usage and each model's price, as an "
        f"hourly rate per team. {_CURRENCY_NOTE} Unpriced calls are not in it.",
        (
            PromQuery(
                f"sum by (team) (rate(llm_proxy_cost_total{{{_CALLS}}}[{_RATE}])) * 3600",
                "{{team}}",
            ),
        ),
        stacked=True,
    ),
    Panel(
        "Spend per hour by provider and model",
        f"The same rate per provider and model. {_CURRENCY_NOTE}",
        (
            PromQuery(
                "sum by (provider, model) "
                f"(rate(llm_proxy_cost_total{{{_CALLS}}}[{_RATE}])) * 3600",
                "{{provider}} {{model}}",
            ),
        ),
        stacked=True,
    ),
    Panel(
        "Spend in the selected time range",
        f"Per team, model and provider, over the whole time range. {_CURRENCY_NOTE}",
        (
            PromQuery(
                "sum by (team, model, provider) "
                f"(increase(llm_proxy_cost_total{{{_CALLS}}}[$__range]))",
                instant=True,
            ),
        ),
        kind="table",
        width=16,
        hidden_columns=("Time",),
    ),
    Panel(
        "Unpriced calls by provider and model",
        "Answered calls of models no price covers (register entry, provider, or the shipped "
        "table): their cost is unknown, not zero. Price them in the register.",
        (
            PromQuery(
                "sum by (provider, model) "
                f"(increase(llm_proxy_unpriced_calls_total{{{_UPSTREAM}}}[{_RATE}]))",
                "{{provider}} {{model}}",
            ),
        ),
        bars=True,
        width=8,
    ),
    Panel(
        "Budget use",
        "Share of each spend budget (limits.budgets) used in its current period, per subject "
        "(team, key id or app), as the proxies last saw it; 1 is used up (a hard budget then "
        "refuses calls with 429 budget_exceeded). The dashed line is the budget's warn_at.",
        (
            PromQuery(
                "max by (budget, subject) (llm_proxy_budget_used_ratio)", "{{budget}} {{subject}}"
            ),
            PromQuery("max by (budget) (llm_proxy_budget_warn_ratio)", "warn at ({{budget}})"),
        ),
        unit="percentunit",
        width=12,
    ),
    Panel(
        "Calls refused by a budget",
        "Calls answered 429 budget_exceeded, by team: nothing of them reached a provider.",
        (
            PromQuery(
                "sum by (team) "
                f'(increase(llm_proxy_requests_total{{decision="budget", {_CALLS}}}[{_RATE}]))',
                "{{team}}",
            ),
        ),
        bars=True,
        width=12,
    ),
)

_IN_RANGE = all_of("$__timeFilter(minute)", any_of("team", "team"))
# Per-minute rollup bucketed to the panel interval, at least one minute.
_BUCKET = "toStartOfInterval(minute, toIntervalSecond(greatest($__interval_s, 60)))"
_INVESTIGATE_USER = Link(
    "Investigate this user's calls",
    "/d/llm-proxy-investigation?var-user=${__value.raw:percentencode}&${__url_time_range}",
)


def _spend_over_time(column: str) -> SqlQuery:
    return SqlQuery(
        f"""SELECT
  {_BUCKET} AS time,
  {column},
  sum(cost) AS spend
FROM {VOLUME}
WHERE {_IN_RANGE}
GROUP BY time, {column}
ORDER BY time""",
        time_series=True,
    )


SECURITY_SPEND: Final = (
    Row("Spend (ClickHouse)"),
    Panel(
        "Spend by team over time",
        f"Cost of the calls per team and interval, from the call_volume_1m rollup. "
        f"{_CURRENCY_NOTE}",
        (_spend_over_time("team"),),
        bars=True,
        stacked=True,
        display_name="${__field.labels.team}",
    ),
    Panel(
        "Spend by model over time",
        f"Cost of the calls per model and interval. {_CURRENCY_NOTE}",
        (_spend_over_time("model"),),
        bars=True,
        stacked=True,
        display_name="${__field.labels.model}",
    ),
    Panel(
        "Top spenders",
        "Users whose calls cost most in the time range, with their share of the total and "
        "their calls of unpriced models (not in the cost). A leaked or misused key shows "
        "here first; click a user to open their calls.",
        (
            SqlQuery(
                f"""SELECT
  user,
  team,
  sum(cost) AS spend,
  round(100 * sum(cost) / nullIf(sum(sum(cost)) OVER (), 0), 1) AS share_pct,
  sum(calls) AS calls,
  sum(unpriced) AS unpriced_calls,
  sum(tokens) AS tokens
FROM {VOLUME}
WHERE {_IN_RANGE}
GROUP BY user, team
ORDER BY spend DESC, calls DESC
LIMIT 20"""
            ),
        ),
        kind="table",
        width=14,
        links={"user": _INVESTIGATE_USER},
    ),
    Panel(
        "Unpriced calls by model",
        "Models called in the time range that no price covers, so their calls are missing "
        "from every cost above. Price them in the register (price:) or the provider.",
        (
            SqlQuery(
                f"""SELECT
  model,
  provider,
  sum(unpriced) AS unpriced_calls,
  sum(calls) AS calls,
  uniqExact(team) AS teams
FROM {VOLUME}
WHERE {_IN_RANGE}
GROUP BY model, provider
HAVING unpriced_calls > 0
ORDER BY unpriced_calls DESC"""
            ),
        ),
        kind="table",
        width=10,
    ),
)
