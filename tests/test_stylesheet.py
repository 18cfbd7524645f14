"""The stylesheet mirrors itself for Arabic, Urdu and Farsi: only logical properties
(inline-start/end), never a physical left or right a right-to-left page would keep."""

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|inset)-(?:left|right)[\w-]*"
    r"|left|right)\s*:"  # properties
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)"  # a direction spelt out
    r"|border-(?:top|bottom)-(?:left|right)-radius"
)


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_the_stylesheet_has_no_physical_left_or_right():
    css = _without_comments(STYLESHEET.read_text(encoding="utf-8"))
    assert len(css) > 10_000
    found = [line.strip() for line in css.splitlines() if PHYSICAL.search(line)]
    assert found == []


def test_the_check_would_see_a_physical_property():
    for rule in (".x { margin-left: 1rem; }", ".x { left: 0; }", ".x { text-align: right; }",
                 ".x { padding-right: 0 }", ".x { float: left; }"):
        assert PHYSICAL.search(rule), rule
    for rule in (".x { margin-inline-start: 1rem; }", ".x { inset-inline-end: 0; }",
                 ".x { text-align: start; }", ".x { border-start-start-radius: 4px; }",
                 ".x { float: inline-start; }"):
        assert not PHYSICAL.search(rule), rule
