"""The consultant's caseload: creating participants and listing them."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

from sqlmodel import Session, select

from app.auth.service import new_activation_code
from app.models import (
    Enrolment,
    GoalPlan,
    MessageThread,
    Organisation,
    Phase,
    PhaseChange,
    Role,
    User,
)


def login_name_for(display_name: str) -> str:
    """A short user name from the chosen name, e.g. "Søren" → "soren-4821"."""
    ascii_name = (
        unicodedata.normalize("NFKD", display_name.replace("ø", "o").replace("Ø", "O"))
        .encode("ascii", "ignore")
        .decode()
    )
    stem = re.sub(r"[^a-z]+", "", ascii_name.lower())[:12] or "deltager"
    return f"{stem}-{secrets.randbelow(9000) + 1000}"


def create_participant(
    session: Session,
    *,
    consultant: User,
    display_name: str,
    full_name: str = "",
    started_on: date | None = None,
    phase: Phase = Phase.preparation,
) -> tuple[User, str]:
    """Create a participant in `consultant`'s caseload with an empty målskema and thread.

    Returns the participant and a one-time activation code for their phone.
    """
    login = login_name_for(display_name)
    while session.exec(select(User.id).where(User.login == login)).first() is not None:
        login = login_name_for(display_name)
    participant = User(
        organisation_id=consultant.organisation_id, role=Role.participant, login=login,
        display_name=display_name.strip(), full_name=full_name.strip(),
    )
    session.add(participant)
    session.flush()
    started = started_on or date.today()
    enrolment = Enrolment(
        participant_id=participant.id, consultant_id=consultant.id,
        organisation_id=consultant.organisation_id, phase=phase, started_on=started,
    )
    session.add(enrolment)
    session.flush()
    session.add(PhaseChange(enrolment_id=enrolment.id, phase=phase, started_on=started,
                            recorded_by_id=consultant.id))
    session.add(GoalPlan(participant_id=participant.id))
    session.add(MessageThread(participant_id=participant.id))
    session.flush()
    code = new_activation_code(session, participant=participant, created_by=consultant)
    return participant, code


def create_staff(
    session: Session, *, organisation: Organisation, role: Role, email: str, name: str,
    password_hash: str,
) -> User:
    staff = User(
        organisation_id=organisation.id, role=role, login=email.strip().lower(),
        display_name=name.split()[0] if name.split() else name, full_name=name,
        password_hash=password_hash,
    )
    session.add(staff)
    session.commit()
    return staff


def caseload(session: Session, consultant: User) -> list[tuple[User, Enrolment]]:
    """The consultant's participants with their enrolment, by name. One query."""
    query = (
        select(User, Enrolment)
        .join(Enrolment, Enrolment.participant_id == User.id)
        .where(User.organisation_id == consultant.organisation_id)
        .order_by(User.display_name)
    )
    if consultant.role == Role.consultant:
        query = query.where(Enrolment.consultant_id == consultant.id)
    return list(session.exec(query).all())


def enrolment_of(session: Session, participant_id: int) -> Enrolment | None:
    return session.exec(
        select(Enrolment).where(Enrolment.participant_id == participant_id)
        .order_by(Enrolment.started_on.desc())
    ).first()


def consultant_of(session: Session, participant_id: int) -> User | None:
    """The participant's fixed consultant."""
    return session.exec(
        select(User).join(Enrolment, Enrolment.consultant_id == User.id)
        .where(Enrolment.participant_id == participant_id)
        .order_by(Enrolment.started_on.desc())
    ).first()
