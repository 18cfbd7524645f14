"""Messages, the routes: the participant's thread, the staff side, polling, the unread badge."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from app.messages import service
from app.models import AccessLog, Message, MessageThread, Role
from tests.conftest import htmx_headers, rows, sign_in

PARTICIPANT_ROUTES = [("get", "/messages/"), ("post", "/messages/"), ("get", "/messages/poll")]
STAFF_ROUTES = [("get", "/messages/for/{pid}"), ("post", "/messages/for/{pid}"),
                ("get", "/messages/for/{pid}/poll")]



pytestmark = pytest.mark.usefixtures("english")


def say(db, participant, sender, body="Hej"):
    service.send_message(db, participant_id=participant.id, sender=sender, body=body,
                         client_id=None)



def count_messages(db) -> int:
    return rows(db, select(func.count(Message.id)))[0]


def count_logs(db) -> int:
    return rows(db, select(func.count(AccessLog.id)))[0]


def messages(db) -> list[Message]:
    return rows(db, select(Message).order_by(Message.id))


def poll_params(page: str) -> str:
    return re.search(r'hx-get="(/messages/[^"]*poll[^"]*)"', page).group(1).replace("&amp;", "&")


def post_message(client, path="/messages/", body="Hej Mette", client_id=None, **headers):
    data = {"body": body, "client_id": client_id or str(uuid.uuid4())}
    return client.post(path, data=data, headers=headers)


# Participant side

def test_thread_shows_the_consultant_and_invites_writing(participant_client):
    response = participant_client.get("/messages/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<span class="avatar" aria-hidden="true">MF</span>' in page
    assert "<strong>Mette</strong>" in page
    assert "No messages yet." in page
    assert 'id="message-compose"' in page and 'name="client_id"' in page
    assert "maxlength" not in page  # a long paste is explained, never cut off
    assert 'hx-trigger="every 15s"' in page


def test_send_with_htmx_clears_the_box_and_swaps_the_thread(participant_client, db, participant):
    response = post_message(participant_client, **htmx_headers())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*</textarea>', page)
    assert 'id="message-list"' in page and 'hx-swap-oob="true"' in page
    assert "Hej Mette" in page and "Sent" in page
    [message] = messages(db)
    assert (message.body, message.sender_id, message.read_at) == ("Hej Mette", participant.id, None)
    [thread] = rows(db, select(MessageThread))
    assert thread.last_message_at == message.sent_at


def test_send_as_a_plain_form_redirects_to_the_thread(participant_client, db):
    response = post_message(participant_client, body="  Hej  ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/messages/")
    assert [m.body for m in messages(db)] == ["Hej"]


def test_a_double_tap_sends_one_message(participant_client, db):
    client_id = str(uuid.uuid4())
    for _ in range(2):
        response = post_message(participant_client, client_id=client_id, **htmx_headers())
        assert response.status_code == 200
    assert count_messages(db) == 1


def test_send_needs_a_client_id(participant_client, db):
    response = participant_client.post("/messages/", data={"body": "Hej"})
    assert response.status_code == 400
    assert count_messages(db) == 0


@pytest.mark.parametrize(("body", "error"), [
    ("   ", "Write a message before you send it."),
    ("x" * 4001, "A message can be at most 4000 characters."),
])
def test_a_failed_send_keeps_the_text_in_the_box(participant_client, db, body, error):
    response = post_message(participant_client, body=body, **htmx_headers())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in page
    assert error in page and 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page
    if body.strip():
        assert f">\r\n{body}</textarea>" in page or f">{body}</textarea>" in page
    assert count_messages(db) == 0


def test_a_failed_plain_send_shows_the_whole_page_with_the_text(participant_client, db):
    response = post_message(participant_client, body="y" * 4001)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in page and "y" * 4001 in page


def test_opening_the_thread_marks_replies_read_and_clears_the_badge(
    participant_client, db, participant, consultant,
):
    say(db, participant, consultant, "Hej Sara")
    say(db, participant, consultant, "Ses i morgen?")
    badge = '<span class="badge">2<span class="visually-hidden"> unread messages</span></span>'
    assert badge in participant_client.get("/me/").get_data(as_text=True)

    page = participant_client.get("/messages/").get_data(as_text=True)
    assert "Hej Sara" in page and "Ses i morgen?" in page
    assert 'class="badge"' not in page  # read on opening, so the badge in this page is gone
    assert all(m.read_at is not None for m in messages(db))
    assert 'class="badge"' not in participant_client.get("/me/").get_data(as_text=True)


def test_own_message_shows_sent_then_read_when_the_consultant_opens_it(
    participant_client, consultant_client, db, participant,
):
    post_message(participant_client, body="Kan vi mødes?")
    page = participant_client.get("/messages/").get_data(as_text=True)
    assert '<p class="message-state">Sent</p>' in page
    poll = poll_params(page)
    assert participant_client.get(poll, headers=htmx_headers()).status_code == 204

    consultant_client.get(f"/messages/for/{participant.id}")

    response = participant_client.get(poll, headers=htmx_headers())
    assert response.status_code == 200
    assert '<p class="message-state">Read</p>' in response.get_data(as_text=True)


def test_poll_answers_204_until_a_reply_arrives_and_marks_it_read(
    participant_client, db, participant, consultant,
):
    say(db, participant, participant, "Hej")
    page = participant_client.get("/messages/").get_data(as_text=True)
    poll = poll_params(page)
    nothing = participant_client.get(poll, headers=htmx_headers())
    assert nothing.status_code == 204 and nothing.get_data() == b""

    say(db, participant, consultant, "Hej Sara, godt at høre fra dig")
    response = participant_client.get(poll, headers=htmx_headers())
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment and fragment.lstrip().startswith("<section id=\"message-list\"")
    assert "godt at høre fra dig" in fragment
    assert messages(db)[-1].read_at is not None
    # The refreshed list polls from the new newest message on: nothing new again.
    assert participant_client.get(poll_params(fragment), headers=htmx_headers()).status_code == 204


def test_poll_costs_one_query_when_nothing_is_new(app, participant_client, participant):
    from sqlalchemy import event

    statements = []
    engine = app.extensions["engine"]
    page = participant_client.get("/messages/").get_data(as_text=True)
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = participant_client.get(poll_params(page), headers=htmx_headers())
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 204
    mine = [s for s in statements if "message" in s.lower()]
    assert len(mine) == 1 and "max(message.id)" in mine[0].lower()


def test_show_older_pages_back_50_at_a_time(participant_client, db, participant, consultant):
    for n in range(52):
        say(db, participant, consultant, f"besked {n}")
    page = participant_client.get("/messages/").get_data(as_text=True)
    assert "besked 51" in page and "besked 2<" in page and "besked 1<" not in page
    older = re.search(r'href="(/messages/\?before=\d+)"', page).group(1)
    assert "Show older" in page

    older_page = participant_client.get(older).get_data(as_text=True)
    assert "besked 0<" in older_page and "besked 1<" in older_page
    assert "besked 2<" not in older_page
    assert "every 15s" not in older_page and "Show newest" in older_page


def test_outside_working_hours_the_thread_says_when_to_expect_an_answer(
    participant_client, monkeypatch,
):
    saturday = datetime(2025, 6, 7, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    monkeypatch.setattr("app.messages.views.local_now", lambda: saturday)
    page = participant_client.get("/messages/").get_data(as_text=True)
    assert "Mette works Monday to Friday" in page
    assert "You can expect an answer Monday from 8:30" in page


def test_inside_working_hours_no_note(participant_client, monkeypatch):
    tuesday = datetime(2025, 6, 3, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    monkeypatch.setattr("app.messages.views.local_now", lambda: tuesday)
    assert "expect an answer" not in participant_client.get("/messages/").get_data(as_text=True)


def test_participant_routes_only_ever_use_their_own_thread(
    participant_client, other_participant_client, db, participant, other_participant, consultant,
):
    say(db, participant, consultant, "Kun til Sara")
    post_message(other_participant_client, body="Fra Ahmad")
    page = other_participant_client.get("/messages/").get_data(as_text=True)
    assert "Kun til Sara" not in page and "Fra Ahmad" in page
    poll = other_participant_client.get("/messages/poll?after=0&read=0", headers=htmx_headers())
    assert "Kun til Sara" not in poll.get_data(as_text=True)
    threads = {t.participant_id: t.id for t in rows(db, select(MessageThread))}
    [ahmad] = [m for m in messages(db) if m.body == "Fra Ahmad"]
    assert ahmad.thread_id == threads[other_participant.id]
    # Sara's reply is still unread: Ahmad's page never touched it.
    assert all(m.read_at is None for m in messages(db))


def test_thread_fragment_and_boosted_page(participant_client):
    fragment = participant_client.get("/messages/", headers=htmx_headers()).get_data(as_text=True)
    assert "<html" not in fragment and 'id="message-list"' in fragment
    boosted = participant_client.get("/messages/", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in boosted.get_data(as_text=True)


# Staff side

def test_staff_thread_marks_read_and_is_access_logged(
    consultant_client, db, participant, consultant,
):
    say(db, participant, participant, "Jeg er syg i dag")
    response = consultant_client.get(f"/messages/for/{participant.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Jeg er syg i dag" in page and "Messages with Sara" in page
    assert f'href="/caseload/{participant.id}"' in page
    assert messages(db)[0].read_at is not None
    [log] = rows(db, select(AccessLog))
    assert (log.actor_id, log.participant_id, log.action, log.what) == (
        consultant.id, participant.id, "read", "messages")


def test_staff_reply_sends_and_logs_a_change(consultant_client, db, participant, consultant):
    response = post_message(consultant_client, f"/messages/for/{participant.id}",
                            body="Det er helt i orden", **htmx_headers())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and "Det er helt i orden" in page
    [message] = messages(db)
    assert message.sender_id == consultant.id
    actions = [(log.action, log.what) for log in rows(db, select(AccessLog))]
    assert actions == [("change", "messages")]
    assert service.unread_count(db, participant_id=participant.id) == 1


def test_staff_reply_replays_once_and_needs_a_client_id(consultant_client, db, participant):
    path = f"/messages/for/{participant.id}"
    client_id = str(uuid.uuid4())
    post_message(consultant_client, path, client_id=client_id)
    response = post_message(consultant_client, path, client_id=client_id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(path)
    assert count_messages(db) == 1
    # Every write carries a client-made id, so a retry can never send it twice.
    assert consultant_client.post(path, data={"body": "Uden id"}).status_code == 400
    assert count_messages(db) == 1


def test_staff_reply_that_fails_keeps_the_text(consultant_client, db, participant):
    path = f"/messages/for/{participant.id}"
    response = post_message(consultant_client, path, body="z" * 4001, **htmx_headers())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "z" * 4001 in page and "at most 4000 characters" in page
    assert count_messages(db) == 0
    # Nothing changed, but the thread was shown again: logged as a read (see app.access).
    assert [log.action for log in rows(db, select(AccessLog))] == ["read"]


def test_staff_poll_is_quiet_until_the_participant_writes(
    consultant_client, db, participant,
):
    page = consultant_client.get(f"/messages/for/{participant.id}").get_data(as_text=True)
    poll = poll_params(page)
    assert poll.startswith(f"/messages/for/{participant.id}/poll?")
    assert consultant_client.get(poll, headers=htmx_headers()).status_code == 204
    assert count_logs(db) == 1  # only the page's read

    say(db, participant, participant, "Tak")
    response = consultant_client.get(poll, headers=htmx_headers())
    assert response.status_code == 200 and "Tak" in response.get_data(as_text=True)
    assert messages(db)[0].read_at is not None
    assert count_logs(db) == 2


def test_staff_outside_the_caseload_get_404(app, db, participant, other_consultant, csrf_off):
    say(db, participant, participant, "Privat")
    client = sign_in(app.test_client(), other_consultant)
    base = f"/messages/for/{participant.id}"
    assert client.get(base).status_code == 404
    assert post_message(client, base).status_code == 404
    assert client.get(f"{base}/poll?after=0&read=1", headers=htmx_headers()).status_code == 404
    assert client.get(f"{base}/poll?after=-1&read=0", headers=htmx_headers()).status_code == 404
    # Even a poll with nothing new answers 404 outside the caseload, and changes nothing.
    assert client.get(f"{base}/poll?after=0&read=0", headers=htmx_headers()).status_code == 404
    assert count_messages(db) == 1 and messages(db)[0].read_at is None
    assert count_logs(db) == 0


def test_an_admin_reaches_every_thread_of_the_organisation(app, db, make_staff, participant):
    admin = make_staff(role=Role.admin, email="admin@example.org", name="Admin Fiktiv")
    client = sign_in(app.test_client(), admin)
    assert client.get(f"/messages/for/{participant.id}").status_code == 200


def test_staff_thread_fragment_and_boosted_page(consultant_client, participant):
    path = f"/messages/for/{participant.id}"
    fragment = consultant_client.get(path, headers=htmx_headers()).get_data(as_text=True)
    assert "<html" not in fragment and 'id="message-list"' in fragment
    boosted = consultant_client.get(path, headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in boosted.get_data(as_text=True)


# Guards

@pytest.mark.parametrize(("method", "path"), PARTICIPANT_ROUTES + STAFF_ROUTES)
def test_signed_out_goes_to_login(app, csrf_off, participant, method, path):
    client = app.test_client()
    url = path.format(pid=participant.id)
    plain = getattr(client, method)(url)
    assert plain.status_code == 303 and "/auth/login" in plain.headers["Location"]
    htmx = getattr(client, method)(url, headers=htmx_headers())
    assert htmx.status_code == 401 and "/auth/login" in htmx.headers["HX-Redirect"]


@pytest.mark.parametrize(("method", "path"), PARTICIPANT_ROUTES)
def test_staff_may_not_use_participant_routes(consultant_client, method, path):
    assert getattr(consultant_client, method)(path).status_code == 403


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_participants_may_not_use_staff_routes(
    participant_client, db, participant, other_participant, method, path,
):
    for pid in (participant.id, other_participant.id):
        assert getattr(participant_client, method)(path.format(pid=pid)).status_code == 403
    assert count_messages(db) == 0


def test_messages_and_the_box_follow_their_own_writing_direction(participant_client, db,
                                                                 participant, consultant):
    say(db, participant, consultant, "Hej Amina.")
    page = participant_client.get("/messages/", headers={"Accept-Language": "ar"}).get_data(
        as_text=True)
    assert 'dir="rtl"' in page
    assert '<p class="message-body" dir="auto">Hej Amina.</p>' in page
    assert re.search(r'<textarea[^>]*dir="auto"', page)


def test_a_page_mark_beyond_any_id_shows_the_newest(me, participant_client):
    assert me.get("/messages/?before=99999999999999999999").status_code == 200
