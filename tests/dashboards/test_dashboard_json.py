"""The committed dashboards, checked as files: up to date, well formed, consistent with the
metrics, the alert rules that link to them, and the provisioning that loads them.

Grafana itself cannot be installed here, so these structural checks stand in for loading
the JSON into it; the queries are executed by the other tests of this package.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from prometheus_client.metrics_core import Metric

from dashboards import build
from proxy.metrics import Metrics
from tests.dashboards.macros import ALL, TimeRange, expand_clickhouse
from tests.dashboards.model import (
    CLICKHOUSE_TYPE,
    JSON_DIR,
    PROMETHEUS_TYPE,
    PROVISIONING_DIR,
    REPO,
    Json,
    all_targets,
    load_dashboards,
    panels,
    variables,
)
from tests.deploy.prom import shipped_rule_groups

UIDS: Final = {"llm-proxy-ops", "llm-proxy-security", "llm-proxy-investigation"}
DATASOURCE_UIDS: Final = {PROMETHEUS_TYPE: "prometheus", CLICKHOUSE_TYPE: "clickhouse"}
DASHBOARDS: Final = load_dashboards()
ALERTS_FILE: Final = REPO / "deploy" / "prometheus" / "alerts.yml"


def _all_panels() -> Iterator[tuple[str, Json]]:
    for uid, dashboard in DASHBOARDS.items():
        for panel in panels(dashboard):
            yield uid, panel


PANELS: Final = list(_all_panels())


def _links() -> Iterator[tuple[str, str]]:
    """(dashboard uid, url) of every data link in the panels."""
    for uid, panel in PANELS:
        for override in panel["fieldConfig"]["overrides"]:
            for prop in override["properties"]:
                if prop["id"] == "links":
                    yield from ((uid, link["url"]) for link in prop["value"])


def test_committed_json_is_what_the_generator_renders() -> None:
    """dashboards/json holds exactly what ``python -m dashboards.build`` writes."""
    assert build.stale(JSON_DIR) == [], "run `python -m dashboards.build` and commit the JSON"


def test_the_three_dashboards_exist_with_their_uids() -> None:
    """Operations, security and investigation dashboards carry the uids alerts link to."""
    assert set(DASHBOARDS) == UIDS
    for uid, dashboard in DASHBOARDS.items():
        assert dashboard["title"].startswith("LLM proxy: ")
        assert (JSON_DIR / f"{uid}.json").is_file()


@pytest.mark.parametrize(("uid", "panel"), PANELS, ids=[f"{u}/{p['title']}" for u, p in PANELS])
def test_every_panel_has_a_title_description_datasource_and_targets(uid: str, panel: Json) -> None:
    """Each panel names a provisioned datasource and has queries on that datasource only."""
    assert panel["title"].strip()
    assert panel["description"].strip()
    datasource = panel["datasource"]
    assert DATASOURCE_UIDS.get(datasource["type"]) == datasource["uid"]
    assert panel["targets"]
    ref_ids = [target["refId"] for target in panel["targets"]]
    assert len(set(ref_ids)) == len(ref_ids)
    for target in panel["targets"]:
        assert target["datasource"] == datasource
        text = target["expr"] if datasource["type"] == PROMETHEUS_TYPE else target["rawSql"]
        assert text.strip()


@pytest.mark.parametrize("uid", sorted(UIDS))
def test_panels_fit_the_grid_without_overlapping(uid: str) -> None:
    """Panels stay within 24 columns, have unique ids and titles, and never overlap."""
    dashboard = DASHBOARDS[uid]
    every = dashboard["panels"]
    assert len({p["id"] for p in every}) == len(every)
    titles = [p["title"] for p in panels(dashboard)]
    assert len(set(titles)) == len(titles)
    cells: dict[tuple[int, int], str] = {}
    for panel in every:
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        for cell in itertools.product(
            range(grid["x"], grid["x"] + grid["w"]), range(grid["y"], grid["y"] + grid["h"])
        ):
            assert cell not in cells, f"{panel['title']!r} overlaps {cells[cell]!r}"
            cells[cell] = panel["title"]


@pytest.mark.parametrize("uid", sorted(UIDS))
def test_variables_are_multi_valued_with_a_regex_all_value(uid: str) -> None:
    """Query variables offer "All" as ``.*`` (for Prometheus); text boxes start empty."""
    found = variables(DASHBOARDS[uid])
    assert len({v["name"] for v in found}) == len(found)
    for variable in found:
        if variable["type"] == "query":
            assert variable["multi"]
            assert variable["includeAll"]
            assert variable["allValue"] == ".*"
            assert (
                DATASOURCE_UIDS.get(variable["datasource"]["type"]) == variable["datasource"]["uid"]
            )
        else:
            assert variable["type"] == "textbox"
            assert variable["query"] == ""


def test_investigation_dashboard_has_the_filter_variables() -> None:
    """The request list filters by team, user, model, decision, entity type and request id."""
    names = [v["name"] for v in variables(DASHBOARDS["llm-proxy-investigation"])]
    assert names == ["team", "user", "model", "decision", "entity_type", "request_id"]


def test_all_never_reaches_clickhouse_sql() -> None:
    """With every variable on "All", no ClickHouse query receives the ``.*`` all value: each
    multi-valued filter sits inside ``$__conditionalAll``."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    time = TimeRange(moment - timedelta(hours=1), moment)
    names = {v["name"] for d in DASHBOARDS.values() for v in variables(d)}
    values = {name: ("" if name == "request_id" else ALL) for name in names}
    for target in all_targets(CLICKHOUSE_TYPE):
        sql = expand_clickhouse(target.text, time=time, variables=values)
        assert ".*" not in sql, target.id


