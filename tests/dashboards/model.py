"""Reading the committed dashboard JSON: its panels, queries and variables, flattened."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

REPO: Final = Path(__file__).resolve().parents[2]
JSON_DIR: Final = REPO / "dashboards" / "json"
PROVISIONING_DIR: Final = REPO / "dashboards" / "provisioning"

PROMETHEUS_TYPE: Final = "prometheus"
CLICKHOUSE_TYPE: Final = "grafana-clickhouse-datasource"

Json = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """One query of one panel, or the query of a query variable (``panel`` = ``$name``)."""

    dashboard: str
    panel: str
    ref_id: str
    datasource: str  # the datasource type
    text: str  # PromQL or SQL
    time_series: bool = False
    instant: bool = False

    @property
    def id(self) -> str:
        return f"{self.dashboard}/{self.panel}/{self.ref_id}"


@functools.cache
def load_dashboards() -> dict[str, Json]:
    """Every dashboard JSON file, by uid (read once per test process; do not mutate)."""
    dashboards: dict[str, Json] = {}
    for path in sorted(JSON_DIR.glob("*.json")):
        dashboard: Json = json.loads(path.read_text(encoding="utf-8"))
        dashboards[dashboard["uid"]] = dashboard
    return dashboards


def panels(dashboard: Json) -> Iterator[Json]:
    """Every panel, rows excluded, including those nested in collapsed rows."""
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def variables(dashboard: Json) -> list[Json]:
    """The dashboard's template variables."""
    found: list[Json] = dashboard.get("templating", {}).get("list", [])
    return found


def variable_names(uid: str) -> set[str]:
    """Names of the variables of the dashboard with ``uid``."""
    return {variable["name"] for variable in variables(load_dashboards()[uid])}


def targets(dashboard: Json) -> Iterator[Target]:
    """Every panel query of the dashboard."""
    for panel in panels(dashboard):
        for target in panel["targets"]:
            kind = target["datasource"]["type"]
            yield Target(
                dashboard=dashboard["uid"],
                panel=panel["title"],
                ref_id=target["refId"],
                datasource=kind,
                text=target["expr"] if kind == PROMETHEUS_TYPE else target["rawSql"],
                time_series=kind == CLICKHOUSE_TYPE and target.get("format") == 0,
                instant=bool(target.get("instant")),
            )


def variable_targets(dashboard: Json) -> Iterator[Target]:
    """The query of every query variable of the dashboard."""
    for variable in variables(dashboard):
        if variable["type"] != "query":
            continue
        query = variable["query"]
        yield Target(
            dashboard=dashboard["uid"],
            panel=f"${variable['name']}",
            ref_id="variable",
            datasource=variable["datasource"]["type"],
            text=query if isinstance(query, str) else query["query"],
        )


def all_targets(kind: str) -> list[Target]:
    """Every panel and variable query on datasources of type ``kind``, in all dashboards."""
    return [
        target
        for dashboard in load_dashboards().values()
        for target in (*targets(dashboard), *variable_targets(dashboard))
        if target.datasource == kind
    ]
