"""The inbox, the routes: the list, the reply panel, replying and marking handled from it."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import func, select

from app.messages import service
from app.models import AccessLog, Message, MessageThread
from tests.conftest import htmx_headers, rows, sign_in, text
from tests.test_caseload_views import count_queries

pytestmark = pytest.mark.usefixtures("english")


def say(db, participant, sender, body="Hej"):
    service.send_message(db, participant_id=participant.id, sender=sender, body=body,
                         client_id=None)


def awaiting(db, participant):
    return rows(db, select(MessageThread.awaiting_reply_since).where(
        MessageThread.participant_id == participant.id))[0]


def logs(db) -> list[tuple[str, str]]:
    return [(log.action, log.what) for log in rows(db, select(AccessLog).order_by(AccessLog.id))]


def count_messages(db) -> int:
    return rows(db, select(func.count(Message.id)))[0]


def reply(client, participant, body="Det er i orden", **extra):
    data = {"body": body, "client_id": str(uuid.uuid4()), "from": "inbox"}
    return client.post(f"/messages/for/{participant.id}", data=data, **extra)


# The list

def test_inbox_lists_waiting_threads_first_with_counts_and_no_message(
    staff, db, make_participant, participant, other_participant,
):
    ida = make_participant("Ida")
    say(db, ida, ida, "Hemmeligt indhold")
    say(db, participant, participant)
    say(db, participant, participant)
    say(db, other_participant, other_participant)
    response = staff.get("/messages/inbox")
    page = text(response)
    assert response.status_code == 200
    assert "Other conversations" not in page  # both wait
    assert page.index("Ida") < page.index("Sara")  # Ida has waited longest
    assert "2 unread messages" in page and "1 unread message" in page
    assert "Waiting for" in page and "Last message" in page
    assert "Hemmeligt indhold" not in page and "Ahmad" not in page
    assert 'hx-trigger="every 30s"' in page
    assert f'href="/messages/for/{ida.id}"' in page
    assert f'hx-get="/messages/for/{ida.id}?from=inbox"' in page
    assert logs(db) == []  # names and counts only: not a read of anyone's messages


def test_inbox_without_messages_and_the_nav_badge(staff, db, participant):
    page = text(staff.get("/messages/inbox"))
    assert "No one is waiting for a reply." in page and "No messages yet." in page
    assert '<a href="/messages/inbox" aria-current="page">Inbox' in page
    assert 'class="badge"' not in page
    say(db, participant, participant)
    say(db, participant, participant)
    page = text(staff.get("/caseload/"))
    assert re.search(r'href="/messages/inbox" >Inbox\s*<span class="badge">2<span', page)


def test_inbox_fragment_for_its_own_refresh(staff, db, participant):
    response = staff.get("/messages/inbox", headers=htmx_headers())
    page = text(response)
    assert "<html" not in page and page.lstrip().startswith('<section id="inbox-list"')
    assert "hx-swap-oob" not in page


def test_inbox_runs_the_same_number_of_queries_for_any_size(app, staff, db, make_participant):
    ane = make_participant("Ane")
    say(db, ane, ane)
    with count_queries(app) as small:
        assert staff.get("/messages/inbox").status_code == 200
    for name in ("Bo", "Cem", "Dina", "Emil"):
        who = make_participant(name)
        say(db, who, who)
    with count_queries(app) as large:
        assert "Emil" in text(staff.get("/messages/inbox"))
    assert len(large) == len(small) <= 4


def test_inbox_is_for_staff(app, csrf_off, participant_client):
    assert participant_client.get("/messages/inbox").status_code == 403
    signed_out = app.test_client()
    response = signed_out.get("/messages/inbox")
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]


# The reply panel

def test_opening_a_thread_from_the_inbox_gives_the_panel_and_a_fresh_list(
    staff, db, participant,
):
    say(db, participant, participant, "Jeg er syg")
    response = staff.get(f"/messages/for/{participant.id}?from=inbox", headers=htmx_headers())
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert "Messages with Sara" in page and "Jeg er syg" in page
    assert 'id="message-compose"' in page and 'name="from" value="inbox"' in page
    assert re.search(r'<section id="inbox-list"[^>]*hx-swap-oob="true"', page)
    assert "unread message" not in page  # the panel read it; the list says so at once
    assert logs(db) == [("read", "messages")]


def test_reply_from_the_inbox_clears_the_box_and_the_wait(staff, db, participant, consultant):
    say(db, participant, participant)
    response = reply(staff, participant, headers=htmx_headers())
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*</textarea>', page)
    assert "Det er i orden" in page and "Your message has been sent." in page
    assert re.search(r'<section id="message-list"[^>]*hx-swap-oob="true"', page)
    assert re.search(r'<section id="inbox-list"[^>]*hx-swap-oob="true"', page)
    assert "No one is waiting for a reply." in page
    assert awaiting(db, participant) is None
    assert logs(db) == [("change", "messages")]


def test_a_reply_from_the_inbox_that_fails_stays_in_the_box(staff, db, participant):
    say(db, participant, participant)
    response = reply(staff, participant, body="q" * 4001, headers=htmx_headers())
    page = text(response)
    assert response.status_code == 422 and "<html" not in page
    assert "q" * 4001 in page and 'name="from" value="inbox"' in page
    assert "inbox-list" not in page
    assert count_messages(db) == 1 and awaiting(db, participant) is not None


def test_a_plain_reply_from_the_inbox_goes_back_to_it(staff, db, participant):
    response = reply(staff, participant)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/messages/inbox")


def test_the_staff_thread_offers_handled_and_quick_phrases(staff, db, participant, consultant):
    from app.messages import phrases

    page = text(staff.get(f"/messages/for/{participant.id}"))
    assert "Mark as handled" not in page and 'class="chip"' not in page
    say(db, participant, participant)
    phrases.add_phrase(db, owner=consultant, text="Tak for din besked.", client_id=uuid.uuid4())
    page = text(staff.get(f"/messages/for/{participant.id}"))
    assert "Waiting for a reply for" in page and "Mark as handled" in page
    assert 'data-phrase="Tak for din besked."' in page
    assert f'formaction="/messages/for/{participant.id}/phrase"' in page
    assert 'name="from"' not in page


# Mark as handled

def test_mark_handled_from_the_inbox_with_htmx(staff, db, participant):
    say(db, participant, participant)
    response = staff.post(f"/messages/for/{participant.id}/handled", data={"from": "inbox"},
                          headers=htmx_headers())
    page = text(response)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="inbox-list"')
    assert "No one is waiting for a reply." in page
    assert awaiting(db, participant) is None
    assert logs(db) == [("change", "messages")]


def test_mark_handled_as_plain_forms(staff, db, participant):
    say(db, participant, participant)
    path = f"/messages/for/{participant.id}/handled"
    response = staff.post(path, data={"from": "inbox"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/inbox")
    response = staff.post(path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/messages/for/{participant.id}")
    assert awaiting(db, participant) is None


# Quick phrase without JavaScript

def test_a_quick_phrase_button_brings_the_box_back_with_the_phrase(
    staff, db, participant, consultant,
):
    from app.messages import phrases

    phrases.add_phrase(db, owner=consultant, text="Ring mig gerne.", client_id=uuid.uuid4())
    [phrase] = phrases.phrases_of(db, consultant)
    response = staff.post(f"/messages/for/{participant.id}/phrase",
                          data={"body": "Hej Sara,", "phrase": phrase.id})
    page = text(response)
    assert response.status_code == 200 and "<html" in page
    assert re.search(r">\s*Hej Sara, Ring mig gerne\.</textarea>", page)
    assert count_messages(db) == 0
    assert logs(db) == [("read", "messages")]


def test_a_quick_phrase_of_someone_else_or_none_is_not_found(
    app, staff, db, participant, consultant, other_consultant,
):
    from app.messages import phrases

    phrases.add_phrase(db, owner=other_consultant, text="Min egen", client_id=uuid.uuid4())
    [theirs] = phrases.phrases_of(db, other_consultant)
    path = f"/messages/for/{participant.id}/phrase"
    assert staff.post(path, data={"body": "", "phrase": theirs.id}).status_code == 404
    assert staff.post(path, data={"body": ""}).status_code == 404
    assert staff.post(path, data={"phrase": "abc"}).status_code == 404
    assert staff.post(path, data={"phrase": "99999999999999999999"}).status_code == 404


# Guards for the new participant routes

NEW_STAFF_ROUTES = ["/messages/for/{pid}/handled", "/messages/for/{pid}/phrase"]


@pytest.mark.parametrize("path", NEW_STAFF_ROUTES)
def test_other_consultants_get_404_and_change_nothing(
    app, csrf_off, db, participant, other_consultant, path,
):
    say(db, participant, participant)
    client = sign_in(app.test_client(), other_consultant)
    assert client.post(path.format(pid=participant.id), data={"phrase": 1}).status_code == 404
    assert client.get(f"/messages/for/{participant.id}?from=inbox",
                      headers=htmx_headers()).status_code == 404
    assert awaiting(db, participant) is not None and logs(db) == []


@pytest.mark.parametrize("path", NEW_STAFF_ROUTES)
def test_participants_get_403_and_signed_out_go_to_login(
    app, csrf_off, db, participant_client, participant, path,
):
    say(db, participant, participant)
    assert participant_client.post(path.format(pid=participant.id)).status_code == 403
    response = app.test_client().post(path.format(pid=participant.id))
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    assert awaiting(db, participant) is not None
