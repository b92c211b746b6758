"""Charts for the HTML report as inline SVG: no script, no external file, printable.

Every label is escaped: model names and rule ids come from callers and configuration
files, and a report must not run what it quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class Series:
    """One colour of a stacked chart: its name, colour and a value per bar."""

    name: str
    colour: str
    values: Sequence[int]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    for s in series:
        parts.append(
            f'<rect x="{x:.0f}" y="{y - 9:.0f}" width="10" height="10" fill="{s.colour}"/>'
        )
        parts.append(f'<text x="{x + 14:.0f}" y="{y:.0f}" class="lg">{escape(s.name)}</text>')
        x += 22 + 7 * len(s.name)
    return parts


def stacked_columns(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 900
) -> str:
    """A column per label (a day), each stacked from ``series``; every 7th label shown."""
    height, left, right, top, bottom = 260, 48, 10, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar = max(slot * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{value:,.0f}</text>'
        )
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for s in series:
            h = plot_h * s.values[i] / top_value
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{s.colour}"><title>{escape(label)} {escape(s.name)}: '
                    f"{s.values[i]:,}</title></rect>"
                )
        if i % 7 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" class="ax" '
                f'text-anchor="middle">{escape(label[5:])}</text>'
            )
    parts += _legend(series, left, height - 8)
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    rows: Sequence[tuple[str, Sequence[tuple[int, str]]]], *, title: str, width: int = 900
) -> str:
    """One bar per row (a rule), made of coloured segments ``(value, colour)``."""
    row_h, left, right, top = 24, 260, 70, 8
    height = top + row_h * max(len(rows), 1) + 8
    top_value = _nice_max(max((sum(v for v, _ in segs) for _, segs in rows), default=0))
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, segments) in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" class="ax" text-anchor="end">{escape(label)}</text>'
        )
        x = float(left)
        for value, colour in segments:
            w = plot_w * value / top_value
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{colour}"/>'
                )
                x += w
        total = sum(v for v, _ in segments)
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" class="ax">{total:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def proportion_bar(segments: Sequence[Series], *, title: str, width: int = 900) -> str:
    """One full-width bar split by share (coverage), with a legend under it."""
    height, left, right = 64, 10, 10
    total = sum(s.values[0] for s in segments) or 1
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    x = float(left)
    for s in segments:
        w = plot_w * s.values[0] / total
        if w > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="6" width="{w:.1f}" height="26" fill="{s.colour}">'
                f"<title>{escape(s.name)}: {s.values[0]:,}</title></rect>"
            )
            x += w
    legend = [Series(f"{s.name} ({s.values[0]:,})", s.colour, s.values) for s in segments]
    parts += _legend(legend, left, 54)
    parts.append("</svg>")
    return "".join(parts)
