"""The record routes: the period, bad input, who may see it, the log, the Danish print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.models import (
    AccessLog,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    Enrolment,
    Meeting,
    MeetingKind,
    Role,
    ScaleReading,
    Walk,
    WorkplaceObservation,
)
from app.records import service
from app.records.service import default_period
from app.timeutil import local_today
from tests.conftest import rows, sign_in, text
from tests.test_plan_factories import add_step, add_subgoal


def _url(participant, suffix: str = "", **period) -> str:
    query = "&".join(f"{key}={value}" for key, value in period.items())
    return f"/records/for/{participant.id}{suffix}" + (f"?{query}" if query else "")


@pytest.fixture
def history(db, participant, consultant):
    """Two weeks of fictional history: hours, a corrected day, the plan, a meeting, a walk."""
    monday = default_period(local_today()).start
    enrolment = rows(db, select(Enrolment).where(Enrolment.participant_id == participant.id))[0]
    enrolment.started_on = monday - timedelta(days=7)
    enrolment.placement_started_on = monday
    db.add(enrolment)
    add_step(db, participant, monday, 10)
    db.add(Attendance(participant_id=participant.id, day=monday, minutes=300,
                      recorded_by_id=participant.id))
    corrected = Attendance(participant_id=participant.id, day=monday + timedelta(days=1),
                           minutes=240, status=AttendanceStatus.present,
                           recorded_by_id=consultant.id)
    db.add(corrected)
    db.commit()
    db.add(AttendanceCorrection(attendance_id=corrected.id, original_status=AttendanceStatus.absent,
                                new_status=AttendanceStatus.present, new_minutes=240,
                                reason="Glemte at tjekke ind", changed_by_id=consultant.id))
    at = datetime.combine(monday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
    subgoal = add_subgoal(db, participant, "Køb et buskort", done_at=at)
    db.add(ScaleReading(subgoal_id=subgoal.id, recorded_by_id=participant.id,
                        by_role=Role.participant, value=4, recorded_at=at))
    db.add(ScaleReading(subgoal_id=subgoal.id, recorded_by_id=consultant.id,
                        by_role=Role.consultant, value=6, recorded_at=at))
    db.add(Meeting(participant_id=participant.id, consultant_id=consultant.id,
                   kind=MeetingKind.video, starts_at=at, summary="Vi talte om buskortet."))
    db.add(Walk(participant_id=participant.id, walked_on=monday, minutes=45, distance_km=3.5,
                with_consultant=True, recorded_by_id=consultant.id))
    db.add(WorkplaceObservation(participant_id=participant.id, observed_on=monday,
                                employer_contact="Lager A/S", pace=4, breaks_count=2,
                                recorded_by_id=consultant.id))
    db.commit()
    return monday


def test_the_default_record_shows_the_last_four_weeks(staff, participant, history):
    response = staff.get(_url(participant))
    assert response.status_code == 200
    page = text(response)
    assert f'value="{history.isoformat()}"' in page
    assert f'value="{local_today().isoformat()}"' in page
    assert "<svg" in page and 'class="chart-bar"' in page and "style=" not in page
    assert "9" in page  # 5 + 4 hours
    assert "Køb et buskort" in page and "Video" in page and "Lager A/S" in page
    assert "4 – Good" in page and "2 breaks a day" in page
    assert "1 day was corrected by staff" in page
    assert "/print?from=" in page
    assert "Preparation" in page and "Company placement from" in page


def test_a_chosen_period_is_kept_in_the_form(staff, participant, history):
    start, end = history + timedelta(days=1), history + timedelta(days=1)
    page = text(staff.get(_url(participant, **{"from": start, "to": end})))
    assert f'value="{start.isoformat()}"' in page
    assert "Attendance: 1 of 1 planned day" in page


def test_from_after_to_is_refused_with_a_message_beside_the_field(staff, participant):
    response = staff.get(_url(participant, **{"from": "2026-03-10", "to": "2026-03-01"}))
    assert response.status_code == 422
    page = text(response)
    assert "The end date must be on or after the start date." in page
    assert 'value="2026-03-10"' in page and 'value="2026-03-01"' in page
    assert 'id="period-to-error"' in page and 'class="chart"' not in page  # no report


@pytest.mark.parametrize("period", [
    {"from": "10-03-2026", "to": "2026-03-20"},
    {"from": "2026-03-01"},
    {"from": "2024-01-01", "to": "2026-01-01"},
    # At the ends of the calendar the day arithmetic once overflowed into a 500.
    {"from": "9999-12-25", "to": "9999-12-31"},
    {"from": "0001-01-01", "to": "0001-01-07"},
])
@pytest.mark.parametrize("suffix", ["", "/print"])
def test_bad_periods_answer_422(staff, participant, period, suffix):
    assert staff.get(_url(participant, suffix, **period)).status_code == 422


def test_a_period_far_from_today_is_explained(staff, participant):
    response = staff.get(_url(participant, **{"from": "1990-01-01", "to": "1990-01-31"}))
    assert response.status_code == 422
    assert "Choose days from ten years back to a year ahead." in text(response)


def test_reads_are_logged_with_the_purpose_report(staff, db, participant, consultant):
    staff.get(_url(participant))
    staff.get(_url(participant, "/print"))
    logged = rows(db, select(AccessLog).where(AccessLog.participant_id == participant.id))
    assert [(e.actor_id, e.what, e.action, e.purpose) for e in logged] == [
        (consultant.id, "record", "read", "report")] * 2


@pytest.mark.parametrize("suffix", ["", "/print"])
def test_participants_are_refused(me, participant, suffix):
    assert me.get(_url(participant, suffix)).status_code == 403


@pytest.mark.parametrize("suffix", ["", "/print"])
def test_another_consultant_does_not_find_the_participant(app, csrf_off, db, other_consultant,
                                                          participant, suffix):
    client = sign_in(app.test_client(), other_consultant)
    assert client.get(_url(participant, suffix)).status_code == 404
    assert rows(db, AccessLog) == []


def test_the_print_is_danish_whatever_the_consultant_reads(staff, participant, history):
    page = text(staff.get(_url(participant, "/print")))
    assert '<html lang="da" dir="ltr">' in page
    assert "Start på forløbet" in page and "Programme start" not in page
    english = text(staff.get(_url(participant)))
    assert '<html lang="en"' in english and "Programme start" in english


def test_the_print_refuses_a_bad_period_too(staff, participant):
    response = staff.get(_url(participant, "/print", **{"from": "2026-03-10", "to": "2026-03-01"}))
    assert response.status_code == 422
    assert 'lang="da"' in text(response)


def test_no_plan_and_no_history_still_renders(staff, participant):
    page = text(staff.get(_url(participant)))
    assert "There is no step-up plan." in page
    assert "No sub-goals were reached in the period." in page
    assert "Workplace observations" not in page


def test_the_participant_overview_links_the_record(staff, participant):
    page = text(staff.get(f"/caseload/{participant.id}"))
    assert f'href="/records/for/{participant.id}"' in page


def test_the_record_reads_in_a_fixed_number_of_queries(app, db, participant, consultant):
    engine = app.extensions["engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_rest) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    def build() -> int:
        statements.clear()
        with app.test_request_context():
            service.build_record(db, participant=participant, today=local_today(),
                                 now=datetime.now(UTC), period=default_period(local_today()))
        db.commit()
        return len(statements)

    event.listen(engine, "before_cursor_execute", count)
    try:
        empty = build()
        monday = default_period(local_today()).start
        for n in range(20):
            db.add(Attendance(participant_id=participant.id, day=monday + timedelta(days=n),
                              minutes=60, recorded_by_id=participant.id))
            add_subgoal(db, participant, f"Delmål {n}",
                        done_at=datetime.now(UTC) - timedelta(days=1))
        db.commit()
        assert build() == empty
    finally:
        event.remove(engine, "before_cursor_execute", count)
