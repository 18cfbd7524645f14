"""Attendance routes: the participant's day and week, the consultant's read-only week."""

from datetime import timedelta

import pytest

from app.models import Absence, AbsenceReason, AccessLog, Attendance, ClientWrite
from app.timeutil import local_today
from tests.conftest import cid, htmx_headers, rows, text

# --- the week page -------------------------------------------------------------------------

def test_week_page_shows_today_and_seven_days(me):
    response = me.get("/attendance/")
    assert response.status_code == 200
    page = text(response)
    assert 'id="attendance-today"' in page and "I'm here" in page
    assert page.count('class="attendance-day"') == 7
    assert 'aria-current="date"' in page


def test_week_page_fragment_and_boosted(me):
    fragment = text(me.get("/attendance/?week=2026-10-21", headers=htmx_headers()))
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<section id="attendance-week"')
    assert "<html" in text(me.get("/attendance/", headers=htmx_headers(**{"HX-Boosted": "true"})))
    assert "<html" in text(me.get("/attendance/"))


def test_week_param_moves_the_week_and_bad_value_falls_back(me):
    page = text(me.get("/attendance/?week=2026-10-21"))
    assert "October 19" in page
    assert "?week=2026-10-12" in page and "?week=2026-10-26" in page
    response = me.get("/attendance/?week=31-02-2026")
    assert response.status_code == 200
    monday = local_today() - timedelta(days=local_today().weekday())
    assert f"?week={(monday - timedelta(days=7)).isoformat()}" in text(response)


def test_a_week_at_the_calendars_end_falls_back_too(me, staff, participant):
    for week in ("9999-12-31", "0001-01-01"):
        assert me.get(f"/attendance/?week={week}").status_code == 200
        assert staff.get(f"/attendance/for/{participant.id}?week={week}").status_code == 200


def test_week_shows_hours_absence_and_target(me, db, participant):
    today = local_today()
    db.add(Attendance(participant_id=participant.id, day=today, minutes=330,
                      recorded_by_id=participant.id))
    db.add(Absence(participant_id=participant.id, day=today, reason=AbsenceReason.child_ill,
                   note="Feber", reported_by_id=participant.id))
    db.commit()
    page = text(me.get("/attendance/"))
    assert "5 hours" in page and "30 min" in page
    assert "My child is ill" in page and "Feber" in page
    assert "Done for today:" in page


# --- check-in and check-out ----------------------------------------------------------------

def test_check_in_htmx_returns_the_today_partial(me, db, participant):
    response = me.post("/attendance/check-in", data={"client_id": cid()}, headers=htmx_headers())
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert 'id="attendance-today"' in page
    assert "I'm leaving now" in page
    assert 'role="status"' in page and "You are checked in" in page
    [row] = rows(db, Attendance)
    assert row.participant_id == participant.id and row.day == local_today()
    assert row.checked_in_at is not None and row.minutes is None


