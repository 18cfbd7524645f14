"""Usable by everyone (WCAG 2.1 AA): axe-core in real Chromium on every page of both sides in
Danish, English and Arabic; keyboard-only use with focus and live announcements after htmx
swaps; touch targets; text at 200 %; reduced motion; errors tied to their fields."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from sqlmodel import select

from app import create_app
from app.demo import load_demo
from app.models import Group, User
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


def _signed_in(browser, live_server, login: str | None, password: str | None, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="da-DK", service_workers="block")
    context.add_init_script(path=AXE_SCRIPT)  # outside the page's CSP, like an extension
    page = context.new_page()
    page.set_default_timeout(10_000)
    if login:
        page.goto(f"{live_server}/auth/login")
        page.fill("#login", login)
        page.fill("#password", password)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(lambda url: "/auth/login" not in url)
    return page


def _visitors(browser, live_server, logins, viewport):
    """Who may open what: nobody, a participant, one in aftercare, a consultant, an admin."""
    by_role = {}
    for role, login, password in logins:
        by_role.setdefault(role, []).append((login, password))
    wanted = [(None, None), by_role["participant"][0], by_role["participant"][6],
              by_role["consultant"][0], by_role["admin"][0]]
    return [_signed_in(browser, live_server, login, password, viewport)
            for login, password in wanted]


def _violations(page) -> list[str]:
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:4]}" for v in found]


def test_axe_finds_nothing_on_any_page(browser, live_server, demo):
    logins, args = demo
    problems, opener = [], {}
    for viewport in (PHONE, DESKTOP):
        visitors = _visitors(browser, live_server, logins, viewport)
        # Every page in every language on a phone; the desktop in Danish, where layouts differ.
        for lang in LANGUAGES if viewport is PHONE else ("da",):
            for page in visitors:
                page.context.set_extra_http_headers({"Accept-Language": lang})
            for endpoint, rule in PAGES:
                url = f"{live_server}{_url(rule, args, lang)}"
                # The first visitor who may open the page, remembered for the next rounds.
                for index in [opener[endpoint]] if endpoint in opener else range(len(visitors)):
                    page = visitors[index]
                    response = page.goto(url)
                    if response.ok and ("/auth/login" not in page.url or endpoint == "auth.login"):
                        opener[endpoint] = index
                        break
                else:
                    problems.append(f"{endpoint}: nobody could open {url}")
                    continue
                problems += [f"{endpoint} {lang} {viewport['width']}px: {v}"
                             for v in _violations(page)]
        for page in visitors:
            page.context.close()
    assert problems == [], "\n".join(problems)
