"""Group days (hold): a consultant's groups, their members and the day's roll-call.

The roll-call writes the same Attendance rows the participants' own check-ins write. Its rule:
a tap sets the day's status (present, late, absent) and nothing else. Check-in and check-out
times and the day's minutes stay as the participant recorded them, so a roll-call never
erases what someone logged on their phone. When a day already had a record and the tap
changes its status, the original is kept as an AttendanceCorrection; the access log says who
changed whose attendance (the caller's caseload check writes it). Someone marked absent who
then checks in on their phone did come after all: their check-in makes the day late.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from flask import abort
from sqlalchemy import insert
from sqlmodel import Session, select

from app.access import caseload_participant_ids
from app.attendance.service import attendance_on
from app.caseload.attention import parse_weekdays
from app.db import write_transaction
from app.idempotency import claim
from app.models import (
    Absence,
    AccessLog,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    ClientWrite,
    Enrolment,
    Group,
    GroupMember,
    Phase,
    Role,
    User,
    utcnow,
)


def weekdays_text(days: list[int]) -> str:
    """[4, 0, 2] → "0,2,4", as Group.weekdays stores them (Monday = 0)."""
    return ",".join(str(day) for day in sorted(set(days)))


def meets_on(group: Group, day: date) -> bool:
    return day.weekday() in parse_weekdays(group.weekdays)


def my_groups(session: Session, staff: User) -> list[Group]:
    """The active groups `staff` leads, by name."""
    return list(session.exec(
        select(Group).where(Group.leader_id == staff.id, Group.active)
        .order_by(Group.name, Group.id)
    ).all())


def group_of(session: Session, *, staff: User, group_id: int) -> Group:
    """A group `staff` leads; 404 for anyone else's (an admin reaches the organisation's)."""
    group = session.get(Group, group_id)
    if group is None or not group.active or group.organisation_id != staff.organisation_id:
        abort(404)
    if staff.role != Role.admin and group.leader_id != staff.id:
        abort(404)
    return group


def create_group(
    session: Session, *, leader: User, name: str, weekdays: list[int], starts_at: time,
    place: str, client_id: uuid.UUID,
) -> Group:
    """A new group led by `leader`; a replay of the same form returns the first one."""
    earlier = claim(session, user=leader, client_id=client_id, kind="groups.create")
    if earlier:
        return session.get(Group, earlier.object_id)
    group = Group(organisation_id=leader.organisation_id, leader_id=leader.id, name=name.strip(),
                  weekdays=weekdays_text(weekdays), starts_at=starts_at, place=place.strip())
    session.add(group)
    session.flush()
    _remember(session, client_id, group.id)
    session.commit()
    return group


def update_group(
    session: Session, *, group: Group, name: str, weekdays: list[int], starts_at: time,
    place: str,
) -> None:
    """Name, weekdays, time and place; setting the same values twice changes nothing."""
    group.name, group.place = name.strip(), place.strip()
    group.weekdays, group.starts_at = weekdays_text(weekdays), starts_at
    session.commit()


def end_group(session: Session, *, group: Group) -> None:
    """The group stops meeting: it leaves the lists; its members' attendance stays theirs."""
    group.active = False
    session.commit()


def _remember(session: Session, client_id: uuid.UUID, object_id: int) -> None:
    """The object a claimed write made, so a replay can answer with it."""
    session.get(ClientWrite, client_id).object_id = object_id


def members(session: Session, *, staff: User, group: Group) -> list[User]:
    """The group's current members whom `staff` may work with, by name.

    A member who moved to another consultant drops off once the handover overlap ends; they
    come back if the caseload rule lets `staff` reach them again.
    """
    return list(session.exec(
        select(User).join(GroupMember, GroupMember.participant_id == User.id)
        .where(GroupMember.group_id == group.id, GroupMember.left_on.is_(None),
               User.id.in_(caseload_participant_ids(staff)))
        .order_by(User.display_name, User.id)
    ).all())


def addable(session: Session, *, staff: User, group: Group) -> list[User]:
    """Participants in `staff`'s caseload, in a programme that has not ended, who are not in
    the group now; those in the preparation phase (who the groups are for) first."""
    current = select(GroupMember.participant_id).where(
        GroupMember.group_id == group.id, GroupMember.left_on.is_(None))
    found = session.exec(
        select(User, Enrolment.phase).join(Enrolment, Enrolment.participant_id == User.id)
        .where(User.id.in_(caseload_participant_ids(staff)), User.id.not_in(current),
               User.active, Enrolment.phase != Phase.ended)
        .order_by(User.display_name, User.id)
    ).all()
    return [user for user, phase in sorted(found, key=lambda row: row[1] != Phase.preparation)]


