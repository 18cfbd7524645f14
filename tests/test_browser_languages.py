"""Real Chromium at phone size: nine languages fit behind one globe, by keyboard and by tap,
and the list stays on the screen in both directions."""

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _menu_inside_screen(phone) -> None:
    box = phone.locator(".language-menu").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_nine_languages_behind_one_globe(live_server, phone):
    phone.goto(f"{live_server}/auth/login")
    top_bar = phone.locator(".top-bar").bounding_box()
    assert top_bar["height"] < 70  # one line on a 360 px phone
    assert not phone.locator(".language-menu").is_visible()
    # By keyboard: the globe is reached with Tab and opened with Enter.
    phone.locator(".language-switcher summary").focus()
    phone.keyboard.press("Enter")
    assert phone.locator(".language-menu button").count() == 9
    _menu_inside_screen(phone)
    # One tap on a language changes it.
    phone.get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.locator("html").get_attribute("lang") == "ar"
    phone.locator(".language-switcher summary").click()
    _menu_inside_screen(phone)
    phone.get_by_role("button", name="Polski").click()
    expect(phone.locator("html")).to_have_attribute("lang", "pl")
    assert phone.locator("html").get_attribute("dir") == "ltr"
    assert phone.console_errors == []
