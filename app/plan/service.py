"""The målskema: job goal, sub-goals, scale readings and the step-up plan (optrappingsplan)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import abort
from flask_babel import format_decimal
from sqlmodel import Session, func, select

from app.idempotency import claim
from app.models import (
    Attendance,
    GoalPlan,
    Responsible,
    Role,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
    utcnow,
)
from app.timeutil import week_of

# Long enough to notice a slip of the thumb; after that the tick stands and a message is the way.
UNDO_WINDOW = timedelta(minutes=10)


class UndoTooLate(Exception):
    """The undo window of a ticked sub-goal has passed."""


class StepDateTaken(Exception):
    """The step-up plan already has a step starting that day."""


def hours_target(session: Session, participant_id: int, day: date) -> float | None:
    """The weekly hours target of the step-up plan in force on `day`, or None without a plan.

    Each step holds from its start date until the next step starts.
    """
    return session.exec(
        select(StepUpStep.hours_per_week)
        .join(GoalPlan, GoalPlan.id == StepUpStep.plan_id)
        .where(GoalPlan.participant_id == participant_id, StepUpStep.starts_on <= day)
        .order_by(StepUpStep.starts_on.desc())
        .limit(1)
    ).first()


def minutes_logged_in_week(session: Session, participant_id: int, day: date) -> int:
    """Minutes of attendance logged in the Monday–Sunday week holding `day`."""
    monday, sunday = week_of(day)
    total = session.exec(
        select(func.sum(Attendance.minutes)).where(
            Attendance.participant_id == participant_id,
            Attendance.day >= monday,
            Attendance.day <= sunday,
        )
    ).one()
    return int(total or 0)


def hours_text(hours: float) -> str:
    """Hours the way people say them: 6½, 9, ½ (to the nearest half hour)."""
    halves = math.floor(hours * 2 + 0.5)  # half up, not Python's round-half-to-even
    whole, half = divmod(halves, 2)
    if not half:
        return format_decimal(whole)
    return ("" if whole == 0 else format_decimal(whole)) + "½"


def support_share(value: int) -> int:
    """The consultant's share of the work: the complement to 10 of the participant's scale."""
    if not 1 <= value <= 10:
        raise ValueError("a scale reading is 1 to 10")
    return 10 - value


def can_undo(subgoal: SubGoal, now: datetime) -> bool:
    """True while a ticked sub-goal may still be un-ticked by the participant."""
    return subgoal.done_at is not None and now <= subgoal.done_at + UNDO_WINDOW


def next_subgoal(subgoals: list[SubGoal]) -> SubGoal | None:
    """The first sub-goal not done, in the plan's order."""
    return next((s for s in _ordered(subgoals) if s.done_at is None), None)


def participant_may_edit(subgoal: SubGoal, participant: User) -> bool:
    """A participant may change the sub-goals they added themselves, until they are agreed."""
    return not subgoal.agreed and subgoal.created_by_id == participant.id


def participant_may_tick(subgoal: SubGoal) -> bool:
    """Ticking is not editing: agreed sub-goals the participant does may be ticked too."""
    return subgoal.responsible == Responsible.participant


def _ordered(subgoals: list[SubGoal]) -> list[SubGoal]:
    return sorted(subgoals, key=lambda s: (s.position, s.id or 0))


@dataclass
class PlanOverview:
    """Everything the plan pages show, read in a constant number of queries."""

    plan: GoalPlan
    subgoals: list[SubGoal]
    next: SubGoal | None
    later: list[SubGoal]
    done: list[SubGoal]
    readings: dict[Role, ScaleReading] = field(default_factory=dict)
    target_hours: float | None = None
    minutes_this_week: int = 0
    steps: list[StepUpStep] = field(default_factory=list)

    @property
    def participant_reading(self) -> ScaleReading | None:
        return self.readings.get(Role.participant)

    @property
    def consultant_reading(self) -> ScaleReading | None:
        return self.readings.get(Role.consultant)

    def find(self, subgoal_id: int | None) -> SubGoal | None:
        return next((s for s in self.subgoals if s.id == subgoal_id), None)


