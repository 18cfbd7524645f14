"""Aftercare check-ins and the weekly check-in: the participant answers, the consultant follows."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.aftercare import service
from app.aftercare.forms import HELD_LABELS, HOW_LABELS, CheckInForm, HeldForm, WeeklyForm
from app.auth.decorators import participant_required, staff_required
from app.db import get_session
from app.idempotency import parse_client_id
from app.models import User, utcnow
from app.timeutil import local_today
from app.web import render, see_other

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")


def _me() -> User:
    return current_user._get_current_object()


def _client_id():
    return parse_client_id(request.form.get("client_id"))


# The participant's side.

def _check_in_page(form: CheckInForm | None = None, status: int = 200) -> Response:
    check_in = service.due_check_in(get_session(), current_user.id, local_today())
    return render("aftercare/check_in.html", status=status, check_in=check_in,
                  form=form or CheckInForm(formdata=None))


@bp.get("/check-in")
@participant_required
def check_in():
    return _check_in_page()


@bp.post("/check-in/<int:check_in_id>")
@participant_required
def answer(check_in_id: int):
    service.own_check_in(get_session(), current_user.id, check_in_id)
    client_id = _client_id()
    form = CheckInForm()
    if not form.validate():
        return _check_in_page(form, 422)
    service.answer_check_in(
        get_session(), participant=_me(), check_in_id=check_in_id, client_id=client_id,
        today=local_today(), answers=service.Answers(
            how_it_goes=form.how_it_goes.data, hours_per_week=form.hours_per_week.data,
            what_is_hard=form.what_is_hard.data or "",
            wants_contact=form.wants_contact.data == "yes"))
    return see_other(url_for("aftercare.thanks", contact=form.wants_contact.data))


@bp.get("/thanks")
@participant_required
def thanks():
    return render("aftercare/thanks.html", contact=request.args.get("contact") == "yes")


def _week_page(form: WeeklyForm | None = None, status: int = 200) -> Response:
    db = get_session()
    if not service.weekly_applies(service.current_enrolment(db, current_user.id), local_today()):
        abort(404)
    answer = service.weekly_answer(db, current_user.id, service.week_starting(utcnow()))
    if form is None:
        form = WeeklyForm(formdata=None, how_it_went=answer and answer.how_it_went,
                          wants_to_talk=answer and ("yes" if answer.wants_to_talk else "no"))
    return render("aftercare/week.html", status=status, form=form, answer=answer)


@bp.get("/week")
@participant_required
def week():
    return _week_page()


@bp.post("/week")
@participant_required
def answer_week():
    client_id = _client_id()
    form = WeeklyForm()
    if not form.validate():
        return _week_page(form, 422)
    service.answer_week(get_session(), participant=_me(), how_it_went=form.how_it_went.data,
                        wants_to_talk=form.wants_to_talk.data == "yes", client_id=client_id)
    return see_other(url_for("aftercare.thanks", contact=form.wants_to_talk.data))


# The consultant's side.

def _participant(participant_id: int, action: str) -> User:
    return caseload_participant(get_session(), staff=_me(), participant_id=participant_id,
                                what="aftercare", action=action)


def _staff_page(participant: User, status: int = 200,
                failed: tuple[int, HeldForm] | None = None) -> Response:
    db = get_session()
    enrolment = service.current_enrolment(db, participant.id)
    check_ins = service.check_ins_of(db, enrolment) if enrolment else []
    ended = enrolment is not None and service.aftercare_ended(enrolment, check_ins)
    today = local_today()
    forms = {c.id: HeldForm(formdata=None, prefix=f"held{c.id}") for c in check_ins
             if c.answered_at is None or c.held_by_id is not None}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render(
        "aftercare/staff.html", status=status, participant=participant, enrolment=enrolment,
        check_ins=check_ins, ended=ended, forms=forms, today=today,
        statuses={c.id: service.status(c, today, ended) for c in check_ins},
        requests=service.open_contact_requests(db, participant.id),
        weeks=service.weekly_answers(db, participant.id), how_labels=HOW_LABELS,
        held_labels=HELD_LABELS,
    )


def _back(participant: User, anchor: str) -> Response:
    return see_other(url_for("aftercare.staff_page", participant_id=participant.id,
                             _anchor=anchor))


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_page(participant_id: int):
    return _staff_page(_participant(participant_id, "read"))


@bp.post("/for/<int:participant_id>/check-ins/<int:check_in_id>/held")
@staff_required
def staff_held(participant_id: int, check_in_id: int):
    participant = _participant(participant_id, "change")
    service.own_check_in(get_session(), participant.id, check_in_id)
    client_id = _client_id()
    form = HeldForm(prefix=f"held{check_in_id}")
    if not form.validate():
        return _staff_page(participant, 422, (check_in_id, form))
    wants = {"yes": True, "no": False}.get(form.wants_contact.data)
    service.record_held(
        get_session(), staff=_me(), participant_id=participant.id, check_in_id=check_in_id,
        how=form.how.data, note=form.note.data or "", client_id=client_id,
        answers=service.Answers(how_it_goes=form.how_it_goes.data or None,
                                hours_per_week=form.hours_per_week.data,
                                what_is_hard=form.what_is_hard.data or "", wants_contact=wants))
    return _back(participant, f"check-in-{check_in_id}")


@bp.post("/for/<int:participant_id>/contact-done")
@staff_required
def staff_contact_done(participant_id: int):
    participant = _participant(participant_id, "change")
    service.mark_contact_done(get_session(), participant_id=participant.id)
    return _back(participant, "contact")


@bp.post("/for/<int:participant_id>/close")
@staff_required
def staff_close(participant_id: int):
    participant = _participant(participant_id, "change")
    enrolment = service.current_enrolment(get_session(), participant.id)
    if enrolment is None or enrolment.job_started_on is None:
        abort(404)
    service.close_aftercare(get_session(), enrolment=enrolment, day=local_today())
    return _back(participant, "aftercare")
