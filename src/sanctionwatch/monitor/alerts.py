"""Alerts: one per new flag (or incident) above a confidence, stored before it is sent, so a
restart neither loses an alert nor sends one twice; sent to a webhook as a signed JSON POST.

Only flags of articles analysed after the monitor first ran on the store alert (`since`): a
monitor started on a store that already holds thousands of flags does not send them all.

The webhook receives `POST` with a JSON body and these headers:

- `X-Sanctionwatch-Event`: `flag` or `incident`
- `X-Sanctionwatch-Delivery`: the alert's id (the same on every retry of it)
- `X-Sanctionwatch-Timestamp`: Unix seconds when this attempt was signed
- `X-Sanctionwatch-Signature`: `sha256=` and the hex HMAC-SHA256, under the shared secret, of
  the timestamp, a dot, and the body bytes (check it, and reject old timestamps, to refuse
  forged or replayed alerts)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import String, and_, cast, insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import __version__
from ..store import Store
from ..store.database import WRITE
from ..store.reviews import as_utc
from ..store.schema import alerts, articles, flags, incidents, store_settings

log = logging.getLogger("sanctionwatch.monitor")

SINCE_KEY = "monitor.since"
MAX_ATTEMPTS = 10  # then the alert stays in the inbox and is no longer sent
SECRET_ENV = "SANCTIONWATCH_WEBHOOK_SECRET"


def since(store: Store, now: datetime) -> datetime:
    """When the monitor first ran on this store (recorded now if never)."""
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        value = conn.execute(select(store_settings.c.value)
                             .where(store_settings.c.key == SINCE_KEY)).scalar()
        if value is None:
            value = now.isoformat()
            conn.execute(insert(store_settings).values(key=SINCE_KEY, value=value))
    return as_utc(datetime.fromisoformat(value))


def raise_flag_alerts(store: Store, min_confidence: float, after: datetime, now: datetime,
                      dashboard_url: str | None = None) -> int:
    """Store an alert for each flag at or above the confidence, in an article analysed since
    `after`, that never alerted; returns how many."""
    query = (
        select(flags.c.key, flags.c.confidence, flags.c.data, flags.c.day, articles.c.key.label("article"),
               articles.c.external_id, articles.c.url, articles.c.title, articles.c.published)
        .join(articles, flags.c.article_id == articles.c.id)
        .outerjoin(alerts, and_(alerts.c.subject_kind == "flag", alerts.c.subject == flags.c.key))
        .where(alerts.c.id.is_(None), flags.c.confidence >= min_confidence,
               articles.c.analysed_at >= after)
        .order_by(flags.c.id)
    )
    raised = 0
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        for row in conn.execute(query).all():
            payload = {
                "type": "flag", "flag": {**row.data, "key": row.key, "day": row.day},
                "article": {"key": row.article, "id": row.external_id, "url": row.url,
                            "title": row.title, "published": row.published},
                "dashboard_url": f"{dashboard_url.rstrip('/')}/flags/{row.key}" if dashboard_url else None,
            }
            try:
                with conn.begin_nested():
                    conn.execute(insert(alerts).values(
                        subject_kind="flag", subject=row.key, confidence=row.confidence,
                        payload=payload, created_at=now, attempts=0))
                raised += 1
            except IntegrityError:  # the same flag key twice in one store: alerted once
                continue
    return raised


def raise_incident_alerts(store: Store, min_confidence: float, after: datetime, now: datetime,
                          dashboard_url: str | None = None) -> int:
    """Store an alert for each incident opened since `after` whose confidence has reached the
    threshold (now, or as corroboration grew) and that never alerted; returns how many."""
    query = (
        select(incidents)
        .outerjoin(alerts, and_(alerts.c.subject_kind == "incident",
                                alerts.c.subject == cast(incidents.c.id, String)))
        .where(alerts.c.id.is_(None), incidents.c.merged_into.is_(None), incidents.c.articles > 0,
               incidents.c.confidence >= min_confidence, incidents.c.created_at >= after)
        .order_by(incidents.c.id)
    )
    raised = 0
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        for row in conn.execute(query).mappings().all():
            summary = {k: row[k] for k in ("id", "title", "category", "regime", "supplier_country",
                                           "recipient_country", "day", "first_seen", "last_seen",
                                           "articles", "outlets", "corroboration", "confidence")}
            payload = {"type": "incident", "incident": {**summary, **(row["data"] or {})},
                       "dashboard_url": f"{dashboard_url.rstrip('/')}/incidents/{row['id']}"
                       if dashboard_url else None}
            conn.execute(insert(alerts).values(
                subject_kind="incident", subject=str(row["id"]), confidence=row["confidence"],
                payload=payload, created_at=now, attempts=0))
            raised += 1
    return raised


def recent(store: Store, limit: int = 10) -> list[dict[str, Any]]:
    """The latest alerts, newest first, for the dashboard's inbox."""
    query = select(alerts).order_by(alerts.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        return [{**row, "created_at": as_utc(row["created_at"]),
                 "delivered_at": as_utc(row["delivered_at"]) if row["delivered_at"] else None}
                for row in conn.execute(query).mappings()]


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str
    tries: int = 3  # per delivery round; alerts still undelivered are tried again next poll
    pause: float = 1.0  # seconds before the second try, doubled for each further one
    timeout: float = 10.0

    def sign(self, body: bytes, timestamp: int) -> str:
        mac = hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        return "sha256=" + mac.hexdigest()

    def send(self, alert_id: int, kind: str, body: bytes, client: httpx.Client,
             sleep: Callable[[float], None] = time.sleep) -> str | None:
        """Post one alert, retrying; None when the webhook took it, else the last error."""
        error = None
        for attempt in range(self.tries):
            if attempt:
                sleep(self.pause * 2 ** (attempt - 1))
            timestamp = int(time.time())
            headers = {"Content-Type": "application/json", "X-Sanctionwatch-Event": kind,
                       "X-Sanctionwatch-Delivery": str(alert_id),
                       "X-Sanctionwatch-Timestamp": str(timestamp),
                       "X-Sanctionwatch-Signature": self.sign(body, timestamp),
                       "User-Agent": f"sanctionwatch/{__version__}"}
            try:
                response = client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            if response.is_success:
                return None
            error = f"HTTP {response.status_code}"
        return error


def deliver(store: Store, webhook: Webhook, now: Callable[[], datetime],
            sleep: Callable[[float], None] = time.sleep) -> tuple[int, int]:
    """Send every undelivered alert (oldest first); returns (delivered, failed)."""
    query = (select(alerts.c.id, alerts.c.subject_kind, alerts.c.payload, alerts.c.attempts,
                    alerts.c.created_at)
             .where(alerts.c.delivered_at.is_(None), alerts.c.attempts < MAX_ATTEMPTS)
             .order_by(alerts.c.id))
    with store.engine.connect() as conn:
        pending = conn.execute(query).all()
    delivered = failed = 0
    with httpx.Client(timeout=webhook.timeout, trust_env=False) as client:
        for row in pending:
            body = json.dumps({"id": row.id, "created_at": as_utc(row.created_at).isoformat(),
                               **row.payload}, ensure_ascii=False).encode()
            error = webhook.send(row.id, row.subject_kind, body, client, sleep)
            values: dict[str, Any] = {"attempts": row.attempts + 1, "last_error": error}
            if error is None:
                values["delivered_at"] = now()
                delivered += 1
            else:
                failed += 1
                log.warning("alert %d not delivered: %s", row.id, error)
            with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
                conn.execute(update(alerts).where(alerts.c.id == row.id).values(values))
    return delivered, failed
