"""The participant's day in real Chromium at 360 × 740: sign in, tick a sub-goal, check in,
log a walk and write to the consultant — each saved exactly once, with no CSP violation."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from app.models import Attendance, Message, SubGoal, Walk
from tests.conftest import submit_sign_in
from tests.test_plan_factories import add_subgoal

pytestmark = pytest.mark.browser


def _count(db, model, participant_id: int, column) -> int:
    value = db.exec(select(func.count()).select_from(model).where(column == participant_id)).one()
    db.commit()
    return value


def test_participants_day_on_a_phone(live_server, phone, db, participant):
    add_subgoal(db, participant, "Ring til tandlægen")
    add_subgoal(db, participant, "Gå en tur i parken")
    submit_sign_in(phone, participant.login, at=f"{live_server}/auth/login")
    phone.wait_for_url(f"{live_server}/plan/")
    assert phone.locator(".card.next h2").inner_text() == "Ring til tandlægen"

    # Tick off the next sub-goal: the list updates in place with an acknowledgement and undo.
    phone.click("#subgoal-list .card.next form[action$='/done'] button")
    phone.locator("#subgoal-list .notice.ack").wait_for()
    assert phone.url == f"{live_server}/plan/"
    assert phone.locator(".card.next h2").inner_text() == "Gå en tur i parken"
    done = db.exec(select(SubGoal).where(SubGoal.done_at.is_not(None))).all()
    db.commit()
    assert [subgoal.title for subgoal in done] == ["Ring til tandlægen"]

    # Check in for today from the bottom bar's attendance page.
    phone.click(".bottom-nav a[href='/attendance/']")
    phone.wait_for_url(f"{live_server}/attendance/")
    phone.click("#attendance-today form[action$='/check-in'] button")
    phone.locator("#attendance-today form[action$='/check-out']").wait_for()
    assert _count(db, Attendance, participant.id, Attendance.participant_id) == 1

    # Log a walk.
    phone.click(".bottom-nav a[href='/walks/']")
    phone.wait_for_url(f"{live_server}/walks/")
    phone.click("#walk-list details summary")
    phone.fill("#walk-form input[name=minutes]", "35")
    phone.fill("#walk-form input[name=distance]", "2,5")
    phone.fill("#walk-form textarea[name=agreed_note]", "Vi gik langs søerne.")
    phone.click("#walk-form button[type=submit]")
    phone.locator("#walk-list", has_text="Vi gik langs søerne.").wait_for()
    walks = db.exec(select(Walk).where(Walk.participant_id == participant.id)).all()
    db.commit()
    assert [(walk.minutes, walk.distance_km) for walk in walks] == [(35, 2.5)]

    # Write to the consultant.
    phone.click(".bottom-nav a[href='/messages/']")
    phone.wait_for_url(f"{live_server}/messages/")
    phone.fill("#message-compose textarea", "Hej Mette, jeg var i praktik i dag.")
    phone.click("#message-compose button[type=submit]")
    phone.locator("#message-list", has_text="jeg var i praktik i dag").wait_for()
    assert phone.locator("#message-compose textarea").input_value() == ""
    assert _count(db, Message, participant.id, Message.sender_id) == 1

    assert phone.console_errors == []
