"""Aftercare (efterværn) and the weekly check-in.

Knowing the hand is still there is what makes people dare to take the job, so a job start
schedules check-ins at once: by default after one week, one month and three months; the
organisation may choose its own schedule. Aftercare ends when the last check-in is answered (or
held by phone or visit), or when the consultant closes it; after that nothing more is asked.

Before a job, in the preparation, placement and paid-hours phases, the participant gets a
weekly "How was your week?". A wish for contact, in either, puts the participant at the top of
the consultant's "who needs me" until the consultant marks the contact as done.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort
from sqlmodel import Session, select

from app.idempotency import claim
from app.models import (
    AftercareCheckIn,
    Enrolment,
    Organisation,
    Phase,
    User,
    WeeklyCheckIn,
    utcnow,
)
from app.push.service import notify_contact_request
from app.timeutil import LOCAL_TZ, week_of

Schedule = tuple[tuple[int, int], ...]

# (months, days) after the job start, in order.
DEFAULT_SCHEDULE: Schedule = ((0, 7), (1, 0), (3, 0))
MAX_CHECK_INS = 8
MAX_MONTHS = 24
# A check-in is "due" on its day and the week after; then it is overdue.
DUE_FOR = timedelta(days=7)
WEEKLY_PHASES = frozenset({Phase.preparation, Phase.placement, Phase.paid_hours})
HELD_HOW = ("phone", "visit")
ASK_WEEK_FROM = 3  # Thursday (Monday = 0)


class BadSchedule(ValueError):
    """A schedule that is not (months, days) pairs in order, within the limits."""


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on, clamped to the month's end (31 Jan → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def aftercare_due(job_start: date, schedule: Schedule = DEFAULT_SCHEDULE) -> list[date]:
    """The days the aftercare check-ins fall due after `job_start`, in order."""
    return [add_months(job_start, months) + timedelta(days=days) for months, days in schedule]


def parse_schedule(raw: str | None) -> Schedule:
    """"0:7,1:0,3:0" → ((0, 7), (1, 0), (3, 0)); empty → DEFAULT_SCHEDULE. Raises BadSchedule
    unless every pair is within the limits and each comes after the one before."""
    if not raw or not raw.strip():
        return DEFAULT_SCHEDULE
    try:
        pairs = tuple(tuple(int(n) for n in part.split(":")) for part in raw.split(","))
    except ValueError as error:
        raise BadSchedule(raw) from error
    check_schedule(pairs)
    return pairs


def check_schedule(schedule: Schedule) -> None:
    """Raises BadSchedule unless `schedule` is 1..MAX_CHECK_INS pairs, strictly later each time
    (compared on a 31-day month, so "1 month" comes after "0 months 30 days")."""
    if not 1 <= len(schedule) <= MAX_CHECK_INS:
        raise BadSchedule(schedule)
    previous = -1
    for pair in schedule:
        if len(pair) != 2:
            raise BadSchedule(schedule)
        months, days = pair
        if not (0 <= months <= MAX_MONTHS and 0 <= days <= 365) or (months, days) == (0, 0):
            raise BadSchedule(schedule)
        length = months * 31 + days
        if length <= previous:
            raise BadSchedule(schedule)
        previous = length


def format_schedule(schedule: Schedule) -> str:
    return ",".join(f"{months}:{days}" for months, days in schedule)


def organisation_schedule(organisation: Organisation | None) -> Schedule:
    """The organisation's schedule; DEFAULT_SCHEDULE when it has chosen none (or a broken one)."""
    try:
        return parse_schedule(organisation.aftercare_schedule if organisation else None)
    except BadSchedule:
        return DEFAULT_SCHEDULE


def set_schedule(session: Session, *, organisation: Organisation, schedule: Schedule) -> None:
    """Store the organisation's schedule; it applies to job starts recorded from now on."""
    check_schedule(schedule)
    organisation.aftercare_schedule = (None if schedule == DEFAULT_SCHEDULE
                                       else format_schedule(schedule))
    session.add(organisation)
    session.commit()


def schedule_check_ins(session: Session, enrolment: Enrolment) -> None:
    """Put the check-ins for the enrolment's job start in place, by the organisation's schedule
    as it is now; no commit.

    A corrected job start moves the check-ins not yet held; ones already held stay as they were.
    """
    schedule = organisation_schedule(session.get(Organisation, enrolment.organisation_id))
    existing = {c.sequence: c for c in session.exec(
        select(AftercareCheckIn).where(AftercareCheckIn.enrolment_id == enrolment.id)
    )}
    days = aftercare_due(enrolment.job_started_on, schedule)
    for sequence, due_on in enumerate(days, start=1):
        check_in = existing.get(sequence)
        if check_in is None:
            session.add(AftercareCheckIn(enrolment_id=enrolment.id,
                                         participant_id=enrolment.participant_id,
                                         sequence=sequence, due_on=due_on))
        elif check_in.answered_at is None and check_in.held_by_id is None:
            check_in.due_on = due_on
    for sequence, check_in in existing.items():
        if sequence > len(days) and check_in.answered_at is None and check_in.held_by_id is None:
            session.delete(check_in)  # a shorter schedule since: no longer asked


