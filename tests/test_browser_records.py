"""The record in real Chromium: a consultant corrects a day on the phone, and the Danish print
leaves navigation out, fits A4 and draws the chart, with no CSP violation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import Attendance, AttendanceCorrection
from app.timeutil import local_today
from tests.conftest import rows, submit_sign_in
from tests.test_plan_factories import add_step

pytestmark = pytest.mark.browser


def test_correct_a_day_then_print_the_record(live_server, phone, db, participant, consultant):
    day = local_today() - timedelta(days=1)
    add_step(db, participant, day - timedelta(days=30), 9)
    db.add(Attendance(participant_id=participant.id, day=day, minutes=300,
                      recorded_by_id=participant.id))
    db.commit()
    submit_sign_in(phone, consultant.login, at=f"{live_server}/auth/login")

    phone.goto(f"{live_server}/attendance/for/{participant.id}?week={day.isoformat()}")
    correct = phone.locator(f"#day-{day.isoformat()} details.attendance-correct")
    correct.locator("summary").click()
    correct.locator("input[value=late]").check()
    correct.locator("input[name$='-time']").fill("4:30")
    correct.locator("textarea").fill("Kom kl. 10")
    correct.locator("button[type=submit]").click()
    phone.locator(".attendance-correction").wait_for()
    assert "Kom kl. 10" in phone.locator(f"#day-{day.isoformat()}").inner_text()
    [change] = rows(db, AttendanceCorrection)
    assert (change.original_minutes, change.new_minutes) == (300, 270)

    phone.goto(f"{live_server}/records/for/{participant.id}/print")
    assert phone.locator("html").get_attribute("lang") == "da"
    assert phone.locator("svg.chart rect.chart-bar").count() >= 4
    phone.emulate_media(media="print")
    assert not phone.locator(".top-bar").is_visible()
    assert not phone.locator(".staff-nav").is_visible()
    assert not phone.locator(".no-print").is_visible()
    assert phone.locator("article.record h1").is_visible()
    pdf = phone.pdf(prefer_css_page_size=True)
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    # A4 is 595 × 842 points; Chromium rounds its page size a little either way.
    assert sizes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes)
    assert phone.console_errors == []


def test_the_back_link_points_back_in_arabic(live_server, phone, db, participant, consultant):
    consultant.locale = "ar"
    db.add(consultant)
    db.commit()
    submit_sign_in(phone, consultant.login, at=f"{live_server}/auth/login")
    phone.goto(f"{live_server}/records/for/{participant.id}")
    back = phone.locator("a.back")
    arrow = back.evaluate("link => getComputedStyle(link, '::before').content")
    assert arrow == '"→ "'
    # Mirrored: the link starts at the right edge of the page.
    box = back.bounding_box()
    assert box["x"] + box["width"] > 360 - 40 and box["x"] > 360 / 2
