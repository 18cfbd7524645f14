"""The objective record of one participant for a period, on screen and as a Danish A4 print."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import force_locale, format_percent
from flask_login import current_user

from app.access import caseload_participant
from app.auth.decorators import staff_required
from app.caseload.forms import PHASE_LABELS
from app.db import get_session
from app.models import utcnow
from app.plan.forms import RESPONSIBLE_FOR_STAFF
from app.records import service
from app.records.forms import OBSERVATION_ASPECTS, OBSERVATION_LEVELS, PeriodForm
from app.timeutil import local_today
from app.walks.forms import MEETING_KINDS
from app.web import render

bp = Blueprint("records", __name__, url_prefix="/records")


def _record(participant_id: int, page: str, **context) -> Response:
    """The page with the record for the asked period (the last four weeks when none is asked);
    a period that cannot be reported on answers 422 with the form and its message."""
    db, today = get_session(), local_today()
    participant = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                       what="record", purpose="report")
    if "from" in request.args or "to" in request.args:
        form = PeriodForm(formdata=request.args)
        valid = form.validate()
    else:
        period = service.default_period(today)
        form, valid = PeriodForm(formdata=None, start=period.start, end=period.end), True
    record = service.build_record(
        db, participant=participant, today=today, now=utcnow(),
        period=service.Period(form.start.data, form.end.data),
    ) if valid else None
    return render(page, status=200 if valid else 422, participant=participant, form=form,
                  record=record, responsible=RESPONSIBLE_FOR_STAFF, meeting_kinds=MEETING_KINDS,
                  levels=OBSERVATION_LEVELS, aspects=OBSERVATION_ASPECTS, percent=format_percent,
                  phases=PHASE_LABELS, **context)


@bp.get("/for/<int:participant_id>")
@staff_required
def report(participant_id: int):
    return _record(participant_id, "records/report.html")


@bp.get("/for/<int:participant_id>/print")
@staff_required
def print_view(participant_id: int):
    # The job centre reads Danish, whatever language the consultant works in.
    with force_locale("da"):
        return _record(participant_id, "records/print.html", current_locale="da",
                       text_direction="ltr")
