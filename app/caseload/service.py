"""The consultant's caseload: creating participants, their activation codes, listing them."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from datetime import date, datetime

from sqlmodel import Session, select

from app.access import in_caseload_of
from app.auth.service import new_activation_code, revoke_all_sessions
from app.idempotency import claim
from app.models import (
    AccessLog,
    ActivationCode,
    ClientWrite,
    Enrolment,
    GoalPlan,
    MessageThread,
    Organisation,
    Phase,
    PhaseChange,
    Role,
    User,
)
from app.timeutil import LOCAL_TZ, local_today


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
    participant = add_participant(session, consultant=consultant, display_name=display_name,
                                  full_name=full_name, started_on=started_on, phase=phase)
    code = new_activation_code(session, participant=participant, created_by=consultant)
    return participant, code


def add_participant(
    session: Session,
    *,
    consultant: User,
    display_name: str,
    full_name: str = "",
    started_on: date | None = None,
    phase: Phase = Phase.preparation,
) -> User:
    """Add a participant with enrolment, phase history, empty målskema and thread; no commit."""
    login = login_name_for(display_name)
    while session.exec(select(User.id).where(User.login == login)).first() is not None:
        login = login_name_for(display_name)
    participant = User(
        organisation_id=consultant.organisation_id, role=Role.participant, login=login,
        display_name=display_name.strip(), full_name=full_name.strip(),
    )
    session.add(participant)
    session.flush()
    started = started_on or local_today()
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
    return participant


def create_staff(
    session: Session, *, organisation: Organisation, role: Role, email: str, name: str,
    password_hash: str | None = None,
) -> User:
    """A consultant or admin; without a password they activate with a one-time code."""
    staff = User(
        organisation_id=organisation.id, role=role, login=email.strip().lower(),
        display_name=name.split()[0] if name.split() else name, full_name=name,
        password_hash=password_hash,
    )
    session.add(staff)
    session.commit()
    return staff


def caseload(
    session: Session, consultant: User
) -> list[tuple[User, Enrolment, GoalPlan | None]]:
    """The consultant's participants with their enrolment and goal plan, by name. One query."""
    query = (
        select(User, Enrolment, GoalPlan)
        .join(Enrolment, Enrolment.participant_id == User.id)
        .outerjoin(GoalPlan, GoalPlan.participant_id == User.id)
        .where(User.organisation_id == consultant.organisation_id)
        .order_by(User.display_name)
    )
    if consultant.role == Role.consultant:
        query = query.where(in_caseload_of(consultant))
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


def enrol_new_participant(
    session: Session,
    *,
    staff: User,
    display_name: str,
    full_name: str = "",
    started_on: date | None = None,
    phase: Phase = Phase.preparation,
    client_id: uuid.UUID | None = None,
) -> tuple[User, str, datetime]:
    """Create a participant in `staff`'s caseload, logged as an account change.

    Returns the participant, the one-time activation code and when it expires. The code is
    shown once and never stored in plain text; one commit saves everything together. A replay
    of the same form (a double tap) shows the same participant a fresh code instead of making
    a second one.
    """
    earlier = client_id and claim(session, user=staff, client_id=client_id,
                                  kind="caseload.new_participant")
    if earlier:
        participant = session.get(User, earlier.object_id)
    else:
        participant = add_participant(session, consultant=staff, display_name=display_name,
                                      full_name=full_name, started_on=started_on, phase=phase)
        if client_id:
            session.get(ClientWrite, client_id).object_id = participant.id
    session.add(AccessLog(actor_id=staff.id, participant_id=participant.id, action="change",
                          what="account", purpose="casework"))
    code = new_activation_code(session, participant=participant, created_by=staff)
    return participant, code, code_expiry(session, participant.id)


def replace_activation_code(
    session: Session, *, staff: User, participant: User
) -> tuple[str, datetime]:
    """A new code for a lost phone or password: signs the participant out on every device.

    The old password stops working too, since a lost phone may remember it; the participant
    chooses a new one with the code. The access log row is added by the caller's
    `caseload_participant` in the same transaction.
    """
    revoke_all_sessions(session, participant)
    participant.password_hash = None
    code = new_activation_code(session, participant=participant, created_by=staff)
    return code, code_expiry(session, participant.id)


def code_expiry(session: Session, participant_id: int) -> datetime:
    """When the participant's newest activation code stops working."""
    return session.exec(
        select(ActivationCode.expires_at)
        .where(ActivationCode.user_id == participant_id, ActivationCode.used_at.is_(None))
        .order_by(ActivationCode.id.desc())
    ).one()


def days_since(moment: datetime | None, today: date) -> int | None:
    """Whole local calendar days from `moment` to `today`; None if it never happened."""
    if moment is None:
        return None
    return max((today - moment.astimezone(LOCAL_TZ).date()).days, 0)
