"""Incidents: the flags of many articles that tell of the same act, kept up to date as articles
are stored, and corrected by analysts.

    update_incidents(store, article_ids)   attach the flags of these stored articles (store ids,
                                           in the order given) to incidents, or open new ones;
                                           None: every article whose incidents are out of date
    list_incidents(store, filters)         incidents, newest first (filters as `query`)
    get_incident(store, id)                one incident with its reports; a merged id leads to
                                           the incident it was merged into
    merge(store, ids, who)                 one incident from several (the lowest id stays)
    split(store, id, article_ids, who)     the reports of these articles into a new incident

How: each article's flags are grouped into acts (`acts`); an act is compared with the incidents
that share a category, a state and days with it (`matching`) and joins the best one scoring over
the threshold, in a deterministic order, or opens a new incident. An article is reconciled as a
whole: when it is analysed again (other versions), its old memberships are dropped and its new
flags attached again, except that a membership an analyst fixed (by a merge or split, `pinned_by`)
keeps its incident. Articles already reconciled with their current analysis are left alone, so
running the update twice, or ingesting the same corpus again, changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, and_, cast, exists, func, insert, or_, select, update

from ..errors import SanctionwatchError
from ..kb import KnowledgeBase
from ..store import Store
from ..store.database import WRITE
from ..store.queries import Filters
from ..store.schema import (
    articles,
    entities,
    events,
    flags,
    incident_actions,
    incident_members,
    incidents,
)
from .acts import Act, ArticleView, Features, acts, cached_kb
from .matching import compare, compare_denial
from .settings import Settings, load_settings
from .summary import MemberView, summarise


@dataclass
class UpdateStats:
    articles: int = 0  # articles reconciled
    unchanged: int = 0  # of those, already up to date
    attached: int = 0  # acts that joined an existing incident
    opened: int = 0  # acts that opened a new incident
    denials: int = 0  # denials attached to an incident

    def add(self, other: UpdateStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def update_incidents(store: Store, article_ids: Iterable[int] | None = None,
                     settings: Settings | None = None) -> UpdateStats:
    """Reconcile the incidents of these stored articles (`articles.id`), in the order given, in
    one transaction. Without ids: every article whose flags have no incident yet or whose
    analysis changed since (`pending`), oldest first."""
    settings = settings or load_settings()
    stats = UpdateStats()
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        ids = list(article_ids) if article_ids is not None else pending(conn)
        reconciler = _Reconciler(conn, settings, cached_kb())
        for article_id in ids:
            reconciler.reconcile(article_id, stats)
        reconciler.finish()
    return stats


def pending(conn: Connection) -> list[int]:
    """Articles whose incidents are out of date: a flag that belongs to no incident, or members
    assigned under other versions of the analysis."""
    m = incident_members
    unassigned = exists().where(
        flags.c.article_id == articles.c.id,
        ~exists().where(m.c.article_id == flags.c.article_id, m.c.kind == "flag",
                        m.c.seq == flags.c.seq))
    outdated = exists().where(m.c.article_id == articles.c.id, m.c.versions != articles.c.versions)
    query = select(articles.c.id).where(or_(unassigned, outdated)).order_by(articles.c.id)
    return list(conn.execute(query).scalars())


def _now() -> datetime:
    return datetime.now(UTC)


class _Reconciler:
    """Reconciles articles one after another inside one transaction, summarising each touched
    incident once at the end."""

    def __init__(self, conn: Connection, settings: Settings, kb: KnowledgeBase) -> None:
        self.conn = conn
        self.settings = settings
        self.kb = kb
        self.touched: set[int] = set()

    def reconcile(self, article_id: int, stats: UpdateStats) -> None:
        conn, m = self.conn, incident_members
        article = conn.execute(select(articles.c.id, articles.c.external_id, articles.c.url,
                                      articles.c.published, articles.c.versions)
                               .where(articles.c.id == article_id)).first()
        if article is None:
            raise SanctionwatchError(f"no stored article with id {article_id}")
        stats.articles += 1
        flag_rows = [(r.seq, r.data) for r in conn.execute(
            select(flags.c.seq, flags.c.data).where(flags.c.article_id == article_id)
            .order_by(flags.c.seq))]
        old = conn.execute(select(m.c.id, m.c.incident_id, m.c.kind, m.c.seq, m.c.key,
                                  m.c.versions, m.c.pinned_by)
                           .where(m.c.article_id == article_id)).all()
        if (old and all(o.versions == article.versions for o in old)
                and {o.seq for o in old if o.kind == "flag"} == {seq for seq, _ in flag_rows}):
            stats.unchanged += 1
            return
        event_rows = [(r.seq, r.data) for r in conn.execute(
            select(events.c.seq, events.c.data).where(events.c.article_id == article_id)
            .order_by(events.c.seq))]
        if not old and not flag_rows and not any(e.get("modality") == "denied" for _, e in event_rows):
            return
        pins = {o.key: (o.incident_id, o.pinned_by) for o in old if o.pinned_by}
        # When every report of the article was pinned to one incident, a flag that changed in
        # the new analysis (other goods words, say) still goes there.
        old_flags = [o for o in old if o.kind == "flag"]
        article_pin = ((old_flags[0].incident_id, old_flags[0].pinned_by)
                       if old_flags and all(o.pinned_by for o in old_flags)
                       and len({o.incident_id for o in old_flags}) == 1 else None)
        self.touched |= {o.incident_id for o in old}
        if old:
            conn.execute(m.delete().where(m.c.article_id == article_id))
        entity_rows = [dict(r._mapping) for r in conn.execute(
            select(entities.c.start, entities.c.end, entities.c.kind, entities.c.kb_id,
                   entities.c.name, entities.c.text).where(entities.c.article_id == article_id))]
        view = ArticleView(article.external_id, article.url, article.published, flag_rows,
                           event_rows, entity_rows)
        for index, act in enumerate(acts(view, self.settings, self.kb)):
            pin = next((pins[i.key] for i in act.items if i.key in pins), None)
            if pin is None and act.items[0].kind == "flag":
                pin = article_pin
            target, pinned_by = (self._live(pin[0]), pin[1]) if pin else (None, None)
            denial = act.items[0].kind == "denial"
            if target is None:
                target = self._best(act, article_id, denial)
                if target is None and denial:
                    continue
                if target is None:
                    target = self._open(act)
                    stats.opened += 1
                elif denial:
                    stats.denials += 1
                else:
                    stats.attached += 1
            self._insert(article_id, article.versions, index, act, target, pinned_by)
            self.touched.add(target)

    def _live(self, incident_id: int) -> int | None:
        """The incident an id stands for now: itself, or the one it was merged into."""
        seen = set()
        while incident_id not in seen:
            seen.add(incident_id)
            row = self.conn.execute(select(incidents.c.merged_into)
                                    .where(incidents.c.id == incident_id)).first()
            if row is None:
                return None
            if row.merged_into is None:
                return incident_id
            incident_id = row.merged_into
        return None

    def _best(self, act: Act, article_id: int, denial: bool) -> int | None:
        best: tuple[float, int] | None = None
        for incident_id, members in self._candidates(act.features, article_id):
            match = (compare_denial if denial else compare)(act.features, members, self.settings)
            if match is None or match.score < self.settings.threshold:
                continue
            if best is None or match.score > best[0]:
                best = (match.score, incident_id)
        return best[1] if best else None

    def _candidates(self, act: Features, article_id: int) -> list[tuple[int, list[Features]]]:
        m = incident_members
        query = select(m.c.incident_id).where(m.c.kind == "flag", m.c.article_id != article_id)
        if act.categories:
            query = query.where(m.c.category.in_(sorted(act.categories)))
        sides = []
        if act.suppliers:
            sides.append(or_(m.c.supplier_country.is_(None),
                             m.c.supplier_country.in_(sorted(act.suppliers))))
        if act.recipients:
            sides.append(or_(m.c.recipient_country.is_(None),
                             m.c.recipient_country.in_(sorted(act.recipients))))
        if sides:
            query = query.where(or_(*sides))
        start, end = act.days.iso() if act.days else (None, None)
        if start and end:
            query = query.where(or_(m.c.day_end.is_(None), m.c.day_end >= start),
                                or_(m.c.day_start.is_(None), m.c.day_start <= end))
        query = (query.group_by(m.c.incident_id).order_by(m.c.incident_id.desc())
                 .limit(self.settings.candidates))
        ids = sorted(self.conn.execute(query).scalars())
        if not ids:
            return []
        rows = self.conn.execute(
            select(m.c.incident_id, m.c.article_id, m.c.act, m.c.features)
            .where(m.c.incident_id.in_(ids), m.c.kind == "flag").order_by(m.c.id.desc()))
        found: dict[int, dict[tuple[int, int], Features]] = {i: {} for i in ids}
        for row in rows:
            members = found[row.incident_id]
            if len(members) < self.settings.members:
                members.setdefault((row.article_id, row.act), Features.from_json(row.features))
        return [(i, list(found[i].values())) for i in ids]

    def _open(self, act: Act) -> int:
        now = _now()
        first = act.items[0]
        return self.conn.execute(insert(incidents).values(
            title="", regime=first.data.get("regime") or "", category=first.category or "",
            articles=0, outlets=0, corroboration=0, denials=0, confidence=0.0,
            created_at=now, updated_at=now, data={}).returning(incidents.c.id)).scalar_one()

    def _insert(self, article_id: int, versions: str, index: int, act: Act, incident_id: int,
                pinned_by: str | None) -> None:
        start, end = act.features.days.iso() if act.features.days else (None, None)
        features = act.features.to_json()
        self.conn.execute(insert(incident_members), [
            {"incident_id": incident_id, "article_id": article_id, "kind": item.kind,
             "seq": item.seq, "act": index, "key": item.key, "category": item.category,
             "supplier_country": item.supplier, "recipient_country": item.recipient,
             "day_start": start, "day_end": end, "versions": versions, "pinned_by": pinned_by,
             "features": features}
            for item in act.items])

    def finish(self) -> None:
        for incident_id in sorted(self.touched):
            summarise_incident(self.conn, incident_id, self.settings, self.kb)
        self.touched.clear()


def _member_views(conn: Connection, incident_id: int) -> list[MemberView]:
    m = incident_members
    query = (
        select(m.c.kind, m.c.features, m.c.pinned_by, articles.c.external_id, articles.c.url,
               articles.c.title, articles.c.published, flags.c.data.label("flag"),
               events.c.data.label("event"))
        .join(articles, articles.c.id == m.c.article_id)
        .outerjoin(flags, and_(m.c.kind == "flag", flags.c.article_id == m.c.article_id,
                               flags.c.seq == m.c.seq))
        .outerjoin(events, and_(m.c.kind == "denial", events.c.article_id == m.c.article_id,
                                events.c.seq == m.c.seq))
        .where(m.c.incident_id == incident_id).order_by(m.c.id)
    )
    views = []
    for row in conn.execute(query):
        item = row.flag if row.kind == "flag" else row.event
        if item is None:  # replaced by an analysis not reconciled yet
            continue
        article = {"external_id": row.external_id, "url": row.url, "title": row.title,
                   "published": row.published}
        views.append(MemberView(row.kind, article, item, Features.from_json(row.features),
                                row.pinned_by))
    return views


def summarise_incident(conn: Connection, incident_id: int, settings: Settings,
                       kb: KnowledgeBase) -> None:
    """Recompute an incident's row from its members. An incident left with no reports keeps its
    row (its id may be cited) with zero articles; lists leave it out."""
    views = _member_views(conn, incident_id)
    if any(v.kind == "flag" for v in views):
        columns, data = summarise(views, settings.confidence, _goods_name(kb))
    else:
        columns = {"articles": 0, "outlets": 0, "corroboration": 0, "denials": 0,
                   "confidence": 0.0}
        data = {"articles": [], "empty": True}
    conn.execute(update(incidents).where(incidents.c.id == incident_id)
                 .values(**columns, data=data, updated_at=_now()))


def _goods_name(kb: KnowledgeBase):
    def name(kb_id: str) -> str | None:
        entry = kb.goods.get(kb_id)
        return entry.name if entry else None
    return name


# --- reading -------------------------------------------------------------------------------------

def _row_dict(row: Any) -> dict[str, Any]:
    data = dict(row.data or {})
    out = {"id": row.id, "title": row.title, "category": row.category, "regime": row.regime,
           "supplier_country": row.supplier_country, "recipient_country": row.recipient_country,
           "day": row.day, "date_start": row.date_start, "date_end": row.date_end,
           "first_seen": row.first_seen, "last_seen": row.last_seen,
           "article_count": row.articles, "outlet_count": row.outlets,
           "corroboration": row.corroboration, "denial_count": row.denials,
           "confidence": row.confidence}
    out.update({k: v for k, v in data.items() if k not in ("title", "corroboration", "confidence")})
    return out


def list_incidents(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Incidents that hold reports, newest first (by the first date the articles give, else when
    first reported). `filters.kind` is a category (any of the incident's) or a regime; `country`
    the supplier or recipient state; `since`/`until` bound that date; `text` searches the title,
    parties, goods and evidence."""
    filters = filters or Filters()
    query = (select(incidents).where(incidents.c.merged_into.is_(None), incidents.c.articles > 0)
             .order_by(incidents.c.day.desc().nulls_last(), incidents.c.id.desc()))
    data_text = func.lower(cast(incidents.c.data, String))
    if filters.kind:
        query = query.where(data_text.contains(f'"{filters.kind.lower()}', autoescape=True))
    if filters.country:
        country = filters.country.upper()
        query = query.where(or_(incidents.c.supplier_country == country,
                                incidents.c.recipient_country == country))
    if filters.since:
        query = query.where(incidents.c.day >= filters.since)
    if filters.until:
        query = query.where(incidents.c.day <= filters.until)
    if filters.text:
        query = query.where(data_text.contains(filters.text.lower(), autoescape=True))
    shown = 0
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            if filters.kind and not _in_kind(row.data.get("categories") or (), filters.kind):
                continue
            yield _row_dict(row)
            shown += 1
            if filters.limit is not None and shown >= filters.limit:
                return


