"""Arabic at 360 × 740 in real Chromium: the participant's page is the Danish one mirrored.

Each landmark's left edge in Danish must be as far from the right edge in Arabic, measured on
the rendered page (words differ in width between languages; where a thing starts does not)."""

from __future__ import annotations

import pytest

from tests.conftest import submit_sign_in
from tests.test_plan_factories import add_subgoal

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

WIDTH = 360
# What a person finds by position: the name of the app, the page heading's text, the first
# and last tab of the bottom bar, and the first language offered. (The tick button spans the
# card, so its icon and words are checked instead.)
LANDMARKS = {
    "brand": ".brand",
    "heading": "main h1",
    "first tab": ".bottom-nav a >> nth=0",
    "last tab": ".bottom-nav a >> nth=-1",
    "first language": ".page-footer button >> nth=0",
}
TICK = "#subgoal-list button[type=submit] >> nth=0"
# The element's box; for the heading the text itself, since the block spans the whole line.
BOX = """element => {
  let box = element.getBoundingClientRect();
  if (element.matches("h1")) {
    const range = document.createRange();
    range.selectNodeContents(element);
    box = range.getBoundingClientRect();
  }
  return {start: box.left, end: box.right};
}"""

WORDS_BOX = """button => {
  const text = [...button.childNodes].find(node => node.nodeType === 3 && node.data.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const box = range.getBoundingClientRect();
  return {start: box.left, end: box.right};
}"""


def _edges(page) -> dict[str, tuple[float, float]]:
    page.wait_for_selector(".bottom-nav")
    edges = {}
    for name, selector in LANDMARKS.items():
        box = page.locator(selector).evaluate(BOX)
        edges[name] = (box["start"], box["end"])
    # The tick's icon and its words, inside a button whose content is centred.
    icon = page.locator(f"{TICK} >> svg").evaluate(BOX)
    edges["tick icon"] = (icon["start"], icon["end"])
    words = page.locator(TICK).evaluate(WORDS_BOX)
    edges["tick words"] = (words["start"], words["end"])
    return edges


def test_arabic_mirrors_the_participants_page(live_server, phone, db, participant):
    add_subgoal(db, participant, "Købe et buskort")
    db.commit()
    submit_sign_in(phone, participant.login, at=f"{live_server}/auth/login")
    phone.wait_for_url(f"{live_server}/plan/")
    danish = _edges(phone)
    phone.locator(".page-footer").get_by_role("button", name="العربية").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    arabic = _edges(phone)
    for name in LANDMARKS:
        start = danish[name][0]
        # The distance from the left edge in Danish is the distance from the right in Arabic.
        assert abs((WIDTH - arabic[name][1]) - start) <= 2, (name, danish[name], arabic[name])
    # The icon leads its words in both directions: left of them in Danish, right in Arabic.
    assert danish["tick icon"][1] <= danish["tick words"][0]
    assert arabic["tick icon"][0] >= arabic["tick words"][1]
    assert phone.console_errors == []
