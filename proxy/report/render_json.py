"""The evidence report as JSON for GRC tools: :meth:`ReportData.to_dict`, keys sorted.

The keys are documented in the README ("Evidence for audits"); ``report_version`` changes
when one is renamed or removed.
"""

from __future__ import annotations

import orjson

from proxy.report.data import ReportData


def render_json(data: ReportData) -> bytes:
    return orjson.dumps(data.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
