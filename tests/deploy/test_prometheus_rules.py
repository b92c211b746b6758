"""The Prometheus rules in deploy/prometheus: valid, unit-tested, annotated, and written
against the metrics the proxy really exports (proxy/metrics.py)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.metrics import MetricWrapperBase

from detectors.entities import SECRET_ENTITY_TYPES
from proxy.metrics import Metrics
from tests.deploy.prom import CONFIG_FILE, RULE_FILES, require_tool, shipped_rule_groups

HERE = Path(__file__).resolve().parent
UNIT_TEST_FILES = sorted(HERE.glob("*_test.yml"))
DASHBOARD_UIDS = ("llm-proxy-ops", "llm-proxy-security", "llm-proxy-investigation")
SEVERITIES = {"critical", "warning", "info"}
# Labels Prometheus adds to every scraped series.
TARGET_LABELS = frozenset({"job", "instance"})
# Series the rules may use that the proxy does not export.
PROMETHEUS_SERIES = {"up": TARGET_LABELS}

# A metric name of ours: not part of a recording rule name (level:metric:ops).
_OUR_METRIC = re.compile(r"(?<![\w:])llm_proxy_\w+(?![\w:])")
_RECORDED = re.compile(r"(?<![\w:])\w+:\w+:\w+(?![\w:])")
_SELECTOR = re.compile(r"(?<![\w:])([a-zA-Z_]\w*)\s*\{([^}]*)\}")
_MATCHER = re.compile(r"(\w+)\s*(?:=~|!~|!=|=)\s*\"")
_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "info": ("_info",),
}


def _exported_series() -> dict[str, frozenset[str]]:
    """Map every series name a fresh ``Metrics`` exports to its label names."""
    metrics = Metrics(CollectorRegistry())
    # Label names are not in collect() output until a child exists, and client_python has no
    # public accessor for them: read the wrappers' attributes.
    labels_of = {
        m._name: frozenset(m._labelnames)
        for m in vars(metrics).values()
        if isinstance(m, MetricWrapperBase)
    }
    series: dict[str, frozenset[str]] = {}
    for family in metrics.registry.collect():
        labels = labels_of[family.name] | TARGET_LABELS
        for suffix in _SUFFIXES[family.type]:
            series[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return series


EXPORTED = _exported_series()
KNOWN_SERIES = {**EXPORTED, **PROMETHEUS_SERIES}


def _rules() -> Iterator[dict[str, Any]]:
    for group in shipped_rule_groups():
        yield from group["rules"]


ALERTS = [rule for rule in _rules() if "alert" in rule]
RECORDED_NAMES = {rule["record"] for rule in _rules() if "record" in rule}


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed binary, our own files
        [require_tool("promtool"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"{' '.join(result.args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )


def test_promtool_check_rules() -> None:
    """``promtool check rules`` accepts the recording and alerting rule files."""
    _assert_ok(_promtool("check", "rules", *map(str, RULE_FILES)))


def test_promtool_check_config() -> None:
    """``promtool check config`` accepts the shipped scrape config and finds its rule files."""
    _assert_ok(_promtool("check", "config", str(CONFIG_FILE)))


def test_unit_test_files_exist() -> None:
    """The promtool unit test files are where the parametrized test below looks for them."""
    assert HERE / "alerts_test.yml" in UNIT_TEST_FILES


@pytest.mark.parametrize("path", UNIT_TEST_FILES, ids=lambda path: path.name)
def test_promtool_unit_tests_pass(path: Path) -> None:
    """Every ``promtool test rules`` case in the file passes."""
    _assert_ok(_promtool("test", "rules", str(path)))


def test_scrape_config_targets_the_proxy() -> None:
    """The shipped config scrapes job llm-proxy at proxy:9464/metrics (the proxy's metrics
    listener, not its API port) and loads both rule files."""
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    (job,) = (j for j in config["scrape_configs"] if j["job_name"] == "llm-proxy")
    assert job.get("metrics_path", "/metrics") == "/metrics"
    assert job["static_configs"] == [{"targets": ["proxy:9464"]}]
    assert sorted(config["rule_files"]) == sorted(path.name for path in RULE_FILES)


def _unit_tests() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in UNIT_TEST_FILES:
        yield path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_alert_has_a_firing_unit_test() -> None:
    """Each alert is expected to fire in at least one promtool test case."""
    fired = {
        case["alertname"]
        for _, suite in _unit_tests()
        for test in suite["tests"]
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    missing = sorted({rule["alert"] for rule in ALERTS} - fired)
    assert not missing, f"alerts without a firing test case: {missing}"


def test_unit_tests_evaluate_recording_rules_first() -> None:
    """Each promtool test file orders every rule group, recording groups before alert groups."""
    recording = [g["name"] for g in shipped_rule_groups() if all("record" in r for r in g["rules"])]
    alerting = [g["name"] for g in shipped_rule_groups() if g["name"] not in recording]
    for path, suite in _unit_tests():
        assert suite.get("group_eval_order") == recording + alerting, path.name


@pytest.mark.parametrize("rule", ALERTS, ids=lambda rule: rule["alert"])
def test_alert_is_annotated_for_the_responder(rule: dict[str, Any]) -> None:
    """An alert has a severity, a summary, a description and a link to a known dashboard."""
    assert rule.get("labels", {}).get("severity") in SEVERITIES
    annotations = rule.get("annotations", {})
    for key in ("summary", "description", "dashboard"):
        assert str(annotations.get(key, "")).strip(), f"missing annotation {key!r}"
    assert "first" in annotations["description"].lower(), "say what to do first"
    uid = annotations["dashboard"].removeprefix("/d/").split("?")[0]
    assert uid in DASHBOARD_UIDS


def _expressions() -> Iterator[tuple[str, str]]:
    for rule in _rules():
        yield rule.get("alert") or rule["record"], rule["expr"]


def test_rules_use_only_exported_metrics() -> None:
    """Every ``llm_proxy_*`` name in a rule is a series that proxy/metrics.py exports."""
    unknown = {
        (name, metric)
        for name, expr in _expressions()
        for metric in _OUR_METRIC.findall(expr)
        if metric not in EXPORTED
    }
    assert not unknown, f"rules use metrics the proxy does not export: {sorted(unknown)}"


def test_rules_use_only_defined_recording_rules() -> None:
    """Every ``level:metric:ops`` name a rule reads is defined by a recording rule."""
    undefined = {
        (name, used)
        for name, expr in _expressions()
        for used in _RECORDED.findall(expr)
        if used not in RECORDED_NAMES
    }
    assert not undefined, f"rules read undefined recording rules: {sorted(undefined)}"


def test_rule_selectors_match_real_labels() -> None:
    """Label matchers on proxy metrics name labels the metric has (a typo would match nothing)."""
    wrong = [
        (name, metric, label)
        for name, expr in _expressions()
        for metric, matchers in _SELECTOR.findall(expr)
        if metric in KNOWN_SERIES
        for label in _MATCHER.findall(matchers)
        if label not in KNOWN_SERIES[metric]
    ]
    assert not wrong, f"matchers on labels the metric does not have: {wrong}"


def test_unit_test_series_look_like_the_proxys() -> None:
    """promtool input series use exported metric names and only their real labels."""
    wrong = []
    for path, suite in _unit_tests():
        for test in suite["tests"]:
            for item in test.get("input_series", []):
                series = item["series"]
                name = series.split("{", 1)[0].strip()
                labels = set(re.findall(r"(\w+)\s*=\s*\"", series.partition("{")[2]))
                if name not in KNOWN_SERIES or not labels <= KNOWN_SERIES[name]:
                    wrong.append((path.name, series))
    assert not wrong, f"input series unlike what the proxy exports: {wrong}"


@pytest.mark.parametrize(
    "record",
    [
        # What LLMProxySecretOrCardDataBlocked fires on.
        "entity_type_direction:llm_proxy_sensitive_entities_blocked:increase5m",
        # What the security dashboard shows as found.
        "entity_type_direction:llm_proxy_sensitive_findings:increase5m",
    ],
)
def test_sensitive_entity_types_match_the_detectors(record: str) -> None:
    """The secrets-and-cards rules cover exactly the detectors' secret types plus CREDIT_CARD."""
    (rule,) = (r for r in _rules() if r.get("record") == record)
    alternatives = re.findall(r'entity_type=~"([^"]+)"', rule["expr"])
    assert alternatives, "no entity_type matcher"
    expected = SECRET_ENTITY_TYPES | {"CREDIT_CARD"}
    for alternative in alternatives:
        assert set(alternative.split("|")) == expected
