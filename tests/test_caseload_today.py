"""The Today page: who needs the consultant, why, and everyone else below."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from app.models import DayOff, Enrolment, GoalPlan, Meeting, Phase, SubGoal, User, utcnow
from app.timeutil import LOCAL_TZ, local_today
from tests.conftest import cid, rows, sign_in, text

pytestmark = pytest.mark.usefixtures("english")


def _calm(db, person: User) -> None:
    """A recent meeting and a fresh visit: nothing to say about them."""
    person = db.get(User, person.id)
    person.last_seen_at = utcnow()
    db.add(person)
    db.add(Meeting(participant_id=person.id, consultant_id=_consultant_of(db, person),
                   starts_at=utcnow() - timedelta(days=1)))
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == person.id)).one()
    plan.planned_weekdays = ""  # nobody expected today, whatever the weekday
    db.add(plan)
    db.commit()


def _consultant_of(db, person: User) -> int:
    return db.exec(select(Enrolment.consultant_id)
                   .where(Enrolment.participant_id == person.id)).one()


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_who_needs_me_comes_first_with_the_reason_and_a_link(app, csrf_off, db, staff,
                                                             make_participant):
    calm, writes, late = (make_participant(n) for n in ("Anna", "Bo", "Cem"))
    for person in (calm, writes, late):
        _calm(db, person)
    sign_in(app.test_client(), writes).post("/messages/", data={"body": "Hej", "client_id": cid()})
    plan = rows(db, select(GoalPlan).where(GoalPlan.participant_id == late.id))[0]
    db.add(SubGoal(plan_id=plan.id, title="Ring til jobcentret", created_by_id=late.id,
                   due_on=local_today() - timedelta(days=3)))
    db.commit()
    page = text(staff.get("/caseload/"))
    needing = _section(page, "needs-heading")
    assert "2 participants need you" in needing
    assert "1 unread message, waiting" in needing
    assert f'href="/messages/for/{writes.id}"' in needing
    assert "1 sub-goal is past its date" in needing and f'href="/plan/for/{late.id}"' in needing
    # Messages rank before a late sub-goal; the calm one is listed under its own heading.
    assert needing.index("Bo") < needing.index("Cem") and "Anna" not in needing
    assert "Anna" in _section(page, "calm-heading") and "No need today" in page
    assert f'href="/caseload/{calm.id}"' in page


def test_oldest_waiting_message_comes_first(app, csrf_off, db, staff, make_participant):
    first, second = make_participant("Yusuf"), make_participant("Alma")
    for person in (second, first):
        _calm(db, person)
    for person in (first, second):
        sign_in(app.test_client(), person).post("/messages/", data={"body": "Hej",
                                                                    "client_id": cid()})
    page = text(staff.get("/caseload/"))
    assert page.index("Yusuf") < page.index("Alma")


def test_nobody_needs_me(db, staff, participant):
    _calm(db, participant)
    page = text(staff.get("/caseload/"))
    assert "Nobody needs you right now." in page and "No need today" in page


def test_absence_today_after_ten_unless_a_day_off(db, staff, participant, monkeypatch):
    eleven = datetime.combine(local_today(), time(11), LOCAL_TZ)
    monkeypatch.setattr("app.caseload.views.local_now", lambda: eleven)
    plan = rows(db, select(GoalPlan).where(GoalPlan.participant_id == participant.id))[0]
    plan.planned_weekdays = "0,1,2,3,4,5,6"
    db.add(plan)
    enrolment = rows(db, select(Enrolment).where(Enrolment.participant_id == participant.id))[0]
    enrolment.started_on = date(2025, 1, 6)
    db.add(enrolment)
    db.commit()
    page = text(staff.get("/caseload/"))
    assert "Not checked in today, and no absence reported" in page
    assert f'href="/attendance/for/{participant.id}"' in page
    db.add(DayOff(organisation_id=participant.organisation_id, day=local_today(),
                  created_by_id=enrolment.consultant_id))
    db.commit()
    assert "Not checked in today" not in text(staff.get("/caseload/"))


def test_a_participant_back_for_a_new_programme_is_listed_once(db, staff, consultant,
                                                               participant):
    db.add(Enrolment(participant_id=participant.id, consultant_id=consultant.id,
                     organisation_id=consultant.organisation_id, phase=Phase.ended,
                     started_on=date(2020, 1, 6), ended_on=date(2020, 6, 1)))
    db.commit()
    page = text(staff.get("/caseload/"))
    assert page.count(f'id="caseload-row-{participant.id}"') == 1
    assert "Ended" not in page
