"""Quick phrases: the domain (own list, order, idempotent add) and the management routes."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import select
from werkzeug.exceptions import NotFound

from app.messages import phrases
from app.models import QuickPhrase
from tests.conftest import htmx_headers, rows, sign_in, text

pytestmark = pytest.mark.usefixtures("english")


def texts(db, owner) -> list[str]:
    db.expire_all()
    found = [phrase.text for phrase in phrases.phrases_of(db, owner)]
    db.commit()
    return found


def add(db, owner, *items: str) -> list[QuickPhrase]:
    for item in items:
        phrases.add_phrase(db, owner=owner, text=item, client_id=uuid.uuid4())
    found = phrases.phrases_of(db, owner)
    db.commit()  # no read left open: later looks see what requests wrote
    return found


# The domain

def test_phrases_are_added_at_the_end_once_per_client_id(app, db, consultant):
    client_id = uuid.uuid4()
    with app.test_request_context(method="POST"):
        for _ in range(2):
            phrases.add_phrase(db, owner=consultant, text="Tak", client_id=client_id)
    add(db, consultant, "Ring mig")
    assert texts(db, consultant) == ["Tak", "Ring mig"]
    assert phrases.count_of(db, consultant) == 2


def test_move_and_remove_keep_a_tidy_order(app, db, consultant):
    first, second, third = add(db, consultant, "A", "B", "C")
    with app.test_request_context(method="POST"):
        phrases.move_phrase(db, owner=consultant, phrase_id=third.id, up=True)
        assert texts(db, consultant) == ["A", "C", "B"]
        phrases.move_phrase(db, owner=consultant, phrase_id=first.id, up=True)  # at the top
        phrases.move_phrase(db, owner=consultant, phrase_id=second.id, up=False)  # at the end
        assert texts(db, consultant) == ["A", "C", "B"]
        phrases.remove_phrase(db, owner=consultant, phrase_id=third.id)
    assert texts(db, consultant) == ["A", "B"]


def test_nobody_reaches_another_staff_members_phrase(app, db, consultant, other_consultant):
    [theirs] = add(db, other_consultant, "Min")
    with app.test_request_context(method="POST"):
        for act in (
            lambda: phrases.phrase_of(db, consultant, theirs.id),
            lambda: phrases.remove_phrase(db, owner=consultant, phrase_id=theirs.id),
            lambda: phrases.move_phrase(db, owner=consultant, phrase_id=theirs.id, up=True),
        ):
            with pytest.raises(NotFound):
                act()
    assert texts(db, other_consultant) == ["Min"]


def test_insert_phrase_adds_to_what_was_typed():
    assert phrases.insert_phrase(None, "Tak.") == "Tak."
    assert phrases.insert_phrase("Hej Sara,  \n", "Tak.") == "Hej Sara, Tak."


# The routes

def test_the_page_lists_my_phrases_in_order(staff, db, consultant, other_consultant):
    add(db, consultant, "Første", "Anden")
    add(db, other_consultant, "Ikke min")
    response = staff.get("/messages/phrases")
    page = text(response)
    assert response.status_code == 200
    assert page.index("Første") < page.index("Anden") and "Ikke min" not in page
    assert page.count("Move up") == 1 and page.count("Move down") == 1
    assert 'id="phrase-form"' in page and 'name="client_id"' in page


def test_add_with_htmx_and_as_a_plain_form(staff, db, consultant):
    response = staff.post("/messages/phrases", data={"text": " Tak for i dag. ",
                                                     "client_id": str(uuid.uuid4())},
                          headers=htmx_headers())
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith('<section id="quick-phrases"') and "Tak for i dag." in page
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*</textarea>', page)
    assert staff.post("/messages/phrases", data={"text": "Uden id"}).status_code == 400
    response = staff.post("/messages/phrases", data={"text": "Vi ses.",
                                                     "client_id": str(uuid.uuid4())})
    assert response.status_code == 303 and response.headers["Location"].endswith("/phrases")
    assert texts(db, consultant) == ["Tak for i dag.", "Vi ses."]


@pytest.mark.parametrize(("value", "error"), [
    ("  ", "Write the phrase before you add it."),
    ("p" * 501, "A quick phrase can be at most 500 characters."),
])
def test_a_bad_phrase_stays_in_the_box(staff, db, consultant, value, error):
    response = staff.post("/messages/phrases", data={"text": value}, headers=htmx_headers())
    page = text(response)
    assert response.status_code == 422 and error in page
    if value.strip():
        assert value in page
    assert texts(db, consultant) == []


def test_the_list_has_a_limit(staff, db, consultant):
    add(db, consultant, *[f"Sætning {n}" for n in range(phrases.MAX_PHRASES)])
    response = staff.post("/messages/phrases", data={"text": "En til"})
    assert response.status_code == 422 and "at most 30 quick phrases" in text(response)
    assert "En til" in text(response)
    assert len(texts(db, consultant)) == phrases.MAX_PHRASES


def test_move_and_remove_routes(staff, db, consultant):
    first, second = add(db, consultant, "A", "B")
    response = staff.post(f"/messages/phrases/{second.id}/move", data={"direction": "up"},
                          headers=htmx_headers())
    assert response.status_code == 200 and "<html" not in text(response)
    assert texts(db, consultant) == ["B", "A"]
    response = staff.post(f"/messages/phrases/{second.id}/move", data={"direction": "down"})
    assert response.status_code == 303
    assert texts(db, consultant) == ["A", "B"]
    assert staff.post(f"/messages/phrases/{second.id}/move",
                      data={"direction": "sideways"}).status_code == 400
    assert staff.post(f"/messages/phrases/{first.id}/remove").status_code == 303
    assert texts(db, consultant) == ["B"]


def test_another_staff_members_phrase_answers_404(app, csrf_off, db, consultant,
                                                  other_consultant):
    [mine] = add(db, consultant, "Min")
    client = sign_in(app.test_client(), other_consultant)
    assert client.post(f"/messages/phrases/{mine.id}/remove").status_code == 404
    assert client.post(f"/messages/phrases/{mine.id}/move",
                       data={"direction": "down"}).status_code == 404
    assert "Min" not in text(client.get("/messages/phrases"))
    assert len(rows(db, select(QuickPhrase))) == 1


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/messages/phrases"), ("post", "/messages/phrases"),
    ("post", "/messages/phrases/{id}/remove"), ("post", "/messages/phrases/{id}/move"),
])
def test_participants_get_403_and_signed_out_go_to_login(
    app, csrf_off, db, consultant, participant_client, method, path,
):
    [phrase] = add(db, consultant, "Min")
    url = path.format(id=phrase.id)
    assert getattr(participant_client, method)(url, data={"text": "x"}).status_code == 403
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    assert texts(db, consultant) == ["Min"]