def find_plan(session: Session, participant_id: int) -> GoalPlan | None:
    return session.exec(select(GoalPlan).where(GoalPlan.participant_id == participant_id)).first()


def plan_of(session: Session, participant_id: int) -> GoalPlan:
    """The participant's plan; created empty when missing (before a write)."""
    plan = find_plan(session, participant_id)
    if plan is None:
        plan = GoalPlan(participant_id=participant_id)
        session.add(plan)
        session.flush()
    return plan


def overview(
    session: Session, *, participant_id: int, today: date, with_steps: bool = False
) -> PlanOverview:
    """The plan, its ordered sub-goals, the latest scale readings for the next one, and the
    week's hours against the step-up plan. No query per sub-goal."""
    plan = find_plan(session, participant_id) or GoalPlan(participant_id=participant_id)
    subgoals = _ordered(list(session.exec(
        select(SubGoal).where(SubGoal.plan_id == plan.id)
    ).all())) if plan.id else []
    upcoming = [s for s in subgoals if s.done_at is None]
    first = upcoming[0] if upcoming else None
    steps = []
    if with_steps and plan.id:
        steps = list(session.exec(
            select(StepUpStep).where(StepUpStep.plan_id == plan.id).order_by(StepUpStep.starts_on)
        ).all())
    return PlanOverview(
        plan=plan,
        subgoals=subgoals,
        next=first,
        later=upcoming[1:],
        done=sorted((s for s in subgoals if s.done_at), key=lambda s: s.done_at, reverse=True),
        readings=_latest_readings(session, first.id) if first else {},
        target_hours=hours_target(session, participant_id, today),
        minutes_this_week=minutes_logged_in_week(session, participant_id, today),
        steps=steps,
    )


def _latest_readings(session: Session, subgoal_id: int) -> dict[Role, ScaleReading]:
    readings = session.exec(
        select(ScaleReading).where(ScaleReading.subgoal_id == subgoal_id)
        .order_by(ScaleReading.recorded_at.desc(), ScaleReading.id.desc())
    ).all()
    latest: dict[Role, ScaleReading] = {}
    for reading in readings:
        latest.setdefault(reading.by_role, reading)
    return latest


def subgoal_in_plan(session: Session, *, participant_id: int, subgoal_id: int) -> SubGoal:
    """The sub-goal if it belongs to this participant's plan; 404 otherwise."""
    subgoal = session.exec(
        select(SubGoal).join(GoalPlan, GoalPlan.id == SubGoal.plan_id)
        .where(SubGoal.id == subgoal_id, GoalPlan.participant_id == participant_id)
    ).first()
    if subgoal is None:
        abort(404)
    return subgoal


def _touch(session: Session, plan_id: int, now: datetime) -> None:
    plan = session.get(GoalPlan, plan_id)
    plan.updated_at = now
    session.add(plan)


def _next_position(session: Session, plan_id: int) -> int:
    highest = session.exec(
        select(func.max(SubGoal.position)).where(SubGoal.plan_id == plan_id)
    ).one()
    return 0 if highest is None else highest + 1


# Participant side: every write carries the phone's client_id.

def mark_done(
    session: Session, *, participant: User, subgoal_id: int, client_id: uuid.UUID,
    now: datetime | None = None,
) -> SubGoal:
    """Tick a sub-goal the participant does. A replay or a second tick changes nothing."""
    subgoal = subgoal_in_plan(session, participant_id=participant.id, subgoal_id=subgoal_id)
    if not participant_may_tick(subgoal):
        abort(403)
    if claim(session, user=participant, client_id=client_id, kind="subgoal_done") is None:
        if subgoal.done_at is None:
            now = now or utcnow()
            subgoal.done_at, subgoal.done_by_id = now, participant.id
            session.add(subgoal)
            _touch(session, subgoal.plan_id, now)
        session.commit()
    return subgoal


