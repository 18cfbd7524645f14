"""Today: who needs me. Why a participant needs their consultant now, one plain rule each.

Every rule is a function of one participant's `Facts` and the local moment `now`, and gives a
`Reason` or None. `caseload_facts` gathers the facts for a whole caseload in a fixed number of
aggregate queries, whatever the caseload's size and however much history there is.

The rules, in the order the page ranks them (more urgent first):

- an aftercare check-in or a weekly check-in that asks for contact, until the consultant marks
  the contact as done: the participant said it themselves, so it comes before everything;
- unread messages from the participant, whatever the enrolment's state;
- absent today without notice: today is a planned day, it is 10:00 local time or later (the
  usual start of the day has passed, with room for a late bus), there is no check-in and no
  reported absence. A roll-call's "absent" counts as not checked in;
- absent on 2 or more of the last 5 planned days before today, reported or not (repeated
  illness matters too), looking back at most LOOKBACK_DAYS;
- an aftercare check-in due today or earlier and not answered;
- the milestone meeting after 8 weeks of placement, shown from a week before it is due, until
  a milestone meeting on or after the placement start is booked or held;
- a sub-goal past its due date and not done;
- no 1:1 meeting (any kind) or walk with the consultant for more than 14 days, counted from the
  programme start when there was none, unless a meeting is already booked;
- the app not opened for 7 days or more (counted from the account's creation if never), while
  attendance is expected; in a job the aftercare check-ins say when to get in touch.

A planned day is one of the plan's planned weekdays (GoalPlan.planned_weekdays, Monday = 0),
on or after the programme start and not after its end, that is not a day off for the
participant or the whole organisation. Attendance rules apply in the preparation, placement and
paid-hours phases, and not without a goal plan. An ended enrolment raises only unread messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, union_all
from sqlmodel import Session, select

from app.access import caseload_participant_ids
from app.caseload.service import caseload
from app.models import (
    Absence,
    AftercareCheckIn,
    Attendance,
    AttendanceStatus,
    DayOff,
    Enrolment,
    GoalPlan,
    Meeting,
    Message,
    MessageThread,
    Phase,
    SubGoal,
    User,
    Walk,
    WeeklyCheckIn,
)
from app.timeutil import LOCAL_TZ

DAY_STARTS = time(10, 0)  # after this, a planned day without a check-in is an absence
RECENT_PLANNED_DAYS = 5
REPEATED_ABSENCES = 2
LOOKBACK_DAYS = 42  # enough for 5 planned days with one planned weekday and a holiday
CONVERSATION_DAYS = 14
MILESTONE_AFTER = timedelta(weeks=8)
MILESTONE_NOTICE = timedelta(days=7)
APP_UNOPENED_DAYS = 7
ATTENDANCE_PHASES = frozenset({Phase.preparation, Phase.placement, Phase.paid_hours})
PRESENT = frozenset({AttendanceStatus.present, AttendanceStatus.late})


class Need(enum.IntEnum):
    """Why someone needs their consultant; the lower, the sooner."""

    contact_requested = 1
    unread = 2
    absent_today = 3
    repeated_absence = 4
    aftercare = 5
    milestone = 6
    overdue_subgoal = 7
    no_conversation = 8
    app_unopened = 9


@dataclass(frozen=True)
class Reason:
    need: Need
    count: int = 0  # messages, absent days, sub-goals or days, by need
    of: int = 0  # planned days looked at (repeated absence)
    day: date | None = None  # the day it is about: due, last seen, last conversation
    since: datetime | None = None  # the oldest unread message was sent

    @property
    def sort_key(self) -> tuple:
        """Within one need, what has waited longest first."""
        if self.since is not None:
            return (self.need, self.since.timestamp())
        if self.day is not None:
            return (self.need, self.day.toordinal())
        return (self.need, 0)


@dataclass
class Facts:
    """What the rules need to know about one participant."""

    participant: User
    enrolment: Enrolment
    planned_weekdays: frozenset[int] | None = None  # None: no goal plan yet
    days_off: set[date] = field(default_factory=set)
    present_days: set[date] = field(default_factory=set)
    reported_absence_days: set[date] = field(default_factory=set)
    unread: int = 0
    oldest_unread_at: datetime | None = None
    overdue_subgoals: int = 0
    oldest_due_on: date | None = None
    last_meeting_at: datetime | None = None  # held
    next_meeting_at: datetime | None = None  # booked
    last_walk_on: date | None = None  # with the consultant
    last_milestone_at: datetime | None = None  # held or booked
    aftercare_due_on: date | None = None  # earliest unanswered check-in due by today
    contact_requested_at: datetime | None = None  # oldest open wish for contact


def parse_weekdays(raw: str | None) -> frozenset[int]:
    """"0,2,4" → {0, 2, 4}; anything that is not a weekday is ignored."""
    return frozenset(int(d) for d in (raw or "").split(",") if d.strip() in set("0123456"))


def is_active(enrolment: Enrolment, today: date) -> bool:
    return enrolment.phase != Phase.ended and (
        enrolment.ended_on is None or today <= enrolment.ended_on
    )


def _expects_attendance(facts: Facts, today: date) -> bool:
    return (
        facts.planned_weekdays is not None
        and facts.enrolment.phase in ATTENDANCE_PHASES
        and is_active(facts.enrolment, today)
    )


def is_planned_day(facts: Facts, day: date) -> bool:
    enrolment = facts.enrolment
    return (
        day.weekday() in (facts.planned_weekdays or ())
        and enrolment.started_on <= day
        and (enrolment.ended_on is None or day <= enrolment.ended_on)
        and day not in facts.days_off
    )


def recent_planned_days(facts: Facts, today: date) -> list[date]:
    """The last RECENT_PLANNED_DAYS planned days before today, newest first."""
    days = []
    for back in range(1, LOOKBACK_DAYS + 1):
        day = today - timedelta(days=back)
        if is_planned_day(facts, day):
            days.append(day)
            if len(days) == RECENT_PLANNED_DAYS:
                break
    return days


def contact_requested(facts: Facts, now: datetime) -> Reason | None:
    if facts.contact_requested_at is None:
        return None
    return Reason(Need.contact_requested, since=facts.contact_requested_at)


def unread_messages(facts: Facts, now: datetime) -> Reason | None:
    if not facts.unread:
        return None
    return Reason(Need.unread, count=facts.unread, since=facts.oldest_unread_at)


def absent_today(facts: Facts, now: datetime) -> Reason | None:
    today = now.date()
    if (not _expects_attendance(facts, today) or now.time() < DAY_STARTS
            or not is_planned_day(facts, today) or today in facts.present_days
            or today in facts.reported_absence_days):
        return None
    return Reason(Need.absent_today, day=today)


def repeated_absence(facts: Facts, now: datetime) -> Reason | None:
    today = now.date()
    if not _expects_attendance(facts, today):
        return None
    days = recent_planned_days(facts, today)
    absent = [day for day in days if day not in facts.present_days]
    if len(absent) < REPEATED_ABSENCES:
        return None
    return Reason(Need.repeated_absence, count=len(absent), of=len(days), day=absent[0])


def aftercare_due(facts: Facts, now: datetime) -> Reason | None:
    due = facts.aftercare_due_on
    if (due is None or due > now.date() or facts.enrolment.aftercare_closed_on is not None
            or facts.enrolment.phase == Phase.ended):
        return None
    return Reason(Need.aftercare, day=due)


def milestone_due(facts: Facts, now: datetime) -> Reason | None:
    enrolment = facts.enrolment
    start = enrolment.placement_started_on
    if start is None or enrolment.phase not in (Phase.placement, Phase.paid_hours):
        return None
    due = start + MILESTONE_AFTER
    booked = facts.last_milestone_at is not None and _local_day(facts.last_milestone_at) >= start
    if booked or now.date() < due - MILESTONE_NOTICE:
        return None
    return Reason(Need.milestone, day=due)


def overdue_subgoals(facts: Facts, now: datetime) -> Reason | None:
    if not facts.overdue_subgoals or not is_active(facts.enrolment, now.date()):
        return None
    return Reason(Need.overdue_subgoal, count=facts.overdue_subgoals, day=facts.oldest_due_on)


def no_conversation(facts: Facts, now: datetime) -> Reason | None:
    today = now.date()
    if facts.enrolment.phase not in ATTENDANCE_PHASES or not is_active(facts.enrolment, today):
        return None
    if facts.next_meeting_at is not None and facts.next_meeting_at > now:
        return None
    met_on = _local_day(facts.last_meeting_at) if facts.last_meeting_at else None
    last = max((d for d in (facts.last_walk_on, met_on) if d), default=None)
    days = (today - (last or facts.enrolment.started_on)).days
    if days <= CONVERSATION_DAYS:
        return None
    return Reason(Need.no_conversation, count=days, day=last)


def app_unopened(facts: Facts, now: datetime) -> Reason | None:
    today = now.date()
    if facts.enrolment.phase not in ATTENDANCE_PHASES or not is_active(facts.enrolment, today):
        return None
    seen = facts.participant.last_seen_at
    days = (today - _local_day(seen or facts.participant.created_at)).days
    if days < APP_UNOPENED_DAYS:
        return None
    return Reason(Need.app_unopened, count=days, day=_local_day(seen) if seen else None)


RULES = (contact_requested, unread_messages, absent_today, repeated_absence, aftercare_due,
         milestone_due, overdue_subgoals, no_conversation, app_unopened)


def reasons_for(facts: Facts, now: datetime) -> list[Reason]:
    """Every reason `facts` gives at the local moment `now`, the most urgent first."""
    found = (rule(facts, now) for rule in RULES)
    return sorted((reason for reason in found if reason), key=lambda r: r.sort_key)


@dataclass(frozen=True)
class Row:
    facts: Facts
    reasons: list[Reason]

    @property
    def participant(self) -> User:
        return self.facts.participant

    @property
    def enrolment(self) -> Enrolment:
        return self.facts.enrolment


def today_board(session: Session, staff: User, now: datetime) -> tuple[list[Row], list[Row]]:
    """(who needs `staff` today, by need; everyone else, by name) at the local moment `now`."""
    rows = [Row(facts, reasons_for(facts, now)) for facts in caseload_facts(session, staff, now)]
    needing = sorted((r for r in rows if r.reasons),
                     key=lambda r: (r.reasons[0].sort_key, r.participant.display_name))
    return needing, [r for r in rows if not r.reasons]


def _local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def _aware(moment: datetime | str | None) -> datetime | None:
    """An aggregate's moment in UTC (SQLite's MAX over a CASE may come back plain)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def caseload_facts(session: Session, staff: User, now: datetime) -> list[Facts]:
    """Facts for everyone in `staff`'s caseload, by name, in a fixed number of queries."""
    today = now.date()
    since = today - timedelta(days=LOOKBACK_DAYS)
    ids = caseload_participant_ids(staff)
    facts: dict[int, Facts] = {}
    for person, enrolment, plan in caseload(session, staff):
        earlier = facts.get(person.id)
        if earlier is not None and earlier.enrolment.started_on > enrolment.started_on:
            continue  # a participant back for a new programme: the newest one counts
        weekdays = None if plan is None else parse_weekdays(plan.planned_weekdays)
        facts[person.id] = Facts(person, enrolment, weekdays)
    if not facts:
        return []

    def each(query) -> list:
        return [row for row in session.exec(query).all() if row[0] in facts]

    org_days_off: set[date] = set()
    for pid, day in session.exec(
        select(DayOff.participant_id, DayOff.day)
        .where(DayOff.organisation_id == staff.organisation_id, DayOff.day >= since,
               DayOff.day <= today,
               or_(DayOff.participant_id.is_(None), DayOff.participant_id.in_(ids)))
    ).all():
        if pid is None:
            org_days_off.add(day)
        elif pid in facts:
            facts[pid].days_off.add(day)
    for fact in facts.values():
        fact.days_off |= org_days_off
    for pid, day in each(
        select(Attendance.participant_id, Attendance.day)
        .where(Attendance.participant_id.in_(ids), Attendance.day >= since,
               Attendance.day <= today, Attendance.status.in_(PRESENT))
    ):
        facts[pid].present_days.add(day)
    for pid, day in each(
        select(Absence.participant_id, Absence.day).distinct()
        .where(Absence.participant_id.in_(ids), Absence.day >= since, Absence.day <= today)
    ):
        facts[pid].reported_absence_days.add(day)
    for pid, count, oldest in each(
        select(MessageThread.participant_id, func.count(Message.id), func.min(Message.sent_at))
        .join(Message, Message.thread_id == MessageThread.id)
        .where(MessageThread.participant_id.in_(ids),
               Message.sender_id == MessageThread.participant_id, Message.read_at.is_(None))
        .group_by(MessageThread.participant_id)
    ):
        facts[pid].unread, facts[pid].oldest_unread_at = count, _aware(oldest)
    for pid, count, oldest in each(
        select(GoalPlan.participant_id, func.count(SubGoal.id), func.min(SubGoal.due_on))
        .join(SubGoal, SubGoal.plan_id == GoalPlan.id)
        .where(GoalPlan.participant_id.in_(ids), SubGoal.done_at.is_(None),
               SubGoal.due_on < today)
        .group_by(GoalPlan.participant_id)
    ):
        facts[pid].overdue_subgoals, facts[pid].oldest_due_on = count, oldest
    for pid, last, upcoming, milestone in each(
        select(Meeting.participant_id,
               func.max(case((Meeting.starts_at <= now, Meeting.starts_at))),
               func.min(case((Meeting.starts_at > now, Meeting.starts_at))),
               func.max(case((Meeting.milestone, Meeting.starts_at))))
        .where(Meeting.participant_id.in_(ids))
        .group_by(Meeting.participant_id)
    ):
        fact = facts[pid]
        fact.last_meeting_at, fact.next_meeting_at = _aware(last), _aware(upcoming)
        fact.last_milestone_at = _aware(milestone)
    for pid, last in each(
        select(Walk.participant_id, func.max(Walk.walked_on))
        .where(Walk.participant_id.in_(ids), Walk.with_consultant)
        .group_by(Walk.participant_id)
    ):
        facts[pid].last_walk_on = last
    for pid, due in each(
        select(AftercareCheckIn.participant_id, func.min(AftercareCheckIn.due_on))
        .where(AftercareCheckIn.participant_id.in_(ids), AftercareCheckIn.answered_at.is_(None),
               AftercareCheckIn.due_on <= today)
        .group_by(AftercareCheckIn.participant_id)
    ):
        facts[pid].aftercare_due_on = due
    requests = union_all(
        select(AftercareCheckIn.participant_id.label("pid"),
               AftercareCheckIn.answered_at.label("at"))
        .where(AftercareCheckIn.participant_id.in_(ids), AftercareCheckIn.wants_contact,
               AftercareCheckIn.contact_done_at.is_(None)),
        select(WeeklyCheckIn.participant_id.label("pid"), WeeklyCheckIn.answered_at.label("at"))
        .where(WeeklyCheckIn.participant_id.in_(ids), WeeklyCheckIn.wants_to_talk,
               WeeklyCheckIn.contact_done_at.is_(None)),
    ).subquery()
    for pid, oldest in each(select(requests.c.pid, func.min(requests.c.at))
                            .group_by(requests.c.pid)):
        facts[pid].contact_requested_at = _aware(oldest)
    return list(facts.values())
