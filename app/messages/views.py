"""Messages: the participant's thread with their consultant, and the staff side of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, abort, g, request, url_for
from flask_babel import format_timedelta, get_locale
from flask_login import current_user

from app.access import caseload_participant, reachable_participant
from app.auth.decorators import participant_required, staff_required
from app.caseload.service import consultant_of
from app.db import get_session
from app.i18n import _
from app.idempotency import parse_client_id
from app.messages import phrases, service
from app.messages.forms import MessageForm, QuickPhraseForm
from app.models import Role, User, utcnow
from app.timeutil import local_now
from app.web import id_arg, render, see_other, wants_fragment

bp = Blueprint("messages", __name__, url_prefix="/messages")

COMPOSE = "messages/_compose.html"
LIST = "messages/_messages.html"
INBOX_LIST = "messages/_inbox_list.html"
PANEL = "messages/_reply_panel.html"
PHRASES = "messages/_phrases.html"
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


def staff_unread_counts() -> dict[int, int]:
    """participant_id → unread messages over the caseload, queried once per request: the
    staff navigation's badge and the caseload list share it."""
    if "staff_unread_counts" not in g:
        g.staff_unread_counts = service.unread_counts_for_staff(get_session(), current_user)
    return g.staff_unread_counts


def _staff_unread_messages() -> int:
    """The staff navigation's badge."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return 0
    return sum(staff_unread_counts().values())


bp.record_once(lambda state: state.app.jinja_env.globals.update(
    unread_messages=_unread_messages, staff_unread_messages=_staff_unread_messages))


@bp.app_template_filter("waited")
def _waited(since: datetime) -> str:
    """How long ago `since` was, in words ("3 hours")."""
    return format_timedelta(utcnow() - since)


def _from_inbox() -> bool:
    """The request comes from the inbox's reply panel (a query or form field says so)."""
    return request.values.get("from") == "inbox"


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
    db = get_session()
    context = _thread_context(participant, form, before)
    from_inbox = _from_inbox()
    return render(
        "messages/staff_thread.html", fragment, status=status, **context, **extra,
        phrases=phrases.phrases_of(db, current_user), from_inbox=from_inbox,
        awaiting_since=service.awaiting_since(db, participant_id=participant.id),
        phrase_url=url_for("messages.staff_phrase", participant_id=participant.id),
        # The inbox's list comes along out of band, so its counts follow what was done here.
        inbox=service.inbox(db, current_user) if from_inbox and wants_fragment() else None,
    )


def _send(participant_id: int, client_id: uuid.UUID, page: Callable[..., Response],
          thread_url: str) -> Response:
    """Validate and send; 422 keeps the text in the box, success clears it."""
    form = MessageForm()
    if not form.validate():
        return page(form, status=422, fragment=COMPOSE)
    service.send_message(get_session(), participant_id=participant_id, sender=current_user,
                         body=form.body.data, client_id=client_id, language=str(get_locale()))
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
    return _participant_page(MessageForm(), before=id_arg("before"),
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
    return _staff_page(participant, MessageForm(), before=id_arg("before"),
                       fragment=PANEL if _from_inbox() else LIST)


@bp.post("/for/<int:participant_id>")
@staff_required
def staff_reply(participant_id: int):
    participant = caseload_participant(get_session(), staff=current_user,
                                       participant_id=participant_id, what="messages",
                                       action="change")
    back = url_for("messages.inbox") if _from_inbox() else url_for(
        "messages.staff_thread", participant_id=participant_id)
    return _send(participant_id, parse_client_id(request.form.get("client_id")),
                 lambda form, **kw: _staff_page(participant, form, **kw), back)


@bp.post("/for/<int:participant_id>/phrase")
@staff_required
def staff_phrase(participant_id: int):
    """Without JavaScript a quick phrase is a submit button: the thread comes back with the
    phrase added to what was typed, and nothing is sent."""
    db = get_session()
    participant = caseload_participant(db, staff=current_user, participant_id=participant_id,
                                       what="messages")
    phrase = phrases.phrase_of(db, current_user, id_arg("phrase") or 0)
    form = MessageForm()
    form.body.data = phrases.insert_phrase(form.body.data, phrase.text)
    db.commit()  # the read's access-log row (a POST logs in the request's own transaction)
    return _staff_page(participant, form)


@bp.post("/for/<int:participant_id>/handled")
@staff_required
def staff_handled(participant_id: int):
    db = get_session()
    caseload_participant(db, staff=current_user, participant_id=participant_id,
                         what="messages", action="change")
    service.mark_handled(db, participant_id=participant_id)
    if _from_inbox():
        return _inbox_page() if wants_fragment() else see_other(url_for("messages.inbox"))
    return see_other(url_for("messages.staff_thread", participant_id=participant_id))


def _inbox_page() -> Response:
    return render("messages/inbox.html", INBOX_LIST,
                  inbox=service.inbox(get_session(), current_user))


@bp.get("/inbox")
@staff_required
def inbox():
    # The list shows names, counts and times, as the caseload list does, and no message: it is
    # not a read of anyone's messages, so it is not logged. Opening a thread from it is.
    return _inbox_page()


def _phrases_page(form: QuickPhraseForm | None = None, status: int = 200) -> Response:
    return render("messages/phrases.html", PHRASES, status=status,
                  form=form or QuickPhraseForm(formdata=None),
                  phrases=phrases.phrases_of(get_session(), current_user))


def _phrases_changed() -> Response:
    return _phrases_page() if wants_fragment() else see_other(url_for("messages.phrase_list"))


@bp.get("/phrases")
@staff_required
def phrase_list():
    return _phrases_page()


@bp.post("/phrases")
@staff_required
def phrase_add():
    db = get_session()
    form = QuickPhraseForm()
    if not form.validate():
        return _phrases_page(form, status=422)
    if phrases.count_of(db, current_user) >= phrases.MAX_PHRASES:
        form.text.errors.append(_("You can keep at most %(max)d quick phrases. Remove one first.",
                                  max=phrases.MAX_PHRASES))
        return _phrases_page(form, status=422)
    phrases.add_phrase(db, owner=current_user, text=form.text.data,
                       client_id=parse_client_id(request.form.get("client_id")))
    return _phrases_changed()


@bp.post("/phrases/<int:phrase_id>/remove")
@staff_required
def phrase_remove(phrase_id: int):
    phrases.remove_phrase(get_session(), owner=current_user, phrase_id=phrase_id)
    return _phrases_changed()


@bp.post("/phrases/<int:phrase_id>/move")
@staff_required
def phrase_move(phrase_id: int):
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    phrases.move_phrase(get_session(), owner=current_user, phrase_id=phrase_id,
                        up=direction == "up")
    return _phrases_changed()


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