def add_member(session: Session, *, group: Group, participant: User, today: date) -> None:
    """Add `participant` (already checked to be in the caseload); adding twice changes nothing.
    Someone who left and comes back keeps one membership row with the new joining day."""
    member = session.exec(
        select(GroupMember).where(GroupMember.group_id == group.id,
                                  GroupMember.participant_id == participant.id)
    ).first()
    if member is None:
        session.add(GroupMember(group_id=group.id, participant_id=participant.id,
                                joined_on=today))
    elif member.left_on is not None:
        member.joined_on, member.left_on = today, None
    session.commit()


def remove_member(session: Session, *, group: Group, participant: User, today: date) -> None:
    """The member leaves today; the row stays, so earlier roll-calls keep their context."""
    member = session.exec(
        select(GroupMember).where(GroupMember.group_id == group.id,
                                  GroupMember.participant_id == participant.id,
                                  GroupMember.left_on.is_(None))
    ).first()
    if member is not None:
        member.left_on = today
    session.commit()


def is_member(session: Session, *, group: Group, participant_id: int) -> bool:
    return session.exec(
        select(GroupMember.id).where(GroupMember.group_id == group.id,
                                     GroupMember.participant_id == participant_id,
                                     GroupMember.left_on.is_(None))
    ).first() is not None


@dataclass(frozen=True)
class RollCallRow:
    participant: User
    attendance: Attendance | None
    absences: list[Absence]

    @property
    def status(self) -> AttendanceStatus | None:
        """What the roll-call shows as chosen: a day with a record has a status."""
        return self.attendance.status if self.attendance else None


def roll_call(session: Session, *, staff: User, group: Group, day: date) -> list[RollCallRow]:
    """Each member with the day's attendance and any absence they reported. Three queries."""
    people = members(session, staff=staff, group=group)
    ids = [person.id for person in people]
    records = {row.participant_id: row for row in session.exec(
        select(Attendance).where(Attendance.participant_id.in_(ids), Attendance.day == day))}
    absences = session.exec(
        select(Absence).where(Absence.participant_id.in_(ids), Absence.day == day)
        .order_by(Absence.reported_at)
    ).all()
    return [RollCallRow(person, records.get(person.id),
                        [a for a in absences if a.participant_id == person.id])
            for person in people]


def roll_call_row(session: Session, *, participant: User, day: date) -> RollCallRow:
    absences = session.exec(
        select(Absence).where(Absence.participant_id == participant.id, Absence.day == day)
        .order_by(Absence.reported_at)
    ).all()
    return RollCallRow(participant, attendance_on(session, participant.id, day=day),
                       list(absences))


def log_roll_call_read(*, staff: User, participant_ids: list[int]) -> None:
    """The roll-call shows each member's attendance and reported absence: one read each,
    written together in one short transaction and one statement, whatever the group's size."""
    if not participant_ids:
        return
    now = utcnow()
    with write_transaction() as log_session:
        log_session.execute(insert(AccessLog), [
            {"at": now, "actor_id": staff.id, "participant_id": participant_id,
             "action": "read", "what": "attendance", "purpose": "casework"}
            for participant_id in participant_ids
        ])


def mark(
    session: Session, *, staff: User, participant: User, status: AttendanceStatus, day: date,
    client_id: uuid.UUID,
) -> Attendance:
    """Set `participant`'s status for `day` at the roll-call (see the module's rule).

    `participant` must already be checked (and the change logged) by the caller as a member
    `staff` may reach. A replay of the same tap changes nothing; a tap of the status already
    set writes nothing new either.
    """
    if claim(session, user=staff, client_id=client_id, kind="groups.roll_call"):
        return attendance_on(session, participant.id, day=day)
    row = attendance_on(session, participant.id, day=day)
    if row is None:
        row = Attendance(participant_id=participant.id, day=day, status=status,
                         recorded_by_id=staff.id)
        session.add(row)
        session.flush()
    elif row.status != status:
        session.add(AttendanceCorrection(
            attendance_id=row.id, original_status=row.status, original_minutes=row.minutes,
            new_status=status, new_minutes=row.minutes, changed_by_id=staff.id))
        row.status, row.updated_at = status, utcnow()
    session.commit()
    return row
