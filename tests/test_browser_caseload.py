"""Real Chromium at phone size: the consultant's Today page and planned days fit and work."""

import pytest

from tests.conftest import PASSWORD, cid, sign_in

pytestmark = pytest.mark.browser


def _sign_in(phone, live_server, consultant) -> None:
    phone.goto(f"{live_server}/auth/login?next=/caseload/")
    phone.get_by_label("E-mail eller brugernavn").fill(consultant.login)
    phone.get_by_label("Adgangskode").fill(PASSWORD)
    phone.get_by_role("button", name="Log ind").click()
    phone.wait_for_url(f"{live_server}/caseload/")


def test_today_fits_a_phone_and_each_reason_is_a_big_enough_link(
        app, csrf_off, live_server, phone, consultant, participant):
    sign_in(app.test_client(), participant).post("/messages/", data={
        "body": "Hej", "client_id": cid()})
    _sign_in(phone, live_server, consultant)
    reason = phone.locator(".caseload-reasons a").first
    assert reason.get_attribute("href") == f"/messages/for/{participant.id}"
    assert reason.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []


def test_planned_days_are_saved_with_checkboxes(live_server, phone, consultant, participant):
    _sign_in(phone, live_server, consultant)
    phone.goto(f"{live_server}/caseload/{participant.id}/days")
    phone.get_by_label("Fredag").uncheck()
    with phone.expect_navigation():  # back to the same page, so waiting for its URL is no wait
        phone.locator("#weekdays button[type=submit]").click()  # its label awaits translation
    assert not phone.get_by_label("Fredag").is_checked()
    assert phone.get_by_label("Mandag").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []
