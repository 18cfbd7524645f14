"""The consultant records a participant's programme events on their programme page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.aftercare.forms import schedule_text
from app.aftercare.service import organisation_schedule
from app.auth.decorators import staff_required
from app.caseload.forms import PHASE_LABELS
from app.caseload.service import enrolment_of
from app.db import get_session
from app.i18n import format_day
from app.idempotency import parse_client_id
from app.models import Enrolment, Organisation, Outcome, User
from app.programme import service
from app.programme.forms import (
    EVENT_HEADINGS,
    MUST_BE_AFTER,
    MUST_BE_BEFORE,
    OUTCOME_LABELS,
    EndForm,
    EventForm,
)
from app.web import render, see_other

bp = Blueprint("programme", __name__, url_prefix="/programme")


def _form(event: str, enrolment: Enrolment, formdata=None) -> EventForm:
    """The event's form, filled with what is recorded unless it is being submitted."""
    field, _phase = service.EVENTS[event]
    form_class = EndForm if event == "end" else EventForm
    if formdata is not None:
        return form_class(prefix=event)
    outcome = enrolment.outcome.value if event == "end" and enrolment.outcome else ""
    return form_class(formdata=None, prefix=event, day=getattr(enrolment, field),
                      **({"outcome": outcome} if event == "end" else {}))


def _page(participant: User, enrolment: Enrolment, status: int = 200,
          failed: EventForm | None = None, failed_event: str | None = None) -> Response:
    forms = {event: _form(event, enrolment) for event in service.EVENTS}
    if failed is not None:
        forms[failed_event] = failed
    return render("programme/staff_events.html", status=status, participant=participant,
                  enrolment=enrolment, forms=forms, headings=EVENT_HEADINGS,
                  phase_labels=PHASE_LABELS, outcome_labels=OUTCOME_LABELS,
                  history=service.history(get_session(), enrolment),
                  schedule_words=schedule_text(organisation_schedule(
                      get_session().get(Organisation, enrolment.organisation_id))))


def _participant(participant_id: int, action: str) -> tuple[User, Enrolment]:
    db = get_session()
    person = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                  what="programme", action=action)
    enrolment = enrolment_of(db, person.id)
    if enrolment is None:
        abort(404)
    return person, enrolment


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_events(participant_id: int):
    return _page(*_participant(participant_id, "read"))


@bp.post("/for/<int:participant_id>/<event>")
@staff_required
def staff_record(participant_id: int, event: str):
    if event not in service.EVENTS:
        abort(404)
    person, enrolment = _participant(participant_id, "change")
    form = _form(event, enrolment, request.form)
    if not form.validate():
        return _page(person, enrolment, 422, form, event)
    try:
        service.record_event(
            get_session(), staff=current_user, enrolment=enrolment, event=event,
            day=form.day.data, client_id=parse_client_id(request.form.get("client_id")),
            outcome=Outcome(form.outcome.data) if event == "end" else None,
        )
    except service.OutOfOrder as conflict:
        messages = MUST_BE_AFTER if conflict.must_be == "after" else MUST_BE_BEFORE
        form.day.errors.append(messages[conflict.other] % {
            "day": format_day(conflict.other_day, "day_year")})
        return _page(person, enrolment, 422, form, event)
    return see_other(url_for("programme.staff_events", participant_id=person.id,
                             _anchor=f"event-{event}"))
