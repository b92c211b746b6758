"""What Grafana and its datasources do to a query before it runs, done here for tests.

ClickHouse panels (``grafana-clickhouse-datasource``), in the plugin's order:

1. ``$__conditionalAll(condition, $var)`` (plugin front end): ``1=1`` when the variable is
   "All" (or empty), else the condition.
2. Template variables (Grafana's template service with the plugin's default format):
   ``$var`` / ``${var}`` give a multi-value as ``'a','b'`` and a single value raw;
   ``${var:singlequote}`` quotes every value and escapes ``'`` as ``\\'``; "All" with a
   custom all value gives that value unformatted.
3. Backend macros (plugin ``pkg/macros``): ``$__timeFilter(col)``, ``$__timeFilter_ms``,
   ``$__dateFilter``, ``$__fromTime``, ``$__toTime`` (and ``_ms``), ``$__timeInterval(col)``,
   ``$__timeInterval_ms``, ``$__interval_s``, rendered exactly as the plugin renders them.

Prometheus panels: ``$__rate_interval``, ``$__interval``, ``$__range`` and variables, a
multi-value becoming a regex alternation of escaped values.

Anything left over (an unknown variable or macro) raises :class:`ExpansionError`, so a
typo in a dashboard fails its test instead of reaching Grafana.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final


class ExpansionError(ValueError):
    """A query uses a variable or macro the expander does not know."""


@dataclass(frozen=True)
class All:
    """Grafana's "All" option of a variable, with the variable's custom all value."""

    all_value: str = ".*"


#: A variable's current value: one value, several, or "All".
Value = str | tuple[str, ...] | All

#: What a Grafana dashboard range and panel interval give the query.
ALL: Final = All()


@dataclass(frozen=True)
class TimeRange:
    """The dashboard's time range and the panel's interval."""

    start: datetime
    end: datetime
    interval_s: int = 60

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("time range bounds must be timezone-aware")


# Grafana's template variable syntaxes: $name, ${name}, ${name:format}, [[name]] (legacy).
_VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]")
_MACRO = re.compile(r"\$__(\w+)")
_CONDITIONAL_ALL = "$__conditionalAll("


def macro_arguments(text: str, open_paren: int) -> tuple[list[str], int]:
    """Split the arguments of a call whose ``(`` is at ``open_paren``; return them and the
    index after the closing ``)``. Commas inside nested parentheses, brackets or quoted
    strings do not split."""
    if text[open_paren] != "(":
        raise ExpansionError(f"expected '(' at {open_paren}: {text[open_paren:][:40]!r}")
    args: list[str] = []
    depth = 0
    quote: str | None = None
    start = open_paren + 1
    i = open_paren
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                args.append(text[start:i])
                return args, i + 1
        elif char == "," and depth == 1:
            args.append(text[start:i])
            start = i + 1
        i += 1
    raise ExpansionError(f"unbalanced parentheses after {text[open_paren:][:40]!r}")


def _variable_name(argument: str) -> str:
    match = re.fullmatch(r"\s*\$\{?(\w+)\}?\s*", argument)
    if not match:
        raise ExpansionError(f"$__conditionalAll needs a variable, got {argument!r}")
    return match.group(1)


def _conditional_all(sql: str, variables: Mapping[str, Value]) -> str:
    while (at := sql.rfind(_CONDITIONAL_ALL)) != -1:
        args, end = macro_arguments(sql, at + len(_CONDITIONAL_ALL) - 1)
        if len(args) != 2:
            raise ExpansionError(f"$__conditionalAll takes 2 arguments, got {args!r}")
        name = _variable_name(args[1])
        if name not in variables:
            raise ExpansionError(f"$__conditionalAll on unknown variable {name!r}")
        value = variables[name]
        selects_everything = isinstance(value, All) or value in ("", ())
        sql = sql[:at] + ("1=1" if selects_everything else args[0]) + sql[end:]
    return sql


def _singlequote(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


def _format_sql(value: str | tuple[str, ...], fmt: str | None) -> str:
    if fmt == "singlequote":
        values = (value,) if isinstance(value, str) else value
        return ",".join(_singlequote(v) for v in values)
    if fmt is None:
        # The ClickHouse plugin's own format function: arrays quoted (unescaped), scalars raw.
        return value if isinstance(value, str) else ",".join(f"'{v}'" for v in value)
    raise ExpansionError(f"unsupported variable format {fmt!r} in a ClickHouse query")


def _format_prometheus(value: str | tuple[str, ...], fmt: str | None) -> str:
    if fmt not in (None, "regex"):
        raise ExpansionError(f"unsupported variable format {fmt!r} in a Prometheus query")
    values = (value,) if isinstance(value, str) else value
    # Grafana's prometheusSpecialRegexEscape: regex metacharacters get a backslash, doubled
    # because the regex sits inside a PromQL string literal.
    escaped = [
        re.sub(r"([$^*{}\[\]'+?.()|])", r"\\\\\1", v.replace("\\", "\\\\\\\\")) for v in values
    ]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


def _substitute(text: str, variables: Mapping[str, Value], *, prometheus: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = match.group(3) or match.group(5)
        if name.startswith("__"):
            return match.group(0)  # a global variable or macro, expanded later
        if name not in variables:
            raise ExpansionError(f"unknown variable ${name}")
        value = variables[name]
        if isinstance(value, All):
            return value.all_value  # Grafana inserts a custom all value unformatted
        return _format_prometheus(value, fmt) if prometheus else _format_sql(value, fmt)

    return _VARIABLE.sub(replace, text)


def _date_time(moment: datetime) -> str:
    return f"toDateTime({int(moment.timestamp())})"


def _date_time_ms(moment: datetime) -> str:
    return f"fromUnixTimestamp64Milli({int(moment.timestamp() * 1000)})"


def _date(moment: datetime) -> str:
    return f"toDate('{moment.astimezone(UTC):%Y-%m-%d}')"


def _clickhouse_macro(name: str, args: list[str], time: TimeRange) -> str:
    """One backend macro of the ClickHouse plugin, as its Go code renders it."""
    interval = max(time.interval_s, 1)
    if name in ("timeFilter", "timeFilter_ms", "dateFilter", "timeInterval", "timeInterval_ms"):
        if len(args) != 1:
            raise ExpansionError(f"$__{name} takes one argument, got {args!r}")
        column = args[0].strip()
        bound = {"timeFilter": _date_time, "timeFilter_ms": _date_time_ms, "dateFilter": _date}
        if name in bound:
            low, high = bound[name](time.start), bound[name](time.end)
            return f"{column} >= {low} AND {column} <= {high}"
        if name == "timeInterval":
            return f"toStartOfInterval(toDateTime({column}), INTERVAL {interval} second)"
        return (
            f"toStartOfInterval(toDateTime64({column}, 3), INTERVAL {interval * 1000} millisecond)"
        )
    if args:
        raise ExpansionError(f"$__{name} takes no arguments, got {args!r}")
    simple = {
        "fromTime": _date_time(time.start),
        "toTime": _date_time(time.end),
        "fromTime_ms": _date_time_ms(time.start),
        "toTime_ms": _date_time_ms(time.end),
        "interval_s": str(interval),
    }
    if name not in simple:
        raise ExpansionError(f"unknown ClickHouse macro $__{name}")
    return simple[name]


def _clickhouse_macros(sql: str, time: TimeRange) -> str:
    out: list[str] = []
    position = 0
    for match in _MACRO.finditer(sql):
        if match.start() < position:
            continue  # inside the arguments of a macro already expanded
        out.append(sql[position : match.start()])
        name = match.group(1)
        args: list[str] = []
        position = match.end()
        if position < len(sql) and sql[position] == "(":
            args, position = macro_arguments(sql, position)
        out.append(_clickhouse_macro(name, args, time))
    out.append(sql[position:])
    return "".join(out)


def expand_clickhouse(
    sql: str,
    *,
    time: TimeRange,
    variables: Mapping[str, Value],
    database: str | None = None,
) -> str:
    """The SQL the ClickHouse plugin sends for ``sql``; ``database`` replaces ``llm_proxy``."""
    sql = _conditional_all(sql, variables)
    sql = _substitute(sql, variables, prometheus=False)
    sql = _clickhouse_macros(sql, time)
    if "$" in sql:
        raise ExpansionError(f"unexpanded '$' left in: {sql}")
    if database is not None:
        sql = re.sub(r"\bllm_proxy\.", f"{database}.", sql)
    return sql


def expand_prometheus(
    expr: str,
    *,
    variables: Mapping[str, Value],
    rate_interval: str = "1m",
    interval: str = "15s",
    range_: str = "1h",
) -> str:
    """The PromQL Grafana sends for ``expr``."""
    expr = _substitute(expr, variables, prometheus=True)
    builtins = {"rate_interval": rate_interval, "interval": interval, "range": range_}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in builtins:
            raise ExpansionError(f"unknown Grafana variable $__{name} in {expr!r}")
        return builtins[name]

    expr = _MACRO.sub(replace, expr)
    if "$" in expr:
        raise ExpansionError(f"unexpanded '$' left in: {expr}")
    return expr
