"""Staff settings: working days and hours and the last day away, checked and saved; the
participant's thread then says when to expect an answer."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import select

from app.models import User
from app.timeutil import local_today
from tests.conftest import rows, text

pytestmark = pytest.mark.usefixtures("english")

GOOD = {"days": ["0", "2", "4"], "start": "09:00", "end": "14:00", "away_until": ""}


def saved(db, user: User) -> User:
    return rows(db, select(User).where(User.id == user.id))[0]


def test_the_page_shows_what_is_saved(staff):
    response = staff.get("/settings/")
    page = text(response)
    assert response.status_code == 200
    assert 'value="08:30"' in page and 'value="15:30"' in page
    assert page.count('type="checkbox"') == 7 and page.count("checked") == 5
    assert '<a href="/settings/" aria-current="page">My settings</a>' in page


def test_saving_hours_and_time_away(staff, db, consultant):
    back = local_today() + timedelta(days=3)
    response = staff.post("/settings/", data={**GOOD, "away_until": back.isoformat()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings/")
    me = saved(db, consultant)
    assert (me.work_days, me.work_start, me.work_end, me.away_until) == (
        "0,2,4", time(9, 0), time(14, 0), back)
    assert "Your settings are saved." in text(staff.get("/settings/"))
    staff.post("/settings/", data=GOOD)  # an empty day: back at work
    assert saved(db, consultant).away_until is None


@pytest.mark.parametrize(("change", "error"), [
    ({"end": "08:00"}, "The end must be after the start."),
    ({"end": "09:00"}, "The end must be after the start."),
    ({"days": []}, "Choose at least one day."),
    ({"start": "ni"}, "Write a time, e.g. 8:30."),
    ({"away_until": "2020-01-01"}, "Choose today or a later day, or leave it empty."),
    ({"away_until": "snart"}, "This is not a date. Choose one in the calendar."),
    # Further ahead the participant's thread could not even say when an answer comes.
    ({"away_until": "9999-12-31"}, "Choose a day at most a year ahead."),
])
def test_bad_input_is_explained_and_kept(staff, db, consultant, change, error):
    response = staff.post("/settings/", data={**GOOD, **change})
    page = text(response)
    assert response.status_code == 422 and error in page
    assert 'class="error-summary"' in page
    if "start" not in change:
        assert 'value="09:00"' in page  # what was typed stays
    me = saved(db, consultant)
    assert (me.work_days, me.work_start) == ("0,1,2,3,4", time(8, 30))


def test_away_today_is_allowed_and_the_participant_is_told(staff, db, consultant,
                                                          participant_client):
    assert staff.post("/settings/", data={**GOOD, "away_until": local_today().isoformat()}
                      ).status_code == 303
    page = text(participant_client.get("/messages/"))
    assert "Mette is away until and including" in page
    assert "You can expect an answer" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_settings_are_for_staff(app, csrf_off, db, participant_client, participant, method):
    assert getattr(participant_client, method)("/settings/", data=GOOD).status_code == 403
    response = getattr(app.test_client(), method)("/settings/", data=GOOD)
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    assert saved(db, participant).work_days == "0,1,2,3,4"


def test_a_day_away_far_ahead_never_breaks_the_participants_thread(staff, db, consultant,
                                                                   participant_client):
    assert staff.post("/settings/", data={**GOOD, "away_until": "9999-12-31"}
                      ).status_code == 422
    assert participant_client.get("/messages/").status_code == 200
