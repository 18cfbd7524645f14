"""The roll-call in real Chromium at 360 × 740: one tap per person swaps only that row."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from sqlmodel import select

from app.groups import service
from app.models import Attendance, AttendanceStatus
from app.timeutil import local_today
from tests.conftest import submit_sign_in

pytestmark = pytest.mark.browser


def test_roll_call_on_a_phone(live_server, phone, db, consultant, make_participant):
    group = service.create_group(db, leader=consultant, name="Holdet", weekdays=[0, 1, 2, 3, 4],
                                 starts_at=time(9), place="", client_id=uuid.uuid4())
    sara, omar = make_participant("Sara"), make_participant("Omar")
    for person in (sara, omar):
        service.add_member(db, group=group, participant=person, today=local_today())
    roll_call_url = f"{live_server}/groups/{group.id}/roll-call"
    sara_row, omar_row = f"#roll-{sara.id}", f"#roll-{omar.id}"

    submit_sign_in(phone, consultant.login, at=f"{live_server}/auth/login")
    phone.wait_for_url(f"{live_server}/caseload/")
    phone.click(".staff-nav a[href='/groups/']")
    phone.click(f"a[href='/groups/{group.id}/roll-call']")
    phone.wait_for_url(roll_call_url)

    phone.click(f"{sara_row} button.roll-present")
    phone.locator(f"{sara_row} button.roll-present[aria-pressed=true]").wait_for()
    phone.click(f"{omar_row} button.roll-late")
    phone.locator(f"{omar_row} button.roll-late[aria-pressed=true]").wait_for()
    phone.click(f"{omar_row} button.roll-absent")
    phone.locator(f"{omar_row} button.roll-absent[aria-pressed=true]").wait_for()
    assert phone.url == roll_call_url
    assert phone.locator("button[aria-pressed=true]").count() == 2

    marked = db.exec(select(Attendance.participant_id, Attendance.status)).all()
    db.commit()
    assert sorted(marked) == sorted([(sara.id, AttendanceStatus.present),
                                     (omar.id, AttendanceStatus.absent)])
    assert phone.console_errors == []
