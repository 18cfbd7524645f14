"""Who may see which participant, and the access log of staff reads and changes."""

from __future__ import annotations

from datetime import date

from flask import Flask, Response, abort, g, request
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlmodel import Session, select

from app.db import SAFE_METHODS, get_session, write_transaction
from app.i18n import _l
from app.models import AccessLog, Enrolment, Role, User
from app.timeutil import local_today
from app.web import MAX_ID


def caseload_participant(
    session: Session, *, staff: User, participant_id: int, what: str, action: str = "read",
    purpose: str = "casework",
) -> User:
    """The participant if `staff` may work with them, logged; 404 otherwise.

    A consultant reaches the participants whose fixed consultant they are; an admin reaches
    every participant of the organisation. Every reach is written to the access log.
    """
    participant = reachable_participant(session, staff=staff, participant_id=participant_id)
    log_access(session, staff=staff, participant_id=participant_id, what=what, action=action,
               purpose=purpose)
    return participant


def reachable_participant(session: Session, *, staff: User, participant_id: int) -> User:
    """The participant if `staff` may work with them, 404 otherwise; nothing is shown yet, so
    nothing is logged (a quiet poll, say)."""
    # An id from a form (not the URL, whose converter bounds it) may be too big for a query.
    participant = session.get(User, participant_id) if participant_id <= MAX_ID else None
    if participant is None or participant.role != Role.participant or not staff.is_staff:
        abort(404)
    if participant.organisation_id != staff.organisation_id:
        abort(404)
    if staff.role == Role.consultant and not _is_in_caseload(session, staff, participant_id):
        abort(404)
    return participant


def in_caseload_of(consultant: User, today: date | None = None) -> ColumnElement[bool]:
    """The enrolments `consultant` works with: as the fixed consultant, or as the previous one
    during a change of consultant's overlap period. The one rule every caseload query uses."""
    today = today or local_today()
    return or_(
        Enrolment.consultant_id == consultant.id,
        and_(Enrolment.previous_consultant_id == consultant.id, Enrolment.handover_until >= today),
    )


def caseload_participant_ids(staff: User) -> Select:
    """A subquery of the participants `staff` may work with (an admin: the organisation's)."""
    if staff.role == Role.consultant:
        return select(Enrolment.participant_id).where(in_caseload_of(staff))
    return select(User.id).where(
        User.organisation_id == staff.organisation_id, User.role == Role.participant
    )


def _is_in_caseload(session: Session, consultant: User, participant_id: int) -> bool:
    found = session.exec(
        select(Enrolment.id).where(
            Enrolment.participant_id == participant_id, in_caseload_of(consultant)
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
        g.setdefault("access_changes", []).append((staff.id, participant_id, what, purpose))


# The log stores plain keys; people read them in their own language.
WHAT_LABELS = {
    "account": _l("account"), "aftercare": _l("aftercare and weekly check-ins"),
    "attendance": _l("attendance"), "consultant": _l("consultant"),
    "groups": _l("groups"), "messages": _l("messages"), "observations": _l("observations"),
    "overview": _l("overview"), "plan": _l("plan"), "planned days": _l("planned days"),
    "programme": _l("programme"), "record": _l("record"), "walks": _l("walks and meetings"),
}
PURPOSE_LABELS = {"casework": _l("casework"), "report": _l("report to the job centre")}


def what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what, what))


def purpose_label(purpose: str) -> str:
    return str(PURPOSE_LABELS.get(purpose, purpose))


def init_app(app: Flask) -> None:
    app.after_request(_log_reads_of_refused_changes)
    app.jinja_env.filters.update(access_what=what_label, access_purpose=purpose_label)


def _log_reads_of_refused_changes(response: Response) -> Response:
    """A change that failed validation is not saved, and neither is its log row; but the answer
    shows the participant's data again, so that read is logged instead."""
    changes = g.pop("access_changes", [])
    if changes and response.status_code == 422:
        session = get_session()
        session.rollback()
        for actor_id, participant_id, what, purpose in changes:
            session.add(AccessLog(actor_id=actor_id, participant_id=participant_id,
                                  action="read", what=what, purpose=purpose))
        session.commit()
    return response
