"""The spend panels of the security dashboard show the seeded calls' costs, on the embedded
engine: top spenders and spend over time add up to the calls' own costs, and the unpriced
panel lists exactly the model no price covers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Final

import pytest

from proxy.store import StoreSettings, open_client
from proxy.store.schema import migrate
from tests.dashboards.seed import COSTS, seed
from tests.dashboards.test_clickhouse_queries import EVERYTHING, LAST_DAY, NOW, Seeded, run, target

DASHBOARD: Final = "llm-proxy-security"


@pytest.fixture(scope="module")
def seeded(clickhouse_url: str, store_database: str) -> Iterator[Seeded]:
    """The dashboards' seeded fortnight, in this module's own database (dropped after)."""
    settings = StoreSettings(url=clickhouse_url, database=store_database)
    client = open_client(settings)
    try:
        migrate(client, settings)
        seed(client, store_database, NOW)
        yield Seeded(client, store_database)
    finally:
        client.command(f"DROP DATABASE IF EXISTS {store_database} SYNC")
        client.close()


def raw_costs(seeded: Seeded) -> dict[str, float]:
    """Each user's cost over the panels' time range, added up from the raw rows (by their
    minute, as the rollup the panels read keeps them)."""
    rows = seeded.client.query(
        f"SELECT user, cost FROM {seeded.database}.requests "
        "WHERE toStartOfMinute(ts) BETWEEN {start:DateTime} AND {end:DateTime}",
        parameters={"start": LAST_DAY.start, "end": LAST_DAY.end},
    ).result_rows
    costs: dict[str, float] = defaultdict(float)
    for user, cost in rows:
        costs[user] += cost or 0.0
    return dict(costs)


def test_top_spenders_add_up_each_users_calls(seeded: Seeded) -> None:
    """Each user's spend is the sum of their calls' costs, costliest first, and the shares
    add up to 100%."""
    result = run(seeded, target(DASHBOARD, "Top spenders"), EVERYTHING)
    spend = dict(zip(result.column("user"), result.column("spend"), strict=True))
    want = raw_costs(seeded)
    assert spend.keys() == want.keys()
    for user, cost in want.items():
        assert spend[user] == pytest.approx(cost, abs=1e-9)
    assert result.column("spend") == sorted(result.column("spend"), reverse=True)
    assert sum(result.column("share_pct")) == pytest.approx(100, abs=0.5)
    assert result.column("user")[0] == "mallory"  # 40 gpt-4o calls in the last day


def test_spend_over_time_adds_up_to_the_total(seeded: Seeded) -> None:
    """The per-team and per-model series add up to the same total as the raw rows."""
    total = sum(raw_costs(seeded).values())
    for panel in ("Spend by team over time", "Spend by model over time"):
        result = run(seeded, target(DASHBOARD, panel), EVERYTHING)
        assert sum(result.column("spend")) == pytest.approx(total, abs=1e-9), panel
        assert all(isinstance(t, datetime) for t in result.column("time"))


def test_unpriced_panel_lists_only_models_without_a_price(seeded: Seeded) -> None:
    """Only claude-sonnet-4 (no price in the seed) is listed, with its answered calls."""
    result = run(seeded, target(DASHBOARD, "Unpriced calls by model"), EVERYTHING)
    assert result.column("model") == ["claude-sonnet-4"]
    assert "claude-sonnet-4" not in COSTS
    (unpriced,) = result.column("unpriced_calls")
    assert 0 < unpriced <= result.column("calls")[0]
