"""The consultant's programme page: recording events, bad days, replays, who may, and what the
participant sees."""

from datetime import date

import pytest

from app.caseload.service import enrolment_of
from app.models import AccessLog, AftercareCheckIn, Phase, PhaseChange, Role
from tests.conftest import cid, rows, sign_in, text

START = date(2026, 1, 5)


@pytest.fixture
def started(db, participant):
    enrolment = enrolment_of(db, participant.id)
    enrolment.started_on = START
    db.commit()
    return participant


def _url(participant, event=""):
    return f"/programme/for/{participant.id}" + (f"/{event}" if event else "")


def test_the_page_shows_the_phase_and_the_forms(staff, started):
    page = text(staff.get(_url(started)))
    assert "Preparation" in page
    for event in ("placement", "paid_hours", "job", "end"):
        assert f'action="/programme/for/{started.id}/{event}"' in page


def test_a_job_start_begins_aftercare(staff, db, started):
    response = staff.post(_url(started, "job"), data={"job-day": "2026-03-02", "client_id": cid()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/programme/for/{started.id}#event-job")
    enrolment = enrolment_of(db, started.id)
    db.refresh(enrolment)
    assert (enrolment.phase, enrolment.job_started_on) == (Phase.aftercare, date(2026, 3, 2))
    assert len(rows(db, AftercareCheckIn)) == 3
    page = text(staff.get(_url(started)))
    assert "Aftercare check-ins" in page and "June 2, 2026" in page


def test_a_double_submit_changes_nothing_twice(staff, db, started):
    data = {"placement-day": "2026-02-02", "client_id": cid()}
    assert staff.post(_url(started, "placement"), data=data).status_code == 303
    assert staff.post(_url(started, "placement"), data=data).status_code == 303
    assert [c.phase for c in rows(db, PhaseChange)] == [Phase.preparation, Phase.placement]
    changes = [a for a in rows(db, AccessLog) if a.action == "change"]
    assert len(changes) == 2 and {a.what for a in changes} == {"programme"}


def test_a_day_before_the_programme_start_is_refused_and_kept(staff, db, started):
    response = staff.post(_url(started, "job"), data={"job-day": "2026-01-02", "client_id": cid()})
    assert response.status_code == 422
    page = text(response)
    assert "Choose a day on or after the programme start, January 5, 2026." in page
    assert 'value="2026-01-02"' in page
    assert enrolment_of(db, started.id).job_started_on is None
    # Refused, so nothing changed: the log says the page was read.
    assert [a.action for a in rows(db, AccessLog)] == ["read"]


@pytest.mark.parametrize("event", ["placement", "job"])
def test_a_day_far_ahead_is_refused_and_the_caseload_still_opens(staff, db, started, event):
    # A placement in year 9999 once broke the caseload board; a job start there, aftercare.
    response = staff.post(_url(started, event),
                          data={f"{event}-day": "9999-12-31", "client_id": cid()})
    assert response.status_code == 422
    assert "Choose a day at most a year ahead." in text(response)
    assert staff.get("/caseload/").status_code == 200


def test_an_end_needs_an_outcome_and_keeps_the_day(staff, db, started):
    response = staff.post(_url(started, "end"), data={"end-day": "2026-06-01", "client_id": cid()})
    assert response.status_code == 422
    page = text(response)
    assert "Choose how the programme ended." in page and 'value="2026-06-01"' in page
    response = staff.post(_url(started, "end"), data={"end-day": "2026-06-01",
                                                      "end-outcome": "flex_job",
                                                      "client_id": cid()})
    assert response.status_code == 303
    enrolment = enrolment_of(db, started.id)
    db.refresh(enrolment)
    assert (enrolment.phase, enrolment.outcome.value) == (Phase.ended, "flex_job")


def test_an_end_before_the_job_start_is_refused(staff, started):
    staff.post(_url(started, "job"), data={"job-day": "2026-03-02", "client_id": cid()})
    response = staff.post(_url(started, "end"), data={"end-day": "2026-03-01",
                                                      "end-outcome": "job", "client_id": cid()})
    assert response.status_code == 422
    assert "Choose a day on or after the job start, March 2, 2026." in text(response)


def test_an_unknown_event_is_not_found(staff, started):
    assert staff.post(_url(started, "holiday"), data={"client_id": cid()}).status_code == 404


def test_who_may_see_and_record(app, csrf_off, english, started, other_consultant, make_staff):
    admin = make_staff(Role.admin, email="admin@example.org", name="Anne Admin")
    data = {"placement-day": "2026-02-02", "client_id": cid()}
    other = sign_in(app.test_client(), other_consultant)
    assert other.get(_url(started)).status_code == 404
    assert other.post(_url(started, "placement"), data=data).status_code == 404
    own = sign_in(app.test_client(), started)
    assert own.get(_url(started)).status_code == 403
    assert own.post(_url(started, "placement"), data=data).status_code == 403
    assert app.test_client().get(_url(started)).status_code == 303
    boss = sign_in(app.test_client(), admin)
    assert boss.get(_url(started)).status_code == 200
    assert boss.post(_url(started, "placement"), data=data).status_code == 303


def test_the_participant_sees_their_job_start_calmly(app, staff, english, started):
    staff.post(_url(started, "job"), data={"job-day": "2026-03-02", "client_id": cid()})
    page = text(sign_in(app.test_client(), started).get("/me/"))
    assert "My programme" in page and "Aftercare" in page and "March 2, 2026" in page
    assert "Your consultant keeps in touch after your job start." in page


def test_the_participant_page_links_to_the_programme(staff, started):
    assert _url(started) in text(staff.get(f"/caseload/{started.id}"))
