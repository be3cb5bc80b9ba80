"""A report as a readable summary for a person at a terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Party, Report, Span
from ..nlp.sentences import sentence_around
from ..printable import one_line, printable


def _cell(value: str | None) -> Text:
    """Text from the article or a list, on one line, its control characters escaped."""
    return Text(one_line(value or ""))


def highlighted(text: str, spans: tuple[Span, ...]) -> Text:
    """The sentences holding the evidence, the evidence itself in bold."""
    out = Text()
    for span in spans:
        left, right = sentence_around(text, span.start, span.end)
        out.append("  “")
        out.append(printable(text[left:span.start].lstrip()))
        out.append(printable(text[span.start:span.end]), style="bold yellow")
        out.append(printable(text[span.end:right].rstrip()))
        out.append("”\n")
    return out


def _party(p: Party | None) -> str:
    if p is None:
        return "?"
    return one_line(f"{p.name} ({p.country})" if p.country else p.name)


def render(report: Report, text: str, console: Console) -> None:
    a = report.article
    head = Text(one_line(a.title or a.origin or a.id or "article"), style="bold")
    head.append(f"  [{one_line(a.id or '')}]", style="dim")
    if a.published:
        head.append(f"  published {a.published}", style="dim")
    console.rule(head)

    if report.flags:
        console.print(Text(f"{len(report.flags)} potential breach(es)", style="bold red"))
        for f in report.flags:
            line = Text(f"● {f.category}", style="bold red")
            line.append(f"  confidence {f.confidence:.2f}\n", style="red")
            line.append(f"  {_party(f.supplier)} → {_party(f.recipient)}")
            if f.goods:
                hs = f" (HS {f.goods.hs})" if f.goods.hs else ""
                line.append(f"; goods: {one_line(f.goods.text)}{hs}")
            if f.activity:
                line.append(f"; activity: {f.activity}")
            line.append(f"; date: {f.event_date or 'unknown'}\n")
            line.append("  " + "; ".join(f.citations) + "\n", style="cyan")
            line.append(f"  why: {one_line(f.why)}\n", style="dim")
            console.print(line)
            console.print(highlighted(text, f.evidence))
    else:
        console.print(Text("No potential breach found.", style="green"))

    if report.events:
        table = Table(title="Events", show_lines=False, expand=False)
        for col in ("type", "source", "target", "goods / activity", "date", "modality"):
            table.add_column(col)
        for e in report.events:
            what = ", ".join(g.text for g in e.goods) or (e.activity or "")
            table.add_row(Text(e.type), Text(_party(e.source)), Text(_party(e.target)), _cell(what),
                          _cell(e.date), Text(e.modality))
        console.print(table)

    if report.screening:
        table = Table(title="Sanctions list matches")
        for col in ("name", "list", "entry", "matched name", "score"):
            table.add_column(col)
        for h in report.screening:
            table.add_row(_cell(h.name), _cell(h.list), _cell(h.entry_id), _cell(h.matched_name),
                          f"{h.score:.2f}")
        console.print(table)

    table = Table(title="Entities")
    for col in ("text", "kind", "resolved to", "country", "role"):
        table.add_column(col)
    seen: set[tuple[str, str | None]] = set()
    for e in report.entities:
        key = (e.text, e.kb_id)
        if key in seen:
            continue
        seen.add(key)
        table.add_row(_cell(e.text), Text(e.kind), _cell(e.kb_id or e.value),
                      Text(e.country or ""), Text(e.role or ""))
    console.print(table)