def _exported_series() -> set[str]:
    """Every series name the proxy's metrics can export (counter ``_total``, histogram
    ``_bucket``/``_count``/``_sum``, info ``_info``)."""
    suffixes = {
        "counter": ("_total",),
        "histogram": ("_bucket", "_count", "_sum"),
        "gauge": ("",),
        "info": ("_info",),
    }
    families: list[Metric] = list(Metrics().registry.collect())
    return {f.name + suffix for f in families for suffix in suffixes[f.type]}


def test_prometheus_expressions_use_existing_metrics_and_recording_rules() -> None:
    """Every metric an expression names is exported by proxy/metrics.py, and every recording
    rule it names is in deploy/prometheus/recording.yml."""
    exported = _exported_series()
    recorded = {r["record"] for g in shipped_rule_groups() for r in g["rules"] if "record" in r}
    assert exported
    assert recorded
    for target in all_targets(PROMETHEUS_TYPE):
        for name in re.findall(r"(?<![:\w])llm_proxy_\w+\b(?!:)", target.text):
            assert name in exported, f"{target.id}: unknown metric {name}"
        for name in re.findall(r"\b\w+:llm_proxy_\w+:\w+", target.text):
            assert name in recorded, f"{target.id}: unknown recording rule {name}"


def _dashboard_links_in_alerts() -> list[str]:
    rules = yaml.safe_load(ALERTS_FILE.read_text(encoding="utf-8"))
    return [
        rule["annotations"]["dashboard"]
        for group in rules["groups"]
        for rule in group["rules"]
        if "alert" in rule
    ]


@pytest.mark.parametrize(
    ("source", "url"),
    [("alerts.yml", url) for url in _dashboard_links_in_alerts()] + list(_links()),
)
def test_links_open_an_existing_dashboard_with_existing_variables(source: str, url: str) -> None:
    """Alert rule and data links point at one of our dashboards and set only its variables."""
    parts = urlsplit(url)
    match = re.fullmatch(r"/d/([\w-]+)", parts.path)
    assert match, f"{source}: {url}"
    assert match.group(1) in DASHBOARDS, f"{source}: {url}"
    names = {v["name"] for v in variables(DASHBOARDS[match.group(1)])}
    for key in parse_qs(parts.query):
        if key.startswith("var-"):
            assert key.removeprefix("var-") in names, f"{source}: {url}"


def _provisioning(name: str) -> Any:
    return yaml.safe_load((PROVISIONING_DIR / name).read_text(encoding="utf-8"))


def test_datasources_are_provisioned_with_the_uids_the_panels_use() -> None:
    """Prometheus and the official ClickHouse plugin are provisioned under the panels' uids,
    ClickHouse on the compose service with the store's database and credentials from env."""
    provisioned = {d["uid"]: d for d in _provisioning("datasources.yml")["datasources"]}
    assert {d["uid"]: d["type"] for d in provisioned.values()} == {
        uid: kind for kind, uid in DATASOURCE_UIDS.items()
    }
    assert provisioned["prometheus"]["url"] == "http://prometheus:9090"
    clickhouse = provisioned["clickhouse"]["jsonData"]
    assert clickhouse["host"] == "clickhouse"
    assert (clickhouse["protocol"], clickhouse["port"]) in {("native", 9000), ("http", 8123)}
    assert clickhouse["defaultDatabase"] == "llm_proxy"
    assert re.fullmatch(r"\$\{\w+\}", clickhouse["username"])
    assert re.fullmatch(r"\$\{\w+\}", provisioned["clickhouse"]["secureJsonData"]["password"])


def test_dashboard_provider_loads_files_from_one_folder() -> None:
    """One file provider points Grafana at the folder the JSON files are mounted in."""
    (provider,) = _provisioning("dashboards.yml")["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"].startswith("/")
    assert provider["disableDeletion"] is True
