"""The participant's målskema: the home page, ticking, undo, own sub-goals and the scale."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.models import Attendance, ClientWrite, GoalPlan, Responsible, Role, SubGoal, utcnow
from app.timeutil import local_today, week_of
from tests.conftest import htmx_headers
from tests.test_plan_factories import (
    CLIENT_ID,
    add_step,
    add_subgoal,
    client_writes,
    count,
    fresh,
    plan_of,
    readings,
)

OTHER_ID = "0b8f5a3e-1c2d-4e5f-8a9b-7c6d5e4f3a2b"


@pytest.fixture
def participant_client(participant_client):
    # The assertions read the English msgids; the Danish catalog may translate them any day.
    participant_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return participant_client


def _post(client, url, data=None, client_id=CLIENT_ID, **kwargs):
    return client.post(url, data={"client_id": client_id, **(data or {})}, **kwargs)


# Access: every route, unauthenticated and by the wrong role.

def _routes(subgoal_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/plan/"),
        ("post", f"/plan/subgoals/{subgoal_id}/done"),
        ("post", f"/plan/subgoals/{subgoal_id}/undo"),
        ("post", "/plan/subgoals"),
        ("get", f"/plan/subgoals/{subgoal_id}/edit"),
        ("post", f"/plan/subgoals/{subgoal_id}/edit"),
        ("post", f"/plan/subgoals/{subgoal_id}/scale"),
    ]


def test_every_route_sends_strangers_to_sign_in(app, csrf_off, db, participant):
    subgoal = add_subgoal(db, participant)
    client = app.test_client()
    for method, url in _routes(subgoal.id):
        plain = getattr(client, method)(url)
        assert plain.status_code == 303, url
        assert "/auth/login" in plain.headers["Location"]
        htmx = getattr(client, method)(url, headers=htmx_headers())
        assert htmx.status_code == 401, url
        assert "/auth/login" in htmx.headers["HX-Redirect"]


def test_every_route_refuses_staff(consultant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    for method, url in _routes(subgoal.id):
        assert getattr(consultant_client, method)(url).status_code == 403, url
    assert fresh(db, subgoal).done_at is None


# The home page.

def test_home_shows_goal_next_subgoal_rest_and_done(participant_client, db, participant,
                                                    consultant):
    plan = plan_of(db, participant)
    plan.job_goal = "Lagerarbejde"
    plan.job_wishes = ["Lager", "Køkken"]
    plan.accommodations = "Ingen tunge løft"
    db.add(plan)
    db.commit()
    add_subgoal(db, participant, "Cykle til værkstedet", done_at=utcnow())
    add_subgoal(db, participant, "Ringe til lægen", agreed=True, created_by=consultant,
                due_on=date(2025, 3, 4))
    add_subgoal(db, participant, "Tale med arbejdsgiveren", responsible=Responsible.consultant,
                created_by=consultant)
    page = participant_client.get("/plan/").get_data(as_text=True)
    assert "Lagerarbejde" in page and "Køkken" in page and "Ingen tunge løft" in page
    # People's own words keep their own direction inside an Arabic page.
    assert '<p class="job-goal" dir="auto">Lagerarbejde</p>' in page
    assert "<li><bdi>Køkken</bdi></li>" in page and 'dir="auto">Ingen tunge løft' in page
    next_card = page.split('class="card next"')[1].split("</article>")[0]
    assert "Ringe til lægen" in next_card and "Agreed with my consultant" in next_card
    assert "Who: Me" in next_card and "March 4" in next_card
    assert "/messages/" in next_card  # agreed: comment through a message, no edit link
    assert "/edit" not in next_card
    later = page.split("After that")[1].split("<details")[0]
    assert "Who: My consultant" in later and "Mark as done" not in later
    done = page.split('class="done-list"')[1]
    assert "Cykle til værkstedet" in done and "Done (1)" in done


def test_home_shows_hours_against_the_step_up_plan(participant_client, db, participant):
    monday, sunday = week_of(local_today())
    add_step(db, participant, monday - timedelta(days=30), 9)
    for day, minutes in [(monday, 240), (sunday, 150), (monday - timedelta(days=1), 600)]:
        db.add(Attendance(participant_id=participant.id, day=day, minutes=minutes,
                          recorded_by_id=participant.id))
    db.commit()
    page = participant_client.get("/plan/").get_data(as_text=True)
    assert "6½ of 9 hours this week" in page


def test_home_without_a_plan_is_calm(participant_client):
    page = participant_client.get("/plan/").get_data(as_text=True)
    assert "No sub-goals yet" in page and "0 hours this week" in page


def test_home_queries_do_not_grow_with_subgoals(app, participant_client, db, participant):
    engine = app.extensions["engine"]
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", _count)
        try:
            assert participant_client.get("/plan/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", _count)
        return len(statements)

    add_subgoal(db, participant, "One")
    few = queries()
    for n in range(8):
        add_subgoal(db, participant, f"More {n}", done_at=utcnow() if n % 2 else None)
    assert queries() == few


def test_home_fragment_for_htmx_and_page_for_boosted(participant_client, db, participant):
    add_subgoal(db, participant)
    fragment = participant_client.get("/plan/", headers=htmx_headers()).get_data(as_text=True)
    assert "<html" not in fragment and 'id="subgoal-list"' in fragment
    boosted = participant_client.get("/plan/", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in boosted.get_data(as_text=True)


# Ticking off and undo.

def test_tick_with_htmx_returns_the_list_with_acknowledgement(participant_client, db,
                                                               participant):
    first = add_subgoal(db, participant, "First")
    add_subgoal(db, participant, "Second")
    response = _post(participant_client, f"/plan/subgoals/{first.id}/done",
                     headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="subgoal-list"')
    assert 'role="status"' in html and "Well done — marked as done." in html
    assert f"/plan/subgoals/{first.id}/undo" in html
    assert "Second" in html.split('class="card next"')[1].split("</article>")[0]
    ticked = fresh(db, first)
    assert ticked.done_at is not None and ticked.done_by_id == participant.id
    assert fresh(db, plan_of(db, participant)).updated_at >= ticked.done_at


def test_tick_without_js_redirects_to_a_page_offering_undo(participant_client, db,
                                                           participant):
    subgoal = add_subgoal(db, participant)
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/done")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/plan/?done={subgoal.id}")
    page = participant_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Well done — marked as done." in page and f"/plan/subgoals/{subgoal.id}/undo" in page


def test_boosted_tick_gets_a_redirect_not_a_fragment(participant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/done",
                     headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert response.headers["HX-Redirect"].endswith(f"/plan/?done={subgoal.id}")


def test_tick_twice_with_one_client_id_changes_once(participant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/done")
    first_time = fresh(db, subgoal).done_at
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo", client_id=OTHER_ID)
    # The replayed tick must not tick again after the undo.
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/done")
    assert first_time is not None and fresh(db, subgoal).done_at is None
    assert client_writes(db) == 2


def test_tick_of_an_agreed_subgoal_is_allowed(participant_client, db, participant, consultant):
    subgoal = add_subgoal(db, participant, agreed=True, created_by=consultant)
    assert _post(participant_client, f"/plan/subgoals/{subgoal.id}/done").status_code == 303
    assert fresh(db, subgoal).done_at is not None


def test_tick_refuses_others_work_and_others_plans(participant_client, db, participant,
                                                   other_participant):
    consultants = add_subgoal(db, participant, responsible=Responsible.consultant)
    theirs = add_subgoal(db, other_participant)
    assert _post(participant_client, f"/plan/subgoals/{consultants.id}/done").status_code == 403
    assert _post(participant_client, f"/plan/subgoals/{theirs.id}/done").status_code == 404
    assert _post(participant_client, f"/plan/subgoals/{theirs.id}/undo").status_code == 404
    assert fresh(db, consultants).done_at is None and fresh(db, theirs).done_at is None


def test_tick_without_client_id_is_refused(participant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    assert participant_client.post(f"/plan/subgoals/{subgoal.id}/done").status_code == 400
    assert fresh(db, subgoal).done_at is None


def test_undo_within_ten_minutes(participant_client, db, participant):
    subgoal = add_subgoal(db, participant, done_at=utcnow() - timedelta(minutes=9))
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo",
                     headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Moved back to your list." in html
    assert fresh(db, subgoal).done_at is None
    plain = _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo", client_id=OTHER_ID)
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/plan/")


def test_undo_after_ten_minutes_is_refused_clearly(participant_client, db, participant):
    ticked_at = utcnow() - timedelta(minutes=11)
    subgoal = add_subgoal(db, participant, done_at=ticked_at)
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo",
                     headers=htmx_headers())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and "too late to undo" in html
    assert fresh(db, subgoal).done_at == ticked_at
    assert client_writes(db) == 0  # nothing kept, so a later retry is not taken for a replay
    plain = _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo")
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)


def test_undo_twice_with_one_client_id_changes_once(participant_client, db, participant):
    subgoal = add_subgoal(db, participant, done_at=utcnow())
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo")
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/done", client_id=OTHER_ID)
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/undo")
    assert fresh(db, subgoal).done_at is not None
    assert client_writes(db) == 2


# Own sub-goals.

def test_add_own_subgoal_goes_to_the_end(participant_client, db, participant, consultant):
    add_subgoal(db, participant, "First", position=4, created_by=consultant)
    response = _post(participant_client, "/plan/subgoals",
                     {"title": "Køb et buskort", "due_on": "2025-03-24"})
    assert response.status_code == 303
    added = db.exec(select(SubGoal).where(SubGoal.title == "Køb et buskort")).one()
    db.commit()
    assert added.position == 5 and added.due_on == date(2025, 3, 24)
    assert added.responsible == Responsible.participant and not added.agreed
    assert added.created_by_id == participant.id


def test_add_twice_with_one_client_id_makes_one(participant_client, db):
    for _ in range(2):
        _post(participant_client, "/plan/subgoals", {"title": "Køb et buskort"})
    assert count(db, SubGoal) == 1 and client_writes(db) == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "", "due_on": "2025-03-24"}, "Write the sub-goal in a few words."),
    ({"title": "x" * 201, "due_on": ""}, "Please keep it to 200 characters or fewer."),
    ({"title": "Ring", "due_on": "24/3"}, "Choose a date, or write it as year-month-day"),
])
def test_add_own_subgoal_bad_input(participant_client, db, data, message):
    response = _post(participant_client, "/plan/subgoals", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'class="error-summary"' in html
    assert f'value="{data["title"]}"' in html if data["title"] else 'value="2025-03-24"' in html
    assert count(db, SubGoal) == 0 and client_writes(db) == 0


def test_edit_own_subgoal(participant_client, db, participant):
    subgoal = add_subgoal(db, participant, "Ring til lægen")
    page = participant_client.get(f"/plan/subgoals/{subgoal.id}/edit").get_data(as_text=True)
    assert 'value="Ring til lægen"' in page and 'name="client_id"' in page
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/edit",
                     {"title": "Ring til lægen kl. 8", "due_on": "2025-03-25"})
    assert response.status_code == 303
    changed = fresh(db, subgoal)
    assert changed.title == "Ring til lægen kl. 8" and changed.due_on == date(2025, 3, 25)


def test_edit_replayed_changes_once(participant_client, db, participant):
    subgoal = add_subgoal(db, participant, "A")
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/edit", {"title": "B"})
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/edit", {"title": "C"},
          client_id=OTHER_ID)
    _post(participant_client, f"/plan/subgoals/{subgoal.id}/edit", {"title": "B"})
    assert fresh(db, subgoal).title == "C" and client_writes(db) == 2


def test_edit_bad_input_keeps_what_was_typed(participant_client, db, participant):
    subgoal = add_subgoal(db, participant, "A")
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/edit",
                     {"title": "", "due_on": "2025-03-25"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Write the sub-goal in a few words." in html
    assert 'value="2025-03-25"' in html
    assert fresh(db, subgoal).title == "A"


def test_agreed_or_staff_made_subgoal_cannot_be_edited(participant_client, db, participant,
                                                       consultant):
    agreed = add_subgoal(db, participant, "Agreed", agreed=True)
    staff_made = add_subgoal(db, participant, "Staff", created_by=consultant)
    for subgoal in (agreed, staff_made):
        url = f"/plan/subgoals/{subgoal.id}/edit"
        assert participant_client.get(url).status_code == 403
        assert _post(participant_client, url, {"title": "Changed"}).status_code == 403
        assert fresh(db, subgoal).title != "Changed"


def test_another_participants_subgoal_is_not_found(participant_client, db, other_participant):
    theirs = add_subgoal(db, other_participant, "Theirs")
    url = f"/plan/subgoals/{theirs.id}/edit"
    assert participant_client.get(url).status_code == 404
    assert _post(participant_client, url, {"title": "Changed"}).status_code == 404
    scale = _post(participant_client, f"/plan/subgoals/{theirs.id}/scale", {"value": "5"})
    assert scale.status_code == 404
    assert fresh(db, theirs).title == "Theirs" and readings(db, theirs, Role.participant) == []


# The scale.

def test_scale_reading_is_saved_and_shown(participant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/scale", {
        "value": "6", "what_is_needed": "Et buskort", "what_i_can_do": "Finde ruten",
        "help_needed": "Penge til kortet",
    })
    assert response.status_code == 303
    [reading] = readings(db, subgoal, Role.participant)
    assert reading.value == 6 and reading.help_needed == "Penge til kortet"
    assert reading.recorded_by_id == participant.id
    page = participant_client.get("/plan/").get_data(as_text=True)
    assert "You: 6 · Your consultant's support: 4" in page
    assert "Finde ruten" in page
    assert page.count('type="radio"') == 10


def test_scale_twice_with_one_client_id_records_once(participant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    for _ in range(2):
        _post(participant_client, f"/plan/subgoals/{subgoal.id}/scale", {"value": "3"})
    assert len(readings(db, subgoal, Role.participant)) == 1 and client_writes(db) == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"what_is_needed": "Et buskort"}, "Choose a number from 1 to 10."),
    ({"value": "11", "what_is_needed": "Et buskort"}, "Choose a number from 1 to 10."),
    ({"value": "x", "what_is_needed": "Et buskort"}, "Choose a number from 1 to 10."),
    ({"value": "4", "what_is_needed": "y" * 501}, "Please keep it to 500 characters or fewer."),
])
def test_scale_bad_input(participant_client, db, participant, data, message):
    subgoal = add_subgoal(db, participant)
    response = _post(participant_client, f"/plan/subgoals/{subgoal.id}/scale", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert re.search(r"<details class=\"scale-form\" open>", html)
    assert data["what_is_needed"] in html  # what was typed stays
    assert readings(db, subgoal, Role.participant) == [] and client_writes(db) == 0


def test_plan_row_stays_one_per_participant(participant_client, db, participant):
    _post(participant_client, "/plan/subgoals", {"title": "A"})
    assert count(db, GoalPlan, GoalPlan.participant_id == participant.id) == 1
    assert count(db, ClientWrite, ClientWrite.kind == "subgoal_add") == 1