def test_check_in_plain_form_redirects_with_a_flash(me):
    response = me.post("/attendance/check-in", data={"client_id": cid()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/attendance/")
    assert "You are checked in" in text(me.get("/attendance/"))


def test_check_in_twice_with_the_same_client_id_writes_once(me, db):
    client_id = cid()
    for _ in range(2):
        assert me.post("/attendance/check-in", data={"client_id": client_id},
                       headers=htmx_headers()).status_code == 200
    assert len(rows(db, Attendance)) == 1
    assert len(rows(db, ClientWrite)) == 1


def test_check_in_without_client_id_is_a_bad_request(me, db):
    assert me.post("/attendance/check-in", data={}).status_code == 400
    assert rows(db, Attendance) == []


def test_check_out_after_check_in_shows_done(me, db):
    me.post("/attendance/check-in", data={"client_id": cid()})
    response = me.post("/attendance/check-out", data={"client_id": cid()}, headers=htmx_headers())
    assert response.status_code == 200
    assert "Done for today:" in text(response) and "<button" not in text(response)
    [row] = rows(db, Attendance)
    assert row.checked_out_at is not None and row.minutes == 0


def test_check_out_twice_with_the_same_client_id_changes_once(me, db):
    me.post("/attendance/check-in", data={"client_id": cid()})
    client_id = cid()
    me.post("/attendance/check-out", data={"client_id": client_id})
    first = rows(db, Attendance)[0].checked_out_at
    assert me.post("/attendance/check-out", data={"client_id": client_id}).status_code == 303
    assert rows(db, Attendance)[0].checked_out_at == first
    assert len(rows(db, ClientWrite)) == 2


def test_check_out_before_check_in_answers_calmly(me, db):
    response = me.post("/attendance/check-out", data={"client_id": cid()}, headers=htmx_headers())
    assert response.status_code == 422
    assert "You have not checked in today" in text(response)
    assert "I'm here" in text(response)
    assert rows(db, Attendance) == []


# --- hours ---------------------------------------------------------------------------------

def test_report_hours_with_decimal_comma(me, db):
    day = local_today() - timedelta(days=1)
    response = me.post("/attendance/hours",
                       data={"client_id": cid(), "day": day.isoformat(), "hours": "6,5"})
    assert response.status_code == 303
    assert f"week={day.isoformat()}" in response.headers["Location"]
    [row] = rows(db, Attendance)
    assert (row.day, row.minutes) == (day, 390)


def test_report_hours_bad_input_keeps_what_was_typed(me, db):
    future = (local_today() + timedelta(days=1)).isoformat()
    response = me.post("/attendance/hours", data={"client_id": cid(), "day": future,
                                                  "hours": "6,3"})
    assert response.status_code == 422
    page = text(response)
    assert 'class="error-summary"' in page
    assert "Choose today or a day in the last two weeks." in page
    assert "in steps of a quarter hour" in page
    assert 'value="6,3"' in page and f'value="{future}"' in page
    assert rows(db, Attendance) == []


def test_report_hours_too_old_day_is_refused(me, db):
    old = (local_today() - timedelta(days=15)).isoformat()
    response = me.post("/attendance/hours", data={"client_id": cid(), "day": old, "hours": "4"})
    assert response.status_code == 422
    assert rows(db, Attendance) == []


def test_report_hours_twice_with_the_same_client_id_writes_once(me, db):
    client_id, day = cid(), local_today().isoformat()
    me.post("/attendance/hours", data={"client_id": client_id, "day": day, "hours": "3"})
    me.post("/attendance/hours", data={"client_id": client_id, "day": day, "hours": "8"})
    [row] = rows(db, Attendance)
    assert row.minutes == 180


# --- absence -------------------------------------------------------------------------------

def test_report_absence_ahead(me, db, participant):
    day = local_today() + timedelta(days=3)
    response = me.post("/attendance/absence", data={"client_id": cid(), "day": day.isoformat(),
                                                    "reason": "doctor"})
    assert response.status_code == 303
    [absence] = rows(db, Absence)
    assert (absence.participant_id, absence.day, absence.reason) == (
        participant.id, day, AbsenceReason.doctor)
    page = text(me.get(response.headers["Location"]))
    assert "Doctor or treatment" in page and "Take back" in page


def test_absence_other_needs_a_note_and_keeps_input(me, db):
    day = local_today().isoformat()
    response = me.post("/attendance/absence", data={"client_id": cid(), "day": day,
                                                    "reason": "other", "note": "  "})
    assert response.status_code == 422
    page = text(response)
    assert "Write a few words about why." in page
    assert 'checked id="absence-reason-3"' in page
    assert rows(db, Absence) == []


@pytest.mark.parametrize(("days", "note", "message"), [
    (-1, "", "Choose today or a day in the next 60 days."),
    (61, "", "Choose today or a day in the next 60 days."),
    (1, "x" * 501, "Write at most 500 characters."),
])
def test_absence_bad_input(me, db, days, note, message):
    day = (local_today() + timedelta(days=days)).isoformat()
    response = me.post("/attendance/absence", data={"client_id": cid(), "day": day,
                                                    "reason": "ill", "note": note})
    assert response.status_code == 422
    assert message in text(response)
    assert rows(db, Absence) == []


def test_absence_without_reason_is_refused(me, db):
    response = me.post("/attendance/absence",
                       data={"client_id": cid(), "day": local_today().isoformat()})
    assert response.status_code == 422
    assert "Choose a reason." in text(response)


def test_report_absence_twice_with_the_same_client_id_writes_once(me, db):
    data = {"client_id": cid(), "day": local_today().isoformat(), "reason": "ill"}
    me.post("/attendance/absence", data=data)
    me.post("/attendance/absence", data=data)
    assert len(rows(db, Absence)) == 1


def _absence(db, participant, days: int) -> Absence:
    absence = Absence(participant_id=participant.id, day=local_today() + timedelta(days=days),
                      reason=AbsenceReason.ill, reported_by_id=participant.id)
    db.add(absence)
    db.commit()
    return absence


def test_withdraw_own_future_absence(me, db, participant):
    path = f"/attendance/absence/{_absence(db, participant, 2).id}/withdraw"
    client_id = cid()
    response = me.post(path, data={"client_id": client_id})
    assert response.status_code == 303
    assert rows(db, Absence) == []
    # A replay of the same tap is answered as success, not "not found".
    again = me.post(path, data={"client_id": client_id})
    assert again.status_code == 303


def test_withdraw_someone_elses_absence_is_not_found(me, db, other_participant):
    absence = _absence(db, other_participant, 2)
    response = me.post(f"/attendance/absence/{absence.id}/withdraw", data={"client_id": cid()})
    assert response.status_code == 404
    assert len(rows(db, Absence)) == 1


def test_withdraw_past_absence_is_refused(me, db, participant):
    absence = _absence(db, participant, -1)
    response = me.post(f"/attendance/absence/{absence.id}/withdraw", data={"client_id": cid()})
    assert response.status_code == 409
    assert len(rows(db, Absence)) == 1


# --- the consultant's view -----------------------------------------------------------------

def test_staff_week_is_logged_and_offers_corrections_up_to_today(staff, db, consultant,
                                                                participant):
    db.add(Attendance(participant_id=participant.id, day=local_today(), minutes=120,
                      recorded_by_id=participant.id))
    db.commit()
    response = staff.get(f"/attendance/for/{participant.id}")
    assert response.status_code == 200
    page = text(response)
    assert "2 hours" in page and f"/caseload/{participant.id}" in page
    today = local_today()
    assert page.count(f'action="/attendance/for/{participant.id}/correct"') == today.weekday() + 1
    assert f'value="{today.isoformat()}"' in page and 'value="2:00"' in page
    assert f"/attendance/for/{participant.id}?week=" in page
    [log] = rows(db, AccessLog)
    assert (log.actor_id, log.participant_id, log.what, log.action) == (
        consultant.id, participant.id, "attendance", "read")


def test_staff_week_fragment_for_the_week_links(staff, participant):
    fragment = text(staff.get(f"/attendance/for/{participant.id}?week=2026-10-21",
                              headers=htmx_headers()))
    assert "<html" not in fragment and 'id="attendance-week"' in fragment
    assert f"/attendance/for/{participant.id}?week=2026-10-12" in fragment


def test_staff_week_outside_the_caseload_is_not_found(staff, db, other_participant):
    assert staff.get(f"/attendance/for/{other_participant.id}").status_code == 404
    assert rows(db, AccessLog) == []


# --- guards --------------------------------------------------------------------------------

PARTICIPANT_ROUTES = [
    ("get", "/attendance/"),
    ("post", "/attendance/check-in"),
    ("post", "/attendance/check-out"),
    ("post", "/attendance/hours"),
    ("post", "/attendance/absence"),
    ("post", "/attendance/absence/1/withdraw"),
]


@pytest.mark.parametrize(("method", "path"), [*PARTICIPANT_ROUTES, ("get", "/attendance/for/1")])
def test_signed_out_goes_to_login(app, csrf_off, method, path):
    client = app.test_client()
    response = getattr(client, method)(path)
    assert response.status_code == 303
    assert "/auth/login" in response.headers["Location"]
    response = getattr(client, method)(path, headers=htmx_headers())
    assert response.status_code == 401
    assert "/auth/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize(("method", "path"), PARTICIPANT_ROUTES)
def test_staff_cannot_use_participant_routes(staff, method, path):
    assert getattr(staff, method)(path, data={"client_id": cid()}).status_code == 403


def test_participant_cannot_use_the_staff_week(me, participant):
    assert me.get(f"/attendance/for/{participant.id}").status_code == 403
