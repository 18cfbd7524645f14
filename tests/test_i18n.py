"""Languages: catalogs complete, placeholders kept, the user's choice remembered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from app.i18n import LANGUAGES, weekday_names
from app.models import User
from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
# English msgids are the English text; other catalogs must translate every string.
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _catalog(code: str):
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def _keys(catalog) -> set[tuple[str | None, str]]:
    """Each entry as (context, msgid): "Attendance" in the bottom bar is its own entry."""
    return {(message.context, message.id if isinstance(message.id, str) else message.id[0])
            for message in catalog if message.id}


def _template_ids() -> set[tuple[str | None, str]]:
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        return _keys(read_po(handle))


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalog_has_every_string_of_the_template(code):
    assert _template_ids() - _keys(_catalog(code)) == set()


def test_an_entry_with_a_context_is_missed_on_its_own():
    catalog = _catalog("da")
    catalog.delete("My plan", context="bottom bar")
    assert _template_ids() - _keys(catalog) == {("bottom bar", "My plan")}


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_translates_everything_with_the_same_placeholders(code):
    problems = []
    for message in _catalog(code):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(strings) or message.fuzzy:
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = {match for match in PLACEHOLDER.findall(ids[0])}
        for text in strings:
            if {match for match in PLACEHOLDER.findall(text)} != expected:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert problems == []


def test_danish_is_the_default_and_browser_language_is_respected(app):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in page
    assert "Log ind" in page
    page = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True)
    assert '<html lang="en"' in page and "Sign in" in page


def test_language_choice_is_stored_for_the_user(app, csrf_off, db, participant):
    client = sign_in(app.test_client(), participant)
    response = client.post("/language", data={"lang": "en", "next": "/plan/"})
    assert response.status_code == 303 and response.headers["Location"] == "/plan/"
    assert db.exec(select(User.locale).where(User.id == participant.id)).one() == "en"
    # A new device of the same user opens in the stored language.
    other = sign_in(app.test_client(), participant)
    assert '<html lang="en"' in other.get("/plan/").get_data(as_text=True)


def test_unknown_language_is_refused(app, csrf_off):
    assert app.test_client().post("/language", data={"lang": "xx"}).status_code == 400


def test_language_switcher_names_each_language_in_itself(app):
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in page and ">English<" in page


@pytest.mark.parametrize(("locale", "expected"), [
    ("da", "tirsdag 3. december"),
    ("en", "Tuesday, December 3"),
])
def test_days_are_written_the_locales_way(app, locale, expected):
    from datetime import date

    from flask_babel import force_locale

    from app.i18n import format_day

    with app.test_request_context(), force_locale(locale):
        assert format_day(date(2024, 12, 3)) == expected


def test_a_moment_is_shown_on_its_copenhagen_day(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from app.i18n import format_day

    late_evening_utc = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)  # 01:30 on 2 June in Copenhagen
    with app.test_request_context(), force_locale("da"):
        assert format_day(late_evening_utc, "day") == "2. juni"


def test_weekday_names_start_on_monday_in_every_language(app):
    for lang, monday in (("da", "mandag"), ("ar", "الاثنين"), ("en", "Monday")):
        with app.test_request_context(headers={"Accept-Language": lang}):
            names = weekday_names()
            assert list(names) == list(range(7)) and names[0] == monday
