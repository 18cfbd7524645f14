"""Planned weekdays and days off, for one participant and for the whole organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.caseload import days
from app.models import AccessLog, DayOff, GoalPlan
from app.timeutil import local_today
from tests.conftest import rows, sign_in, text

pytestmark = pytest.mark.usefixtures("english")


def weekdays_of(db, participant) -> str:
    return rows(db, select(GoalPlan.planned_weekdays)
                .where(GoalPlan.participant_id == participant.id))[0]


def days_off(db) -> list[tuple[int | None, str, str]]:
    return [(d.participant_id, d.day.isoformat(), d.note)
            for d in rows(db, select(DayOff).order_by(DayOff.day))]


def soon(n: int = 3) -> str:
    return (local_today() + timedelta(days=n)).isoformat()


def test_the_page_shows_planned_days_checked_and_is_linked_from_the_overview(
        staff, db, participant):
    assert f'href="/caseload/{participant.id}/days"' in text(
        staff.get(f"/caseload/{participant.id}"))
    page = text(staff.get(f"/caseload/{participant.id}/days"))
    assert page.count('type="checkbox"') == 7 and page.count("checked") == 5
    assert "Monday" in page and "Sunday" in page
    assert ("read", "planned days") in [
        (a.action, a.what) for a in rows(db, select(AccessLog)
                                         .where(AccessLog.participant_id == participant.id))]


def test_saving_planned_weekdays(staff, db, participant):
    response = staff.post(f"/caseload/{participant.id}/weekdays", data={"weekdays": ["0", "2"]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/caseload/{participant.id}/days")
    assert weekdays_of(db, participant) == "0,2"
    assert text(staff.get(f"/caseload/{participant.id}/days")).count("checked") == 2


@pytest.mark.parametrize("data", [{}, {"weekdays": ["7"]}, {"weekdays": ["x"]}])
def test_bad_weekdays_are_refused_and_nothing_changes(staff, db, participant, data):
    response = staff.post(f"/caseload/{participant.id}/weekdays", data=data)
    assert response.status_code == 422 and 'class="error-summary"' in text(response)
    assert weekdays_of(db, participant) == "0,1,2,3,4"
    if not data:
        assert "Choose at least one day." in text(response)


def test_adding_and_removing_a_participants_day_off(staff, db, participant):
    pid = participant.id  # read before rows() expires the object
    url = f"/caseload/{pid}/days-off"
    assert staff.post(url, data={"day": soon(), "note": "Tandlæge"}).status_code == 303
    # The same day again changes only the note.
    assert staff.post(url, data={"day": soon(), "note": "Behandling"}).status_code == 303
    assert days_off(db) == [(pid, soon(), "Behandling")]
    page = text(staff.get(f"/caseload/{pid}/days"))
    assert "Behandling" in page
    day_off_id = rows(db, select(DayOff.id))[0]
    assert staff.post(f"{url}/{day_off_id}/delete").status_code == 303
    assert days_off(db) == []
    assert staff.post(f"{url}/{day_off_id}/delete").status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"day": ""}, "Write the day off."),
    ({"day": "someday"}, "Choose a date"),
    ({"day": "2000-01-01"}, "Choose a day from 8 weeks ago to a year ahead."),
    ({"day": soon(), "note": "x" * 201}, "At most 200 characters."),
])
def test_a_bad_day_off_is_shown_again_with_input_kept(staff, db, participant, data, message):
    response = staff.post(f"/caseload/{participant.id}/days-off",
                          data={"note": "Kept note", **data} if "note" not in data else data)
    page = text(response)
    assert response.status_code == 422 and message in page
    assert 'class="error-summary"' in page
    if "note" not in data:
        assert 'value="Kept note"' in page
    assert days_off(db) == []


def test_the_organisations_days_off(staff, db, consultant, participant):
    pid = participant.id  # read before rows() expires the object
    assert staff.post("/caseload/days-off", data={"day": soon(5), "note": "Grundlovsdag"}) \
        .status_code == 303
    assert days_off(db) == [(None, soon(5), "Grundlovsdag")]
    assert "Grundlovsdag" in text(staff.get("/caseload/days-off"))
    # Shown, not removable, on a participant's page.
    assert "Grundlovsdag" in text(staff.get(f"/caseload/{pid}/days"))
    shared_id = rows(db, select(DayOff.id))[0]
    # A participant's remove route does not reach the organisation's day, nor the reverse.
    assert staff.post(f"/caseload/{pid}/days-off/{shared_id}/delete") \
        .status_code == 404
    assert staff.post("/caseload/days-off", data={"day": "nope"}).status_code == 422
    assert staff.post(f"/caseload/days-off/{shared_id}/delete").status_code == 303
    assert days_off(db) == []


def test_a_participants_day_off_is_not_removed_as_the_organisations(staff, db, participant):
    staff.post(f"/caseload/{participant.id}/days-off", data={"day": soon()})
    own_id = rows(db, select(DayOff.id))[0]
    assert staff.post(f"/caseload/days-off/{own_id}/delete").status_code == 404
    assert len(days_off(db)) == 1


def test_other_consultants_and_other_organisations_are_refused(
        app, csrf_off, db, staff, participant, other_participant, other_consultant, make_staff):
    other = sign_in(app.test_client(), other_consultant)
    pid = participant.id
    assert other.get(f"/caseload/{pid}/days").status_code == 404
    assert other.post(f"/caseload/{pid}/weekdays", data={"weekdays": ["0"]}).status_code == 404
    assert other.post(f"/caseload/{pid}/days-off", data={"day": soon()}).status_code == 404
    staff.post(f"/caseload/{pid}/days-off", data={"day": soon()})
    own_id = rows(db, select(DayOff.id))[0]
    assert other.post(f"/caseload/{pid}/days-off/{own_id}/delete").status_code == 404
    assert weekdays_of(db, participant) == "0,1,2,3,4" and len(days_off(db)) == 1


def test_another_organisations_day_off_is_not_found(staff, db, participant):
    from app.models import Organisation

    elsewhere = Organisation(name="Andet Værksted")
    db.add(elsewhere)
    db.commit()
    db.add(DayOff(organisation_id=elsewhere.id, day=local_today(),
                  created_by_id=participant.id))
    db.commit()
    foreign_id = rows(db, select(DayOff.id))[0]
    assert "Andet" not in text(staff.get("/caseload/days-off"))
    assert staff.post(f"/caseload/days-off/{foreign_id}/delete").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/caseload/{pid}/days"), ("post", "/caseload/{pid}/weekdays"),
    ("post", "/caseload/{pid}/days-off"), ("post", "/caseload/{pid}/days-off/1/delete"),
    ("get", "/caseload/days-off"), ("post", "/caseload/days-off"),
    ("post", "/caseload/days-off/1/delete"),
])
def test_participants_are_refused(me, participant, method, path):
    assert getattr(me, method)(path.format(pid=participant.id)).status_code == 403


def test_planned_weekdays_default_without_a_plan(db, participant):
    db.delete(db.exec(select(GoalPlan).where(GoalPlan.participant_id == participant.id)).one())
    db.commit()
    assert days.planned_weekdays(db, participant.id) == frozenset(range(5))
