"""The evidence report for auditors (issue 12): a period's register, policy versions,
volume, decisions, detection coverage, anomalies, content reads, retention and log-chain
verification, mapped to ISO/IEC 27001 and 42001 Annex A controls.

``collect`` reads it from the store into a :class:`ReportData`; ``render`` writes it as
HTML, Markdown or JSON. The CLI (:mod:`proxy.cli.report`) and the admin API
(:mod:`proxy.admin.report`) both go through :func:`build_report`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from clickhouse_connect.driver.client import Client

from proxy.config.settings import RegisterConfig
from proxy.report.collect import collect
from proxy.report.data import Period, ReportData, parse_period
from proxy.report.render_html import render_html
from proxy.report.render_json import render_json
from proxy.report.render_md import render_markdown
from proxy.store.audit import AuditEntry, Reader, record_audit
from proxy.store.settings import StoreSettings

FORMATS: dict[str, Callable[[ReportData], bytes]] = {
    "html": lambda data: render_html(data).encode(),
    "md": lambda data: render_markdown(data).encode(),
    "json": render_json,
}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def render(data: ReportData, fmt: str) -> bytes:
    """The report in ``fmt`` (html, md or json); ValueError for another format."""
    try:
        return FORMATS[fmt](data)
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})") from None


def build_report(
    client: Client,
    settings: StoreSettings,
    period: Period,
    *,
    reader: Reader,
    current_register: RegisterConfig,
    source: str,
    now: datetime,
    fmt: str,
) -> bytes:
    """Collect, record the read in ``audit_log``, render (blocking).

    The report holds metadata only, but it is a read of the event log like a search: the
    audit row names the reader, the action ``report`` and the period."""
    data = collect(
        client, settings, period, current_register=current_register, source=source, now=now
    )
    entry = AuditEntry(reader, "report", False, [], {**period.to_dict(), "format": fmt}, ts=now)
    record_audit(client, entry, database=settings.database)
    return render(data, fmt)


__all__ = ["FORMATS", "Period", "ReportData", "build_report", "parse_period", "render"]
