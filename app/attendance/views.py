"""Attendance (fremmøde): the participant's day and week; the consultant's register
of a week, where staff correct a day."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.attendance import service
from app.attendance.forms import (
    ABSENCE_REASONS,
    STATUS_LABELS,
    AbsenceForm,
    CorrectionForm,
    HoursForm,
)
from app.auth.decorators import participant_required, staff_required
from app.db import get_session
from app.forms import REACH_BACK
from app.i18n import _, format_day
from app.idempotency import parse_client_id
from app.models import AbsenceReason, AttendanceStatus, User
from app.timeutil import local_today, week_of
from app.web import render, see_other, wants_fragment

bp = Blueprint("attendance", __name__, url_prefix="/attendance")


@bp.context_processor
def _labels() -> dict:
    return {"absence_reasons": ABSENCE_REASONS, "status_labels": STATUS_LABELS}


def _today_context() -> dict:
    db, today = get_session(), local_today()
    return {
        "today": today,
        "today_row": service.attendance_on(db, current_user.id, day=today),
        "today_absences": service.absences_on(db, current_user.id, day=today),
    }


def _week_page(status: int = 200, *, fragment: str | None = None,
               hours_form: HoursForm | None = None,
               absence_form: AbsenceForm | None = None) -> Response:
    context = _today_context()
    monday = service.parse_week(request.args.get("week"), today=context["today"])
    return render(
        "attendance/week.html", fragment, status=status, **context,
        summary=service.week_summary(get_session(), current_user.id, monday),
        can_withdraw=service.can_withdraw, week_endpoint=".week", week_args={},
        hours_window=service.hours_window(context["today"]),
        absence_window=service.absence_window(context["today"]),
        hours_form=hours_form or HoursForm(formdata=None, day=context["today"]),
        absence_form=absence_form or AbsenceForm(formdata=None, day=context["today"]),
    )


def _today_answer(message: str, status: int = 200) -> Response:
    """The today card for htmx; a flash and the week page for a plain form."""
    if wants_fragment():
        return render("attendance/_today.html", status=status, ack=message, **_today_context())
    flash(message)
    return see_other(url_for(".week"))


@bp.get("/")
@participant_required
def week():
    # The week links swap only the week; a form's 422 always re-renders the page.
    return _week_page(fragment="attendance/_week.html")


@bp.post("/check-in")
@participant_required
def check_in():
    client_id = parse_client_id(request.form.get("client_id"))
    service.check_in(get_session(), participant=current_user, client_id=client_id)
    return _today_answer(_("Good to see you. You are checked in."))


@bp.post("/check-out")
@participant_required
def check_out():
    client_id = parse_client_id(request.form.get("client_id"))
    try:
        service.check_out(get_session(), participant=current_user, client_id=client_id)
    except service.AttendanceError:
        return _today_answer(_("You have not checked in today. Tap “I'm here” first."), 422)
    return _today_answer(_("Thank you for today. Your time is saved."))


@bp.post("/hours")
@participant_required
def hours():
    client_id = parse_client_id(request.form.get("client_id"))
    form = HoursForm()
    if not form.validate():
        return _week_page(422, hours_form=form)
    day = form.day.data
    service.report_hours(get_session(), participant=current_user, day=day,
                         minutes=service.parse_hours(form.hours.data), client_id=client_id)
    flash(_("Thank you. Your hours for %(day)s are saved.", day=format_day(day)))
    return see_other(url_for(".week", week=day.isoformat()))


@bp.post("/absence")
@participant_required
def absence():
    client_id = parse_client_id(request.form.get("client_id"))
    form = AbsenceForm()
    if not form.validate():
        return _week_page(422, absence_form=form)
    day = form.day.data
    service.report_absence(get_session(), participant=current_user, day=day,
                           reason=AbsenceReason(form.reason.data), note=form.note.data or "",
                           client_id=client_id)
    flash(_("Thank you for letting us know. Your consultant can see it now."))
    return see_other(url_for(".week", week=day.isoformat()))


@bp.post("/absence/<int:absence_id>/withdraw")
@participant_required
def withdraw(absence_id: int):
    client_id = parse_client_id(request.form.get("client_id"))
    service.withdraw_absence(get_session(), participant=current_user, absence_id=absence_id,
                             client_id=client_id, today=local_today())
    flash(_("Your absence report is taken back."))
    return see_other(url_for(".week", week=request.form.get("week") or None))


def _staff_reach(participant_id: int, action: str) -> User:
    return caseload_participant(get_session(), staff=current_user, participant_id=participant_id,
                                what="attendance", action=action)


def _correction_form(day: date, formdata=None, **values) -> CorrectionForm:
    return CorrectionForm(formdata=formdata, prefix=f"c{day.isoformat()}", **values)


def _staff_week_page(participant: User, monday: date, status: int = 200,
                     failed: CorrectionForm | None = None, failed_day: date | None = None
                     ) -> Response:
    """The register for a week, with a correction form for every day up to today."""
    today = local_today()
    summary = service.week_summary(get_session(), participant.id, monday)
    forms = {
        d.day: _correction_form(
            d.day, status=(d.attendance.status if d.attendance else AttendanceStatus.present).value,
            time=service.duration_text(d.attendance.minutes if d.attendance else None))
        for d in summary.days if d.day <= today
    }
    if failed is not None:
        forms[failed_day] = failed
    return render("attendance/staff_week.html", "attendance/_week.html", status=status,
                  participant=participant, today=today, summary=summary,
                  correction_forms=forms, week_endpoint=".staff_week",
                  week_args={"participant_id": participant.id})


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_week(participant_id: int):
    participant = _staff_reach(participant_id, "read")
    return _staff_week_page(participant,
                            service.parse_week(request.args.get("week"), today=local_today()))


@bp.post("/for/<int:participant_id>/correct")
@staff_required
def staff_correct(participant_id: int):
    participant = _staff_reach(participant_id, "change")
    client_id = parse_client_id(request.form.get("client_id"))
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        abort(400)
    if not local_today() - REACH_BACK <= day <= local_today():
        abort(400)  # the form is offered for past days and today only
    form = _correction_form(day, formdata=request.form)
    if not form.validate():
        return _staff_week_page(participant, week_of(day)[0], 422, failed=form, failed_day=day)
    service.correct_day(get_session(), staff=current_user, participant_id=participant.id, day=day,
                        status=AttendanceStatus(form.status.data), minutes=form.minutes(),
                        reason=form.reason.data, client_id=client_id)
    flash(_("The correction for %(day)s is saved.", day=format_day(day)))
    return see_other(url_for(".staff_week", participant_id=participant.id,
                             week=day.isoformat(), _anchor=f"day-{day.isoformat()}"))
