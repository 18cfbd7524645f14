"""Messages: the participant's thread with their consultant, and the staff side of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, Response, request, url_for
from flask_login import current_user

from app.access import caseload_participant, reachable_participant
from app.auth.decorators import participant_required, staff_required
from app.caseload.service import consultant_of
from app.db import get_session
from app.idempotency import parse_client_id
from app.messages import service
from app.messages.forms import MessageForm
from app.models import Role, User
from app.timeutil import local_now
from app.web import render, see_other, wants_fragment

bp = Blueprint("messages", __name__, url_prefix="/messages")

COMPOSE = "messages/_compose.html"
LIST = "messages/_messages.html"
# (thread page, send, poll) for each side.
ENDPOINTS = {
    False: ("messages.thread", "messages.send", "messages.poll"),
    True: ("messages.staff_thread", "messages.staff_reply", "messages.staff_poll"),
}


def _unread_messages() -> int:
    """The bottom bar's badge: one query, and only for a signed-in participant."""
    if not current_user.is_authenticated or current_user.role != Role.participant:
        return 0
    return service.unread_count(get_session(), participant_id=current_user.id)


bp.record_once(lambda state: state.app.jinja_env.globals.update(unread_messages=_unread_messages))


def _thread_context(participant: User, form: MessageForm, before: int | None) -> dict:
    """The thread as the current user sees it, with the links its partials need."""
    page = service.thread_page(
        get_session(), participant_id=participant.id, viewer=current_user, before=before
    )
    thread_endpoint, send_endpoint, poll_endpoint = ENDPOINTS[current_user.is_staff]
    args = {"participant_id": participant.id} if current_user.is_staff else {}
    return {
        "participant": participant, "form": form, "thread": page,
        "send_url": url_for(send_endpoint, **args),
        # Older pages stand still; only the newest page polls.
        "poll_url": None if before else url_for(
            poll_endpoint, after=page.last_id, read=page.own_read, **args),
        "older_url": url_for(thread_endpoint, before=page.messages[0].message.id, **args)
        if page.has_older else None,
        "newest_url": url_for(thread_endpoint, **args) if before else None,
    }


def _participant_page(
    form: MessageForm, before: int | None = None, status: int = 200,
    fragment: str | None = None, **extra,
) -> Response:
    consultant = consultant_of(get_session(), current_user.id)
    note = service.answer_expected_note(consultant, local_now()) if consultant else None
    context = _thread_context(current_user, form, before)
    return render("messages/thread.html", fragment, status=status, consultant=consultant,
                  note=note, **context, **extra)


def _staff_page(participant: User, form: MessageForm, before: int | None = None,
                status: int = 200, fragment: str | None = None, **extra) -> Response:
    context = _thread_context(participant, form, before)
    return render("messages/staff_thread.html", fragment, status=status, **context, **extra)


def _send(participant_id: int, client_id: uuid.UUID | None, page: Callable[..., Response],
          thread_url: str) -> Response:
    """Validate and send; 422 keeps the text in the box, success clears it."""
    form = MessageForm()
    if not form.validate():
        return page(form, status=422, fragment=COMPOSE)
    service.send_message(get_session(), participant_id=participant_id, sender=current_user,
                         body=form.body.data, client_id=client_id)
    if not wants_fragment():
        return see_other(thread_url)
    return page(MessageForm(formdata=None), fragment=COMPOSE, sent=True)


def _poll(participant_id: int) -> bool:
    return service.poll(
        get_session(), participant_id=participant_id, viewer=current_user,
        after=request.args.get("after", 0, type=int), read=request.args.get("read", 0, type=int),
    )


@bp.get("/")
@participant_required
def thread():
    service.mark_read(get_session(), participant_id=current_user.id, reader=current_user)
    return _participant_page(MessageForm(), before=request.args.get("before", type=int),
                             fragment=LIST)


@bp.post("/")
@participant_required
def send():
    client_id = parse_client_id(request.form.get("client_id"))
    return _send(current_user.id, client_id, _participant_page, url_for("messages.thread"))


@bp.get("/poll")
@participant_required
def poll():
    if not _poll(current_user.id):
        return Response(status=204)
    return _participant_page(MessageForm(), fragment=LIST)


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_thread(participant_id: int):
    db = get_session()
    participant = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                       what="messages")
    service.mark_read(db, participant_id=participant_id, reader=current_user)
    return _staff_page(participant, MessageForm(), before=request.args.get("before", type=int),
                       fragment=LIST)


@bp.post("/for/<int:participant_id>")
@staff_required
def staff_reply(participant_id: int):
    participant = caseload_participant(get_session(), staff=current_user,
                                       participant_id=participant_id, what="messages",
                                       action="change")
    raw = request.form.get("client_id")
    return _send(participant_id, parse_client_id(raw) if raw else None,
                 lambda form, **kw: _staff_page(participant, form, **kw),
                 url_for("messages.staff_thread", participant_id=participant_id))


@bp.get("/for/<int:participant_id>/poll")
@staff_required
def staff_poll(participant_id: int):
    # Outside the caseload: 404 like every staff route. The access-log row comes only when
    # there is something new to show, not every 15 seconds.
    reachable_participant(get_session(), staff=current_user, participant_id=participant_id)
    if not _poll(participant_id):
        return Response(status=204)
    participant = caseload_participant(get_session(), staff=current_user,
                                       participant_id=participant_id, what="messages")
    return _staff_page(participant, MessageForm(), fragment=LIST)
