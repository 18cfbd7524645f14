"""Walks and meetings: the participant logs walks and sees meetings; the consultant plans them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.auth.decorators import participant_required, staff_required
from app.db import get_session
from app.i18n import _
from app.idempotency import parse_client_id
from app.models import MeetingKind, User, utcnow
from app.timeutil import local_today
from app.walks import service
from app.walks.forms import MEETING_KINDS, MeetingForm, MyWalkForm, SummaryForm, WalkForm
from app.web import render, see_other, wants_fragment

bp = Blueprint("walks", __name__, url_prefix="/walks")


@bp.context_processor
def _labels() -> dict:
    return {"meeting_kinds": MEETING_KINDS}


def _walks_context(participant_id: int) -> dict:
    db, today = get_session(), local_today()
    return {
        "walks": service.recent_walks(db, participant_id),
        "week_minutes": service.week_walk_minutes(db, participant_id, today=today),
        "walk_window": service.walk_window(today),
    }


def _index_page(status: int = 200, *, form: MyWalkForm | None = None,
                ack: str | None = None) -> Response:
    db, now = get_session(), utcnow()
    form = form or MyWalkForm(formdata=None, walked_on=local_today(), with_consultant="no")
    return render(
        "walks/index.html", "walks/_walks.html", status=status, walk_form=form, ack=ack,
        **_walks_context(current_user.id),
        upcoming=service.upcoming_meetings(db, current_user.id, now=now),
        past=service.past_meetings(db, current_user.id, now=now, with_summary_only=True),
    )


@bp.get("/")
@participant_required
def index():
    return _index_page()


@bp.post("")
@participant_required
def log_walk():
    client_id = parse_client_id(request.form.get("client_id"))
    form = MyWalkForm()
    if not form.validate():
        return _index_page(422, form=form)
    _save_walk(form, actor=current_user, participant_id=current_user.id, client_id=client_id,
               with_consultant=form.with_consultant.data == "yes")
    message = _("Well done. Your walk is saved.")
    if wants_fragment():
        return _index_page(ack=message)
    flash(message)
    return see_other(url_for(".index"))


def _save_walk(form: WalkForm, **kwargs) -> None:
    service.log_walk(
        get_session(), walked_on=form.walked_on.data, minutes=form.minutes.data,
        distance_km=service.parse_distance(form.distance.data),
        agreed_note=form.agreed_note.data or "", **kwargs,
    )


def _staff_page(participant: User, status: int = 200, *, walk_form: WalkForm | None = None,
                meeting_form: MeetingForm | None = None,
                failed_summary: tuple[int, SummaryForm] | None = None) -> Response:
    db, now = get_session(), utcnow()
    past = service.past_meetings(db, participant.id, now=now, with_summary_only=False)
    summary_forms = {m.id: SummaryForm(formdata=None, obj=m, prefix=f"m{m.id}") for m in past}
    summary_forms.update([failed_summary] if failed_summary else [])
    return render(
        "walks/staff_index.html", status=status, participant=participant, past=past,
        upcoming=service.upcoming_meetings(db, participant.id, now=now),
        summary_forms=summary_forms,
        walk_form=walk_form or WalkForm(formdata=None, walked_on=local_today()),
        meeting_form=meeting_form or MeetingForm(formdata=None, kind=MeetingKind.walk.value),
        **_walks_context(participant.id),
    )


def _reach(participant_id: int, action: str) -> User:
    return caseload_participant(get_session(), staff=current_user, participant_id=participant_id,
                                what="walks", action=action)


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_index(participant_id: int):
    return _staff_page(_reach(participant_id, "read"))


@bp.post("/for/<int:participant_id>/walks")
@staff_required
def staff_log_walk(participant_id: int):
    participant = _reach(participant_id, "change")
    client_id = parse_client_id(request.form.get("client_id"))
    form = WalkForm()
    if not form.validate():
        return _staff_page(participant, 422, walk_form=form)
    _save_walk(form, actor=current_user, participant_id=participant.id, client_id=client_id,
               with_consultant=True)
    flash(_("The walk is saved."))
    return see_other(url_for(".staff_index", participant_id=participant.id))


@bp.post("/for/<int:participant_id>/meetings")
@staff_required
def staff_plan_meeting(participant_id: int):
    participant = _reach(participant_id, "change")
    client_id = parse_client_id(request.form.get("client_id"))
    form = MeetingForm()
    if not form.validate():
        return _staff_page(participant, 422, meeting_form=form)
    service.plan_meeting(
        get_session(), consultant=current_user, participant_id=participant.id,
        kind=MeetingKind(form.kind.data), place=form.place.data or "", client_id=client_id,
        starts_at=service.local_to_utc(form.day.data, form.at.data),
    )
    flash(_("The meeting is planned. %(name)s can see it now.", name=participant.display_name))
    return see_other(url_for(".staff_index", participant_id=participant.id))


@bp.post("/for/<int:participant_id>/meetings/<int:meeting_id>/summary")
@staff_required
def staff_summary(participant_id: int, meeting_id: int):
    participant = _reach(participant_id, "change")
    db = get_session()
    meeting = service.meeting_of(db, participant_id=participant.id, meeting_id=meeting_id)
    if not service.can_summarise(meeting, now=utcnow()):
        abort(409)
    form = SummaryForm(prefix=f"m{meeting.id}")
    if not form.validate():
        return _staff_page(participant, 422, failed_summary=(meeting.id, form))
    service.write_summary(db, meeting=meeting, summary=form.summary.data)
    flash(_("The summary is saved. %(name)s can read it now.", name=participant.display_name))
    return see_other(url_for(".staff_index", participant_id=participant.id))
