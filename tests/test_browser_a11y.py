"""Usable by everyone (WCAG 2.1 AA): axe-core in real Chromium on every page of both sides in
Danish, English and Arabic; keyboard-only use with focus and live announcements after htmx
swaps; touch targets; text at 200 %; reduced motion; errors tied to their fields."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
from sqlmodel import select, update

from app import create_app
from app.demo import load_demo
from app.messages.service import send_message
from app.models import Group, User
from tests.conftest import PASSWORD, submit_sign_in
from tests.test_plan_factories import add_subgoal

pytestmark = pytest.mark.browser

# GET routes that are not pages a person reads, so axe has nothing to check on them.
NOT_PAGES = {
    "static",  # files
    "core.csrf_token", "core.healthz",  # JSON for scripts and probes
    "pwa.manifest", "pwa.service_worker", "push.worker",  # the PWA's machinery
    "account.export",  # a JSON download
    "messages.poll", "messages.staff_poll",  # fragments htmx polls for new messages
}

LANGUAGES = ("da", "en", "ar")
ON_POSTGRESQL = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, heading order, one main, …).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}


def _page_routes() -> list[tuple[str, str]]:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "map-only"})
    pages = sorted((rule.endpoint, rule.rule) for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and rule.endpoint not in NOT_PAGES)
    app.extensions["engine"].dispose()
    return pages


PAGES = _page_routes()
AXE_SCRIPT = Path(importlib.util.find_spec("axe_playwright_python").origin).with_name("axe.min.js")


def test_every_get_route_is_a_checked_page_or_excluded():
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "map-only"})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    app.extensions["engine"].dispose()
    assert NOT_PAGES <= endpoints, "an excluded route no longer exists"
    assert {endpoint for endpoint, _rule in PAGES} == endpoints - NOT_PAGES
    assert len(PAGES) > 40


@pytest.fixture
def demo(app, db):
    """The demo organisation, and ids to fill URL arguments with: Lise's participant Amina,
    her group and one of Amina's own sub-goals."""
    with app.app_context():
        logins = load_demo(db)
    amina = db.exec(select(User).where(User.display_name == "Amina")).one()
    subgoal = add_subgoal(db, amina, "Købe et buskort")  # her own, so she may edit it
    group = db.exec(select(Group)).first()
    db.commit()
    args = {"participant_id": amina.id, "subgoal_id": subgoal.id, "group_id": group.id}
    return logins, args


def _url(rule: str, args: dict, lang: str) -> str:
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str({**args, "lang": lang}[m.group(1)]), rule)
    assert "<" not in url, f"fill the URL argument of {rule} in the demo fixture"
    return url


def _signed_in(browser, live_server, login: str | None, password: str | None, viewport: dict,
               lang: str):
    context = browser.new_context(viewport=viewport, locale=lang, service_workers="block")
    context.add_init_script(path=AXE_SCRIPT)  # outside the page's CSP, like an extension
    page = context.new_page()
    page.set_default_timeout(10_000)
    if login:
        submit_sign_in(page, login, password, at=f"{live_server}/auth/login")
    return page


def _visitors(browser, live_server, logins, viewport, lang):
    """Who may open what: nobody, a participant, one in aftercare, a consultant, an admin."""
    by_role = {}
    for role, login, password in logins:
        by_role.setdefault(role, []).append((login, password))
    wanted = [(None, None), by_role["participant"][0], by_role["participant"][6],
              by_role["consultant"][0], by_role["admin"][0]]
    return [_signed_in(browser, live_server, login, password, viewport, lang)
            for login, password in wanted]


DANISH_ONLY = {"records.print_view": "da"}  # the job centre reads the printed record in Danish


def _violations(page) -> list[str]:
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:4]}" for v in found]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_nothing_on_any_page(browser, live_server, db, demo, viewport, lang):
    if ON_POSTGRESQL and (viewport, lang) != (PHONE, "da"):
        pytest.skip("the pages are the same HTML on both databases; on PostgreSQL one round "
                    "proves that every page renders there")
    logins, args = demo
    problems = []
    # Signed in, the language is the one stored with the person; signed out, the browser's.
    db.exec(update(User).values(locale=lang))
    db.commit()
    visitors = _visitors(browser, live_server, logins, viewport, lang)
    for endpoint, rule in PAGES:
        url = f"{live_server}{_url(rule, args, lang)}"
        # The first visitor who may open the page.
        for page in visitors:
            response = page.goto(url)
            if response.ok and ("/auth/login" not in page.url or endpoint == "auth.login"):
                break
        else:
            problems.append(f"{endpoint}: nobody could open {url}")
            continue
        if page.evaluate("document.documentElement.lang") != DANISH_ONLY.get(endpoint, lang):
            problems.append(f"{endpoint}: not shown in {lang}")
        problems += [f"{endpoint}: {v}" for v in _violations(page)]
    # The page for an address that does not exist, signed out and signed in.
    for page in visitors[:2]:
        assert page.goto(f"{live_server}/no-such-page").status == 404
        problems += [f"not found: {v}" for v in _violations(page)]
    for page in visitors:
        page.context.close()
    assert problems == [], "\n".join(problems)


