"""A small vocabulary for Grafana dashboards: queries, panels, rows, variables, layout.

Dashboards are declared as frozen dataclasses and rendered to the JSON model Grafana
provisions (schema version 39, Grafana 10/11). Only what our dashboards use is modelled;
everything else is Grafana's default. Two datasources exist, referenced by fixed uids that
``dashboards/provisioning/datasources.yml`` creates: Prometheus and the official ClickHouse
plugin (``grafana-clickhouse-datasource``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

Json = dict[str, Any]

PROMETHEUS: Final[Mapping[str, str]] = {"type": "prometheus", "uid": "prometheus"}
CLICKHOUSE: Final[Mapping[str, str]] = {
    "type": "grafana-clickhouse-datasource",
    "uid": "clickhouse",
}

#: Tag shared by our dashboards; each one's link bar lists the others through it.
TAG: Final = "llm-proxy"
SCHEMA_VERSION: Final = 39
GRID_WIDTH: Final = 24

# The ClickHouse plugin's backend formats (grafana-plugin-sdk-go sqlutil.FormatQueryOption):
# time series frames are converted from long to wide on a column named "time".
_CH_FORMAT_TIME_SERIES: Final = 0
_CH_FORMAT_TABLE: Final = 1


@dataclass(frozen=True)
class PromQuery:
    """A PromQL expression; ``instant`` for tables and stats of the current value."""

    expr: str
    legend: str = ""
    instant: bool = False


@dataclass(frozen=True)
class SqlQuery:
    """A ClickHouse SQL query; ``time_series`` queries return a ``time`` column."""

    sql: str
    time_series: bool = False


Query = PromQuery | SqlQuery


@dataclass(frozen=True)
class Link:
    """A data link on a table column; ``url`` may use ``${__value.raw}``."""

    title: str
    url: str


@dataclass(frozen=True)
class Panel:
    """One visualisation. ``kind`` is a Grafana panel type: timeseries, stat or table."""

    title: str
    description: str
    queries: tuple[Query, ...]
    kind: str = "timeseries"
    unit: str = "short"
    width: int = 12
    height: int = 8
    stacked: bool = False
    bars: bool = False
    #: Table columns that link elsewhere (drill-downs), by column name.
    links: Mapping[str, Link] = field(default_factory=dict)
    #: Table columns to hide (e.g. the ``Time`` column of an instant Prometheus table).
    hidden_columns: tuple[str, ...] = ()
    #: Table cells wrap long text (prompts, responses) instead of truncating it.
    wrap_text: bool = False
    #: Series name, e.g. ``${__field.labels.team}`` for ClickHouse time series, whose
    #: string columns become labels.
    display_name: str = ""

    def __post_init__(self) -> None:
        if not self.queries:
            raise ValueError(f"panel {self.title!r} has no queries")
        if len({type(q) for q in self.queries}) != 1:
            raise ValueError(f"panel {self.title!r} mixes Prometheus and ClickHouse queries")
        if not 1 <= self.width <= GRID_WIDTH:
            raise ValueError(f"panel {self.title!r}: width {self.width} outside 1..{GRID_WIDTH}")

    @property
    def datasource(self) -> Mapping[str, str]:
        return PROMETHEUS if isinstance(self.queries[0], PromQuery) else CLICKHOUSE


@dataclass(frozen=True)
class Row:
    """A full-width row header; the panels after it belong to it."""

    title: str


@dataclass(frozen=True)
class QueryVariable:
    """A variable whose options come from a query on ``datasource``.

    Multi-valued with an "All" option whose value is ``.*``: Prometheus expressions use
    it as a regex (``team=~"$team"``); ClickHouse queries never see it, because every
    filter on a multi-valued variable sits inside ``$__conditionalAll(...)``, which the
    plugin replaces by ``1=1`` when "All" is selected.
    """

    name: str
    label: str
    datasource: Mapping[str, str]
    query: str
    description: str = ""


@dataclass(frozen=True)
class TextVariable:
    """A free-text box (empty by default), used in SQL as ``${name:singlequote}``."""

    name: str
    label: str
    description: str = ""


Variable = QueryVariable | TextVariable


@dataclass(frozen=True)
class Dashboard:
    """A whole dashboard: its uid is what alert rules link to (``/d/<uid>``)."""

    uid: str
    title: str
    description: str
    items: tuple[Panel | Row, ...]
    variables: tuple[Variable, ...] = ()
    time_from: str = "now-6h"
    refresh: str = ""


def _target(query: Query, ref_id: str) -> Json:
    if isinstance(query, PromQuery):
        target: Json = {
            "refId": ref_id,
            "datasource": dict(PROMETHEUS),
            "editorMode": "code",
            "expr": query.expr,
            "legendFormat": query.legend or "__auto",
            "range": not query.instant,
            "instant": query.instant,
        }
        if query.instant:
            target["format"] = "table"
        return target
    return {
        "refId": ref_id,
        "datasource": dict(CLICKHOUSE),
        "editorType": "sql",
        "queryType": "timeseries" if query.time_series else "table",
        "format": _CH_FORMAT_TIME_SERIES if query.time_series else _CH_FORMAT_TABLE,
        "rawSql": query.sql,
    }


def _field_config(panel: Panel) -> Json:
    defaults: Json = {"unit": panel.unit}
    if panel.display_name:
        defaults["displayName"] = panel.display_name
    if panel.kind == "timeseries":
        defaults["custom"] = {
            "drawStyle": "bars" if panel.bars else "line",
            "lineWidth": 1,
            "fillOpacity": 60 if panel.bars else 10,
            "showPoints": "never",
            "spanNulls": False,
            "stacking": {"mode": "normal" if panel.stacked else "none", "group": "A"},
        }
        defaults["min"] = 0
    elif panel.kind == "table":
        defaults["custom"] = {
            "align": "auto",
            "filterable": True,
            "inspect": True,
            "cellOptions": {"type": "auto", "wrapText": panel.wrap_text},
        }
    overrides = [
        {
            "matcher": {"id": "byName", "options": column},
            "properties": [{"id": "links", "value": [{"title": link.title, "url": link.url}]}],
        }
        for column, link in panel.links.items()
    ]
    return {"defaults": defaults, "overrides": overrides}


def _options(panel: Panel) -> Json:
    if panel.kind == "timeseries":
        return {
            "legend": {"displayMode": "table", "placement": "right", "calcs": ["mean", "max"]},
            "tooltip": {"mode": "multi", "sort": "desc"},
        }
    if panel.kind == "stat":
        return {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "value",
            "graphMode": "area",
            "textMode": "auto",
            "justifyMode": "auto",
        }
    if panel.kind == "table":
        return {"showHeader": True, "cellHeight": "sm", "footer": {"show": False}}
    raise ValueError(f"panel {panel.title!r}: unsupported kind {panel.kind!r}")


def _panel(panel: Panel, panel_id: int, x: int, y: int) -> Json:
    refs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    rendered: Json = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": dict(panel.datasource),
        "gridPos": {"x": x, "y": y, "w": panel.width, "h": panel.height},
        "fieldConfig": _field_config(panel),
        "options": _options(panel),
        "targets": [_target(q, refs[i]) for i, q in enumerate(panel.queries)],
    }
    if panel.hidden_columns:
        rendered["transformations"] = [
            {
                "id": "organize",
                "options": {"excludeByName": dict.fromkeys(panel.hidden_columns, True)},
            }
        ]
    return rendered


def _layout(items: Sequence[Panel | Row]) -> list[Json]:
    """Place each panel as high as it fits, then as far left (Grafana's own gravity), so a
    tall panel can have shorter ones stacked beside it; a row starts below everything."""
    panels: list[Json] = []
    heights = [0] * GRID_WIDTH  # the lowest occupied grid line of each column
    for panel_id, item in enumerate(items, start=1):
        if isinstance(item, Row):
            y = max(heights)
            panels.append(
                {
                    "id": panel_id,
                    "type": "row",
                    "title": item.title,
                    "collapsed": False,
                    "gridPos": {"x": 0, "y": y, "w": GRID_WIDTH, "h": 1},
                    "panels": [],
                }
            )
            heights = [y + 1] * GRID_WIDTH
            continue
        y, x = min(
            (max(heights[x : x + item.width]), x) for x in range(GRID_WIDTH - item.width + 1)
        )
        panels.append(_panel(item, panel_id, x, y))
        heights[x : x + item.width] = [y + item.height] * item.width
    return panels


def _variable(variable: Variable) -> Json:
    if isinstance(variable, TextVariable):
        return {
            "name": variable.name,
            "label": variable.label,
            "description": variable.description,
            "type": "textbox",
            "query": "",
            "current": {"text": "", "value": ""},
            "hide": 0,
        }
    return {
        "name": variable.name,
        "label": variable.label,
        "description": variable.description,
        "type": "query",
        "datasource": dict(variable.datasource),
        "query": variable.query,
        "definition": variable.query,
        "refresh": 2,  # on time range change
        "sort": 1,
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "current": {"text": ["All"], "value": ["$__all"]},
        "options": [],
        "regex": "",
        "hide": 0,
    }


def render(dashboard: Dashboard) -> Json:
    """The Grafana JSON model of ``dashboard``."""
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": [TAG],
        "editable": True,
        "graphTooltip": 1,  # shared crosshair
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "timezone": "browser",
        "time": {"from": dashboard.time_from, "to": "now"},
        "refresh": dashboard.refresh,
        "annotations": {
            "list": [
                {
                    "builtIn": 1,
                    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                    "enable": True,
                    "hide": True,
                    "iconColor": "rgba(0, 211, 255, 1)",
                    "name": "Annotations & Alerts",
                    "type": "dashboard",
                }
            ]
        },
        "links": [
            {
                "title": "LLM proxy dashboards",
                "type": "dashboards",
                "tags": [TAG],
                "asDropdown": False,
                "includeVars": True,
                "keepTime": True,
            }
        ],
        "templating": {"list": [_variable(v) for v in dashboard.variables]},
        "panels": _layout(dashboard.items),
    }
