"""Analysts' reviews of flags and incidents: every action with who and when (the audit trail),
and the state the latest one left.

A flag is reviewed by its stable key (`keys.flag_keys`), so its review stays attached when the
article is analysed again; nothing here is deleted when results are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from ..errors import SanctionwatchError
from .database import WRITE
from .repository import Store
from .schema import review_states, reviews

SUBJECT_KINDS = ("flag", "incident")
# Each action and the review state it leaves (None: the state is unchanged).
ACTIONS: dict[str, str | None] = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "needs-checking": "needs-checking",
    "note": None,
}
STATES = ("confirmed", "dismissed", "needs-checking")
# Why a flag is dismissed: a short fixed list, so dismissals can be counted and filtered.
DISMISS_REASONS: dict[str, str] = {
    "not-an-act": "No transfer or covered activity is reported",
    "wrong-parties": "Wrong parties or states",
    "goods-not-covered": "The goods or activity are not covered",
    "outside-dates": "Outside the dates the provision is in force",
    "exempt": "Exempted (humanitarian, notified, authorised)",
    "duplicate": "Duplicate of another flag",
    "not-credible": "The source is not credible",
    "other": "Other (see the note)",
}
MAX_NOTE = 4000


class ReviewError(SanctionwatchError):
    """A review that cannot be recorded as asked (unknown action, missing reason or note)."""


@dataclass(frozen=True)
class Review:
    id: int
    subject_kind: str
    subject: str
    action: str
    state: str | None
    reason: str | None
    note: str | None
    who: str
    at: datetime
    detail: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "subject_kind": self.subject_kind, "subject": self.subject,
                "action": self.action, "state": self.state, "reason": self.reason,
                "note": self.note, "who": self.who, "at": self.at.isoformat(),
                "detail": self.detail}


def record(store: Store, kind: str, subject: str, action: str, who: str, *,
           reason: str | None = None, note: str | None = None,
           detail: dict[str, Any] | None = None, at: datetime | None = None) -> Review:
    """Store one action; an action that sets a state makes it the subject's current state."""
    note = (note or "").strip() or None
    _check(kind, action, reason, note, who)
    at = at or datetime.now(UTC)
    state = ACTIONS[action]
    reason = reason if action == "dismiss" else None
    row = {"subject_kind": kind, "subject": subject, "action": action, "state": state,
           "reason": reason, "note": note, "who": who, "at": at, "detail": detail}
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        review_id = conn.execute(insert(reviews).values(row)).inserted_primary_key[0]
        if state is not None:
            conn.execute(delete(review_states).where(review_states.c.subject_kind == kind,
                                                     review_states.c.subject == subject))
            conn.execute(insert(review_states).values(subject_kind=kind, subject=subject,
                                                      state=state, reason=reason, who=who, at=at))
    return Review(id=review_id, **row)


def _check(kind: str, action: str, reason: str | None, note: str | None, who: str) -> None:
    if kind not in SUBJECT_KINDS:
        raise ReviewError(f"unknown kind of review subject: {kind!r}")
    if action not in ACTIONS:
        raise ReviewError(f"unknown review action {action!r} (one of: {', '.join(ACTIONS)})")
    if action == "dismiss" and reason not in DISMISS_REASONS:
        raise ReviewError("a dismissal needs a reason, one of: " + ", ".join(DISMISS_REASONS))
    if action == "note" and not note:
        raise ReviewError("a note needs its text")
    if note and len(note) > MAX_NOTE:
        raise ReviewError(f"the note is over {MAX_NOTE:,} characters")
    if not who:
        raise ReviewError("a review needs who made it")


def history(store: Store, kind: str, subject: str) -> list[Review]:
    """Every action on one subject, oldest first."""
    query = (select(reviews).where(reviews.c.subject_kind == kind, reviews.c.subject == subject)
             .order_by(reviews.c.id))
    return _reviews(store, query)


def states(store: Store, kind: str, subjects: list[str]) -> dict[str, dict[str, Any]]:
    """The current review state of each of these subjects that has one."""
    if not subjects:
        return {}
    query = select(review_states).where(review_states.c.subject_kind == kind,
                                        review_states.c.subject.in_(subjects))
    with store.engine.connect() as conn:
        return {row["subject"]: {"state": row["state"], "reason": row["reason"], "who": row["who"],
                                 "at": as_utc(row["at"]).isoformat()}
                for row in conn.execute(query).mappings()}


def audit_log(store: Store, kind: str | None = None, who: str | None = None,
              since: datetime | None = None, before: int | None = None,
              limit: int = 100) -> list[Review]:
    """Actions newest first, optionally by kind of subject, analyst, time; `before` an id for
    paging."""
    query = select(reviews).order_by(reviews.c.id.desc()).limit(limit)
    if kind:
        query = query.where(reviews.c.subject_kind == kind)
    if who:
        query = query.where(reviews.c.who == who)
    if since:
        query = query.where(reviews.c.at >= since)
    if before is not None:
        query = query.where(reviews.c.id < before)
    return _reviews(store, query)


def _reviews(store: Store, query: Any) -> list[Review]:
    with store.engine.connect() as conn:
        return [Review(**_aware(dict(row))) for row in conn.execute(query).mappings()]


def _aware(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "at": as_utc(row["at"])}


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
