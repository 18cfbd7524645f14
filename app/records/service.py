"""The objective record for the provider report to the job centre (leverandørrapport).

Attendance rate and hours per week against the step-up plan, sub-goals reached, the scale over
time, meetings and walks held, and workplace observations, for a chosen period. The pure
functions take plain rows so the rules can be tested without a database; `build_record` loads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from app.caseload.attention import parse_weekdays
from app.caseload.days import DEFAULT_WEEKDAYS
from app.models import (
    Absence,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    DayOff,
    Enrolment,
    GoalPlan,
    Meeting,
    Role,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
    Walk,
    WorkplaceObservation,
)
from app.timeutil import LOCAL_TZ, week_of

DEFAULT_WEEKS = 4
MAX_PERIOD_DAYS = 366  # a year and a leap day: longer reports are several reports
MAX_LABELS = 13  # week numbers that fit under the chart's bars, a quarter's worth


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def default_period(today: date) -> Period:
    """The last four weeks: from the Monday three weeks before this week's, up to today."""
    return Period(week_of(today)[0] - timedelta(weeks=DEFAULT_WEEKS - 1), today)


def period_problem(start: date, end: date) -> str | None:
    """Why a period cannot be reported on ("order", "length"), or None when it can."""
    if start > end:
        return "order"
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        return "length"
    return None


def target_on(steps: Iterable[StepUpStep], day: date) -> float | None:
    """The weekly hours of the step in force on `day` (the latest started), None before any."""
    started = [s for s in steps if s.starts_on <= day]
    return max(started, key=lambda s: s.starts_on).hours_per_week if started else None


def attended(row: Attendance | None, corrected_ids: set[int] = frozenset()) -> bool:
    """A day counts as attended when present or late, with a check-in or hours; a day staff
    corrected to present or late counts on their word, with or without hours."""
    return (row is not None and row.status != AttendanceStatus.absent
            and (row.checked_in_at is not None or bool(row.minutes) or row.id in corrected_ids))


@dataclass(frozen=True, kw_only=True)
class Tally:
    """Attendance counted over some days: a week of the period, or the whole period."""

    minutes: int
    expected_hours: float | None  # the target for the days counted
    planned_days: int  # planned days up to today, days off left out
    attended_days: int
    late_days: int
    reported_absent_days: int
    unreported_absent_days: int
    corrected_days: int

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def share_of_target(self) -> float | None:
        return self.hours / self.expected_hours if self.expected_hours else None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended_days / self.planned_days if self.planned_days else None


@dataclass(frozen=True, kw_only=True)
class WeekRow(Tally):
    """One ISO week (Monday–Sunday) of the period; the edge weeks may hold only some days."""

    monday: date
    first: date  # the week's first and last day inside the period
    last: date
    target_hours: float | None  # the weekly target in force on the week's Monday

    @property
    def year_and_week(self) -> tuple[int, int]:
        iso = self.monday.isocalendar()
        return iso.year, iso.week

    @property
    def partial(self) -> bool:
        return self.first != self.monday or self.last != self.monday + timedelta(days=6)


def week_rows(
    period: Period, *, today: date, attendance: Iterable[Attendance],
    absences: Iterable[Absence], corrected_ids: set[int], steps: list[StepUpStep],
    planned_weekdays: frozenset[int], days_off: set[date], first_day: date | None = None,
    last_day: date | None = None,
) -> list[WeekRow]:
    """The period week by week.

    Hours count every day; the attendance rate counts only planned days: the plan's weekdays
    from `first_day` (the programme start) to `last_day` (its end, if any) and up to today,
    without days off (the same rule as the caseload's attention signals). A corrected day
    counts with its corrected values and is counted as corrected. A partial week's target is
    the weekly target times the share of its planned weekdays that fall inside the period.
    """
    by_day = {row.day: row for row in attendance}
    absent_days = {a.day for a in absences}

    def came_on(day: date) -> bool:
        return attended(by_day.get(day), corrected_ids)

    rows = []
    monday = week_of(period.start)[0]
    while monday <= period.end:
        week = [monday + timedelta(days=n) for n in range(7)]
        inside = [d for d in week if period.start <= d <= period.end]
        planned = [d for d in inside if d.weekday() in planned_weekdays and d <= today
                   and d not in days_off and (first_day is None or d >= first_day)
                   and (last_day is None or d <= last_day)]
        target = target_on(steps, monday)
        planned_in_week = sum(1 for d in week if d.weekday() in planned_weekdays)
        planned_inside = sum(1 for d in inside if d.weekday() in planned_weekdays)
        expected = (target * planned_inside / planned_in_week
                    if target is not None and planned_in_week else None)
        came = [d for d in planned if came_on(d)]
        missed = [d for d in planned if not came_on(d)]
        rows.append(WeekRow(
            monday=monday, first=inside[0], last=inside[-1],
            minutes=sum(by_day[d].minutes or 0 for d in inside if came_on(d)),
            target_hours=target, expected_hours=expected, planned_days=len(planned),
            attended_days=len(came),
            late_days=sum(1 for d in came if by_day[d].status == AttendanceStatus.late),
            reported_absent_days=sum(1 for d in missed if d in absent_days),
            unreported_absent_days=sum(1 for d in missed if d not in absent_days),
            corrected_days=sum(1 for d in inside if d in by_day and by_day[d].id in corrected_ids),
        ))
        monday += timedelta(days=7)
    return rows


