"""A staff member's own settings: working hours and time away, which the participant's thread
uses to say when to expect an answer (see app.messages.service.answer_expected_note)."""

from __future__ import annotations

from datetime import date, time

from sqlmodel import Session

from app.models import User


def save_working_hours(
    session: Session, *, staff: User, days: list[int], start: time, end: time,
    away_until: date | None,
) -> None:
    """Save working days (Monday = 0), hours and the last day away (None: not away); the form
    has checked that the hours end after they start and that the day is not past."""
    staff.work_days = ",".join(str(day) for day in sorted(set(days)))
    staff.work_start = start
    staff.work_end = end
    staff.away_until = away_until
    session.add(staff)
    session.commit()
