"""Fremmøde: check-in and check-out, hours reported for a day, absence reported ahead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import abort
from sqlmodel import Session, select

from app.i18n import decimal_text
from app.idempotency import claim
from app.models import (
    Absence,
    AbsenceReason,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    User,
    utcnow,
)
from app.plan.service import hours_target
from app.timeutil import LOCAL_TZ, week_of

ROUND_TO_MINUTES = 5
HOURS_MAX = Decimal(24)
HOURS_STEP = Decimal("0.25")
HOURS_BACK_DAYS = 14  # hours may be reported for a day up to two weeks back
ABSENCE_AHEAD_DAYS = 60


class AttendanceError(Exception):
    """A request that does not fit today's state (e.g. leaving before arriving)."""


def parse_decimal(raw: str | None) -> Decimal:
    """A number as people type it on a phone: "6,5", "6.5" and, from an Arabic or Persian
    keyboard, "٦٫٥" or "۶٫۵" are the same. ValueError if not."""
    text = decimal_text(raw or "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return number


def parse_hours(raw: str | None) -> int:
    """Hours for a day, 0–24 in quarter hours, as whole minutes. ValueError otherwise."""
    hours = parse_decimal(raw)
    if not Decimal(0) <= hours <= HOURS_MAX or hours % HOURS_STEP:
        raise ValueError(raw)
    return int(hours * 60)


def parse_duration(raw: str | None) -> int:
    """A day's time as staff write it: "5:25" (hours:minutes) or hours, "5,5" or "5.5".

    Whole minutes, 0 to 24 hours. ValueError otherwise.
    """
    text = (raw or "").strip()
    if ":" in text:
        hours, _, minutes = text.partition(":")
        if not (hours.strip().isdigit() and minutes.strip().isdigit()
                and len(minutes.strip()) == 2 and int(minutes) < 60):
            raise ValueError(raw)
        total = int(hours) * 60 + int(minutes)
    else:
        total = int((parse_decimal(text) * 60).to_integral_value())
    if not 0 <= total <= HOURS_MAX * 60:
        raise ValueError(raw)
    return total


def duration_text(minutes: int | None) -> str:
    """Minutes as the correction form shows them: "5:25"; empty for none."""
    return "" if minutes is None else f"{minutes // 60}:{minutes % 60:02d}"


def rounded_minutes(checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Minutes between check-in and check-out, to the nearest 5 (halves round up), never < 0.

    Aware datetimes subtract in real elapsed time, so a night across a DST change counts right.
    """
    seconds = max(0, int((checked_out_at - checked_in_at).total_seconds()))
    step = ROUND_TO_MINUTES * 60
    return (seconds + step // 2) // step * ROUND_TO_MINUTES


def hours_window(today: date) -> tuple[date, date]:
    """Hours can be reported for today or the 14 days before, never for the future."""
    return today - timedelta(days=HOURS_BACK_DAYS), today


def absence_window(today: date) -> tuple[date, date]:
    """Absence is reported ahead: today or up to 60 days on."""
    return today, today + timedelta(days=ABSENCE_AHEAD_DAYS)


def hours_day_allowed(day: date, *, today: date) -> bool:
    first, last = hours_window(today)
    return first <= day <= last


def absence_day_allowed(day: date, *, today: date) -> bool:
    first, last = absence_window(today)
    return first <= day <= last


def can_withdraw(absence: Absence, *, today: date) -> bool:
    """A report for today or later can be taken back (plans change); past days are the record."""
    return absence.day >= today


def parse_week(raw: str | None, *, today: date) -> date:
    """The Monday of the week holding `raw` (YYYY-MM-DD); this week if missing or invalid, or
    so near the calendar's ends that the weeks either side (linked from the page) overflow."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        day = today
    if not date.min + timedelta(weeks=2) <= day <= date.max - timedelta(weeks=2):
        day = today
    return week_of(day)[0]


def attendance_on(session: Session, participant_id: int, *, day: date) -> Attendance | None:
    return session.exec(
        select(Attendance).where(Attendance.participant_id == participant_id,
                                 Attendance.day == day)
    ).first()


def absences_on(session: Session, participant_id: int, *, day: date) -> list[Absence]:
    return list(session.exec(
        select(Absence).where(Absence.participant_id == participant_id, Absence.day == day)
        .order_by(Absence.reported_at)
    ).all())


def _row_for(session: Session, participant: User, day: date) -> Attendance:
    row = attendance_on(session, participant.id, day=day)
    if row is None:
        row = Attendance(participant_id=participant.id, day=day, recorded_by_id=participant.id)
        session.add(row)
    return row


def check_in(
    session: Session, *, participant: User, client_id: uuid.UUID, now: datetime | None = None
) -> Attendance:
    """"I'm here": today's row gets its check-in time. A second check-in keeps the first time.

    Someone a group roll-call marked absent who then checks in did come: the day becomes late.
    """
    now = now or utcnow()
    day = now.astimezone(LOCAL_TZ).date()
    if claim(session, user=participant, client_id=client_id, kind="attendance.check_in"):
        return attendance_on(session, participant.id, day=day)
    row = _row_for(session, participant, day)
    if row.checked_in_at is None:
        row.checked_in_at = now
        row.recorded_by_id = participant.id
        if row.status == AttendanceStatus.absent:
            row.status = AttendanceStatus.late
        row.updated_at = now
    session.commit()
    return row


def check_out(
    session: Session, *, participant: User, client_id: uuid.UUID, now: datetime | None = None
) -> Attendance:
    """"I'm leaving now": sets the check-out time and the day's minutes, rounded to 5.

    Raises AttendanceError when there was no check-in today. A second check-out keeps the first.
    """
    now = now or utcnow()
    day = now.astimezone(LOCAL_TZ).date()
    if claim(session, user=participant, client_id=client_id, kind="attendance.check_out"):
        return attendance_on(session, participant.id, day=day)
    row = attendance_on(session, participant.id, day=day)
    if row is None or row.checked_in_at is None:
        raise AttendanceError("not checked in")
    if row.checked_out_at is None:
        row.checked_out_at = now
        row.minutes = rounded_minutes(row.checked_in_at, now)
        row.updated_at = now
    session.commit()
    return row


def report_hours(
    session: Session, *, participant: User, day: date, minutes: int, client_id: uuid.UUID
) -> Attendance:
    """Hours reported for a day; they replace what check-out computed for that day."""
    if claim(session, user=participant, client_id=client_id, kind="attendance.hours"):
        return attendance_on(session, participant.id, day=day)
    row = _row_for(session, participant, day)
    row.minutes = minutes
    row.recorded_by_id = participant.id
    row.updated_at = utcnow()
    session.commit()
    return row


def report_absence(
    session: Session, *, participant: User, day: date, reason: AbsenceReason, note: str,
    client_id: uuid.UUID,
) -> None:
    """Absence reported ahead with a reason; the consultant sees it at once."""
    if claim(session, user=participant, client_id=client_id, kind="attendance.absence"):
        return
    session.add(Absence(participant_id=participant.id, day=day, reason=reason,
                        note=note.strip(), reported_by_id=participant.id))
    session.commit()


def withdraw_absence(
    session: Session, *, participant: User, absence_id: int, client_id: uuid.UUID, today: date
) -> None:
    """Take back one's own report for today or later.

    404 for someone else's report (or one already withdrawn), 409 for a past day. The claim
    comes first, so a replay of a withdrawal that went through still answers as success.
    """
    if claim(session, user=participant, client_id=client_id, kind="attendance.withdraw"):
        return
    absence = session.exec(
        select(Absence).where(Absence.id == absence_id, Absence.participant_id == participant.id)
    ).first()
    if absence is None:
        abort(404)
    if not can_withdraw(absence, today=today):
        abort(409)
    session.delete(absence)
    session.commit()


def correct_day(
    session: Session, *, staff: User, participant_id: int, day: date, status: AttendanceStatus,
    minutes: int | None, reason: str, client_id: uuid.UUID,
) -> Attendance:
    """A staff correction of a day's status and minutes, with the reason.

    The day's row takes the new values; the values before, who changed them and why are kept
    as an AttendanceCorrection. A day with nothing recorded was an absence until corrected.
    An absent day has no minutes. The caller has checked the caseload and the day.
    """
    row = attendance_on(session, participant_id, day=day)
    if claim(session, user=staff, client_id=client_id, kind="attendance.correct"):
        return row
    if row is None:
        row = Attendance(participant_id=participant_id, day=day, recorded_by_id=staff.id,
                         status=AttendanceStatus.absent)
        session.add(row)
        session.flush()
    minutes = None if status == AttendanceStatus.absent else minutes
    session.add(AttendanceCorrection(
        attendance_id=row.id, original_status=row.status, original_minutes=row.minutes,
        new_status=status, new_minutes=minutes, reason=reason.strip(), changed_by_id=staff.id,
    ))
    row.status, row.minutes, row.updated_at = status, minutes, utcnow()
    session.add(row)
    session.commit()
    return row


@dataclass(frozen=True)
class Correction:
    """A correction as the register shows it, with the name of who made it."""

    change: AttendanceCorrection
    changed_by: str


@dataclass(frozen=True)
class DaySummary:
    day: date
    attendance: Attendance | None
    absences: list[Absence]
    corrections: list[Correction] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return (self.attendance.minutes or 0) if self.attendance else 0


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    days: list[DaySummary]
    total_minutes: int
    target_hours: float | None

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def previous_monday(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next_monday(self) -> date:
        return self.monday + timedelta(days=7)


def week_summary(session: Session, participant_id: int, monday: date) -> WeekSummary:
    """Monday–Sunday of attendance, absence and staff corrections with the total against the
    step-up target. Four queries whatever the week holds. `monday` may be any day of the week.
    """
    monday, sunday = week_of(monday)
    rows = session.exec(
        select(Attendance).where(Attendance.participant_id == participant_id,
                                 Attendance.day >= monday, Attendance.day <= sunday)
    ).all()
    absences = session.exec(
        select(Absence).where(Absence.participant_id == participant_id,
                              Absence.day >= monday, Absence.day <= sunday)
        .order_by(Absence.reported_at)
    ).all()
    corrections = session.exec(
        select(AttendanceCorrection, User.display_name, Attendance.day)
        .join(Attendance, Attendance.id == AttendanceCorrection.attendance_id)
        .join(User, User.id == AttendanceCorrection.changed_by_id)
        .where(Attendance.participant_id == participant_id, Attendance.day >= monday,
               Attendance.day <= sunday)
        .order_by(AttendanceCorrection.changed_at, AttendanceCorrection.id)
    ).all()
    by_day = {row.day: row for row in rows}
    days = [
        DaySummary(day=day, attendance=by_day.get(day),
                   absences=[a for a in absences if a.day == day],
                   corrections=[Correction(c, name) for c, name, on in corrections if on == day])
        for day in (monday + timedelta(days=n) for n in range(7))
    ]
    return WeekSummary(
        monday=monday, days=days, total_minutes=sum(d.minutes for d in days),
        target_hours=hours_target(session, participant_id, monday),
    )
