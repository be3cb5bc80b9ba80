"""A relations timeline drawn: PNG (matplotlib) or an interactive HTML page (Vega-Lite through
altair, its JavaScript inlined: the page opens without a network). Both need the `analysis`
extra: pip install 'sanctionwatch[analysis]'.

Top panel: one line per event type (events per period), flags and incidents as markers, the most
corroborated incidents labelled. Bottom panel: the cooperation-conflict index per period (sum of
Goldstein weights) as bars, and the share of the period's stored articles that name both states.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import SanctionwatchError
from .relations import Timeline

EXTRA = "pip install 'sanctionwatch[analysis]'"
_MAX_TYPES = 8  # lines drawn; rarer types are summed as "other"
# Text from articles reaches the charts' labels: no markup characters in them.
_UNSAFE = re.compile(r"[<>&\"'`\x00-\x1f\x7f]")


def _need(module: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise SanctionwatchError(f"plotting needs {module}, from the analysis extra: {EXTRA}") from None


def safe_label(text: str, limit: int = 60) -> str:
    text = _UNSAFE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _series(timeline: Timeline) -> dict[str, list[int]]:
    types = timeline.types
    shown, rest = types[:_MAX_TYPES], types[_MAX_TYPES:]
    series = {t: [p.events.get(t, 0) for p in timeline.periods] for t in shown}
    if rest:
        series["other"] = [sum(p.events.get(t, 0) for t in rest) for p in timeline.periods]
    return series


def _title(timeline: Timeline) -> str:
    pair = f"{timeline.a}–{timeline.b}" if timeline.b else f"{timeline.a} and other states"
    return f"{pair}: events, flags and incidents per {timeline.by}"


def draw(timeline: Timeline, path: Path) -> None:
    """Write the chart to `path`: .png or .html."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        draw_png(timeline, path)
    elif suffix in (".html", ".htm"):
        draw_html(timeline, path)
    else:
        raise SanctionwatchError(f"--plot takes a .png or .html file, not {path.name!r}")


def draw_png(timeline: Timeline, path: Path) -> None:
    matplotlib = _need("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = timeline.periods
    x = [p.start for p in periods]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 7), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 1.4]})
    for name, values in _series(timeline).items():
        top.plot(x, values, marker="o", markersize=3, linewidth=1.5, label=name)
    flags = [sum(p.flags.values()) for p in periods]
    found = [(d, v) for d, v in zip(x, flags, strict=True) if v]
    if found:
        top.scatter(*zip(*found, strict=True), marker="v", s=70, color="crimson", zorder=5,
                    label="flags")
    incidents = [sum(p.incidents.values()) for p in periods]
    found = [(d, v) for d, v in zip(x, incidents, strict=True) if v]
    if found:
        top.scatter(*zip(*found, strict=True), marker="D", s=50, facecolors="none",
                    edgecolors="black", zorder=6, label="incidents")
    starts = {p.period: p.start for p in periods}
    for n, incident in enumerate(timeline.top_incidents):
        when = starts.get(incident["period"])
        if when is not None:
            top.annotate(safe_label(f"#{incident['id']} {incident['title']}"), xy=(when, 0),
                         xytext=(0, 30 + 18 * n), textcoords="offset points", fontsize=8,
                         arrowprops={"arrowstyle": "-", "color": "grey"})
    top.set_ylabel("events (by type)")
    top.set_title(_title(timeline))
    top.legend(loc="upper left", fontsize=8, ncol=2)
    top.grid(alpha=0.3)
    index = [p.index for p in periods]
    bottom.bar(x, index, width=20 if timeline.by == "month" else 5,
               color=["seagreen" if v >= 0 else "firebrick" for v in index])
    bottom.axhline(0, color="black", linewidth=0.6)
    bottom.set_ylabel("Goldstein index\n(sum per period)")
    share = bottom.twinx()
    share.plot(x, [100 * p.articles / p.published if p.published else 0 for p in periods],
               color="grey", linestyle="--", linewidth=1)
    share.set_ylabel("% of articles\nnaming both", color="grey")
    bottom.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _rows(timeline: Timeline) -> list[dict[str, Any]]:
    rows = []
    for name, values in _series(timeline).items():
        for p, value in zip(timeline.periods, values, strict=True):
            rows.append({"period": p.period, "start": p.start.isoformat(), "series": name,
                         "value": value})
    return rows


def draw_html(timeline: Timeline, path: Path) -> None:
    alt = _need("altair")
    _need("vl_convert")  # altair inlines the Vega JavaScript through vl-convert
    periods = timeline.periods
    lines = alt.Chart(alt.Data(values=_rows(timeline))).mark_line(point=True).encode(
        x=alt.X("start:T", title=timeline.by), y=alt.Y("value:Q", title="events (by type)"),
        color=alt.Color("series:N", title="event type"),
        tooltip=["period:N", "series:N", "value:Q"])
    marks = [{"start": p.start.isoformat(), "period": p.period, "what": what, "value": value,
              "detail": safe_label(", ".join(f"{k} {v}" for k, v in counts.items()), 200)}
             for p in periods for what, counts in (("flags", p.flags), ("incidents", p.incidents))
             if (value := sum(counts.values()))]
    markers = alt.Chart(alt.Data(values=marks)).mark_point(size=90, filled=True).encode(
        x="start:T", y="value:Q",
        shape=alt.Shape("what:N", scale=alt.Scale(range=["triangle-down", "diamond"]), title=""),
        color=alt.value("crimson"), tooltip=["period:N", "what:N", "value:Q", "detail:N"])
    starts = {p.period: p.start.isoformat() for p in periods}
    labels = [{"start": starts[i["period"]], "label": safe_label(f"#{i['id']} {i['title']}"),
               "y": 0} for i in timeline.top_incidents if i["period"] in starts]
    text = alt.Chart(alt.Data(values=labels)).mark_text(
        align="left", angle=300, dx=4, dy=-6, fontSize=10).encode(x="start:T", y="y:Q", text="label:N")
    index_rows = [{"start": p.start.isoformat(), "period": p.period, "index": round(p.index, 2),
                   "share": round(100 * p.articles / p.published, 2) if p.published else 0.0}
                  for p in periods]
    index = alt.Chart(alt.Data(values=index_rows)).mark_bar().encode(
        x=alt.X("start:T", title=timeline.by),
        y=alt.Y("index:Q", title="Goldstein index (sum)"),
        color=alt.condition("datum.index >= 0", alt.value("seagreen"), alt.value("firebrick")),
        tooltip=["period:N", "index:Q", "share:Q"]).properties(height=140, width=900)
    top = alt.layer(lines, markers, text).properties(height=320, width=900, title=_title(timeline))
    chart = alt.vconcat(top, index)
    chart.save(str(path), inline=True)


__all__ = ["EXTRA", "draw", "draw_html", "draw_png", "safe_label"]
