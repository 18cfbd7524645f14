"""Walks (gåture) and meetings with the consultant, walk-meetings included."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import abort
from sqlalchemy import func
from sqlmodel import Session, select

from app.attendance.service import parse_decimal
from app.idempotency import claim
from app.models import Meeting, MeetingKind, User, Walk
from app.timeutil import LOCAL_TZ, week_of

WALK_BACK_DAYS = 60
DISTANCE_MIN, DISTANCE_MAX = Decimal("0.1"), Decimal(100)
MEETING_RANGE_DAYS = 365  # a meeting a year off is almost surely a typo in the year
RECENT_WALKS = 20
UPCOMING_MEETINGS = 10
PAST_MEETINGS = 20


def walk_window(today: date) -> tuple[date, date]:
    """A walk can be logged for today or up to 60 days back, never ahead."""
    return today - timedelta(days=WALK_BACK_DAYS), today


def walk_day_allowed(day: date, *, today: date) -> bool:
    first, last = walk_window(today)
    return first <= day <= last


def meeting_day_allowed(day: date, *, today: date) -> bool:
    return abs((day - today).days) <= MEETING_RANGE_DAYS


def parse_distance(raw: str | None) -> float | None:
    """Kilometres as typed ("2,5" or "2.5"), 0.1–100; None when left empty. ValueError if not."""
    if not (raw or "").strip():
        return None
    km = parse_decimal(raw)
    if not DISTANCE_MIN <= km <= DISTANCE_MAX:
        raise ValueError(raw)
    return float(km)


def local_to_utc(day: date, at: time) -> datetime:
    """A Copenhagen wall-clock time as a UTC moment.

    In the autumn hour that happens twice, the first (summer time) is meant; a spring time that
    does not exist is read with the winter offset, i.e. one hour later on the clock.
    """
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)


def log_walk(
    session: Session, *, actor: User, participant_id: int, walked_on: date, minutes: int,
    distance_km: float | None, with_consultant: bool, agreed_note: str, client_id: uuid.UUID,
) -> None:
    """Log a walk; `actor` is the participant or the consultant who walked with them."""
    if claim(session, user=actor, client_id=client_id, kind="walks.walk"):
        return
    session.add(Walk(
        participant_id=participant_id, walked_on=walked_on, minutes=minutes,
        distance_km=distance_km, with_consultant=with_consultant,
        agreed_note=agreed_note.strip(), recorded_by_id=actor.id,
    ))
    session.commit()


def recent_walks(session: Session, participant_id: int, *, limit: int = RECENT_WALKS) -> list[Walk]:
    return list(session.exec(
        select(Walk).where(Walk.participant_id == participant_id)
        .order_by(Walk.walked_on.desc(), Walk.id.desc()).limit(limit)
    ).all())


def week_walk_minutes(session: Session, participant_id: int, *, today: date) -> int:
    """Minutes walked Monday–Sunday of the week holding `today`."""
    monday, sunday = week_of(today)
    total = session.exec(
        select(func.sum(Walk.minutes)).where(
            Walk.participant_id == participant_id, Walk.walked_on >= monday,
            Walk.walked_on <= sunday,
        )
    ).one()
    return total or 0


def upcoming_meetings(
    session: Session, participant_id: int, *, now: datetime, limit: int = UPCOMING_MEETINGS
) -> list[Meeting]:
    """The next meetings from `now` on, soonest first."""
    return list(session.exec(
        select(Meeting).where(Meeting.participant_id == participant_id, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id).limit(limit)
    ).all())


def past_meetings(
    session: Session, participant_id: int, *, now: datetime, with_summary_only: bool,
    limit: int = PAST_MEETINGS,
) -> list[Meeting]:
    """Meetings before `now`, latest first; the participant sees only those with a summary."""
    query = select(Meeting).where(Meeting.participant_id == participant_id,
                                  Meeting.starts_at < now)
    if with_summary_only:
        query = query.where(Meeting.summary != "")
    return list(session.exec(
        query.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    ).all())


def plan_meeting(
    session: Session, *, consultant: User, participant_id: int, kind: MeetingKind,
    starts_at: datetime, place: str, client_id: uuid.UUID,
) -> None:
    """Plan a meeting with the participant; the participant sees it at once."""
    if claim(session, user=consultant, client_id=client_id, kind="walks.meeting"):
        return
    session.add(Meeting(participant_id=participant_id, consultant_id=consultant.id, kind=kind,
                        starts_at=starts_at, place=place.strip()))
    session.commit()


def meeting_of(session: Session, *, participant_id: int, meeting_id: int) -> Meeting:
    """The participant's meeting; 404 for any other id."""
    meeting = session.exec(
        select(Meeting).where(Meeting.id == meeting_id, Meeting.participant_id == participant_id)
    ).first()
    if meeting is None:
        abort(404)
    return meeting


def can_summarise(meeting: Meeting, *, now: datetime) -> bool:
    """A summary is written after the meeting has begun."""
    return meeting.starts_at <= now


def write_summary(session: Session, *, meeting: Meeting, summary: str) -> None:
    """The consultant's summary after a meeting; the participant can read it."""
    meeting.summary = summary.strip()
    session.add(meeting)
    session.commit()
