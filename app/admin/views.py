"""The provider admin's pages: consultants, participants and their consultant, the access log."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.admin import service
from app.admin.forms import ChangeConsultantForm, LogFilterForm, NewConsultantForm
from app.aftercare.forms import ScheduleForm, schedule_text
from app.aftercare.service import (
    DEFAULT_SCHEDULE,
    BadSchedule,
    organisation_schedule,
    set_schedule,
)
from app.auth.decorators import admin_required
from app.caseload.forms import PHASE_LABELS
from app.caseload.service import consultant_of, enrolment_of
from app.db import get_session
from app.i18n import _
from app.idempotency import parse_client_id
from app.models import Organisation, User
from app.timeutil import local_today
from app.web import id_arg, render, see_other

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _consultants_page(form: NewConsultantForm | None = None, status: int = 200,
                      refused: tuple[User, int] | None = None) -> Response:
    return render("admin/consultants.html", status=status,
                  rows=service.consultants(get_session(), current_user.organisation_id),
                  form=form or NewConsultantForm(formdata=None), refused=refused)


@bp.get("/consultants")
@admin_required
def consultants():
    return _consultants_page()


@bp.post("/consultants")
@admin_required
def create_consultant():
    client_id = parse_client_id(request.form.get("client_id"))
    form = NewConsultantForm()
    if not form.validate():
        return _consultants_page(form, 422)
    try:
        consultant, code, expires_at = service.create_consultant(
            get_session(), admin=current_user, name=form.name.data, email=form.email.data,
            client_id=client_id)
    except service.LoginTaken:
        form.email.errors.append(_("Someone already signs in with this e-mail."))
        return _consultants_page(form, 422)
    # The code is shown in this answer only; it is never stored in plain text.
    return render("admin/code.html", consultant=consultant, code=code, expires_at=expires_at)


def _consultant(user_id: int) -> User:
    consultant = service.staff_member(get_session(), admin=current_user, user_id=user_id)
    if consultant is None:
        abort(404)
    return consultant


@bp.post("/consultants/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    consultant = _consultant(user_id)
    try:
        service.set_active(get_session(), consultant=consultant, active=False)
    except service.StillHasParticipants as refused:
        return _consultants_page(status=422, refused=(consultant, refused.count))
    return see_other(url_for("admin.consultants", _anchor=f"consultant-{user_id}"))


@bp.post("/consultants/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    service.set_active(get_session(), consultant=_consultant(user_id), active=True)
    return see_other(url_for("admin.consultants", _anchor=f"consultant-{user_id}"))


@bp.get("/participants")
@admin_required
def participants():
    return render("admin/participants.html", phase_labels=PHASE_LABELS, today=local_today(),
                  rows=service.participants(get_session(), current_user.organisation_id))


def _change_page(participant: User, form: ChangeConsultantForm, status: int = 200) -> Response:
    return render("admin/change_consultant.html", status=status, participant=participant,
                  enrolment=enrolment_of(get_session(), participant.id), form=form,
                  consultant=consultant_of(get_session(), participant.id), today=local_today())


def _change_form(formdata=None) -> ChangeConsultantForm:
    form = ChangeConsultantForm(formdata=formdata)
    form.consultant.choices = [(0, _("Choose the new consultant"))] + [
        (c.id, c.full_name or c.display_name)
        for c in service.active_consultants(get_session(), current_user.organisation_id)
    ]
    return form


@bp.get("/participants/<int:participant_id>/consultant")
@admin_required
def change_consultant(participant_id: int):
    participant = caseload_participant(get_session(), staff=current_user,
                                       participant_id=participant_id, what="consultant")
    return _change_page(participant, _change_form())


@bp.post("/participants/<int:participant_id>/consultant")
@admin_required
def change_consultant_post(participant_id: int):
    db = get_session()
    participant = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                       what="consultant", action="change")
    form = _change_form(request.form)
    if not form.validate():
        return _change_page(participant, form, 422)
    try:
        service.change_consultant(db, admin=current_user, participant=participant,
                                  to_consultant_id=form.consultant.data,
                                  overlap_days=form.overlap_days.data, today=local_today())
    except service.NotAConsultant:
        form.consultant.errors.append(_("Choose the new consultant."))
        return _change_page(participant, form, 422)
    return see_other(url_for("admin.participants", _anchor=f"participant-{participant_id}"))


@bp.get("/access-log")
@admin_required
def access_log():
    """Reading the log is not reading a participant's data, so it is not logged itself."""
    db = get_session()
    org = current_user.organisation_id
    form = LogFilterForm(formdata=request.args)
    form.staff.choices = [(0, _("Everyone"))] + [
        (s.id, s.full_name or s.display_name) for s in service.staff_of(db, org)]
    form.participant.choices = [(0, _("Every participant"))] + [
        (p.id, p.display_name) for p, _enrolment, _consultant in service.participants(db, org)]
    page = None
    if form.validate():
        page = service.access_log(
            db, organisation_id=org, actor_id=form.staff.data or None,
            participant_id=form.participant.data or None, since=form.since.data,
            until=form.until.data, before=id_arg("before"),
        )
    filters = {k: v for k, v in request.args.items() if k != "before" and v}
    return render(
        "admin/access_log.html", status=422 if page is None else 200, form=form, log=page,
        next_url=url_for("admin.access_log", before=page.next_before, **filters)
        if page and page.next_before else None,
        first_url=url_for("admin.access_log", **filters) if "before" in request.args else None,
    )


def _schedule_page(form: ScheduleForm | None = None, status: int = 200) -> Response:
    organisation = get_session().get(Organisation, current_user.organisation_id)
    schedule = organisation_schedule(organisation)
    if form is None:
        rows = [{"months": m, "days": d} for m, d in schedule]
        form = ScheduleForm(formdata=None, check_ins=rows)
    return render("admin/aftercare.html", status=status, form=form,
                  current=schedule_text(schedule), is_default=schedule == DEFAULT_SCHEDULE)


@bp.get("/aftercare")
@admin_required
def aftercare_schedule():
    return _schedule_page()


@bp.post("/aftercare")
@admin_required
def save_aftercare_schedule():
    form = ScheduleForm()
    if not form.validate():
        return _schedule_page(form, 422)
    try:
        set_schedule(get_session(), schedule=form.pairs(),
                     organisation=get_session().get(Organisation, current_user.organisation_id))
    except BadSchedule:
        form.form_errors.append(_(
            "Write at least one check-in, each later than the one before, and none on the day of "
            "the job start."))
        return _schedule_page(form, 422)
    flash(_("The schedule is saved. It applies to job starts recorded from now on."))
    return see_other(url_for("admin.aftercare_schedule"))