def undo_done(
    session: Session, *, participant: User, subgoal_id: int, client_id: uuid.UUID,
    now: datetime | None = None,
) -> SubGoal:
    """Un-tick within UNDO_WINDOW; raises UndoTooLate after it (nothing is saved then)."""
    subgoal = subgoal_in_plan(session, participant_id=participant.id, subgoal_id=subgoal_id)
    if not participant_may_tick(subgoal):
        abort(403)
    if claim(session, user=participant, client_id=client_id, kind="subgoal_undo") is not None:
        return subgoal
    now = now or utcnow()
    if subgoal.done_at is not None:
        if not can_undo(subgoal, now):
            session.rollback()
            raise UndoTooLate
        subgoal.done_at, subgoal.done_by_id = None, None
        session.add(subgoal)
        _touch(session, subgoal.plan_id, now)
    session.commit()
    return subgoal


def add_own_subgoal(
    session: Session, *, participant: User, title: str, due_on: date | None,
    client_id: uuid.UUID,
) -> None:
    """Append the participant's own small sub-goal at the end of the plan."""
    if claim(session, user=participant, client_id=client_id, kind="subgoal_add") is not None:
        return
    plan = plan_of(session, participant.id)
    now = utcnow()
    session.add(SubGoal(
        plan_id=plan.id, position=_next_position(session, plan.id), title=title.strip(),
        responsible=Responsible.participant, due_on=due_on, agreed=False,
        created_by_id=participant.id,
    ))
    _touch(session, plan.id, now)
    session.commit()


def editable_subgoal(session: Session, *, participant: User, subgoal_id: int) -> SubGoal:
    """The participant's own sub-goal they may still change: 404 if not theirs, 403 if agreed."""
    subgoal = subgoal_in_plan(session, participant_id=participant.id, subgoal_id=subgoal_id)
    if not participant_may_edit(subgoal, participant):
        abort(403)
    return subgoal


def edit_own_subgoal(
    session: Session, *, participant: User, subgoal_id: int, title: str, due_on: date | None,
    client_id: uuid.UUID,
) -> None:
    """Change the title and due date of the participant's own, not yet agreed, sub-goal."""
    subgoal = editable_subgoal(session, participant=participant, subgoal_id=subgoal_id)
    if claim(session, user=participant, client_id=client_id, kind="subgoal_edit") is not None:
        return
    subgoal.title, subgoal.due_on = title.strip(), due_on
    session.add(subgoal)
    _touch(session, subgoal.plan_id, utcnow())
    session.commit()


def record_scale(
    session: Session, *, actor: User, participant_id: int, subgoal_id: int, value: int,
    what_is_needed: str = "", what_i_can_do: str = "", help_needed: str = "",
    client_id: uuid.UUID | None = None,
) -> None:
    """Record a scale reading for a sub-goal of the participant's plan, by the actor's role.

    Phones send a client_id (a replay records nothing); staff forms need none.
    """
    subgoal = subgoal_in_plan(session, participant_id=participant_id, subgoal_id=subgoal_id)
    support_share(value)  # rejects values outside 1..10 before anything is written
    if client_id and claim(session, user=actor, client_id=client_id, kind="scale") is not None:
        return
    role = Role.participant if actor.role == Role.participant else Role.consultant
    session.add(ScaleReading(
        subgoal_id=subgoal.id, recorded_by_id=actor.id, by_role=role, value=value,
        what_is_needed=what_is_needed.strip(), what_i_can_do=what_i_can_do.strip(),
        help_needed=help_needed.strip(),
    ))
    _touch(session, subgoal.plan_id, utcnow())
    session.commit()


# Staff side: the caller has passed caseload_participant(..., action="change").

def update_goal(
    session: Session, *, participant_id: int, job_goal: str, job_wishes: list[str],
    accommodations: str,
) -> None:
    """Set the job goal, up to three job wishes (blanks dropped) and the accommodations."""
    plan = plan_of(session, participant_id)
    plan.job_goal = job_goal.strip()
    plan.job_wishes = [w.strip() for w in job_wishes if w and w.strip()][:3]
    plan.accommodations = accommodations.strip()
    plan.updated_at = utcnow()
    session.add(plan)
    session.commit()


