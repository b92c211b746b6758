"""The evidence report as one self-contained HTML file: inline CSS, inline SVG charts, no
script and nothing fetched (deployments are often offline), laid out to print on A4.

Every value is escaped on its way in: model names, users and rule ids come from callers
and configuration, and the report must not run what it quotes.
"""

from __future__ import annotations

from html import escape

from proxy.report.data import ReportData
from proxy.report.svg import Series, horizontal_bars, proportion_bar, stacked_columns
from proxy.report.text import Chart, Heading, Table, day_time, sections, summary_items

#: Colours of outcomes (colour-blind safe palette, Okabe-Ito).
ALLOWED, FLAGGED, MASKED, BLOCKED, REFUSED = "#56B4E9", "#E69F00", "#009E73", "#D55E00", "#999999"
MONITOR, UNCHECKED = "#CC79A7", "#000000"

_CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 28px 32px 48px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 34px 0 6px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.meta, p.intro { color: var(--muted); margin: 2px 0 10px; }
nav ol { columns: 3; margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
nav a { color: var(--ink); text-decoration: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px;
        padding: 8px 12px; background: #fff; }
.card .v { font-size: 21px; font-weight: 650; display: block; }
.card .l { color: var(--muted); font-size: 12px; }
.card.good { border-left-color: #009E73; } .card.bad { border-left-color: #D55E00; }
.card.warn { border-left-color: #E69F00; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 12.5px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
p.empty { color: var(--muted); font-style: italic; }
svg.chart { width: 100%; height: auto; margin: 6px 0 10px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .ax, svg .lg { font: 11px sans-serif; fill: var(--muted); }
svg .lg { fill: var(--ink); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px;
         border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, svg.chart, .cards, h3 { break-inside: avoid; page-break-inside: avoid; }
  section { break-before: auto; }
  tbody tr:nth-child(even) td { background: none; }
}
"""


def render_html(data: ReportData) -> str:
    """The whole document."""
    period = data.period
    title = f"AI use evidence report {period.first_day} to {period.last_day}"
    outline = sections(data)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Generated {escape(day_time(data.generated_at.isoformat()))} UTC by '
        f"llm-proxy from {escape(data.source)}. Period: {period.first_day} 00:00 to "
        f"{period.last_day} 24:00 UTC.</p>",
        "<nav><ol>",
        *(f'<li><a href="#{s.id}">{escape(s.title)}</a></li>' for s in outline),
        "</ol></nav></header>",
        '<section id="summary"><h2>Summary</h2><div class="cards">',
        *(
            f'<div class="card {tone}"><span class="v">{escape(value)}</span>'
            f'<span class="l">{escape(label)}</span></div>'
            for label, value, tone in summary_items(data)
        ),
        "</div></section>",
    ]
    for section in outline:
        parts.append(f'<section id="{section.id}"><h2>{escape(section.title)}</h2>')
        parts.append(f'<p class="intro">{escape(section.intro)}</p>')
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(_table(block))
            elif isinstance(block, Heading):
                parts.append(f"<h3>{escape(block.text)}</h3>")
            else:
                parts.append(_chart(block, data))
        parts.append("</section>")
    parts.append(
        "<footer>No prompt or answer text is in this report: only identities, models, rule "
        "ids, entity types, counts and hashes. Machine-readable form: "
        "<code>llm-proxy report --format json</code>.</footer></body></html>"
    )
    return "\n".join(parts) + "\n"


def _table(table: Table) -> str:
    if not table.rows:
        return f'<p class="empty">{escape(table.empty)}</p>'

    def cls(index: int) -> str:
        return ' class="n"' if index in table.numeric else ""

    head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(table.headers))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{escape(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(chart: Chart, data: ReportData) -> str:
    if chart.name == "volume":
        days = data.daily
        series = [
            Series("allowed", ALLOWED, [d.count("allow") for d in days]),
            Series("flagged", FLAGGED, [d.count("flag") for d in days]),
            Series(
                "redacted or pseudonymised",
                MASKED,
                [d.count("redact") + d.count("pseudonymise") for d in days],
            ),
            Series("blocked", BLOCKED, [d.count("block") for d in days]),
            Series(
                "refused or failed", REFUSED, [d.count("reject") + d.count("error") for d in days]
            ),
        ]
        return stacked_columns([d.name for d in days], series, title="Calls per day by outcome")
    if chart.name == "rules":
        colours = {"monitor": MONITOR, "unchecked": UNCHECKED}
        rows = [
            (
                f"{r.rule}" + (" (monitor)" if r.kind == "monitor" else ""),
                [
                    (
                        r.calls,
                        colours.get(
                            r.kind,
                            BLOCKED
                            if r.action == "block"
                            else MASKED
                            if r.action in ("redact", "pseudonymise")
                            else FLAGGED,
                        ),
                    )
                ],
            )
            for r in data.rules
        ]
        return horizontal_bars(rows, title="Calls matched per rule")
    c = data.coverage
    failed = c.needing - c.inspected
    segments = [
        Series("inspected", MASKED, [c.inspected]),
        Series("decided without findings", BLOCKED, [failed]),
        Series("refused before inspection", REFUSED, [c.refused]),
    ]
    return proportion_bar(segments, title="Detection coverage")
