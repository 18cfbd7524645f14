"""Programme events: placement start, paid hours, job start (which begins aftercare), the end.

Each event is a day on the enrolment; the phase follows from the events recorded, and every
event leaves a row in the phase history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.aftercare.service import schedule_check_ins
from app.idempotency import claim
from app.models import (
    AftercareCheckIn,
    ConsultantChange,
    Enrolment,
    Outcome,
    Phase,
    PhaseChange,
    User,
)

# The days of a programme, in the order they must come.
ORDER = ("started_on", "placement_started_on", "paid_hours_started_on", "job_started_on",
         "ended_on")
# Each event: the enrolment's day it sets, and the phase it begins.
EVENTS: dict[str, tuple[str, Phase]] = {
    "placement": ("placement_started_on", Phase.placement),
    "paid_hours": ("paid_hours_started_on", Phase.paid_hours),
    "job": ("job_started_on", Phase.aftercare),
    "end": ("ended_on", Phase.ended),
}


@dataclass
class OutOfOrder(Exception):
    """The day would come before an earlier event (`must_be="after"`) or after a later one."""

    other: str
    other_day: date
    must_be: str


def order_conflict(days: dict[str, date | None], field: str) -> OutOfOrder | None:
    """Whether `days[field]` is out of order with another recorded day of the programme."""
    value = days[field]
    position = ORDER.index(field)
    for other in ORDER[:position]:
        if days.get(other) is not None and value < days[other]:
            return OutOfOrder(other, days[other], "after")
    for other in ORDER[position + 1:]:
        if days.get(other) is not None and value > days[other]:
            return OutOfOrder(other, days[other], "before")
    return None


def phase_from_events(enrolment: Enrolment) -> Phase:
    """The phase the recorded events put the enrolment in; without events it stays as it is."""
    for field, phase in reversed(EVENTS.values()):
        if getattr(enrolment, field) is not None:
            return phase
    return enrolment.phase


def record_event(
    session: Session, *, staff: User, enrolment: Enrolment, event: str, day: date,
    client_id: uuid.UUID, outcome: Outcome | None = None,
) -> bool:
    """Record (or correct) a programme event; True when something changed.

    Raises OutOfOrder before anything is written. A replayed form, or the same day again,
    changes nothing; the caller's access-log row commits all the same, as the attempt.
    """
    field, phase = EVENTS[event]
    days = {name: getattr(enrolment, name) for name in ORDER} | {field: day}
    conflict = order_conflict(days, field)
    if conflict is not None:
        raise conflict
    replay = claim(session, user=staff, client_id=client_id, kind="programme_event") is not None
    unchanged = replay or (getattr(enrolment, field) == day
                           and (event != "end" or enrolment.outcome == outcome))
    if not unchanged:
        setattr(enrolment, field, day)
        if event == "end":
            enrolment.outcome = outcome
        _note_phase(session, staff=staff, enrolment=enrolment, phase=phase, day=day)
        enrolment.phase = phase_from_events(enrolment)
        session.add(enrolment)
        if event == "job":
            session.flush()
            schedule_check_ins(session, enrolment)
    session.commit()
    return not unchanged


def _note_phase(session: Session, *, staff: User, enrolment: Enrolment, phase: Phase,
                day: date) -> None:
    """The phase history: a new row for a new event, a moved day for a corrected one."""
    earlier = session.exec(
        select(PhaseChange).where(PhaseChange.enrolment_id == enrolment.id,
                                  PhaseChange.phase == phase)
        .order_by(PhaseChange.id.desc())
    ).first()
    if earlier is None:
        session.add(PhaseChange(enrolment_id=enrolment.id, phase=phase, started_on=day,
                                recorded_by_id=staff.id))
    else:
        earlier.started_on = day
        earlier.recorded_by_id = staff.id


@dataclass
class History:
    phases: list[PhaseChange]
    check_ins: list[AftercareCheckIn]
    changes: list[ConsultantChange]
    names: dict[int, str]


def history(session: Session, enrolment: Enrolment) -> History:
    """The enrolment's phase history, aftercare check-ins and changes of consultant."""
    phases = list(session.exec(
        select(PhaseChange).where(PhaseChange.enrolment_id == enrolment.id)
        .order_by(PhaseChange.started_on, PhaseChange.id)
    ))
    check_ins = list(session.exec(
        select(AftercareCheckIn).where(AftercareCheckIn.enrolment_id == enrolment.id)
        .order_by(AftercareCheckIn.sequence)
    ))
    changes = list(session.exec(
        select(ConsultantChange).where(ConsultantChange.enrolment_id == enrolment.id)
        .order_by(ConsultantChange.id)
    ))
    ids = {c.from_consultant_id for c in changes} | {c.to_consultant_id for c in changes}
    names = {u.id: u.full_name or u.display_name
             for u in session.exec(select(User).where(User.id.in_(ids)))} if ids else {}
    return History(phases, check_ins, changes, names)
