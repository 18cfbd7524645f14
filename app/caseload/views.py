"""The consultant's caseload: the list, a new participant, one participant's overview."""

from flask import Blueprint
from flask_login import current_user

from app.access import caseload_participant
from app.auth.decorators import staff_required
from app.caseload import service
from app.caseload.forms import PHASE_LABELS, NewParticipantForm
from app.db import get_session
from app.messages.views import staff_unread_counts
from app.models import Phase
from app.timeutil import local_today
from app.web import render

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.get("/")
@staff_required
def index():
    session = get_session()
    rows = service.caseload(session, current_user)
    return render("caseload/index.html", rows=rows, phase_labels=PHASE_LABELS,
                  today=local_today(), days_since=service.days_since,
                  unread=staff_unread_counts())


@bp.get("/new")
@staff_required
def new():
    return render("caseload/new.html", form=NewParticipantForm())


@bp.post("/new")
@staff_required
def create():
    form = NewParticipantForm()
    if not form.validate():
        return render("caseload/new.html", form=form, status=422)
    participant, code, expires_at = service.enrol_new_participant(
        get_session(), staff=current_user, display_name=form.display_name.data,
        full_name=form.full_name.data or "", started_on=form.started_on.data,
        phase=Phase(form.phase.data),
    )
    # The code is shown in this answer only; it is never stored in plain text.
    return render("caseload/code.html", participant=participant, code=code,
                  expires_at=expires_at, first=True)


@bp.get("/<int:participant_id>")
@staff_required
def participant(participant_id: int):
    db = get_session()
    person = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                  what="overview")
    return render("caseload/participant.html", participant=person,
                  enrolment=service.enrolment_of(db, participant_id),
                  phase_labels=PHASE_LABELS, today=local_today(), days_since=service.days_since)


@bp.post("/<int:participant_id>/activation")
@staff_required
def activation(participant_id: int):
    db = get_session()
    person = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                  what="account", action="change")
    code, expires_at = service.replace_activation_code(db, staff=current_user, participant=person)
    return render("caseload/code.html", participant=person, code=code, expires_at=expires_at,
                  first=False)
