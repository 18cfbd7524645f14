"""Who may see which participant, and the access log of staff reads and changes."""

from __future__ import annotations

from flask import abort, request
from sqlmodel import Session, select

from app.db import SAFE_METHODS, write_transaction
from app.models import AccessLog, Enrolment, Role, User


def caseload_participant(
    session: Session, *, staff: User, participant_id: int, what: str, action: str = "read"
) -> User:
    """The participant if `staff` may work with them, logged; 404 otherwise.

    A consultant reaches the participants whose fixed consultant they are; an admin reaches
    every participant of the organisation. Every reach is written to the access log.
    """
    participant = reachable_participant(session, staff=staff, participant_id=participant_id)
    log_access(session, staff=staff, participant_id=participant_id, what=what, action=action)
    return participant


def reachable_participant(session: Session, *, staff: User, participant_id: int) -> User:
    """The participant if `staff` may work with them, 404 otherwise; nothing is shown yet, so
    nothing is logged (a quiet poll, say)."""
    participant = session.get(User, participant_id)
    if participant is None or participant.role != Role.participant or not staff.is_staff:
        abort(404)
    if participant.organisation_id != staff.organisation_id:
        abort(404)
    if staff.role == Role.consultant and not _is_in_caseload(session, staff, participant_id):
        abort(404)
    return participant


def _is_in_caseload(session: Session, consultant: User, participant_id: int) -> bool:
    found = session.exec(
        select(Enrolment.id).where(
            Enrolment.participant_id == participant_id,
            Enrolment.consultant_id == consultant.id,
        )
    ).first()
    return found is not None


def log_access(
    session: Session, *, staff: User, participant_id: int, what: str, action: str = "read",
    purpose: str = "casework",
) -> None:
    """Add an access-log row.

    A change is logged in the request's own transaction, so it is logged exactly when it is
    saved; a read is logged at once in a short write transaction of its own, because a GET's
    transaction is a reader (see app.db).
    """
    entry = AccessLog(
        actor_id=staff.id, participant_id=participant_id, action=action, what=what,
        purpose=purpose,
    )
    if request.method in SAFE_METHODS:
        with write_transaction() as log_session:
            log_session.add(entry)
    else:
        session.add(entry)
