"""Walks and meetings routes: the participant's page and the consultant's planning page."""

from datetime import UTC, datetime, time, timedelta

import pytest

from app.models import AccessLog, Meeting, MeetingKind, Walk, utcnow
from app.timeutil import local_today
from app.walks.service import local_to_utc
from tests.conftest import cid, htmx_headers, rows, text


def walk_data(**overrides) -> dict:
    data = {"client_id": cid(), "walked_on": local_today().isoformat(), "minutes": "45",
            "distance": "2,5", "with_consultant": "no", "agreed_note": "Ring til praktikstedet"}
    return {**data, **overrides}


def _meeting(db, participant, consultant, starts_at, summary="", place="") -> Meeting:
    meeting = Meeting(participant_id=participant.id, consultant_id=consultant.id,
                      kind=MeetingKind.walk, starts_at=starts_at, summary=summary, place=place)
    db.add(meeting)
    db.commit()
    return meeting


# --- the participant's page ----------------------------------------------------------------

def test_index_shows_meetings_in_plain_words(me, db, participant, consultant, other_participant):
    soon = utcnow() + timedelta(days=2)
    _meeting(db, participant, consultant, soon, place="Ved søen")
    _meeting(db, participant, consultant, utcnow() - timedelta(days=3), summary="Vi aftalte CV.")
    _meeting(db, participant, consultant, utcnow() - timedelta(days=5), summary="")
    _meeting(db, other_participant, consultant, soon, place="Andens mødested")
    page = text(me.get("/walks/"))
    assert "Walk" in page and "Ved søen" in page
    assert "Vi aftalte CV." in page
    assert "Andens mødested" not in page
    assert page.count("<strong>Walk</strong>") == 2  # the coming one and the one with notes
    assert 'id="walk-list"' in page


def test_index_fragment_and_boosted(me):
    fragment = text(me.get("/walks/", headers=htmx_headers()))
    assert "<html" not in fragment and 'id="walk-list"' in fragment
    assert "<html" in text(me.get("/walks/", headers=htmx_headers(**{"HX-Boosted": "true"})))


def test_log_walk_htmx_updates_the_list_in_place(me, db, participant):
    response = me.post("/walks", data=walk_data(), headers=htmx_headers())
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page and page.lstrip().startswith('<section id="walk-list"')
    assert 'role="status"' in page and "Your walk is saved" in page
    assert "This week: 45 min" in page
    assert "Ring til praktikstedet" in page
    [walk] = rows(db, Walk)
    assert (walk.participant_id, walk.minutes, walk.distance_km, walk.with_consultant,
            walk.recorded_by_id) == (participant.id, 45, 2.5, False, participant.id)


def test_log_walk_plain_form_redirects(me, db):
    response = me.post("/walks", data=walk_data(with_consultant="yes", distance=""))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/walks/")
    [walk] = rows(db, Walk)
    assert walk.with_consultant is True and walk.distance_km is None


def test_log_walk_twice_with_the_same_client_id_writes_once(me, db):
    data = walk_data()
    me.post("/walks", data=data, headers=htmx_headers())
    assert me.post("/walks", data=data, headers=htmx_headers()).status_code == 200
    assert len(rows(db, Walk)) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("minutes", "0", "Write the minutes as a whole number from 1 to 600."),
    ("minutes", "601", "Write the minutes as a whole number from 1 to 600."),
    ("minutes", "lang", "Write the minutes as a whole number from 1 to 600."),
    ("distance", "0,05", "Write the distance in km from 0.1 to 100"),
    ("distance", "101", "Write the distance in km from 0.1 to 100"),
    ("agreed_note", "x" * 1001, "Write at most 1000 characters."),
    ("with_consultant", "", "Choose who walked."),
])
def test_log_walk_bad_input_keeps_what_was_typed(me, db, field, value, message):
    data = {**walk_data(agreed_note="behold mig"), field: value}
    response = me.post("/walks", data=data, headers=htmx_headers())
    assert response.status_code == 422
    page = text(response)
    assert "<html" not in page and 'class="error-summary"' in page
    assert message in page
    assert 'value="2,5"' in page if field != "distance" else 'value="45"' in page
    assert rows(db, Walk) == []


@pytest.mark.parametrize(("language", "hint", "error"), [
    ("da", "For eksempel 2,5", "fra 0,1 til 100, for eksempel 2,5."),
    ("en", "For example 2.5", "from 0.1 to 100, for example 2.5."),
])
def test_example_numbers_are_written_the_way_of_the_language(me, db, participant, language,
                                                             hint, error):
    participant.locale = language
    db.add(participant)
    db.commit()
    assert hint in text(me.get("/walks/"))
    response = me.post("/walks", data=walk_data(distance="0"))
    assert response.status_code == 422 and error in text(response)