# Keyboard, touch, zoom and motion: the participant's main flows on a phone, in English so the
# assertions read the msgids.

def _english_phone(browser, **options):
    context = browser.new_context(viewport=PHONE, locale="en-GB", service_workers="block",
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def _lands_on(page, selector: str) -> bool:
    """Whether focus reaches `selector` within a moment (app.js moves it after the swap)."""
    for _ in range(100):
        if _focused(page, selector):
            return True
        page.wait_for_timeout(20)
    return False


def _htmx_ready(page, selector: str) -> None:
    """Wait until htmx has taken over `selector` after a boosted swap: a person cannot reach a
    button that fast, but a test can, and the form would then post without htmx."""
    for _ in range(250):
        if page.evaluate("s => !!(document.querySelector(s) || {})['htmx-internal-data']",
                         selector):
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"htmx never took over {selector}")


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Tab forward until focus is on `selector`: proof that it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _live(page) -> str:
    """The live region's words, once app.js has put them in (a moment after the swap)."""
    for _ in range(100):
        words = page.locator("#live").text_content().strip()
        if words:
            return words
        page.wait_for_timeout(20)
    raise AssertionError("nothing was announced")


def _sign_in_by_keyboard(page, live_server, user) -> None:
    page.goto(f"{live_server}/auth/login")
    _tab_to(page, "#login")
    page.keyboard.type(user.login)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/plan/")


def test_the_main_flows_by_keyboard_alone(browser, live_server, db, participant, consultant):
    add_subgoal(db, participant, "Ring til tandlægen")
    add_subgoal(db, participant, "Gå en tur i parken")
    page = _english_phone(browser)
    _sign_in_by_keyboard(page, live_server, participant)
    _htmx_ready(page, "#subgoal-list .card.next form[action$='/done']")

    # Tick the next sub-goal: focus lands on the acknowledgement, which is read out.
    _tab_to(page, "#subgoal-list .card.next form[action$='/done'] button")
    page.keyboard.press("Space")
    page.locator("#subgoal-list .notice.ack").wait_for()
    assert _lands_on(page, "#subgoal-list .notice.ack")
    assert _live(page) == "Well done — marked as done."

    # Check in from the bottom bar.
    _tab_to(page, ".bottom-nav a[href='/attendance/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/attendance/")
    _htmx_ready(page, "#attendance-today form[action$='/check-in']")
    _tab_to(page, "#attendance-today form[action$='/check-in'] button")
    page.keyboard.press("Enter")
    page.locator("#attendance-today form[action$='/check-out']").wait_for()
    assert _lands_on(page, "#attendance-today .notice")
    assert _live(page) == page.locator("#attendance-today .notice").text_content().strip()

    # An empty message: the error summary takes focus and is read out; its link leads to the box.
    _tab_to(page, ".bottom-nav a[href='/messages/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/messages/")
    _htmx_ready(page, "#message-compose")
    _tab_to(page, "#message-compose button.primary")
    page.keyboard.press("Enter")
    page.locator("#message-compose .error-summary").wait_for()
    assert _lands_on(page, "#message-compose .error-summary")
    assert _live(page).startswith("Please check this")
    page.keyboard.press("Tab")
    assert _focused(page, ".error-summary a[href='#body']")
    page.keyboard.press("Enter")
    assert _focused(page, "#body")
    assert page.locator("#body").get_attribute("aria-invalid") == "true"

    # Send it: the box comes back empty and focused, and the sending is read out.
    page.keyboard.type("Hej Mette, jeg var i praktik i dag.")
    page.keyboard.press("Tab")
    _tab_to(page, "#message-compose button.primary")
    page.keyboard.press("Enter")
    page.locator("#message-list", has_text="jeg var i praktik i dag").wait_for()
    assert _lands_on(page, "#body")
    assert _live(page) == "Your message has been sent."

    # The consultant answers; the next poll brings it in and it is read out.
    send_message(db, participant_id=participant.id, sender=consultant, body="Godt gået!",
                 client_id=None)
    page.evaluate("""() => { const list = document.getElementById('message-list');
        htmx.ajax('GET', list.getAttribute('hx-get'), {source: list, target: list,
                                                         swap: 'outerHTML'}); }""")
    page.locator("#message-list", has_text="Godt gået!").wait_for()
    page.locator("#live", has_text="Godt gået!").wait_for(state="attached")
    assert _live(page) == f"New message from {consultant.display_name}: Godt gået!"
    page.context.close()


