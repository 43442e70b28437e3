"""What the LINE channel keeps: events seen, users, their records and reminders — every medical
field and every LINE user id sealed; rows found by an HMAC of the user id, never by the id.

Kept only what reminders need: a record waits sealed for 確認 / 加入提醒 and is deleted after
`pending_hours`; a confirmed one is cut down to its drugs and dates (no photos' text, no evidence).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from rxlens.db.models import LineEventRow, LinePushRow, LineRecordRow, LineReminderRow, LineUserRow
from rxlens.queue.sealing import Sealer
from rxlens.result import AnalysisResult

EVENT_MEMORY_SECONDS = 2 * 24 * 3600  # LINE redelivers for a while; an id seen this long ago is gone
KEPT_DAYS = 400  # a confirmed record outlives its refills
SENT_MEMORY_SECONDS = 2 * 24 * 3600  # past LINE's 24 hours for a retry key


@dataclass(frozen=True)
class Due:
    id: int
    user_key: str
    text: str
    due_at: float


def minimal(record: AnalysisResult) -> AnalysisResult:
    """The record without what reminders do not need: evidence, candidates, usage, field details."""
    meds = [
        m.model_copy(update={"fields": {}, "candidates": [], "alternatives": [], "side_effects": ""})
        for m in record.medications
    ]
    return AnalysisResult(
        clinic_name=record.clinic_name, visit_date=record.visit_date, days_supply=record.days_supply,
        refill=record.refill, medications=meds, corrected=record.corrected,
    )  # fmt: skip


class LineStore:
    def __init__(self, engine: Engine, sealer: Sealer, secret: bytes) -> None:
        self.engine, self.sealer = engine, sealer
        self._hmac_key = hashlib.sha256(b"rxlens line user key\0" + secret).digest()

    def user_key(self, user_id: str) -> str:
        return hmac.new(self._hmac_key, user_id.encode(), hashlib.sha256).hexdigest()

    def first_time(self, event_id: str, now: float) -> bool:
        """True once per webhookEventId, whichever process sees it (the primary key decides)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(LineEventRow).values(id=event_id[:64], seen_at=now))
            return True
        except IntegrityError:
            return False

    def remember_user(self, user_id: str, now: float) -> str:
        key = self.user_key(user_id)
        try:
            with self.engine.begin() as conn:
                row = {"key": key, "sealed_id": self.sealer.seal(user_id.encode()), "created_at": now}
                conn.execute(insert(LineUserRow).values(**row))
        except IntegrityError:
            pass  # known already
        return key

    def user_id(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            sealed = conn.scalar(select(LineUserRow.sealed_id).where(LineUserRow.key == key))
        return self.sealer.open(sealed).decode() if sealed else None

    def save_record(self, user_key: str, record: AnalysisResult, expires_at: float) -> str:
        record_id = secrets.token_urlsafe(16)[:22]
        sealed = self.sealer.seal(record.model_dump_json().encode())
        with self.engine.begin() as conn:
            conn.execute(
                insert(LineRecordRow).values(
                    id=record_id, user_key=user_key, sealed=sealed, confirmed=False, expires_at=expires_at
                )
            )
        return record_id

    def record(self, record_id: str, user_key: str, now: float) -> AnalysisResult | None:
        """The user's own record, while it is kept; anyone else's id reads as missing."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(LineRecordRow.sealed).where(
                    LineRecordRow.id == record_id,
                    LineRecordRow.user_key == user_key,
                    LineRecordRow.expires_at > now,
                )
            ).first()
        return AnalysisResult.model_validate_json(self.sealer.open(row[0])) if row else None

    def replace_record(self, record_id: str, user_key: str, record: AnalysisResult) -> None:
        """A confirmed record stays cut down to what reminders need, however it was corrected."""
        mine = (LineRecordRow.id == record_id, LineRecordRow.user_key == user_key)
        with self.engine.begin() as conn:
            confirmed = conn.scalar(select(LineRecordRow.confirmed).where(*mine))
            kept = minimal(record) if confirmed else record
            conn.execute(
                update(LineRecordRow)
                .where(*mine)
                .values(sealed=self.sealer.seal(kept.model_dump_json().encode()))
            )

    def confirm(self, record_id: str, user_key: str, record: AnalysisResult, now: float) -> None:
        sealed = self.sealer.seal(minimal(record).model_dump_json().encode())
        with self.engine.begin() as conn:
            conn.execute(
                update(LineRecordRow)
                .where(LineRecordRow.id == record_id, LineRecordRow.user_key == user_key)
                .values(sealed=sealed, confirmed=True, expires_at=now + KEPT_DAYS * 86400)
            )

    def add_reminders(self, user_key: str, record_id: str, items: Sequence[tuple[float, str]]) -> int:
        rows = [
            {
                "user_key": user_key,
                "record_id": record_id,
                "due_at": due,
                "sealed": self.sealer.seal(text.encode()),
            }
            for due, text in items
        ]
        with self.engine.begin() as conn:
            # 加入提醒 tapped twice: the record's row locked, so one replacement waits for the
            # other and deletes what it wrote (both deleting first, then both inserting, doubled it).
            # SQLite has no FOR UPDATE, and needs none: its writers take turns anyway.
            conn.execute(select(LineRecordRow.id).where(LineRecordRow.id == record_id).with_for_update())
            conn.execute(
                delete(LineReminderRow).where(
                    LineReminderRow.record_id == record_id, LineReminderRow.sent_at.is_(None)
                )
            )
            if rows:
                conn.execute(insert(LineReminderRow), rows)
        return len(rows)

    def claim_due(self, now: float, lease: float, limit: int = 50) -> list[Due]:
        """Due reminders this process now owns: the conditional UPDATE lets one claimant win."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    LineReminderRow.id,
                    LineReminderRow.user_key,
                    LineReminderRow.sealed,
                    LineReminderRow.due_at,
                )
                .where(LineReminderRow.sent_at.is_(None), LineReminderRow.due_at <= now)
                .where(LineReminderRow.claimed_until < now)
                .order_by(LineReminderRow.due_at)
                .limit(limit)
            ).all()
        owned = []
        for row in rows:
            with self.engine.begin() as conn:
                won = conn.execute(
                    update(LineReminderRow)
                    .where(LineReminderRow.id == row.id, LineReminderRow.sent_at.is_(None))
                    .where(LineReminderRow.claimed_until < now)
                    .values(claimed_until=now + lease)
                ).rowcount
            if won == 1:
                owned.append(Due(row.id, row.user_key, self.sealer.open(row.sealed).decode(), row.due_at))
        return owned

    def mark_sent(self, reminder_id: int, now: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(LineReminderRow).where(LineReminderRow.id == reminder_id).values(sent_at=now))

    def delete_user(self, user_key: str) -> None:
        """Everything kept for the user (unfollow, 刪除資料): records, reminders, the sealed id."""
        with self.engine.begin() as conn:
            for table in (LineReminderRow, LineRecordRow):
                conn.execute(delete(table).where(table.user_key == user_key))
            conn.execute(delete(LineUserRow).where(LineUserRow.key == user_key))

    def count_push(self, month: str, quota: int) -> bool:
        """Count one push against the month's quota; False (and not counted) when it is used up.
        One conditional UPDATE, so processes counting at once never pass the quota together."""
        for _ in range(2):
            with self.engine.begin() as conn:
                counted = conn.execute(
                    update(LinePushRow)
                    .where(LinePushRow.month == month, LinePushRow.count < quota)
                    .values(count=LinePushRow.count + 1)
                ).rowcount
                if counted or conn.scalar(select(LinePushRow.month).where(LinePushRow.month == month)):
                    return bool(counted)
            self._begin_month(month)
        return False

    def _begin_month(self, month: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(LinePushRow).values(month=month, count=0))
        except IntegrityError:
            pass  # another process began it

    def uncount_push(self, month: str) -> None:
        """A counted push LINE did not deliver (refused, or over its own limit)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(LinePushRow)
                .where(LinePushRow.month == month, LinePushRow.count > 0)
                .values(count=LinePushRow.count - 1)
            )

    def prune(self, now: float) -> None:
        """Whatever is no longer needed: expired records with their reminders, reminders sent a
        while ago (their texts name the drugs), users with no record left, old event ids."""
        with self.engine.begin() as conn:
            conn.execute(delete(LineRecordRow).where(LineRecordRow.expires_at <= now))
            kept = select(LineRecordRow.id)
            conn.execute(delete(LineReminderRow).where(LineReminderRow.record_id.not_in(kept)))
            conn.execute(delete(LineReminderRow).where(LineReminderRow.sent_at < now - SENT_MEMORY_SECONDS))
            conn.execute(delete(LineUserRow).where(LineUserRow.key.not_in(select(LineRecordRow.user_key))))
            conn.execute(delete(LineEventRow).where(LineEventRow.seen_at < now - EVENT_MEMORY_SECONDS))


def clock() -> float:
    return time.time()
