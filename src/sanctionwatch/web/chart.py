"""The relations timeline as an SVG the dashboard draws server-side (no script; CSP-safe): one
line per event type, flags and incidents as markers, the most corroborated incidents labelled,
and the cooperation–conflict index as bars. `relations.html` turns this geometry into SVG."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis.relations import Timeline

WIDTH, LEFT, RIGHT = 960, 56, 16
PAD = 28  # between the axis labels and the first and last periods
TOP_HEIGHT, MARKS_HEIGHT, BARS_HEIGHT, GAP = 240, 36, 110, 26
MAX_LINES = 6  # event types drawn as lines; the rest are summed as "other"


@dataclass
class Chart:
    width: int
    height: int
    lines: list[dict[str, Any]] = field(default_factory=list)  # name, css class, points, total
    y_ticks: list[dict[str, Any]] = field(default_factory=list)  # y, label
    x_labels: list[dict[str, Any]] = field(default_factory=list)  # x, label
    flags: list[dict[str, Any]] = field(default_factory=list)  # x, y, count, detail
    incidents: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)  # x, y, text, id
    bars: list[dict[str, Any]] = field(default_factory=list)  # x, y, w, h, positive, value
    zero: float = 0.0  # y of the index's zero line
    marks_y: float = 0.0
    bars_top: float = 0.0
    index_range: tuple[float, float] = (0.0, 0.0)


def chart(timeline: Timeline) -> Chart | None:
    periods = timeline.periods
    if not periods:
        return None
    n = len(periods)
    plot = WIDTH - LEFT - RIGHT - 2 * PAD
    step = plot / max(n - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + PAD + (i * step if n > 1 else plot / 2), 1)

    out = Chart(WIDTH, TOP_HEIGHT + GAP + MARKS_HEIGHT + GAP + BARS_HEIGHT + 24)
    types = timeline.types
    series = {t: [p.events.get(t, 0) for p in periods] for t in types[:MAX_LINES]}
    if len(types) > MAX_LINES:
        series["other"] = [sum(p.events.get(t, 0) for t in types[MAX_LINES:]) for p in periods]
    peak = max([1, *(v for values in series.values() for v in values)])
    base = TOP_HEIGHT

    def y(value: float) -> float:
        return round(base - 8 - (base - 20) * value / peak, 1)

    for k, (name, values) in enumerate(series.items()):
        out.lines.append({"name": name, "css": f"s{k}", "total": sum(values),
                          "points": " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))})
    out.y_ticks = [{"y": y(v), "label": str(v)} for v in sorted({0, peak // 2, peak})]
    every = max(1, n // 12)
    out.x_labels = [{"x": x(i), "label": p.period} for i, p in enumerate(periods) if i % every == 0]

    out.marks_y = TOP_HEIGHT + GAP + MARKS_HEIGHT / 2
    for i, p in enumerate(periods):
        flagged, incidents = sum(p.flags.values()), sum(p.incidents.values())
        if flagged:
            out.flags.append({"x": x(i), "y": out.marks_y - 8, "count": flagged, "period": p.period,
                              "detail": ", ".join(f"{c} {v}" for c, v in p.flags.most_common())})
        if incidents:
            out.incidents.append({"x": x(i), "y": out.marks_y + 8, "count": incidents,
                                  "period": p.period, "detail": ", ".join(
                                      f"{c} {v}" for c, v in p.incidents.most_common())})
    where = {p.period: i for i, p in enumerate(periods)}
    for k, incident in enumerate(timeline.top_incidents):
        if incident["period"] in where:
            at = x(where[incident["period"]])
            right = at > WIDTH * 0.6  # labels on the right run leftwards, so they stay inside
            out.labels.append({"x": at, "y": 16 + 16 * k, "dx": -4 if right else 4,
                               "anchor": "end" if right else "start",
                               "text": f"#{incident['id']} {incident['title']}"[:70]})

    out.bars_top = TOP_HEIGHT + GAP + MARKS_HEIGHT + GAP
    low = min(0.0, *(p.index for p in periods))
    high = max(0.0, *(p.index for p in periods))
    span = (high - low) or 1.0
    out.zero = round(out.bars_top + BARS_HEIGHT * high / span, 1)
    width = max(2.0, min(24.0, step * 0.7))
    for i, p in enumerate(periods):
        h = round(BARS_HEIGHT * abs(p.index) / span, 1)
        top = out.zero - h if p.index >= 0 else out.zero
        out.bars.append({"x": round(x(i) - width / 2, 1), "y": top, "w": round(width, 1), "h": h,
                         "positive": p.index >= 0, "value": round(p.index, 1), "period": p.period})
    out.index_range = (round(low, 1), round(high, 1))
    return out
