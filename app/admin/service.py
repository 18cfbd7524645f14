"""The provider admin: consultants, every participant with their consultant, a change of
consultant with an overlap, and the access log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select, update

from app.auth.service import new_activation_code, revoke_all_sessions
from app.caseload.service import code_expiry, create_staff, enrolment_of
from app.idempotency import claim
from app.models import (
    AccessLog,
    ActivationCode,
    ConsultantChange,
    Enrolment,
    Organisation,
    Role,
    User,
    utcnow,
)
from app.timeutil import LOCAL_TZ

DEFAULT_OVERLAP_DAYS = 14
LOG_PAGE_SIZE = 50


class LoginTaken(Exception):
    """Someone already signs in with this e-mail."""


class StillHasParticipants(Exception):
    """A consultant who is someone's fixed consultant cannot be deactivated."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class NotAConsultant(Exception):
    """The chosen consultant is not an active consultant of the organisation."""


def consultants(session: Session, organisation_id: int) -> list[tuple[User, int]]:
    """The organisation's consultants with how many participants they are fixed consultant for,
    by name. One query."""
    count = (
        select(func.count(Enrolment.id))
        .where(Enrolment.consultant_id == User.id, Enrolment.ended_on.is_(None))
        .scalar_subquery()
    )
    return list(session.exec(
        select(User, count).where(User.organisation_id == organisation_id,
                                  User.role == Role.consultant)
        .order_by(User.active.desc(), User.display_name, User.id)
    ))


def active_consultants(session: Session, organisation_id: int) -> list[User]:
    return list(session.exec(
        select(User).where(User.organisation_id == organisation_id,
                           User.role == Role.consultant, User.active)
        .order_by(User.display_name, User.id)
    ))


def staff_member(session: Session, *, admin: User, user_id: int) -> User | None:
    """A consultant of the admin's organisation, or None."""
    user = session.get(User, user_id)
    if user is None or user.organisation_id != admin.organisation_id:
        return None
    return user if user.role == Role.consultant else None


def create_consultant(
    session: Session, *, admin: User, name: str, email: str, client_id: uuid.UUID
) -> tuple[User, str, datetime]:
    """A new consultant without a password, and a one-time code to choose one with.

    Nobody but the consultant ever knows their password. Returns the consultant, the code and
    when it expires. The code is shown only once, so a replay of the same form (a double tap)
    gives the same consultant a fresh code instead of answering that the e-mail is taken.
    """
    login = email.strip().lower()
    replay = claim(session, user=admin, client_id=client_id, kind="admin.create_consultant")
    taken = session.exec(select(User).where(User.login == login)).first()
    if replay is not None and taken is not None:
        # The first write committed the consultant together with its client_id.
        code = new_activation_code(session, participant=taken, created_by=admin)
        return taken, code, code_expiry(session, taken.id)
    if taken is not None:
        raise LoginTaken
    organisation = session.get(Organisation, admin.organisation_id)
    consultant = create_staff(session, organisation=organisation, role=Role.consultant,
                              email=login, name=name.strip())
    code = new_activation_code(session, participant=consultant, created_by=admin)
    return consultant, code, code_expiry(session, consultant.id)


def set_active(session: Session, *, consultant: User, active: bool) -> None:
    """Deactivate (signed out everywhere, cannot sign in) or reactivate a consultant.

    A participant must always have a consultant who can answer, so a consultant is only
    deactivated once nobody has them as fixed consultant.
    """
    if not active:
        count = session.exec(
            select(func.count(Enrolment.id)).where(Enrolment.consultant_id == consultant.id,
                                                   Enrolment.ended_on.is_(None))
        ).one()
        if count:
            raise StillHasParticipants(count)
        revoke_all_sessions(session, consultant)
        # An unused activation code ends too: reactivation must not bring an old letter back.
        session.exec(update(ActivationCode)
                     .where(ActivationCode.user_id == consultant.id,
                            ActivationCode.used_at.is_(None))
                     .values(expires_at=utcnow()))
    consultant.active = active
    session.add(consultant)
    session.commit()


def participants(session: Session, organisation_id: int) -> list[tuple[User, Enrolment, User]]:
    """Every participant of the organisation with their enrolment and fixed consultant, by
    name. One query."""
    consultant = aliased(User)
    return list(session.exec(
        select(User, Enrolment, consultant)
        .join(Enrolment, Enrolment.participant_id == User.id)
        .join(consultant, consultant.id == Enrolment.consultant_id)
        .where(User.organisation_id == organisation_id, User.role == Role.participant)
        .order_by(User.display_name, User.id)
    ))


def change_consultant(
    session: Session, *, admin: User, participant: User, to_consultant_id: int,
    overlap_days: int, today: date,
) -> bool:
    """Move the participant to another consultant; the previous one keeps access for
    `overlap_days` so the two can hand over. The history is kept; True when something changed.

    Choosing the consultant they already have changes nothing (a double submit, say). The
    caller's access-log row commits with it.
    """
    enrolment = enrolment_of(session, participant.id)
    target = session.get(User, to_consultant_id)
    if (target is None or target.role != Role.consultant or not target.active
            or target.organisation_id != participant.organisation_id):
        raise NotAConsultant
    if enrolment.consultant_id == target.id:
        session.commit()
        return False
    until = today + timedelta(days=overlap_days)
    session.add(ConsultantChange(
        enrolment_id=enrolment.id, from_consultant_id=enrolment.consultant_id,
        to_consultant_id=target.id, changed_on=today, overlap_until=until,
        changed_by_id=admin.id,
    ))
    enrolment.previous_consultant_id = enrolment.consultant_id
    enrolment.handover_until = until
    enrolment.consultant_id = target.id
    session.add(enrolment)
    session.commit()
    return True


@dataclass
class LogEntry:
    entry: AccessLog
    staff_name: str
    participant_name: str


@dataclass
class LogPage:
    entries: list[LogEntry]
    next_before: int | None  # the id to read on from, None on the last page


def access_log(
    session: Session, *, organisation_id: int, actor_id: int | None = None,
    participant_id: int | None = None, since: date | None = None, until: date | None = None,
    before: int | None = None, limit: int = LOG_PAGE_SIZE,
) -> LogPage:
    """One page of the organisation's access log, newest first, filtered.

    Keyset pagination on the id (which grows with time): every page costs the same however
    long the log is. Days are local calendar days, inclusive.
    """
    staff, person = aliased(User), aliased(User)
    query = (
        select(AccessLog, staff, person)
        .join(staff, staff.id == AccessLog.actor_id)
        .join(person, person.id == AccessLog.participant_id)
        .where(person.organisation_id == organisation_id)
    )
    if actor_id is not None:
        query = query.where(AccessLog.actor_id == actor_id)
    if participant_id is not None:
        query = query.where(AccessLog.participant_id == participant_id)
    if since is not None:
        query = query.where(AccessLog.at >= _local_midnight(since))
    if until is not None:
        query = query.where(AccessLog.at < _local_midnight(until + timedelta(days=1)))
    if before is not None:
        query = query.where(AccessLog.id < before)
    found = list(session.exec(query.order_by(AccessLog.id.desc()).limit(limit + 1)))
    entries = [LogEntry(entry, s.full_name or s.display_name, p.display_name)
               for entry, s, p in found[:limit]]
    more = len(found) > limit
    return LogPage(entries, entries[-1].entry.id if more else None)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def staff_of(session: Session, organisation_id: int) -> list[User]:
    """Everyone on the staff, for the log's filter."""
    return list(session.exec(
        select(User).where(User.organisation_id == organisation_id, User.role != Role.participant)
        .order_by(User.display_name, User.id)
    ))
