"""The evidence report as Markdown (GitHub-flavoured tables), for wikis and tickets.

The same sections, tables and figures as the HTML report, without the charts. Cells are
escaped so a ``|``, a newline or markup in a model name cannot break a table or be
rendered as HTML by a Markdown viewer.
"""

from __future__ import annotations

from html import escape

from proxy.report.data import ReportData
from proxy.report.text import Heading, Table, day_time, sections, summary_items


def render_markdown(data: ReportData) -> str:
    period = data.period
    lines = [
        f"# AI use evidence report {period.first_day} to {period.last_day}",
        "",
        f"Generated {day_time(data.generated_at.isoformat())} UTC by llm-proxy from "
        f"{cell(data.source)}. Period: {period.first_day} 00:00 to {period.last_day} 24:00 UTC.",
        "",
        "## Summary",
        "",
        *_table(
            Table(
                ["Measure", "Value"],
                [[label, value] for label, value, _ in summary_items(data)],
                numeric=frozenset({1}),
            )
        ),
    ]
    for section in sections(data):
        lines += ["", f"## {section.title}", "", section.intro, ""]
        for block in section.blocks:
            if isinstance(block, Table):
                lines += [*_table(block), ""]
            elif isinstance(block, Heading):
                lines += [f"### {block.text}", ""]
    lines += [
        "",
        "No prompt or answer text is in this report: only identities, models, rule ids, "
        "entity types, counts and hashes.",
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def cell(text: str) -> str:
    """A table cell: one line, markup shown as text (``&lt;``), pipes escaped."""
    flat = escape(" ".join(text.split()), quote=False)
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def _table(table: Table) -> list[str]:
    if not table.rows:
        return [f"_{cell(table.empty)}_"]
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.headers))]
    return [
        "| " + " | ".join(cell(h) for h in table.headers) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(cell(c) for c in row) + " |" for row in table.rows),
    ]