@pytest.mark.parametrize("days", [1, -61])
def test_log_walk_outside_the_date_window(me, db, days):
    day = (local_today() + timedelta(days=days)).isoformat()
    response = me.post("/walks", data=walk_data(walked_on=day))
    assert response.status_code == 422
    page = text(response)
    assert "Choose today or a day in the last 60 days." in page and f'value="{day}"' in page
    assert "<html" in page  # a plain form gets the whole page back
    assert rows(db, Walk) == []


# --- the consultant's page -----------------------------------------------------------------

def test_staff_index_lists_walks_and_meetings_and_is_logged(staff, db, consultant, participant):
    db.add(Walk(participant_id=participant.id, walked_on=local_today(), minutes=30,
                agreed_note="Søg to job", recorded_by_id=participant.id))
    db.commit()
    _meeting(db, participant, consultant, utcnow() + timedelta(days=1), place="Kontoret")
    past = _meeting(db, participant, consultant, utcnow() - timedelta(days=1))
    response = staff.get(f"/walks/for/{participant.id}")
    assert response.status_code == 200
    page = text(response)
    assert "Søg to job" in page and "Kontoret" in page
    assert f"/walks/for/{participant.id}/meetings/{past.id}/summary" in page
    assert f"/caseload/{participant.id}" in page
    [log] = rows(db, AccessLog)
    assert (log.actor_id, log.participant_id, log.what, log.action) == (
        consultant.id, participant.id, "walks", "read")


def test_staff_index_outside_the_caseload_is_not_found(staff, db, other_participant):
    assert staff.get(f"/walks/for/{other_participant.id}").status_code == 404
    assert rows(db, AccessLog) == []