def add_subgoal(
    session: Session, *, staff: User, participant_id: int, title: str,
    responsible: Responsible, due_on: date | None, agreed: bool, client_id: uuid.UUID,
) -> None:
    """Append a sub-goal to the participant's plan; a repeated client_id adds nothing."""
    if claim(session, user=staff, client_id=client_id, kind="subgoal_add") is not None:
        return
    plan = plan_of(session, participant_id)
    session.add(SubGoal(
        plan_id=plan.id, position=_next_position(session, plan.id), title=title.strip(),
        responsible=responsible, due_on=due_on, agreed=agreed, created_by_id=staff.id,
    ))
    _touch(session, plan.id, utcnow())
    session.commit()


def update_subgoal(
    session: Session, *, staff: User, participant_id: int, subgoal_id: int, title: str,
    responsible: Responsible, due_on: date | None, agreed: bool, done: bool,
) -> None:
    """Change any field of a sub-goal; `done` ticks or re-opens it on the consultant's word."""
    subgoal = subgoal_in_plan(session, participant_id=participant_id, subgoal_id=subgoal_id)
    now = utcnow()
    subgoal.title, subgoal.responsible = title.strip(), responsible
    subgoal.due_on, subgoal.agreed = due_on, agreed
    if done and subgoal.done_at is None:
        subgoal.done_at, subgoal.done_by_id = now, staff.id
    elif not done:
        subgoal.done_at, subgoal.done_by_id = None, None
    session.add(subgoal)
    _touch(session, subgoal.plan_id, now)
    session.commit()


def agree_subgoal(session: Session, *, participant_id: int, subgoal_id: int) -> None:
    """Mark a sub-goal as agreed with the participant; from then on only staff change it."""
    subgoal = subgoal_in_plan(session, participant_id=participant_id, subgoal_id=subgoal_id)
    if not subgoal.agreed:
        subgoal.agreed = True
        session.add(subgoal)
        _touch(session, subgoal.plan_id, utcnow())
    session.commit()


def move_subgoal(session: Session, *, participant_id: int, subgoal_id: int, up: bool) -> None:
    """Swap a sub-goal with its neighbour; at either end nothing moves. Positions are
    renumbered 0..n-1 so earlier duplicates cannot pin two sub-goals together."""
    subgoal = subgoal_in_plan(session, participant_id=participant_id, subgoal_id=subgoal_id)
    ordered = _ordered(list(session.exec(
        select(SubGoal).where(SubGoal.plan_id == subgoal.plan_id)
    ).all()))
    index = ordered.index(subgoal)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
        session.add(item)
    _touch(session, subgoal.plan_id, utcnow())
    session.commit()


def add_step(
    session: Session, *, participant_id: int, starts_on: date, hours_per_week: float
) -> None:
    """Add a step to the step-up plan; raises StepDateTaken when that day already has one."""
    plan = plan_of(session, participant_id)
    taken = session.exec(
        select(StepUpStep.id).where(StepUpStep.plan_id == plan.id,
                                    StepUpStep.starts_on == starts_on)
    ).first()
    if taken is not None:
        raise StepDateTaken
    session.add(StepUpStep(plan_id=plan.id, starts_on=starts_on, hours_per_week=hours_per_week))
    _touch(session, plan.id, utcnow())
    session.commit()


def delete_step(session: Session, *, participant_id: int, step_id: int) -> None:
    """Remove a step of the participant's step-up plan; 404 if it is not theirs."""
    step = session.exec(
        select(StepUpStep).join(GoalPlan, GoalPlan.id == StepUpStep.plan_id)
        .where(StepUpStep.id == step_id, GoalPlan.participant_id == participant_id)
    ).first()
    if step is None:
        abort(404)
    session.delete(step)
    _touch(session, step.plan_id, utcnow())
    session.commit()
