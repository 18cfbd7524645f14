"""The consultant's side of the målskema: goal, sub-goals, order, scale and step-up plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import AccessLog, Responsible, Role, ScaleReading, StepUpStep, SubGoal
from tests.conftest import cid, htmx_headers, sign_in
from tests.test_plan_factories import add_step, add_subgoal, count, fresh, plan_of, readings


@pytest.fixture
def consultant_client(consultant_client):
    # The assertions read the English msgids; the Danish catalog may translate them any day.
    consultant_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return consultant_client


def _base(participant) -> str:
    return f"/plan/for/{participant.id}"


def _log(db, participant, action: str) -> list[AccessLog]:
    rows = list(db.exec(select(AccessLog).where(AccessLog.participant_id == participant.id,
                                                AccessLog.action == action,
                                                AccessLog.what == "plan")).all())
    db.commit()
    return rows


def _routes(participant, subgoal_id: int, step_id: int) -> list[tuple[str, str]]:
    base = _base(participant)
    return [
        ("get", base),
        ("post", f"{base}/goal"),
        ("post", f"{base}/subgoals"),
        ("post", f"{base}/subgoals/{subgoal_id}"),
        ("post", f"{base}/subgoals/{subgoal_id}/move"),
        ("post", f"{base}/subgoals/{subgoal_id}/agree"),
        ("post", f"{base}/subgoals/{subgoal_id}/scale"),
        ("post", f"{base}/steps"),
        ("post", f"{base}/steps/{step_id}/delete"),
    ]


@pytest.fixture
def routes(db, participant):
    subgoal = add_subgoal(db, participant)
    step = add_step(db, participant, date(2025, 3, 3), 9)
    return _routes(participant, subgoal.id, step.id)


def test_every_route_sends_strangers_to_sign_in(app, csrf_off, routes):
    client = app.test_client()
    for method, url in routes:
        plain = getattr(client, method)(url)
        assert plain.status_code == 303 and "/auth/login" in plain.headers["Location"], url
        htmx = getattr(client, method)(url, headers=htmx_headers())
        assert htmx.status_code == 401 and "/auth/login" in htmx.headers["HX-Redirect"], url


def test_every_route_refuses_participants(app, csrf_off, db, participant, routes):
    client = sign_in(app.test_client(), participant)
    for method, url in routes:
        assert getattr(client, method)(url, data={"direction": "up"}).status_code == 403, url
    assert count(db, StepUpStep) == 1


def test_every_route_hides_participants_outside_the_caseload(app, csrf_off, db,
                                                             other_consultant, routes):
    client = sign_in(app.test_client(), other_consultant)
    for method, url in routes:
        assert getattr(client, method)(url, data={"direction": "up"}).status_code == 404, url
    assert count(db, StepUpStep) == 1 and count(db, AccessLog) == 0


def test_ids_from_another_plan_are_not_found(consultant_client, db, participant,
                                             make_participant):
    neighbour = make_participant("Ali")  # same consultant, another plan
    theirs = add_subgoal(db, neighbour, "Theirs")
    step = add_step(db, neighbour, date(2025, 3, 3), 9)
    base = _base(participant)
    prefix = f"sg{theirs.id}-"
    assert consultant_client.post(f"{base}/subgoals/{theirs.id}", data={
        prefix + "title": "Mine now", prefix + "responsible": "participant"}).status_code == 404
    assert consultant_client.post(f"{base}/subgoals/{theirs.id}/move",
                                  data={"direction": "up"}).status_code == 404
    assert consultant_client.post(f"{base}/subgoals/{theirs.id}/scale",
                                  data={"scale-value": "5"}).status_code == 404
    assert consultant_client.post(f"{base}/steps/{step.id}/delete").status_code == 404
    assert consultant_client.post(f"{base}/subgoals/{theirs.id}/agree").status_code == 404
    assert fresh(db, theirs).title == "Theirs" and not theirs.agreed
    assert count(db, StepUpStep) == 1


def test_page_shows_the_plan_and_logs_the_read(consultant_client, db, participant):
    plan = plan_of(db, participant)
    plan.job_goal = "Lagerarbejde"
    db.add(plan)
    db.commit()
    add_subgoal(db, participant, "Ring til lægen", responsible=Responsible.case_worker)
    add_step(db, participant, date(2025, 3, 3), 16.5)
    response = consultant_client.get(_base(participant))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Lagerarbejde" in page and "Ring til lægen" in page and "Case worker" in page
    assert "16½" in page and f"/caseload/{participant.id}" in page
    assert len(_log(db, participant, "read")) == 1


def test_page_is_a_full_page_for_boosted_requests(consultant_client, participant):
    response = consultant_client.get(_base(participant),
                                     headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in response.get_data(as_text=True)


def test_goal_is_saved_and_logged(consultant_client, db, participant):
    before = plan_of(db, participant).updated_at
    response = consultant_client.post(f"{_base(participant)}/goal", data={
        "job_goal": "Kok", "wish_1": "Køkken", "wish_2": "", "wish_3": "Kantine",
        "accommodations": "Korte dage",
    })
    assert response.status_code == 303 and response.headers["Location"].endswith("#goal")
    plan = fresh(db, plan_of(db, participant))
    assert plan.job_goal == "Kok" and plan.job_wishes == ["Køkken", "Kantine"]
    assert plan.accommodations == "Korte dage" and plan.updated_at > before
    assert len(_log(db, participant, "change")) == 1


def test_goal_bad_input_keeps_what_was_typed(consultant_client, db, participant):
    response = consultant_client.post(f"{_base(participant)}/goal", data={
        "job_goal": "x" * 301, "wish_1": "Køkken",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please keep it to 300 characters or fewer." in page and 'value="Køkken"' in page
    assert plan_of(db, participant).job_goal == "" and _log(db, participant, "change") == []
    # The refused change still showed the plan again: that is a read, and it is logged.
    assert [entry.what for entry in _log(db, participant, "read")] == ["plan"]


def test_add_subgoal(consultant_client, db, participant, consultant):
    add_subgoal(db, participant, "First")
    data = {"new-title": "Tal med arbejdsgiveren", "new-responsible": "employer",
            "new-due_on": "2025-04-01", "new-agreed": "y", "client_id": cid()}
    response = consultant_client.post(f"{_base(participant)}/subgoals", data=data)
    assert response.status_code == 303
    # A double click sends the same client_id: added once.
    assert consultant_client.post(f"{_base(participant)}/subgoals", data=data).status_code == 303
    added = db.exec(select(SubGoal).where(SubGoal.title == "Tal med arbejdsgiveren")).one()
    db.commit()
    assert added.responsible == Responsible.employer and added.agreed
    assert added.position == 1 and added.created_by_id == consultant.id
    assert len(_log(db, participant, "change")) == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"new-title": "", "new-responsible": "employer"}, "Write the sub-goal in a few words."),
    ({"new-title": "Ring", "new-responsible": "boss"}, "Choose who does it."),
    ({"new-title": "Ring", "new-responsible": "employer", "new-due_on": "i morgen"},
     "Choose a date"),
])
def test_add_subgoal_bad_input(consultant_client, db, participant, data, message):
    response = consultant_client.post(f"{_base(participant)}/subgoals",
                                      data={**data, "client_id": cid()})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    if data["new-title"]:
        assert f'value="{data["new-title"]}"' in page
    assert count(db, SubGoal) == 0


def test_edit_subgoal_incl_agreed_and_done(consultant_client, db, participant, consultant):
    subgoal = add_subgoal(db, participant, "Ring")
    prefix = f"sg{subgoal.id}-"
    response = consultant_client.post(f"{_base(participant)}/subgoals/{subgoal.id}", data={
        prefix + "title": "Ring til jobcentret", prefix + "responsible": "case_worker",
        prefix + "due_on": "", prefix + "agreed": "y", prefix + "done": "y",
    })
    assert response.status_code == 303
    changed = fresh(db, subgoal)
    assert changed.title == "Ring til jobcentret" and changed.agreed
    assert changed.responsible == Responsible.case_worker and changed.due_on is None
    assert changed.done_at is not None and changed.done_by_id == consultant.id
    consultant_client.post(f"{_base(participant)}/subgoals/{subgoal.id}", data={
        prefix + "title": "Ring til jobcentret", prefix + "responsible": "case_worker",
    })
    reopened = fresh(db, subgoal)
    assert reopened.done_at is None and not reopened.agreed
    assert len(_log(db, participant, "change")) == 2


def test_edit_subgoal_bad_input(consultant_client, db, participant):
    subgoal = add_subgoal(db, participant, "Ring")
    prefix = f"sg{subgoal.id}-"
    response = consultant_client.post(f"{_base(participant)}/subgoals/{subgoal.id}", data={
        prefix + "title": "y" * 201, prefix + "responsible": "participant",
        prefix + "due_on": "2025-04-01",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please keep it to 200 characters or fewer." in page and 'value="2025-04-01"' in page
    assert fresh(db, subgoal).title == "Ring"


def _order(db, participant) -> list[str]:
    rows = db.exec(select(SubGoal.title).where(SubGoal.plan_id == plan_of(db, participant).id)
                   .order_by(SubGoal.position, SubGoal.id)).all()
    db.commit()
    return list(rows)


def test_move_up_and_down_and_not_past_the_ends(consultant_client, db, participant):
    a, b, c = (add_subgoal(db, participant, title) for title in "ABC")
    move = f"{_base(participant)}/subgoals/%d/move"
    assert consultant_client.post(move % c.id, data={"direction": "up"}).status_code == 303
    assert _order(db, participant) == ["A", "C", "B"]
    consultant_client.post(move % a.id, data={"direction": "down"})
    assert _order(db, participant) == ["C", "A", "B"]
    consultant_client.post(move % c.id, data={"direction": "up"})
    consultant_client.post(move % b.id, data={"direction": "down"})
    assert _order(db, participant) == ["C", "A", "B"]
    assert consultant_client.post(move % a.id, data={"direction": "sideways"}).status_code == 400
    # Only the two real moves are changes; moves past the ends and the refused one saved nothing.
    assert len(_log(db, participant, "change")) == 2


def test_page_offers_move_buttons_only_where_a_move_can_happen(consultant_client, db,
                                                               participant):
    for title in "AB":
        add_subgoal(db, participant, title)
    page = consultant_client.get(_base(participant)).get_data(as_text=True)
    assert page.count('name="direction" value="up"') == 1
    assert page.count('name="direction" value="down"') == 1


def test_consultant_scale_beside_the_participants(consultant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    db.add(ScaleReading(subgoal_id=subgoal.id, recorded_by_id=participant.id,
                        by_role=Role.participant, value=3, help_needed="Følgeskab"))
    db.commit()
    response = consultant_client.post(f"{_base(participant)}/subgoals/{subgoal.id}/scale",
                                      data={"scale-value": "5", "scale-what_is_needed": "Tid"})
    assert response.status_code == 303
    [reading] = readings(db, subgoal, Role.consultant)
    assert reading.value == 5 and reading.what_is_needed == "Tid"
    page = consultant_client.get(_base(participant)).get_data(as_text=True)
    assert "Able: 3 · Consultant's support: 7" in page
    assert "Able: 5 · Consultant's support: 5" in page and "Følgeskab" in page
    assert len(_log(db, participant, "change")) == 1


def test_consultant_scale_bad_input(consultant_client, db, participant):
    subgoal = add_subgoal(db, participant)
    response = consultant_client.post(f"{_base(participant)}/subgoals/{subgoal.id}/scale",
                                      data={"scale-value": "0", "scale-help_needed": "Hjælp"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose a number from 1 to 10." in page
    assert "Hjælp" in page and readings(db, subgoal, Role.consultant) == []


@pytest.mark.parametrize("typed", ["12,5", "12.5", "\u0661\u0662\u066b\u0665",
                                   "\u06f1\u06f2\u066b\u06f5"])
def test_add_step_accepts_the_decimal_mark_of_any_keyboard(consultant_client, db, participant,
                                                           typed):
    response = consultant_client.post(f"{_base(participant)}/steps", data={
        "step-starts_on": "2025-03-03", "step-hours_per_week": typed,
    })
    assert response.status_code == 303 and response.headers["Location"].endswith("#steps")
    step = db.exec(select(StepUpStep)).one()
    db.commit()
    assert step.starts_on == date(2025, 3, 3) and step.hours_per_week == 12.5
    assert len(_log(db, participant, "change")) == 1


@pytest.mark.parametrize(("starts_on", "hours", "message"), [
    ("2025-03-03", "0.4", "Write a number of hours from 0.5 to 37."),
    ("2025-03-03", "38", "Write a number of hours from 0.5 to 37."),
    ("2025-03-03", "nan", "Write a number of hours from 0.5 to 37."),
    ("2025-03-03", "ni", "Write the hours as a number, like 9 or 12.5."),
    ("", "9", "Choose the day the step starts."),
    ("2025-02-03", "9", "There is already a step from this day."),
])
def test_add_step_bad_input(consultant_client, db, participant, starts_on, hours, message):
    add_step(db, participant, date(2025, 2, 3), 4)
    response = consultant_client.post(f"{_base(participant)}/steps", data={
        "step-starts_on": starts_on, "step-hours_per_week": hours,
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'value="{hours}"' in page
    assert count(db, StepUpStep) == 1


def test_step_errors_write_numbers_the_danish_way(app, csrf_off, db, consultant, participant):
    client = sign_in(app.test_client(), consultant)  # Danish: no English asked for
    for hours, message in (("38", "fra 0,5 til 37"), ("ni", "for eksempel 9 eller 12,5")):
        response = client.post(f"{_base(participant)}/steps", data={
            "step-starts_on": "2025-03-03", "step-hours_per_week": hours})
        assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_delete_step(consultant_client, db, participant):
    step = add_step(db, participant, date(2025, 3, 3), 9)
    response = consultant_client.post(f"{_base(participant)}/steps/{step.id}/delete")
    assert response.status_code == 303
    assert count(db, StepUpStep) == 0 and len(_log(db, participant, "change")) == 1


def test_participant_sees_what_the_consultant_set(consultant_client, app, csrf_off, db,
                                                  participant):
    today = date.today()
    consultant_client.post(f"{_base(participant)}/steps", data={
        "step-starts_on": (today - timedelta(days=7)).isoformat(), "step-hours_per_week": "9",
    })
    consultant_client.post(f"{_base(participant)}/subgoals", data={
        "new-title": "Møde hos lægen", "new-responsible": "participant", "new-agreed": "y",
        "client_id": cid(),
    })
    phone = sign_in(app.test_client(), participant)
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = phone.get("/plan/").get_data(as_text=True)
    assert "of 9 hours this week" in page and "Møde hos lægen" in page
    assert "Agreed with my consultant" in page


def test_mark_as_agreed_in_one_tap(consultant_client, db, participant):
    subgoal = add_subgoal(db, participant, "Ring til jobcentret")
    page = consultant_client.get(_base(participant)).get_data(as_text=True)
    agree = f"{_base(participant)}/subgoals/{subgoal.id}/agree"
    assert f'action="{agree}"' in page and "Mark as agreed" in page
    response = consultant_client.post(agree)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#subgoal-{subgoal.id}")
    assert fresh(db, subgoal).agreed
    assert consultant_client.post(agree).status_code == 303  # twice changes nothing
    assert f'action="{agree}"' not in consultant_client.get(_base(participant)).get_data(
        as_text=True)
    assert len(_log(db, participant, "change")) == 2


def test_the_two_scale_readings_stand_side_by_side(consultant_client, db, participant,
                                                   consultant):
    subgoal = add_subgoal(db, participant, "Køb et buskort")
    db.add(ScaleReading(subgoal_id=subgoal.id, recorded_by_id=participant.id,
                        by_role=Role.participant, value=3))
    db.add(ScaleReading(subgoal_id=subgoal.id, recorded_by_id=consultant.id,
                        by_role=Role.consultant, value=6))
    db.commit()
    page = consultant_client.get(_base(participant)).get_data(as_text=True)
    pair = page[page.index('class="scale-pair"'):]
    assert pair.count('class="scale-side"') == 2
    assert pair.index("Able: 3") < pair.index("Able: 6")
