"""Aftercare (efterværn): the check-ins that follow a job start.

Knowing the hand is still there is what makes people dare to take the job, so a job start
schedules check-ins at once: by default after one week, one month and three months.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlmodel import Session, select

from app.models import AftercareCheckIn, Enrolment

# (months, days) after the job start, in order. The organisation's default; one day it may
# choose its own, so the schedule is data, not code.
DEFAULT_SCHEDULE: tuple[tuple[int, int], ...] = ((0, 7), (1, 0), (3, 0))


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on, clamped to the month's end (31 Jan → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def aftercare_due(
    job_start: date, schedule: tuple[tuple[int, int], ...] = DEFAULT_SCHEDULE
) -> list[date]:
    """The days the aftercare check-ins fall due after `job_start`, in order."""
    return [add_months(job_start, months) + timedelta(days=days) for months, days in schedule]


def schedule_check_ins(session: Session, enrolment: Enrolment) -> None:
    """Put the check-ins for the enrolment's job start in place; no commit.

    A corrected job start moves the check-ins not yet held; ones already held stay as they were.
    """
    existing = {c.sequence: c for c in session.exec(
        select(AftercareCheckIn).where(AftercareCheckIn.enrolment_id == enrolment.id)
    )}
    for sequence, due_on in enumerate(aftercare_due(enrolment.job_started_on), start=1):
        check_in = existing.get(sequence)
        if check_in is None:
            session.add(AftercareCheckIn(enrolment_id=enrolment.id,
                                         participant_id=enrolment.participant_id,
                                         sequence=sequence, due_on=due_on))
        elif check_in.answered_at is None and check_in.held_by_id is None:
            check_in.due_on = due_on