def count_incidents(store: Store) -> int:
    """Incidents that hold reports (merged and emptied ones aside)."""
    query = select(func.count()).select_from(incidents).where(
        incidents.c.merged_into.is_(None), incidents.c.articles > 0)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _in_kind(categories: Sequence[str], kind: str) -> bool:
    return any(c == kind or c.startswith(kind + "/") for c in categories)


def get_incident(store: Store, incident_id: int) -> dict[str, Any] | None:
    """An incident with each article that reports it (its flags and strongest evidence), its
    denials and the analysts' actions; None if there is no such id."""
    with store.engine.connect() as conn:
        return _get(conn, incident_id)


def _get(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    asked, seen = incident_id, set()
    row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
    while row is not None and row.merged_into is not None and row.id not in seen:
        seen.add(row.id)
        row = conn.execute(select(incidents).where(incidents.c.id == row.merged_into)).first()
    if row is None:
        return None
    out = _row_dict(row)
    if row.id != asked:
        out["merged_from"] = asked
    reports: dict[str, dict[str, Any]] = {}
    strongest: dict[str, float] = {}
    for view in _member_views(conn, row.id):
        if view.kind != "flag":
            continue
        article = view.article
        report = reports.setdefault(article["external_id"], {
            "article": {"id": article["external_id"], "url": article["url"],
                        "title": article["title"], "published": article["published"]},
            "outlet": view.features.outlet, "flags": [], "evidence": None, "pinned_by": None,
            "modalities": list(view.features.modalities),
            "confirmed_by": list(view.features.confirmed_by)})
        flag = view.item
        report["flags"].append({k: flag.get(k) for k in ("category", "rule_id", "citations",
                                                         "confidence", "event_date", "why")})
        # the strongest evidence: that of the article's most confident act
        key = article["external_id"]
        if view.features.evidence and view.features.confidence > strongest.get(key, -1.0):
            start, end, text = view.features.evidence
            report["evidence"] = {"start": start, "end": end, "text": text}
            strongest[key] = view.features.confidence
        report["pinned_by"] = report["pinned_by"] or view.pinned_by
    out["reports"] = list(reports.values())
    out["history"] = [
        {"action": a.action, "who": a.who, "at": a.at.isoformat() if a.at else None, **a.detail}
        for a in conn.execute(select(incident_actions)
                              .where(incident_actions.c.incident_id == row.id)
                              .order_by(incident_actions.c.id))]
    return out


# --- analysts' corrections -----------------------------------------------------------------------

def merge(store: Store, ids: Sequence[int], who: str) -> int:
    """Merge incidents into the one with the lowest id, which is returned. Every report of the
    result is pinned to it: analysing its articles again keeps them together."""
    who = _who(who)
    settings, kb = load_settings(), cached_kb()
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        live = sorted({_require_live(conn, i) for i in ids})
        if len(live) < 2:
            raise SanctionwatchError("merge needs at least two different incidents")
        target, others = live[0], live[1:]
        m = incident_members
        conn.execute(update(m).where(m.c.incident_id.in_(live))
                     .values(incident_id=target, pinned_by=who))
        conn.execute(update(incidents).where(incidents.c.merged_into.in_(others))
                     .values(merged_into=target))
        conn.execute(update(incidents).where(incidents.c.id.in_(others))
                     .values(merged_into=target, articles=0, outlets=0, corroboration=0,
                             denials=0, updated_at=_now()))
        conn.execute(insert(incident_actions).values(
            action="merge", who=who, at=_now(), incident_id=target, detail={"merged": others}))
        summarise_incident(conn, target, settings, kb)
    return target


def split(store: Store, incident_id: int, article_ids: Sequence[str], who: str) -> int:
    """Move the reports of these articles (their ids as the incident lists them) out of an
    incident into a new one, which is returned. The reports on both sides are pinned."""
    who = _who(who)
    settings, kb = load_settings(), cached_kb()
    wanted = set(article_ids)
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        source = _require_live(conn, incident_id)
        m = incident_members
        rows = conn.execute(select(m.c.id, articles.c.external_id)
                            .join(articles, articles.c.id == m.c.article_id)
                            .where(m.c.incident_id == source)).all()
        moving = [r.id for r in rows if r.external_id in wanted]
        unknown = wanted - {r.external_id for r in rows}
        if unknown:
            raise SanctionwatchError(f"incident {source} has no report from article(s) "
                                     f"{', '.join(sorted(unknown))}")
        if not moving or len(moving) == len(rows):
            raise SanctionwatchError("split needs some, but not all, of the incident's articles")
        now = _now()
        new = conn.execute(insert(incidents).values(
            title="", regime="", category="", articles=0, outlets=0, corroboration=0, denials=0,
            confidence=0.0, created_at=now, updated_at=now, data={}).returning(incidents.c.id)
        ).scalar_one()
        conn.execute(update(m).where(m.c.incident_id == source).values(pinned_by=who))
        conn.execute(update(m).where(m.c.id.in_(moving)).values(incident_id=new))
        detail = {"articles": sorted(wanted)}
        conn.execute(insert(incident_actions), [
            {"action": "split", "who": who, "at": now, "incident_id": source,
             "detail": {**detail, "into": new}},
            {"action": "split", "who": who, "at": now, "incident_id": new,
             "detail": {**detail, "from": source}}])
        summarise_incident(conn, source, settings, kb)
        summarise_incident(conn, new, settings, kb)
    return new


def _who(who: str) -> str:
    who = (who or "").strip()
    if not who:
        raise SanctionwatchError("say who makes the change (an analyst's name)")
    return who


def _require_live(conn: Connection, incident_id: int) -> int:
    row = conn.execute(select(incidents.c.id, incidents.c.merged_into, incidents.c.articles)
                       .where(incidents.c.id == incident_id)).first()
    if row is None:
        raise SanctionwatchError(f"no incident {incident_id}")
    if row.merged_into is not None:
        raise SanctionwatchError(f"incident {incident_id} was merged into {row.merged_into}")
    if not row.articles:
        raise SanctionwatchError(f"incident {incident_id} holds no reports")
    return row.id


__all__ = ["UpdateStats", "count_incidents", "get_incident", "list_incidents", "merge", "pending", "split",
           "summarise_incident", "update_incidents"]
