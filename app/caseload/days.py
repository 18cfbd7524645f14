"""Planned weekdays and days off: when a participant is expected to attend.

A day off belongs to one participant, or to the whole organisation (participant_id None, e.g.
a public holiday). The caller has passed `caseload_participant(..., action="change")` for a
participant's day; an organisation's day any staff member of it may keep.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort
from sqlmodel import Session, select

from app.caseload.attention import parse_weekdays
from app.models import DayOff, User, utcnow
from app.plan.service import find_plan, plan_of

# Days off are kept from a while back (to record a forgotten one) to a year ahead.
DAYS_OFF_BACK = timedelta(weeks=8)
DAYS_OFF_AHEAD = timedelta(days=366)
DEFAULT_WEEKDAYS = frozenset(range(5))


def day_off_allowed(day: date, *, today: date) -> bool:
    return today - DAYS_OFF_BACK <= day <= today + DAYS_OFF_AHEAD


def planned_weekdays(session: Session, participant_id: int) -> frozenset[int]:
    """The weekdays (Monday = 0) the participant is expected; Monday–Friday without a plan."""
    plan = find_plan(session, participant_id)
    return DEFAULT_WEEKDAYS if plan is None else parse_weekdays(plan.planned_weekdays)


def set_planned_weekdays(session: Session, *, participant_id: int, weekdays: set[int]) -> None:
    plan = plan_of(session, participant_id)
    plan.planned_weekdays = ",".join(str(d) for d in sorted(weekdays))
    plan.updated_at = utcnow()
    session.add(plan)
    session.commit()


def days_off(
    session: Session, *, organisation_id: int, participant_id: int | None, since: date
) -> list[DayOff]:
    """The participant's own days off (or the organisation's when None) from `since`, by day."""
    return list(session.exec(
        select(DayOff).where(DayOff.organisation_id == organisation_id,
                             _owned_by(participant_id), DayOff.day >= since)
        .order_by(DayOff.day)
    ).all())


def add_day_off(
    session: Session, *, staff: User, participant_id: int | None, day: date, note: str
) -> None:
    """Add a day off; the same day again only changes its note."""
    found = session.exec(
        select(DayOff).where(DayOff.organisation_id == staff.organisation_id,
                             _owned_by(participant_id), DayOff.day == day)
    ).first()
    found = found or DayOff(organisation_id=staff.organisation_id,
                            participant_id=participant_id, day=day, created_by_id=staff.id)
    found.note = note.strip()
    session.add(found)
    session.commit()


def remove_day_off(
    session: Session, *, staff: User, participant_id: int | None, day_off_id: int
) -> None:
    """Remove a day off of this participant (or the organisation); 404 for any other."""
    found = session.get(DayOff, day_off_id)
    if (found is None or found.organisation_id != staff.organisation_id
            or found.participant_id != participant_id):
        abort(404)
    session.delete(found)
    session.commit()


def _owned_by(participant_id: int | None):
    if participant_id is None:
        return DayOff.participant_id.is_(None)
    return DayOff.participant_id == participant_id