def aftercare_ended(enrolment: Enrolment, check_ins: list[AftercareCheckIn]) -> bool:
    """Closed by the consultant, the programme ended, or every check-in answered or held."""
    return (enrolment.aftercare_closed_on is not None or enrolment.phase == Phase.ended
            or (bool(check_ins) and all(c.answered_at is not None for c in check_ins)))


def status(check_in: AftercareCheckIn, today: date, ended: bool = False) -> str:
    """"answered" (in the app), "held" (by phone or visit), "upcoming", "due", "overdue", or
    "not_asked" once aftercare has ended without it."""
    if check_in.answered_at is not None:
        return "held" if check_in.held_by_id is not None else "answered"
    if ended:
        return "not_asked"
    if today < check_in.due_on:
        return "upcoming"
    return "due" if today < check_in.due_on + DUE_FOR else "overdue"


def check_ins_of(session: Session, enrolment: Enrolment) -> list[AftercareCheckIn]:
    return list(session.exec(
        select(AftercareCheckIn).where(AftercareCheckIn.enrolment_id == enrolment.id)
        .order_by(AftercareCheckIn.sequence)
    ))


def current_enrolment(session: Session, participant_id: int) -> Enrolment | None:
    return session.exec(
        select(Enrolment).where(Enrolment.participant_id == participant_id)
        .order_by(Enrolment.started_on.desc())
    ).first()


def due_check_in(session: Session, participant_id: int, today: date) -> AftercareCheckIn | None:
    """The check-in the participant is asked now: the earliest one due and not answered, while
    aftercare lasts. None before it is due."""
    return _asked(session, current_enrolment(session, participant_id), today)


def _asked(session: Session, enrolment: Enrolment | None, today: date) -> AftercareCheckIn | None:
    if enrolment is None or enrolment.job_started_on is None:
        return None
    check_ins = check_ins_of(session, enrolment)
    if aftercare_ended(enrolment, check_ins):
        return None
    return next((c for c in check_ins if c.answered_at is None and c.due_on <= today), None)


@dataclass
class Answers:
    """A check-in's answers; as far as they are known when the consultant records them."""

    how_it_goes: int | None
    hours_per_week: float | None = None
    what_is_hard: str = ""
    wants_contact: bool | None = None


def _write_answers(check_in: AftercareCheckIn, answers: Answers, now: datetime) -> None:
    check_in.how_it_goes = answers.how_it_goes
    check_in.hours_per_week = answers.hours_per_week
    check_in.what_is_hard = (answers.what_is_hard or "").strip()
    check_in.wants_contact = answers.wants_contact
    check_in.answered_at = now


def own_check_in(session: Session, participant_id: int, check_in_id: int) -> AftercareCheckIn:
    """The participant's check-in; 404 for anyone else's."""
    check_in = session.get(AftercareCheckIn, check_in_id)
    if check_in is None or check_in.participant_id != participant_id:
        abort(404)
    return check_in


def answer_check_in(
    session: Session, *, participant: User, check_in_id: int, answers: Answers,
    client_id: uuid.UUID, today: date, now: datetime | None = None,
) -> AftercareCheckIn:
    """The participant answers the check-in they are asked now; 404 for any other. A replay,
    or a second answer from another tab, changes nothing."""
    check_in = own_check_in(session, participant.id, check_in_id)
    if claim(session, user=participant, client_id=client_id, kind="aftercare_answer") is None:
        asked = due_check_in(session, participant.id, today)
        if check_in.answered_at is None:
            if asked is None or asked.id != check_in.id:
                abort(404)
            _write_answers(check_in, answers, now or utcnow())
            session.add(check_in)
            if answers.wants_contact:
                notify_contact_request(session, participant_id=participant.id,
                                       reference=f"checkin:{check_in.id}")
        session.commit()
    return check_in


def record_held(
    session: Session, *, staff: User, participant_id: int, check_in_id: int, how: str,
    answers: Answers, note: str, client_id: uuid.UUID, now: datetime | None = None,
) -> AftercareCheckIn:
    """The consultant records a check-in held by phone or visit (or corrects one held)."""
    check_in = own_check_in(session, participant_id, check_in_id)
    if how not in HELD_HOW:
        raise ValueError(how)
    if check_in.answered_at is not None and check_in.held_by_id is None:
        abort(409)  # the participant's own answers are theirs; never written over
    if claim(session, user=staff, client_id=client_id, kind="aftercare_held") is None:
        _write_answers(check_in, answers, now or utcnow())
        check_in.held_by_id, check_in.held_how, check_in.note = staff.id, how, note.strip()
        if answers.wants_contact:
            check_in.contact_done_at = check_in.answered_at  # they were just in contact
        session.add(check_in)
        session.commit()
    return check_in


