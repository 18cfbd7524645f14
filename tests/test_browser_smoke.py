"""Real Chromium at phone size: the sign-in page works and the CSP holds (no console errors)."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_participant_signs_in_on_a_phone(live_server, phone, participant):
    phone.goto(f"{live_server}/auth/login")
    assert phone.locator("html").get_attribute("lang") == "da"
    phone.get_by_label("E-mail eller brugernavn").fill(participant.login)
    phone.get_by_label("Adgangskode").fill(PASSWORD)
    phone.get_by_role("button", name="Log ind").click()
    phone.wait_for_url(f"{live_server}/plan/")
    assert phone.locator(".bottom-nav").is_visible()
    assert phone.console_errors == []


def test_wrong_password_shows_error_summary_in_danish(live_server, phone, participant):
    phone.goto(f"{live_server}/auth/login")
    phone.get_by_label("E-mail eller brugernavn").fill(participant.login)
    phone.get_by_label("Adgangskode").fill("forkert-kodeord")
    phone.get_by_role("button", name="Log ind").click()
    summary = phone.locator(".error-summary")
    summary.wait_for()
    assert "ikke rigtigt" in summary.inner_text()
    assert phone.get_by_label("E-mail eller brugernavn").input_value() == participant.login
    assert phone.console_errors == []
