"""The consultant's caseload: today's board, a new participant, one participant's overview,
planned days and days off."""

from flask import Blueprint, Response, request, url_for
from flask_babel import format_timedelta
from flask_login import current_user

from app.access import caseload_participant
from app.auth.decorators import staff_required
from app.caseload import attention, days, service
from app.caseload.forms import PHASE_LABELS, DayOffForm, NewParticipantForm, WeekdaysForm
from app.db import get_session
from app.idempotency import parse_client_id
from app.models import Phase, User
from app.timeutil import local_now, local_today
from app.web import render, see_other

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.get("/")
@staff_required
def index():
    now = local_now()
    needing, calm = attention.today_board(get_session(), current_user, now)
    return render("caseload/index.html", needing=needing, calm=calm, phase_labels=PHASE_LABELS,
                  now=now, today=now.date(), days_since=service.days_since,
                  waited=format_timedelta, Need=attention.Need)


@bp.get("/new")
@staff_required
def new():
    return render("caseload/new.html", form=NewParticipantForm())


@bp.post("/new")
@staff_required
def create():
    client_id = parse_client_id(request.form.get("client_id"))
    form = NewParticipantForm()
    if not form.validate():
        return render("caseload/new.html", form=form, status=422)
    participant, code, expires_at = service.enrol_new_participant(
        get_session(), staff=current_user, display_name=form.display_name.data,
        full_name=form.full_name.data or "", started_on=form.started_on.data,
        phase=Phase(form.phase.data), client_id=client_id,
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


# Planned days and days off: the absence reasons on the board depend on them.

def _days_page(participant: User, status: int = 200, **forms) -> Response:
    db = get_session()
    today = local_today()
    forms.setdefault("weekdays_form", WeekdaysForm(
        formdata=None, weekdays=sorted(days.planned_weekdays(db, participant.id))))
    forms.setdefault("day_off_form", DayOffForm(formdata=None))
    return render(
        "caseload/days.html", status=status, participant=participant,
        own=days.days_off(db, organisation_id=participant.organisation_id,
                          participant_id=participant.id, since=today),
        shared=days.days_off(db, organisation_id=participant.organisation_id,
                             participant_id=None, since=today),
        **forms,
    )


def _days_participant(participant_id: int, action: str = "change") -> User:
    return caseload_participant(get_session(), staff=current_user, participant_id=participant_id,
                                what="planned days", action=action)


def _back_to_days(participant_id: int) -> Response:
    return see_other(url_for("caseload.days_page", participant_id=participant_id))


@bp.get("/<int:participant_id>/days")
@staff_required
def days_page(participant_id: int):
    return _days_page(_days_participant(participant_id, "read"))


@bp.post("/<int:participant_id>/weekdays")
@staff_required
def weekdays(participant_id: int):
    participant = _days_participant(participant_id)
    form = WeekdaysForm()
    if not form.validate():
        return _days_page(participant, 422, weekdays_form=form)
    days.set_planned_weekdays(get_session(), participant_id=participant.id,
                              weekdays=set(form.weekdays.data))
    return _back_to_days(participant.id)


@bp.post("/<int:participant_id>/days-off")
@staff_required
def add_day_off(participant_id: int):
    participant = _days_participant(participant_id)
    form = DayOffForm()
    if not form.validate():
        return _days_page(participant, 422, day_off_form=form)
    days.add_day_off(get_session(), staff=current_user, participant_id=participant.id,
                     day=form.day.data, note=form.note.data or "")
    return _back_to_days(participant.id)


@bp.post("/<int:participant_id>/days-off/<int:day_off_id>/delete")
@staff_required
def remove_day_off(participant_id: int, day_off_id: int):
    participant = _days_participant(participant_id)
    days.remove_day_off(get_session(), staff=current_user, participant_id=participant.id,
                        day_off_id=day_off_id)
    return _back_to_days(participant.id)


def _shared_page(status: int = 200, form: DayOffForm | None = None) -> Response:
    return render("caseload/days_off.html", status=status, form=form or DayOffForm(formdata=None),
                  shared=days.days_off(get_session(), organisation_id=current_user.organisation_id,
                                       participant_id=None,
                                       since=local_today()))


@bp.get("/days-off")
@staff_required
def shared_days_off():
    return _shared_page()


@bp.post("/days-off")
@staff_required
def add_shared_day_off():
    form = DayOffForm()
    if not form.validate():
        return _shared_page(422, form)
    days.add_day_off(get_session(), staff=current_user, participant_id=None,
                     day=form.day.data, note=form.note.data or "")
    return see_other(url_for("caseload.shared_days_off"))


@bp.post("/days-off/<int:day_off_id>/delete")
@staff_required
def remove_shared_day_off(day_off_id: int):
    days.remove_day_off(get_session(), staff=current_user, participant_id=None,
                        day_off_id=day_off_id)
    return see_other(url_for("caseload.shared_days_off"))
