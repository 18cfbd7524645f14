"""The stylesheet mirrors itself for Arabic, Urdu and Farsi: only logical properties
(inline-start/end), never a physical left or right that a right-to-left page would keep."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
# A property for one physical side, or a property whose value names one.
PHYSICAL_PROPERTY = re.compile(
    r"^(?:(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)[\w-]*"
    r"|left|right|border-(?:top|bottom)-(?:left|right)-radius)$")
PHYSICAL_VALUE = re.compile(r"\b(?:left|right)\b|translateX\(")
# Shorthands whose four values run top, right, bottom, left: right and left must agree.
FOUR_SIDES = {"margin", "padding", "inset", "border-width", "border-style", "border-color",
              "scroll-margin", "scroll-padding"}


def _declarations(css: str) -> list[tuple[str, str]]:
    """Every (property, value) inside a rule's braces; selectors are never read."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for block in re.findall(r"\{([^{}]*)\}", css):
        for declaration in block.split(";"):
            prop, colon, value = declaration.partition(":")
            if colon:
                found.append((prop.strip().lower(), value.strip()))
    return found


def _physical(prop: str, value: str) -> bool:
    values = value.replace("!important", "").split()
    if PHYSICAL_PROPERTY.match(prop) or PHYSICAL_VALUE.search(value):
        return True
    if prop in FOUR_SIDES and len(values) == 4:
        return values[1] != values[3]
    if prop == "border-radius" and "/" not in value and len(values) > 1:
        # Corners run top-left, top-right, bottom-right, bottom-left.
        corners = (values * 4)[:4] if len(values) == 2 else values + values[1:2]
        return corners[0] != corners[1] or corners[2] != corners[3]
    return False


def test_the_stylesheet_has_no_physical_left_or_right():
    declarations = _declarations(STYLESHEET.read_text(encoding="utf-8"))
    assert len(declarations) > 300
    assert [f"{prop}: {value}" for prop, value in declarations if _physical(prop, value)] == []


@pytest.mark.parametrize("rule", [
    ".x { margin-left: 1rem; }", ".x { left: 0; }", ".x { text-align: right; }",
    ".x { padding-right: 0 }", ".x { float: left; }", ".x { margin: 0 1rem 0 0; }",
    ".x { border-radius: 8px 0 0 8px; }", ".x { inset: 0 auto 0 0; }",
    ".x { background-position: left top; }",
    ".x { background: linear-gradient(to right, red, blue); }",
    ".x { transform: translateX(4px); }", "@media (min-width: 40rem) { .x { right: 0; } }",
])
def test_the_check_sees_a_physical_side(rule):
    assert any(_physical(prop, value) for prop, value in _declarations(rule))


@pytest.mark.parametrize("rule", [
    ".x { margin-inline-start: 1rem; }", ".x { inset-inline-end: 0; }",
    ".x { text-align: start; }", ".x { border-start-start-radius: 4px; }",
    ".x { float: inline-start; }", ".x { margin: 0 1rem; }", ".x { padding: 1rem 2rem 0 2rem; }",
    ".x { border-radius: 8px; }", ".x { border-radius: 8px 8px 0 0; }",
    "a.right:hover { color: red; }",
])
def test_the_check_lets_a_logical_rule_pass(rule):
    assert not any(_physical(prop, value) for prop, value in _declarations(rule))