def close_aftercare(session: Session, *, enrolment: Enrolment, day: date) -> None:
    """End aftercare early; the check-ins not yet answered are no longer asked."""
    if enrolment.aftercare_closed_on is None:
        enrolment.aftercare_closed_on = day
        session.add(enrolment)
    session.commit()


def open_contact_requests(session: Session, participant_id: int) -> list[AftercareCheckIn |
                                                                            WeeklyCheckIn]:
    """Answers asking for contact that the consultant has not yet marked done, oldest first."""
    check_ins = session.exec(
        select(AftercareCheckIn).where(AftercareCheckIn.participant_id == participant_id,
                                       AftercareCheckIn.wants_contact,
                                       AftercareCheckIn.contact_done_at.is_(None))
    ).all()
    weeks = session.exec(
        select(WeeklyCheckIn).where(WeeklyCheckIn.participant_id == participant_id,
                                    WeeklyCheckIn.wants_to_talk,
                                    WeeklyCheckIn.contact_done_at.is_(None))
    ).all()
    return sorted([*check_ins, *weeks], key=lambda answer: answer.answered_at)


def mark_contact_done(session: Session, *, participant_id: int,
                      now: datetime | None = None) -> None:
    """The consultant has been in contact: every open request of the participant is done."""
    now = now or utcnow()
    for answer in open_contact_requests(session, participant_id):
        answer.contact_done_at = now
        session.add(answer)
    session.commit()


def week_starting(moment: datetime) -> date:
    """The Monday of the local (Copenhagen) ISO week holding `moment`."""
    return week_of(moment.astimezone(LOCAL_TZ).date())[0]


def weekly_applies(enrolment: Enrolment | None, today: date) -> bool:
    """The weekly check-in is asked in the preparation, placement and paid-hours phases of a
    programme that has not ended."""
    return (enrolment is not None and enrolment.phase in WEEKLY_PHASES
            and (enrolment.ended_on is None or today <= enrolment.ended_on))


def weekly_answer(session: Session, participant_id: int, week: date) -> WeeklyCheckIn | None:
    return session.exec(
        select(WeeklyCheckIn).where(WeeklyCheckIn.participant_id == participant_id,
                                    WeeklyCheckIn.week_of == week)
    ).first()


def answer_week(
    session: Session, *, participant: User, how_it_went: int, wants_to_talk: bool,
    client_id: uuid.UUID, now: datetime | None = None,
) -> WeeklyCheckIn:
    """This week's answer. One per ISO week: answering again the same week replaces it (people
    change their mind, and the consultant needs the latest word); a new "yes" asks again even
    if an earlier one was handled. 404 outside the phases that have it; a replay changes nothing.
    """
    now = now or utcnow()
    week = week_starting(now)
    if not weekly_applies(current_enrolment(session, participant.id),
                          now.astimezone(LOCAL_TZ).date()):
        abort(404)
    answer = weekly_answer(session, participant.id, week)
    if claim(session, user=participant, client_id=client_id, kind="weekly_answer") is None:
        if answer is None:
            answer = WeeklyCheckIn(participant_id=participant.id, week_of=week,
                                   how_it_went=how_it_went)
        answer.how_it_went, answer.wants_to_talk, answer.answered_at = (
            how_it_went, wants_to_talk, now)
        answer.contact_done_at = None
        session.add(answer)
        session.flush()
        if wants_to_talk:
            # Keyed by the answer time: a new "yes" the same week asks again.
            notify_contact_request(session, participant_id=participant.id,
                                   reference=f"week:{answer.id}:{now.isoformat()}")
        session.commit()
    return answer


def weekly_answers(session: Session, participant_id: int, limit: int = 12) -> list[WeeklyCheckIn]:
    """The latest weekly answers, newest first."""
    return list(session.exec(
        select(WeeklyCheckIn).where(WeeklyCheckIn.participant_id == participant_id)
        .order_by(WeeklyCheckIn.week_of.desc()).limit(limit)
    ))


@dataclass
class Prompts:
    """What the participant's plan home asks today, if anything."""

    check_in: AftercareCheckIn | None
    weekly: bool  # the weekly check-in applies (a quiet link to it)
    answer: WeeklyCheckIn | None  # this week's answer so far
    ask_week: bool  # ask for it in front: late in the week and not answered yet


def prompts(session: Session, participant_id: int, now: datetime) -> Prompts:
    """The due aftercare check-in, and this week's check-in: asked in front of the plan from
    Thursday (a week needs to have happened before "How was your week?"), until answered."""
    today = now.astimezone(LOCAL_TZ).date()
    enrolment = current_enrolment(session, participant_id)
    weekly = weekly_applies(enrolment, today)
    answer = weekly_answer(session, participant_id, week_starting(now)) if weekly else None
    ask_week = weekly and answer is None and today.weekday() >= ASK_WEEK_FROM
    return Prompts(_asked(session, enrolment, today), weekly, answer, ask_week)