def test_plan_meeting_stores_utc_and_logs_the_change(staff, db, consultant, participant):
    day = local_today() + timedelta(days=7)
    response = staff.post(f"/walks/for/{participant.id}/meetings", data={
        "client_id": cid(), "kind": "walk", "day": day.isoformat(), "at": "10:30",
        "place": "Ved søerne"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/walks/for/{participant.id}")
    [meeting] = rows(db, Meeting)
    assert meeting.starts_at == local_to_utc(day, time(10, 30))
    assert meeting.starts_at.tzinfo is not None
    assert (meeting.participant_id, meeting.consultant_id, meeting.kind, meeting.place) == (
        participant.id, consultant.id, MeetingKind.walk, "Ved søerne")
    [log] = rows(db, AccessLog)
    assert (log.what, log.action) == ("walks", "change")


def test_plan_meeting_twice_with_the_same_client_id_writes_once(staff, db, participant):
    data = {"client_id": cid(), "kind": "phone",
            "day": (local_today() + timedelta(days=1)).isoformat(), "at": "09:00"}
    staff.post(f"/walks/for/{participant.id}/meetings", data=data)
    staff.post(f"/walks/for/{participant.id}/meetings", data=data)
    assert len(rows(db, Meeting)) == 1


def test_plan_meeting_bad_input(staff, db, participant):
    response = staff.post(f"/walks/for/{participant.id}/meetings", data={
        "client_id": cid(), "kind": "teleport", "day": "2099-01-01", "at": "25:99",
        "place": "p" * 201})
    assert response.status_code == 422
    page = text(response)
    assert "Choose a day within a year from today." in page
    assert "Choose the time, for example 10:00." in page
    assert "Write at most 200 characters." in page
    assert 'value="2099-01-01"' in page
    assert rows(db, Meeting) == []


def test_plan_meeting_outside_the_caseload_is_not_found(staff, db, other_participant):
    response = staff.post(f"/walks/for/{other_participant.id}/meetings", data={
        "client_id": cid(), "kind": "walk", "day": local_today().isoformat(), "at": "10:00"})
    assert response.status_code == 404
    assert rows(db, Meeting) == []


def test_write_summary_the_participant_can_read(staff, me, db, consultant, participant):
    meeting = _meeting(db, participant, consultant, utcnow() - timedelta(hours=2))
    response = staff.post(f"/walks/for/{participant.id}/meetings/{meeting.id}/summary",
                          data={f"m{meeting.id}-summary": "Vi aftalte at du ringer til Netto."})
    assert response.status_code == 303
    assert rows(db, Meeting)[0].summary == "Vi aftalte at du ringer til Netto."
    assert [(log.what, log.action) for log in rows(db, AccessLog)] == [("walks", "change")]
    assert "Vi aftalte at du ringer til Netto." in text(me.get("/walks/"))


@pytest.mark.parametrize(("summary", "message"), [
    ("", "Write the summary."), ("s" * 4001, "Write at most 4000 characters.")])
def test_write_summary_bad_input(staff, db, consultant, participant, summary, message):
    meeting = _meeting(db, participant, consultant, utcnow() - timedelta(hours=2))
    response = staff.post(f"/walks/for/{participant.id}/meetings/{meeting.id}/summary",
                          data={f"m{meeting.id}-summary": summary})
    assert response.status_code == 422
    assert message in text(response)
    assert rows(db, Meeting)[0].summary == ""


def test_write_summary_before_the_meeting_is_refused(staff, db, consultant, participant):
    meeting = _meeting(db, participant, consultant, utcnow() + timedelta(days=1))
    response = staff.post(f"/walks/for/{participant.id}/meetings/{meeting.id}/summary",
                          data={f"m{meeting.id}-summary": "Too early"})
    assert response.status_code == 409
    assert rows(db, Meeting)[0].summary == ""


def test_write_summary_for_another_participants_meeting_is_not_found(
    staff, db, consultant, participant, make_participant
):
    someone_else = make_participant("Bo")
    meeting = _meeting(db, someone_else, consultant, utcnow() - timedelta(hours=1))
    response = staff.post(f"/walks/for/{participant.id}/meetings/{meeting.id}/summary",
                          data={f"m{meeting.id}-summary": "Wrong person"})
    assert response.status_code == 404
    assert rows(db, Meeting)[0].summary == ""


def test_staff_logs_a_walk_together(staff, db, consultant, participant):
    response = staff.post(f"/walks/for/{participant.id}/walks", data={
        "client_id": cid(), "walked_on": local_today().isoformat(), "minutes": "50",
        "distance": "3.2", "agreed_note": "Næste skridt: praktik"})
    assert response.status_code == 303
    [walk] = rows(db, Walk)
    assert (walk.participant_id, walk.with_consultant, walk.recorded_by_id, walk.distance_km) == (
        participant.id, True, consultant.id, 3.2)
    assert [(log.what, log.action) for log in rows(db, AccessLog)] == [("walks", "change")]


def test_staff_log_walk_bad_input_and_replay(staff, db, participant):
    bad = staff.post(f"/walks/for/{participant.id}/walks", data={
        "client_id": cid(), "walked_on": local_today().isoformat(), "minutes": "900",
        "agreed_note": "behold"})
    assert bad.status_code == 422
    assert "Write the minutes as a whole number from 1 to 600." in text(bad)
    assert "behold" in text(bad)
    data = {"client_id": cid(), "walked_on": local_today().isoformat(), "minutes": "20"}
    staff.post(f"/walks/for/{participant.id}/walks", data=data)
    staff.post(f"/walks/for/{participant.id}/walks", data=data)
    assert len(rows(db, Walk)) == 1


def test_staff_log_walk_outside_the_caseload_is_not_found(staff, db, other_participant):
    response = staff.post(f"/walks/for/{other_participant.id}/walks", data={
        "client_id": cid(), "walked_on": local_today().isoformat(), "minutes": "20"})
    assert response.status_code == 404
    assert rows(db, Walk) == []


def test_times_are_shown_in_copenhagen_time(me, db, participant, consultant):
    # 08:00 UTC on a summer day is 10:00 in Copenhagen.
    next_summer = datetime(local_today().year + 1, 6, 15, 8, 0, tzinfo=UTC)
    _meeting(db, participant, consultant, next_summer)
    assert "at 10:00" in text(me.get("/walks/"))


# --- guards --------------------------------------------------------------------------------

STAFF_ROUTES = [
    ("get", "/walks/for/{pid}"),
    ("post", "/walks/for/{pid}/meetings"),
    ("post", "/walks/for/{pid}/meetings/1/summary"),
    ("post", "/walks/for/{pid}/walks"),
]


@pytest.mark.parametrize(("method", "path"), [("get", "/walks/"), ("post", "/walks"),
                                              *STAFF_ROUTES])
def test_signed_out_goes_to_login(app, csrf_off, method, path):
    client = app.test_client()
    path = path.format(pid=1)
    response = getattr(client, method)(path)
    assert response.status_code == 303
    assert "/auth/login" in response.headers["Location"]
    response = getattr(client, method)(path, headers=htmx_headers())
    assert response.status_code == 401
    assert "/auth/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize(("method", "path"), [("get", "/walks/"), ("post", "/walks")])
def test_staff_cannot_use_participant_routes(staff, method, path):
    assert getattr(staff, method)(path, data=walk_data()).status_code == 403


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_participant_cannot_use_staff_routes(me, db, participant, method, path):
    response = getattr(me, method)(path.format(pid=participant.id), data={"client_id": cid()})
    assert response.status_code == 403
    assert rows(db, AccessLog) == []
