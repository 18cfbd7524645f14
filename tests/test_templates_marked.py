"""Every word a template shows goes through gettext: a template with unmarked visible text
fails here, before a participant meets an English word on a Danish page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Words that are the same in every language.
ALLOWED = {"Trædesten"}
# Attributes a person sees or hears read aloud.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}

JINJA = [
    re.compile(r"{#.*?#}", re.S),  # comments
    re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S),  # marked sentences
    re.compile(r"{%\s*block page_class\s*%}.*?{%\s*endblock\s*%}", re.S),  # a CSS class
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
LETTER = re.compile(r"[^\W\d_]")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.found += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def unmarked_text(source: str) -> list[str]:
    """Visible text with letters left in a template once Jinja's own parts are taken out."""
    for pattern in JINJA:
        source = pattern.sub(" ", source)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    texts = (" ".join(text.split()).strip(" ·–|") for text in parser.found)
    return [text for text in texts if LETTER.search(text) and text not in ALLOWED]


def test_the_check_finds_unmarked_text():
    source = """{# a note #}<p>{{ _('Fine') }}</p><button title="Close">{% trans %}Also
    fine{% endtrans %}</button><script>var x = "code";</script><span>Trædesten</span>
    <p>Unmarked words</p>"""
    assert unmarked_text(source) == ["Close", "Unmarked words"]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_templates_show_no_unmarked_text(path):
    assert unmarked_text(path.read_text(encoding="utf-8")) == []