def totals(rows: list[WeekRow]) -> Tally:
    """The period's sums; the target only over weeks that had one (None if none did)."""
    expected = [r.expected_hours for r in rows if r.expected_hours is not None]
    return Tally(
        minutes=sum(r.minutes for r in rows),
        expected_hours=sum(expected) if expected else None,
        planned_days=sum(r.planned_days for r in rows),
        attended_days=sum(r.attended_days for r in rows),
        late_days=sum(r.late_days for r in rows),
        reported_absent_days=sum(r.reported_absent_days for r in rows),
        unreported_absent_days=sum(r.unreported_absent_days for r in rows),
        corrected_days=sum(r.corrected_days for r in rows),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float  # top of the logged hours bar
    height: float
    target_y: float | None  # the expected hours as a line across the bar
    label_x: float
    row: WeekRow
    labelled: bool = True  # with many weeks only every few bars carry their numbers


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    top_hours: float


def hours_chart(rows: list[WeekRow], *, width: int = 480, height: int = 200) -> Chart:
    """Bar geometry for the hours per week (a bar each) with the target as a line on each.

    Drawn in an SVG viewBox: y grows downward, the baseline leaves room for the week labels.
    """
    label_room, top_room = 28, 24  # room below for week labels, above for the values
    baseline = height - label_room
    top_hours = max([1.0] + [r.hours for r in rows]
                    + [r.expected_hours for r in rows if r.expected_hours is not None])
    scale = (baseline - top_room) / top_hours
    slot = width / max(1, len(rows))
    bar_width = slot * 0.6
    every = math.ceil(len(rows) / MAX_LABELS) or 1
    bars = []
    for index, row in enumerate(rows):
        x = index * slot + (slot - bar_width) / 2
        bar_height = row.hours * scale
        bars.append(Bar(
            x=round(x, 1), width=round(bar_width, 1), y=round(baseline - bar_height, 1),
            height=round(bar_height, 1), label_x=round(x + bar_width / 2, 1), row=row,
            labelled=index % every == 0,
            target_y=(round(baseline - row.expected_hours * scale, 1)
                      if row.expected_hours is not None else None),
        ))
    return Chart(width=width, height=height, baseline=baseline, bars=bars, top_hours=top_hours)


@dataclass(frozen=True)
class ScaleRow:
    """The scale readings of one sub-goal on one day: the latest of each side that day."""

    day: date
    subgoal: str
    participant: int | None
    consultant: int | None


def scale_rows(readings: Iterable[tuple[ScaleReading, str]]) -> list[ScaleRow]:
    """Readings (with their sub-goal's title) by day and sub-goal, in time order."""
    latest: dict[tuple[date, str], dict[Role, int]] = {}
    for reading, title in sorted(readings, key=lambda r: (r[0].recorded_at, r[0].id or 0)):
        day = reading.recorded_at.astimezone(LOCAL_TZ).date()
        latest.setdefault((day, title), {})[reading.by_role] = reading.value
    return [ScaleRow(day=day, subgoal=title, participant=values.get(Role.participant),
                     consultant=values.get(Role.consultant))
            for (day, title), values in latest.items()]


@dataclass
class Record:
    participant: User
    period: Period
    today: date
    weeks: list[WeekRow]
    totals: Tally
    chart: Chart
    has_plan: bool
    steps: list[StepUpStep]
    reached: list[SubGoal]
    open_count: int
    scale: list[ScaleRow]
    meetings: list[Meeting]
    walks: list[Walk]
    observations: list[WorkplaceObservation]
    enrolment: Enrolment | None = None
    job_goal: str = ""
    accommodations: str = ""

    @property
    def walk_minutes(self) -> int:
        return sum(w.minutes for w in self.walks)


def _utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's local days as UTC moments: from its first midnight to the one after it."""
    start = datetime.combine(period.start, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return start, end.astimezone(UTC)


def build_record(
    session: Session, *, participant: User, period: Period, today: date, now: datetime
) -> Record:
    """Load and compute the record of `participant` for `period`; a fixed number of queries."""
    pid = participant.id
    start, end = _utc_bounds(period)
    plan = session.exec(select(GoalPlan).where(GoalPlan.participant_id == pid)).first()
    steps = list(session.exec(
        select(StepUpStep).where(StepUpStep.plan_id == plan.id).order_by(StepUpStep.starts_on)
    ).all()) if plan else []
    enrolment = session.exec(
        select(Enrolment).where(Enrolment.participant_id == pid)
        .order_by(Enrolment.started_on.desc())
    ).first()
    attendance = list(session.exec(select(Attendance).where(
        Attendance.participant_id == pid, Attendance.day >= period.start,
        Attendance.day <= period.end)).all())
    corrected_ids = set(session.exec(
        select(AttendanceCorrection.attendance_id)
        .where(AttendanceCorrection.attendance_id.in_([a.id for a in attendance] or [0]))
    ).all())
    absences = session.exec(select(Absence).where(
        Absence.participant_id == pid, Absence.day >= period.start, Absence.day <= period.end
    )).all()
    days_off = set(session.exec(select(DayOff.day).where(
        DayOff.organisation_id == participant.organisation_id,
        or_(DayOff.participant_id.is_(None), DayOff.participant_id == pid),
        DayOff.day >= period.start, DayOff.day <= period.end,
    )).all())
    weeks = week_rows(
        period, today=today, attendance=attendance, absences=absences,
        corrected_ids=corrected_ids, steps=steps, days_off=days_off,
        planned_weekdays=parse_weekdays(plan.planned_weekdays) if plan else DEFAULT_WEEKDAYS,
        first_day=enrolment.started_on if enrolment else None,
        last_day=enrolment.ended_on if enrolment else None,
    )
    subgoals = list(session.exec(select(SubGoal).where(SubGoal.plan_id == plan.id)).all()
                    ) if plan else []
    readings = session.exec(
        select(ScaleReading, SubGoal.title).join(SubGoal, SubGoal.id == ScaleReading.subgoal_id)
        .join(GoalPlan, GoalPlan.id == SubGoal.plan_id)
        .where(GoalPlan.participant_id == pid, ScaleReading.recorded_at >= start,
               ScaleReading.recorded_at < end)
    ).all()
    return Record(
        participant=participant, period=period, today=today, weeks=weeks, totals=totals(weeks),
        chart=hours_chart(weeks), has_plan=bool(steps), steps=steps, enrolment=enrolment,
        reached=sorted((s for s in subgoals if s.done_at and start <= s.done_at < end),
                       key=lambda s: s.done_at),
        open_count=sum(1 for s in subgoals if s.done_at is None),
        scale=scale_rows(readings),
        meetings=list(session.exec(select(Meeting).where(
            Meeting.participant_id == pid, Meeting.starts_at >= start,
            Meeting.starts_at < min(end, now)).order_by(Meeting.starts_at)).all()),
        walks=list(session.exec(select(Walk).where(
            Walk.participant_id == pid, Walk.walked_on >= period.start,
            Walk.walked_on <= period.end).order_by(Walk.walked_on, Walk.id)).all()),
        observations=list(session.exec(select(WorkplaceObservation).where(
            WorkplaceObservation.participant_id == pid,
            WorkplaceObservation.observed_on >= period.start,
            WorkplaceObservation.observed_on <= period.end,
        ).order_by(WorkplaceObservation.observed_on)).all()),
        job_goal=plan.job_goal if plan else "",
        accommodations=plan.accommodations if plan else "",
    )
