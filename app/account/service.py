"""Everything the app holds about one participant, for their own download (GDPR art. 15/20)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, select

from app.models import (
    Absence,
    AccessLog,
    ActivationCode,
    AftercareCheckIn,
    Attendance,
    Enrolment,
    GoalPlan,
    Group,
    GroupMember,
    LoginSession,
    Meeting,
    Message,
    MessageThread,
    PhaseChange,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
    Walk,
    WeeklyCheckIn,
    WorkplaceObservation,
    utcnow,
)

PROFILE_FIELDS = ("login", "display_name", "full_name", "locale", "active", "created_at",
                  "last_seen_at")
OBSERVATION_FIELDS = (
    "observed_on", "employer_contact", "understands_instructions", "works_independently",
    "works_with_others", "breaks_count", "breaks_minutes", "pace", "quality", "wellbeing",
    "pain_or_signs", "accommodations_kept", "accommodations_note", "note", "recorded_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _fields(row: SQLModel, names: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """Chosen columns of `row` as JSON-ready values; secrets (hashes) are never chosen."""
    return {**{name: _plain(getattr(row, name)) for name in names},
            **{key: _plain(value) for key, value in extra.items()}}


def export_participant(session: Session, participant: User) -> dict[str, Any]:
    """All data about `participant`, as plain JSON-ready values, in a fixed number of queries.

    Password and token hashes are left out: they are secrets, not information about the person.
    """
    pid = participant.id
    person = aliased(User)
    enrolments = session.exec(
        select(Enrolment, person.display_name).join(person, person.id == Enrolment.consultant_id)
        .where(Enrolment.participant_id == pid).order_by(Enrolment.started_on)
    ).all()
    phases = session.exec(
        select(PhaseChange).join(Enrolment, Enrolment.id == PhaseChange.enrolment_id)
        .where(Enrolment.participant_id == pid).order_by(PhaseChange.started_on, PhaseChange.id)
    ).all()
    plan = session.exec(select(GoalPlan).where(GoalPlan.participant_id == pid)).first()
    steps = session.exec(
        select(StepUpStep).join(GoalPlan, GoalPlan.id == StepUpStep.plan_id)
        .where(GoalPlan.participant_id == pid).order_by(StepUpStep.starts_on)
    ).all()
    subgoals = session.exec(
        select(SubGoal).join(GoalPlan, GoalPlan.id == SubGoal.plan_id)
        .where(GoalPlan.participant_id == pid).order_by(SubGoal.position, SubGoal.id)
    ).all()
    readings = session.exec(
        select(ScaleReading).join(SubGoal, SubGoal.id == ScaleReading.subgoal_id)
        .join(GoalPlan, GoalPlan.id == SubGoal.plan_id)
        .where(GoalPlan.participant_id == pid).order_by(ScaleReading.recorded_at)
    ).all()
    messages = session.exec(
        select(Message, person.display_name, person.id)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .join(person, person.id == Message.sender_id)
        .where(MessageThread.participant_id == pid).order_by(Message.id)
    ).all()
    meetings = session.exec(
        select(Meeting, person.display_name).join(person, person.id == Meeting.consultant_id)
        .where(Meeting.participant_id == pid).order_by(Meeting.starts_at)
    ).all()
    groups = session.exec(
        select(GroupMember, Group.name).join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.participant_id == pid).order_by(GroupMember.joined_on)
    ).all()
    observations = session.exec(
        select(WorkplaceObservation, person.display_name)
        .join(person, person.id == WorkplaceObservation.recorded_by_id)
        .where(WorkplaceObservation.participant_id == pid)
        .order_by(WorkplaceObservation.observed_on, WorkplaceObservation.id)
    ).all()
    access = session.exec(
        select(AccessLog, person.full_name, person.display_name)
        .join(person, person.id == AccessLog.actor_id)
        .where(AccessLog.participant_id == pid).order_by(AccessLog.at)
    ).all()

    def own(model: type[SQLModel], order: Any) -> list:
        return list(session.exec(select(model).where(model.participant_id == pid).order_by(order)))

    return {
        "exported_at": utcnow().isoformat(),
        "profile": _fields(participant, PROFILE_FIELDS),
        "signed_in_devices": [
            _fields(s, ("created_at", "last_seen_at", "expires_at", "revoked_at", "user_agent"))
            for s in session.exec(select(LoginSession).where(LoginSession.user_id == pid)
                                  .order_by(LoginSession.created_at))
        ],
        "activation_codes": [
            _fields(c, ("created_at", "expires_at", "used_at"))
            for c in session.exec(select(ActivationCode).where(ActivationCode.user_id == pid)
                                  .order_by(ActivationCode.created_at))
        ],
        "enrolments": [
            _fields(e, ("started_on", "ended_on", "phase", "outcome", "placement_started_on",
                       "paid_hours_started_on", "job_started_on", "aftercare_closed_on"),
                    consultant=name,
                    phase_history=[_fields(p, ("phase", "started_on"))
                                   for p in phases if p.enrolment_id == e.id])
            for e, name in enrolments
        ],
        "goal_plan": plan and _fields(
            plan, ("job_goal", "job_wishes", "accommodations", "updated_at"),
            step_up_plan=[_fields(s, ("starts_on", "hours_per_week")) for s in steps],
            sub_goals=[
                _fields(g, ("position", "title", "responsible", "due_on", "agreed", "created_at",
                            "done_at"),
                        scale_readings=[
                            _fields(r, ("recorded_at", "by_role", "value", "what_is_needed",
                                        "what_i_can_do", "help_needed"))
                            for r in readings if r.subgoal_id == g.id
                        ])
                for g in subgoals
            ],
        ),
        "attendance": [_fields(a, ("day", "checked_in_at", "checked_out_at", "minutes", "status"))
                       for a in own(Attendance, Attendance.day)],
        "absences": [_fields(a, ("day", "reason", "note", "reported_at"))
                     for a in own(Absence, Absence.day)],
        "walks": [_fields(w, ("walked_on", "minutes", "distance_km", "with_consultant",
                              "agreed_note", "created_at"))
                  for w in own(Walk, Walk.walked_on)],
        "meetings": [_fields(m, ("starts_at", "kind", "place", "summary"), consultant=name)
                     for m, name in meetings],
        "messages": [_fields(m, ("body", "sent_at", "read_at", "language"),
                             sender="me" if sender_id == pid else name)
                     for m, name, sender_id in messages],
        "groups": [_fields(m, ("joined_on", "left_on"), group=name) for m, name in groups],
        "aftercare_check_ins": [
            _fields(c, ("due_on", "answered_at", "held_how", "how_it_goes", "hours_per_week",
                        "what_is_hard", "wants_contact", "note", "contact_done_at"),
                    held_by_consultant=c.held_by_id is not None)
            for c in own(AftercareCheckIn, AftercareCheckIn.due_on)],
        "weekly_check_ins": [
            _fields(w, ("week_of", "how_it_went", "wants_to_talk", "answered_at",
                        "contact_done_at"))
            for w in own(WeeklyCheckIn, WeeklyCheckIn.week_of)],
        "workplace_observations": [_fields(o, OBSERVATION_FIELDS, recorded_by=name)
                                   for o, name in observations],
        "access_log": [_fields(a, ("at", "action", "what", "purpose"),
                               staff_member=full_name or display_name)
                       for a, full_name, display_name in access],
    }


@dataclass
class Handover:
    """A change of consultant the participant should hear about while it is fresh."""

    new: User
    previous: User
    until: date


def current_handover(session: Session, participant_id: int, today: date) -> Handover | None:
    """The participant's change of consultant during its overlap period, else None. One query."""
    previous = aliased(User)
    found = session.exec(
        select(Enrolment, User, previous)
        .join(User, User.id == Enrolment.consultant_id)
        .join(previous, previous.id == Enrolment.previous_consultant_id)
        .where(Enrolment.participant_id == participant_id, Enrolment.handover_until >= today)
        .order_by(Enrolment.started_on.desc())
    ).first()
    if found is None:
        return None
    enrolment, new, old = found
    return Handover(new, old, enrolment.handover_until)

