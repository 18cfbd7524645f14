"""Real Chromium at phone size: nine languages fit behind one globe, by keyboard and by tap,
and the list stays on the screen in both directions; at the foot of every page one tap is enough;
and the bottom bar's words fit their tab in every language."""

import pytest

from app.i18n import LANGUAGES
from tests.conftest import submit_sign_in

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
    phone.locator(".language-menu").get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.locator("html").get_attribute("lang") == "ar"
    phone.locator(".language-switcher summary").click()
    _menu_inside_screen(phone)
    phone.locator(".language-menu").get_by_role("button", name="Polski").click()
    expect(phone.locator("html")).to_have_attribute("lang", "pl")
    assert phone.locator("html").get_attribute("dir") == "ltr"
    assert phone.console_errors == []


def test_one_tap_at_the_foot_of_a_page_changes_the_language(live_server, phone):
    phone.goto(f"{live_server}/auth/login?next=/plan/")
    footer = phone.locator(".page-footer")
    footer.scroll_into_view_if_needed()
    assert footer.get_by_role("button").count() == 9
    footer.get_by_role("button", name="فارسی").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.locator("html").get_attribute("lang") == "fa"
    assert phone.url.endswith("/auth/login?next=/plan/")
    # Every language stays on the screen and reachable by a thumb, in both directions.
    for button in footer.get_by_role("button").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44
    expect(footer.get_by_role("button", name="فارسی")).to_have_attribute("aria-current", "true")
    footer.get_by_role("button", name="Dansk").click()
    expect(phone.locator("html")).to_have_attribute("lang", "da")
    assert phone.console_errors == []


# The widest word of each tab label, in the bold of the page one is on, against the room the tab
# gives it: a word wider than that would be broken in the middle.
WIDEST_WORDS = """() => [...document.querySelectorAll(".bottom-nav a")].map(tab => {
  const label = tab.querySelector("span");
  const style = getComputedStyle(label);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = `700 ${style.fontSize} ${style.fontFamily}`;
  const room = tab.clientWidth - parseFloat(getComputedStyle(tab).paddingInlineStart)
    - parseFloat(getComputedStyle(tab).paddingInlineEnd);
  const widest = Math.max(...label.textContent.trim().split(/\\s+/)
    .map(word => pen.measureText(word).width));
  return [label.textContent.trim(), widest, room];
})"""


def test_the_bottom_bar_words_fit_a_phone_in_every_language(live_server, phone, db,
                                                             participant):
    submit_sign_in(phone, participant.login, at=f"{live_server}/auth/login")
    too_wide = []
    for code in LANGUAGES:
        participant.locale = code
        db.add(participant)
        db.commit()
        phone.goto(f"{live_server}/plan/")
        expect(phone.locator("html")).to_have_attribute("lang", code)
        tabs = phone.evaluate(WIDEST_WORDS)
        assert len(tabs) == 4
        too_wide += [(code, label, round(widest)) for label, widest, room in tabs
                     if widest > room]
    assert too_wide == []
