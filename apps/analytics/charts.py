"""Server-side SVG charts: no JavaScript, a few hundred bytes of markup, styled by analytics.css."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineChart:
    """Everything the template needs to draw a two-series line chart."""

    width: int
    height: int
    pad: int
    right: int
    visitors_points: str
    pageviews_points: str
    max_value: int
    gridlines: list[dict]
    labels: list[dict]
    rows: list[dict]


def nice_ceiling(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(rows: list[dict], *, width: int = 720, height: int = 240, pad: int = 56) -> LineChart:
    """Points for visitors and pageviews per row (``label``, ``visitors``, ``pageviews``)."""
    top = nice_ceiling(max([row["pageviews"] for row in rows] + [row["visitors"] for row in rows] + [0]))
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    count = max(len(rows) - 1, 1)

    def point(index: int, value: int) -> str:
        x = pad + inner_w * index / count
        y = pad + inner_h * (1 - value / top)
        return f"{x:.1f},{y:.1f}"

    every = max(1, len(rows) // 8)
    labels = [
        {"x": round(pad + inner_w * index / count, 1), "text": row["label"][-5:]}
        for index, row in enumerate(rows)
        if index % every == 0
    ]
    gridlines = [
        {"y": round(pad + inner_h * (1 - fraction), 1), "value": int(top * fraction)} for fraction in (0, 0.5, 1)
    ]
    return LineChart(
        width=width,
        height=height,
        pad=pad,
        right=width - pad,
        visitors_points=" ".join(point(i, row["visitors"]) for i, row in enumerate(rows)),
        pageviews_points=" ".join(point(i, row["pageviews"]) for i, row in enumerate(rows)),
        max_value=top,
        gridlines=gridlines,
        labels=labels,
        rows=rows,
    )
