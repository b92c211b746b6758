"""The test expander renders Grafana variables and ClickHouse plugin macros as they do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

import pytest

from tests.dashboards.macros import (
    ALL,
    All,
    ExpansionError,
    TimeRange,
    Value,
    expand_clickhouse,
    expand_prometheus,
    macro_arguments,
)

START: Final = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 1772366400
END: Final = datetime(2026, 3, 2, 12, 0, 0, 500_000, tzinfo=UTC)  # 1772452800.5
TIME: Final = TimeRange(START, END, interval_s=300)


def ch(sql: str, **variables: Value) -> str:
    return expand_clickhouse(sql, time=TIME, variables=variables)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("$__timeFilter(ts)", "ts >= toDateTime(1772366400) AND ts <= toDateTime(1772452800)"),
        (
            "$__timeFilter_ms(v.ts)",
            "v.ts >= fromUnixTimestamp64Milli(1772366400000)"
            " AND v.ts <= fromUnixTimestamp64Milli(1772452800500)",
        ),
        ("$__dateFilter(d)", "d >= toDate('2026-03-01') AND d <= toDate('2026-03-02')"),
        ("$__fromTime - $__toTime", "toDateTime(1772366400) - toDateTime(1772452800)"),
        ("$__toTime_ms", "fromUnixTimestamp64Milli(1772452800500)"),
        ("$__timeInterval(ts)", "toStartOfInterval(toDateTime(ts), INTERVAL 300 second)"),
        (
            "$__timeInterval_ms(ts)",
            "toStartOfInterval(toDateTime64(ts, 3), INTERVAL 300000 millisecond)",
        ),
        ("greatest($__interval_s, 60)", "greatest(300, 60)"),
    ],
)
def test_clickhouse_macros_render_like_the_plugin(sql: str, expected: str) -> None:
    """Each backend macro gives the text the plugin's Go code gives."""
    assert ch(sql) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ALL, "1=1 AND x"),
        ("", "1=1 AND x"),
        (("a", "b"), "team IN ('a','b') AND x"),
        ("a", "team IN ('a') AND x"),
        (("o'brien",), "team IN ('o\\'brien') AND x"),
    ],
)
def test_conditional_all_drops_the_filter_for_all(value: Value, expected: str) -> None:
    """``$__conditionalAll`` is ``1=1`` for All or empty, else the quoted condition."""
    assert ch("$__conditionalAll(team IN (${team:singlequote}), $team) AND x", team=value) == (
        expected
    )


def test_conditional_all_keeps_commas_inside_its_condition() -> None:
    """A condition with its own function arguments and arrays is kept whole."""
    sql = "$__conditionalAll(hasAny(entity_types, [${e:singlequote}]), ${e})"
    assert ch(sql, e=("A", "B")) == "hasAny(entity_types, ['A','B'])"


def test_plugin_default_format_quotes_multi_values_and_leaves_single_values_raw() -> None:
    """``$var`` is ``'a','b'`` for several values and the bare value for one."""
    assert ch("x IN ($v) OR y = $w", v=("a", "b"), w="7") == "x IN ('a','b') OR y = 7"


def test_custom_all_value_is_inserted_unformatted() -> None:
    """A custom all value bypasses the format, as in Grafana."""
    assert ch("x = ${v:singlequote}", v=All("'__all__'")) == "x = '__all__'"


@pytest.mark.parametrize(
    "sql",
    ["SELECT $nope", "SELECT $__notAMacro", "SELECT ${v:csv}", "$__timeFilter(a, b)"],
)
def test_unknown_variables_macros_and_formats_are_errors(sql: str) -> None:
    """Anything the expander does not know fails loudly instead of reaching the engine."""
    with pytest.raises(ExpansionError):
        ch(sql, v=("a",))


def test_database_name_is_replaced_only_as_a_qualifier() -> None:
    """``llm_proxy.table`` moves to the test database; other mentions stay."""
    sql = "SELECT 'llm_proxy' FROM llm_proxy.requests JOIN llm_proxy.audit_log"
    expanded = expand_clickhouse(sql, time=TIME, variables={}, database="test_db")
    assert expanded == "SELECT 'llm_proxy' FROM test_db.requests JOIN test_db.audit_log"


def test_macro_arguments_skip_nested_brackets_and_strings() -> None:
    """Arguments split only on top-level commas, and the end index follows the ``)``."""
    text = "f(a(1, 2), '[,)', [3, 4]) tail"
    assert macro_arguments(text, 1) == (["a(1, 2)", " '[,)'", " [3, 4]"], len(text) - 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ALL, 'x{team=~".*"}[1m]'),
        (("a", "b.c"), 'x{team=~"(a|b\\\\.c)"}[1m]'),
        ("solo", 'x{team=~"solo"}[1m]'),
        (("solo",), 'x{team=~"solo"}[1m]'),
    ],
)
def test_prometheus_variables_become_regex_alternations(value: Value, expected: str) -> None:
    """Multi-values become an escaped alternation; All becomes ``.*``."""
    assert expand_prometheus('x{team=~"$team"}[$__rate_interval]', variables={"team": value}) == (
        expected
    )


def test_prometheus_unknown_builtin_is_an_error() -> None:
    """An unknown ``$__`` variable fails instead of reaching Prometheus."""
    with pytest.raises(ExpansionError):
        expand_prometheus("rate(x[$__rate])", variables={})
