"""The weekly check-in and an aftercare check-in in real Chromium at 360 × 740: both reached
from the plan, answered with big touch targets, saved once, with no CSP violation."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.caseload.service import enrolment_of
from app.models import AftercareCheckIn, WeeklyCheckIn
from app.programme.service import record_event
from app.timeutil import local_today
from tests.conftest import submit_sign_in

pytestmark = pytest.mark.browser


def _fresh(db, query) -> list:
    found = list(db.exec(query))
    db.commit()
    return found


def test_weekly_and_aftercare_check_ins_on_a_phone(live_server, phone, db, consultant,
                                                   participant):
    submit_sign_in(phone, participant.login, at=f"{live_server}/auth/login")
    phone.wait_for_url(f"{live_server}/plan/")

    # In preparation: "How was your week?" from the plan, two taps and send.
    phone.locator("a[href='/aftercare/week']").first.click()
    phone.wait_for_url(f"{live_server}/aftercare/week")
    phone.click("label[for=how_it_went-3]")
    phone.click("label[for=wants_to_talk-1]")
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{live_server}/aftercare/thanks?contact=no")
    weeks = _fresh(db, select(WeeklyCheckIn))
    assert [(w.how_it_went, w.wants_to_talk) for w in weeks] == [(4, False)]

    # A job start eight days ago: the one-week check-in is due.
    enrolment = enrolment_of(db, participant.id)
    enrolment.started_on = local_today() - timedelta(days=100)
    db.commit()
    record_event(db, staff=consultant, enrolment=enrolment, event="job",
                 day=local_today() - timedelta(days=8), client_id=uuid.uuid4())

    phone.goto(f"{live_server}/plan/")
    phone.click("a[href='/aftercare/check-in']")
    phone.wait_for_url(f"{live_server}/aftercare/check-in")
    # Forgetting the first question keeps what was written.
    phone.fill("#what_is_hard", "At komme op kl. 6")
    phone.click("label[for=wants_contact-0]")
    phone.click("main form button[type=submit]")
    phone.locator(".error-summary").wait_for()
    assert phone.locator("#what_is_hard").input_value() == "At komme op kl. 6"
    phone.click("label[for=how_it_goes-2]")
    phone.fill("#hours_per_week", "22,5")
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{live_server}/aftercare/thanks?contact=yes")
    answered = _fresh(db, select(AftercareCheckIn).where(AftercareCheckIn.answered_at.is_not(None)))
    assert [(c.how_it_goes, c.hours_per_week, c.what_is_hard, c.wants_contact)
            for c in answered] == [(3, 22.5, "At komme op kl. 6", True)]
    phone.click("main a.button")
    phone.wait_for_url(f"{live_server}/plan/")
    assert phone.locator("a[href='/aftercare/check-in']").count() == 0
    # Nothing spills sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []
