"""Group days (hold): the consultant's groups, their members and today's roll-call."""

from __future__ import annotations

from datetime import time

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.attendance.forms import ABSENCE_REASONS, STATUS_LABELS
from app.auth.decorators import staff_required
from app.caseload.attention import parse_weekdays
from app.db import get_session
from app.groups import service
from app.groups.forms import AddMemberForm, GroupForm, weekdays_label
from app.i18n import _
from app.idempotency import parse_client_id
from app.models import AttendanceStatus, Group, User
from app.timeutil import local_today
from app.web import render, see_other, wants_fragment

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.context_processor
def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "absence_reasons": ABSENCE_REASONS,
            "weekdays_label": weekdays_label}


def _group(group_id: int) -> Group:
    return service.group_of(get_session(), staff=current_user, group_id=group_id)


def _member(group: Group, participant_id: int, what: str, action: str) -> User:
    """A participant the user may reach (404 otherwise, logged) who is in the group now."""
    db = get_session()
    participant = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                       what=what, action=action)
    if not service.is_member(db, group=group, participant_id=participant.id):
        abort(404)
    return participant


@bp.get("/")
@staff_required
def index():
    return render("groups/index.html", groups=service.my_groups(get_session(), current_user))


@bp.get("/new")
@staff_required
def new():
    return render("groups/edit.html", form=GroupForm(formdata=None, starts_at=time(9)),
                  group=None)


@bp.post("/new")
@staff_required
def create():
    client_id = parse_client_id(request.form.get("client_id"))
    form = GroupForm()
    if not form.validate():
        return render("groups/edit.html", form=form, group=None, status=422)
    group = service.create_group(
        get_session(), leader=current_user, name=form.name.data, weekdays=form.weekdays.data,
        starts_at=form.starts_at.data, place=form.place.data or "", client_id=client_id)
    flash(_("The group is created. Add the participants who take part."))
    return see_other(url_for(".detail", group_id=group.id))


def _detail_page(group: Group, status: int = 200, form: AddMemberForm | None = None) -> Response:
    db = get_session()
    people = service.addable(db, staff=current_user, group=group)
    return render("groups/detail.html", status=status, group=group,
                  members=service.members(db, staff=current_user, group=group),
                  add_form=form or AddMemberForm(formdata=None, people=people))


@bp.get("/<int:group_id>")
@staff_required
def detail(group_id: int):
    return _detail_page(_group(group_id))


@bp.post("/<int:group_id>")
@staff_required
def update(group_id: int):
    group = _group(group_id)
    form = GroupForm()
    if not form.validate():
        return render("groups/edit.html", form=form, group=group, status=422)
    service.update_group(get_session(), group=group, name=form.name.data,
                         weekdays=form.weekdays.data, starts_at=form.starts_at.data,
                         place=form.place.data or "")
    flash(_("The group is saved."))
    return see_other(url_for(".detail", group_id=group.id))


@bp.post("/<int:group_id>/end")
@staff_required
def end(group_id: int):
    group = _group(group_id)
    service.end_group(get_session(), group=group)
    flash(_("The group %(name)s has ended.", name=group.name))
    return see_other(url_for(".index"))


@bp.get("/<int:group_id>/edit")
@staff_required
def edit(group_id: int):
    group = _group(group_id)
    form = GroupForm(formdata=None, obj=group, weekdays=sorted(parse_weekdays(group.weekdays)))
    return render("groups/edit.html", form=form, group=group)


@bp.post("/<int:group_id>/members")
@staff_required
def add_member(group_id: int):
    group, db = _group(group_id), get_session()
    form = AddMemberForm(people=service.addable(db, staff=current_user, group=group))
    if not form.validate():
        return _detail_page(group, 422, form)
    participant = caseload_participant(db, staff=current_user,
                                       participant_id=form.participant_id.data, what="groups",
                                       action="change")
    service.add_member(db, group=group, participant=participant, today=local_today())
    flash(_("%(name)s is in the group.", name=participant.display_name))
    return see_other(url_for(".detail", group_id=group.id))


@bp.post("/<int:group_id>/members/<int:participant_id>/remove")
@staff_required
def remove_member(group_id: int, participant_id: int):
    group = _group(group_id)
    participant = caseload_participant(get_session(), staff=current_user,
                                       participant_id=participant_id, what="groups",
                                       action="change")
    service.remove_member(get_session(), group=group, participant=participant,
                          today=local_today())
    flash(_("%(name)s has left the group.", name=participant.display_name))
    return see_other(url_for(".detail", group_id=group.id))


@bp.get("/<int:group_id>/roll-call")
@staff_required
def roll_call(group_id: int):
    group, today = _group(group_id), local_today()
    rows = service.roll_call(get_session(), staff=current_user, group=group, day=today)
    service.log_roll_call_read(staff=current_user,
                               participant_ids=[row.participant.id for row in rows])
    return render("groups/roll_call.html", group=group, rows=rows, today=today,
                  meets_today=service.meets_on(group, today))


@bp.post("/<int:group_id>/roll-call/<int:participant_id>")
@staff_required
def mark(group_id: int, participant_id: int):
    group, db, today = _group(group_id), get_session(), local_today()
    participant = _member(group, participant_id, what="attendance", action="change")
    client_id = parse_client_id(request.form.get("client_id"))
    try:
        status = AttendanceStatus(request.form.get("status"))
    except ValueError:
        abort(400)  # the buttons only send the three statuses
    service.mark(db, staff=current_user, participant=participant, status=status, day=today,
                 client_id=client_id)
    if wants_fragment():
        return render("groups/_roll_call_row.html", group=group, today=today,
                      row=service.roll_call_row(db, participant=participant, day=today))
    # Back to the same row, so a long list keeps its place without JavaScript.
    return see_other(url_for(".roll_call", group_id=group.id, _anchor=f"roll-{participant.id}"))