PARTICIPANT_PAGES = ("/plan/", "/attendance/", "/walks/", "/messages/", "/me/", "/settings/")


def _participant_phone(browser, live_server, participant, **options):
    page = _english_phone(browser, **options)
    _sign_in_by_keyboard(page, live_server, participant)
    return page


# Whether the focused element can be seen: its centre is not under the fixed bottom bar.
FOCUS_HIDDEN = """() => {
  const focused = document.activeElement;
  const box = focused.getBoundingClientRect();
  const there = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return there && !focused.contains(there) && !!there.closest('.bottom-nav')
    ? focused.outerHTML.slice(0, 80) : null;
}"""


def test_keyboard_focus_is_never_hidden_under_the_bottom_bar(browser, live_server, db,
                                                             participant):
    for title in ("Ring til tandlægen", "Købe et buskort", "Gå en tur"):
        add_subgoal(db, participant, title)
    page = _participant_phone(browser, live_server, participant)
    page.goto(f"{live_server}/plan/")
    hidden = []
    for _ in range(80):  # through the plan, the footer's languages and the bar itself
        page.keyboard.press("Tab")
        hidden.append(page.evaluate(FOCUS_HIDDEN))
    assert [html for html in hidden if html] == []
    page.context.close()


def test_touch_targets_are_at_least_44_px(browser, live_server, db, participant):
    add_subgoal(db, participant, "Ring til tandlægen")
    page = _participant_phone(browser, live_server, participant)
    small = []
    for path in PARTICIPANT_PAGES:
        page.goto(f"{live_server}{path}")
        small += [f"{path} {found}" for found in page.evaluate("""() =>
            [...document.querySelectorAll('main button, main .button, main summary, .bottom-nav a,'
                                           + ' .top-bar a, .top-bar button')]
              .filter((n) => n.offsetParent !== null)
              .map((n) => [n.getBoundingClientRect(), n.outerHTML.slice(0, 80)])
              .filter(([r]) => r.width < 44 || r.height < 44)
              .map(([r, html]) => `${Math.round(r.width)}×${Math.round(r.height)} ${html}`)""")]
    assert small == [], "\n".join(small)
    page.context.close()


def test_text_at_200_percent_fits_a_phone(browser, live_server, db, participant):
    add_subgoal(db, participant, "Ring til tandlægen og aftal en tid til en samtale")
    page = _participant_phone(browser, live_server, participant)
    for path in PARTICIPANT_PAGES:
        page.goto(f"{live_server}{path}")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter((n) => n.getBoundingClientRect().right > innerWidth + 1)
            .map((n) => n.outerHTML.slice(0, 100))""")
        assert width <= PHONE["width"], f"{path} scrolls sideways at 200 % ({width} px): {wide}"
    page.context.close()


def test_reduced_motion_stops_transitions(browser, live_server, db, participant):
    page = _participant_phone(browser, live_server, participant)
    duration = "el => getComputedStyle(el).transitionDuration"
    button = page.locator("main .button").first
    assert button.evaluate(duration) != "0s"  # it does move when motion is welcome
    page.emulate_media(reduced_motion="reduce")
    assert button.evaluate(duration) == "0s"
    page.context.close()


def test_errors_are_tied_to_their_fields(browser, live_server, db, participant):
    page = _participant_phone(browser, live_server, participant)
    page.goto(f"{live_server}/walks/")
    page.click("#walk-list details summary")
    page.fill("#walk-form input[name=minutes]", "-5")
    page.click("#walk-form button[type=submit]")
    summary = page.locator("#walk-form .error-summary")
    summary.wait_for()
    field = page.locator("#walk-form input[name=minutes]")
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{field.get_attribute('aria-describedby')}")
    assert error.text_content().strip() != ""
    link = summary.locator(f"a[href='#{field.get_attribute('id')}']")
    assert link.text_content().strip() == error.text_content().strip()
    link.click()
    assert _focused(page, "#walk-form input[name=minutes]")
    page.context.close()
