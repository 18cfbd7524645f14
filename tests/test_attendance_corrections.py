"""Staff corrections of an attendance day: the original kept, who and why shown in the register."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.attendance import service
from app.models import AccessLog, Attendance, AttendanceCorrection, AttendanceStatus
from app.timeutil import local_today
from tests.conftest import cid, rows, sign_in, text


@pytest.mark.parametrize(("raw", "minutes"), [
    ("5:30", 330), ("0:05", 5), ("5,5", 330), ("5.25", 315), ("24", 1440), ("0", 0),
])
def test_parse_duration(raw, minutes):
    assert service.parse_duration(raw) == minutes


@pytest.mark.parametrize("raw", ["", "5:3", "5:60", "x", "25", "-1", "24:01", ":30"])
def test_parse_duration_refuses(raw):
    with pytest.raises(ValueError):
        service.parse_duration(raw)


def test_duration_text():
    assert service.duration_text(330) == "5:30" and service.duration_text(5) == "0:05"
    assert service.duration_text(None) == ""


def _attend(db, participant, day, minutes=300, status=AttendanceStatus.present) -> Attendance:
    row = Attendance(participant_id=participant.id, day=day, minutes=minutes, status=status,
                     recorded_by_id=participant.id)
    db.add(row)
    db.commit()
    return row


def test_correct_day_keeps_the_original(app, db, participant, consultant):
    day = local_today() - timedelta(days=1)
    row = _attend(db, participant, day, 300)
    with app.test_request_context():
        service.correct_day(db, staff=consultant, participant_id=participant.id, day=day,
                            status=AttendanceStatus.late, minutes=240, reason=" Kom 10.00 ",
                            client_id=uuid.uuid4())
    [change] = rows(db, AttendanceCorrection)
    assert (change.attendance_id, change.original_status, change.original_minutes) == (
        row.id, AttendanceStatus.present, 300)
    assert (change.new_status, change.new_minutes, change.reason, change.changed_by_id) == (
        AttendanceStatus.late, 240, "Kom 10.00", consultant.id)
    [fresh] = rows(db, Attendance)
    assert (fresh.status, fresh.minutes) == (AttendanceStatus.late, 240)


def test_a_day_with_nothing_recorded_was_absent_and_absent_has_no_minutes(app, db, participant,
                                                                          consultant):
    day = local_today()
    client_id = uuid.uuid4()
    with app.test_request_context():
        for _replay in range(2):
            service.correct_day(db, staff=consultant, participant_id=participant.id, day=day,
                                status=AttendanceStatus.present, minutes=120, reason="Glemte det",
                                client_id=client_id)
        service.correct_day(db, staff=consultant, participant_id=participant.id, day=day,
                            status=AttendanceStatus.absent, minutes=120, reason="Forkert dag",
                            client_id=uuid.uuid4())
    first, second = rows(db, AttendanceCorrection)  # the replay recorded nothing
    assert (first.original_status, first.original_minutes) == (AttendanceStatus.absent, None)
    assert (second.original_status, second.original_minutes) == (AttendanceStatus.present, 120)
    [row] = rows(db, Attendance)
    assert (row.status, row.minutes, row.recorded_by_id) == (
        AttendanceStatus.absent, None, consultant.id)


def _form(day, **values) -> dict:
    prefix = f"c{day.isoformat()}-"
    data = {"status": "late", "time": "4:15", "reason": "Kom kl. 10"} | values
    return {"day": day.isoformat(), "client_id": cid(),
            **{prefix + key: value for key, value in data.items()}}


def test_staff_correct_a_day_and_the_register_shows_it(staff, db, participant, consultant, me):
    day = local_today()
    _attend(db, participant, day, 300)
    response = staff.post(f"/attendance/for/{participant.id}/correct", data=_form(day))
    assert response.status_code == 303
    assert f"week={day.isoformat()}" in response.headers["Location"]
    page = text(staff.get(response.headers["Location"]))
    assert "is saved" in page
    assert f"Corrected by {consultant.display_name}" in page
    assert "Was Present, 5 hours; now Late, 4 hours 15 min." in page
    assert "Kom kl. 10" in page and 'class="tag">Late<' in page
    # The participant sees the same: nothing is changed behind their back.
    assert f"Corrected by {consultant.display_name}" in text(me.get("/attendance/"))
    log = rows(db, AccessLog)
    assert [(e.action, e.what) for e in log][-1] == ("read", "attendance")
    assert ("change", "attendance") in [(e.action, e.what) for e in log]


@pytest.mark.parametrize(("values", "message"), [
    ({"reason": ""}, "Write why, in a few words."),
    ({"time": "4:75"}, "Write hours and minutes, like 5:30"),
    ({"status": "absent", "time": "3:00"}, "An absent day has no time."),
    ({"status": "asleep"}, "Choose one of the options."),
])
def test_bad_corrections_answer_422_with_the_message_and_the_input(staff, db, participant,
                                                                   values, message):
    day = local_today() - timedelta(days=2)
    response = staff.post(f"/attendance/for/{participant.id}/correct", data=_form(day, **values))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f"c{day.isoformat()}-reason" in page
    assert "<details class=\"attendance-correct\" open>" in page
    assert rows(db, AttendanceCorrection) == []


@pytest.mark.parametrize("day", ["", "2026-13-01", "future", "0001-01-01", "1990-01-01"])
def test_a_missing_future_or_ancient_day_is_a_bad_request(staff, participant, day):
    if day == "future":
        day = (local_today() + timedelta(days=1)).isoformat()
    data = {"day": day, "client_id": cid()}
    assert staff.post(f"/attendance/for/{participant.id}/correct", data=data).status_code == 400


def test_participants_and_other_consultants_cannot_correct(app, csrf_off, db, participant,
                                                           other_consultant, me):
    url = f"/attendance/for/{participant.id}/correct"
    data = _form(local_today())
    assert me.post(url, data=data).status_code == 403
    assert sign_in(app.test_client(), other_consultant).post(url, data=data).status_code == 404
    assert rows(db, AttendanceCorrection) == [] and rows(db, AccessLog) == []


def test_an_htmx_correction_reloads_even_when_only_the_anchor_changes(staff, participant):
    day = local_today()
    url = f"/attendance/for/{participant.id}/correct"
    here = f"http://localhost/attendance/for/{participant.id}?week={day.isoformat()}"
    same = staff.post(url, data=_form(day), headers={"HX-Request": "true", "HX-Current-URL": here})
    assert same.headers["HX-Redirect"].endswith(f"#day-{day.isoformat()}")
    assert same.headers["HX-Refresh"] == "true"  # else the browser would only scroll
    elsewhere = staff.post(url, data=_form(day), headers={
        "HX-Request": "true", "HX-Current-URL": f"http://localhost/caseload/{participant.id}"})
    assert "HX-Refresh" not in elsewhere.headers
