"""Every participant in their own language: the switcher, the first visit, the language kept
with the user, and the language a message was written in shown to the consultant."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import select

from app.i18n import LANGUAGES
from app.messages import service
from app.models import Message, User
from tests.conftest import cid, sign_in


# The six languages the catalogs are coming for, to prove the switcher needs no template change.
def _switcher(page: str) -> str:
    return re.search(r'<details class="language-switcher">.*?</details>', page, re.S).group(0)


def test_the_switcher_is_a_disclosure_with_every_language_named_in_itself(app):
    switcher = _switcher(app.test_client().get("/auth/login").get_data(as_text=True))
    summary = re.search(r"<summary>.*?</summary>", switcher, re.S).group(0)
    assert '<span class="current-language" lang="da" dir="ltr">Dansk</span>' in summary
    assert 'method="post"' in switcher and 'name="csrf_token"' in switcher
    buttons = re.findall(r'<button type="submit" name="lang" value="(\w+)"\s*'
                         r'(aria-current="true")?><span lang="(\w+)" dir="(\w+)">([^<]+)</span>'
                         r"</button>", switcher)
    named = [("da", "ltr", "Dansk"), ("en", "ltr", "English"), ("ar", "rtl", "العربية"),
             ("so", "ltr", "Soomaali"), ("tr", "ltr", "Türkçe"), ("ur", "rtl", "اردو"),
             ("fa", "rtl", "فارسی"), ("uk", "ltr", "Українська"), ("pl", "ltr", "Polski")]
    assert [(value, lang, direction, name) for value, _, lang, direction, name in buttons] == [
        (code, code, direction, name) for code, direction, name in named]
    assert [value for value, current, *_ in buttons if current] == ["da"]


def test_the_switcher_follows_languages_without_a_template_change(app, monkeypatch):
    monkeypatch.setitem(LANGUAGES, "xx", "Xxish")
    page = app.test_client().get("/auth/login", headers={"Accept-Language": "ur-PK"})
    switcher = _switcher(page.get_data(as_text=True))
    assert '<html lang="ur" dir="rtl">' in page.get_data(as_text=True)
    for code, name in LANGUAGES.items():
        direction = "rtl" if code in ("ar", "ur", "fa") else "ltr"
        assert f'value="{code}"' in switcher
        assert f'<span lang="{code}" dir="{direction}">{name}</span>' in switcher
    assert switcher.count('name="lang"') == 10  # the nine, and one more without a template change


def _footer_languages(page: str) -> list[str]:
    footer = re.search(r'<footer class="page-footer".*?</footer>', page, re.S).group(0)
    assert 'action="/language"' in footer and 'name="csrf_token"' in footer
    return re.findall(r'name="lang" value="(\w+)"', footer)


@pytest.mark.parametrize("who", ["nobody", "participant", "consultant"])
def test_every_language_lies_open_at_the_foot_of_each_page(app, who, participant, consultant):
    client = app.test_client()
    if who != "nobody":
        sign_in(client, {"participant": participant, "consultant": consultant}[who])
    path = {"nobody": "/auth/login", "participant": "/plan/", "consultant": "/caseload/"}[who]
    page = client.get(path).get_data(as_text=True)
    assert _footer_languages(page) == list(LANGUAGES)
    # Back to the page it was chosen on.
    assert f'name="next" value="{path}"' in page


@pytest.mark.parametrize(("headers", "back_to"), [
    ({"Referer": "http://localhost/attendance/?week=2026-11-16"}, "/attendance/?week=2026-11-16"),
    ({"Referer": "https://elsewhere.example/attendance/"}, "/"),
    ({}, "/"),
])
def test_a_form_answered_with_errors_comes_back_to_its_page(participant_client, headers,
                                                             back_to):
    # /attendance/hours takes only POST: the language list must not lead back to it.
    response = participant_client.post(
        "/attendance/hours", data={"hours": "lots", "client_id": cid()}, headers=headers)
    assert response.status_code == 422
    assert f'name="next" value="{back_to}"' in response.get_data(as_text=True)


def test_a_form_whose_address_has_a_page_comes_back_to_it(participant_client):
    response = participant_client.post("/walks", data={"minutes": "lots", "client_id": cid()})
    assert response.status_code == 422
    assert 'name="next" value="/walks"' in response.get_data(as_text=True)


def test_a_wrong_password_keeps_the_page_asked_for(app, csrf_off, participant):
    response = app.test_client().post("/auth/login?next=/messages/",
                                      data={"login": participant.login, "password": "forkert"})
    assert response.status_code == 422
    assert 'name="next" value="/auth/login?next=/messages/"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("header", "expected"), [
    ("da-DK", "da"), ("da", "da"), ("en-GB,en;q=0.8", "en"), ("en-US", "en"), ("ar-EG", "ar"),
    ("ar", "ar"), ("so-SO", "so"), ("tr-TR", "tr"), ("ur-PK", "ur"), ("fa-IR", "fa"),
    ("uk-UA", "uk"), ("pl-PL", "pl"), ("de-DE,fa;q=0.7", "fa"), ("de-DE", "da"), ("", "da"),
])
def test_a_first_visit_opens_in_the_browsers_language(app, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = app.test_client().get("/auth/login", headers=headers).get_data(as_text=True)
    direction = "rtl" if expected in ("ar", "ur", "fa") else "ltr"
    assert f'<html lang="{expected}" dir="{direction}">' in page


def test_signing_in_keeps_the_browsers_language_with_the_user(app, db, csrf_off, participant):
    participant.locale = None
    db.add(participant)
    db.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar-EG"
    sign_in(client, participant)
    db.expire_all()
    assert db.exec(select(User.locale).where(User.id == participant.id)).one() == "ar"


def test_a_language_chosen_before_signing_in_is_kept(app, db, csrf_off, participant):
    participant.locale = "ar"
    db.add(participant)
    db.commit()
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/auth/login"})
    sign_in(client, participant)
    assert db.exec(select(User.locale).where(User.id == participant.id)).one() == "en"
    assert '<html lang="en"' in client.get("/plan/").get_data(as_text=True)


def test_a_stored_language_wins_over_the_browser(app, db, csrf_off, participant):
    participant.locale = "ar"
    db.add(participant)
    db.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, participant)
    assert '<html lang="ar" dir="rtl">' in client.get("/plan/").get_data(as_text=True)


def _send_as(client, path: str, body: str) -> None:
    response = client.post(path, data={"body": body, "client_id": str(uuid.uuid4())})
    assert response.status_code == 303


def test_a_message_keeps_the_language_it_was_written_in(app, db, csrf_off, participant,
                                                         consultant):
    participant.locale = "ar"
    db.add(participant)
    db.commit()
    phone = sign_in(app.test_client(), participant)
    _send_as(phone, "/messages/", "مرحبا")
    desk = app.test_client()
    desk.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(desk, consultant)
    _send_as(desk, f"/messages/for/{participant.id}", "Hello")
    db.expire_all()
    assert [(m.body, m.language) for m in db.exec(select(Message).order_by(Message.id))] == [
        ("مرحبا", "ar"), ("Hello", "en")]

    page = desk.get(f"/messages/for/{participant.id}").get_data(as_text=True)
    # The participant's message is tagged; the consultant's own is not.
    assert page.count("Written in") == 1
    assert 'Written in <span lang="ar" dir="rtl">العربية</span>' in page
    assert 'Sara uses Trædesten in <span lang="ar" dir="rtl">العربية</span>.' in page
    # The participant never sees the tags.
    assert "Written in" not in phone.get(
        "/messages/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_message_in_the_consultants_own_language_is_not_tagged(app, db, english, consultant,
                                                                  participant):
    service.send_message(db, participant_id=participant.id, sender=participant, body="Hi",
                         client_id=None, language="en")
    service.send_message(db, participant_id=participant.id, sender=participant, body="Hej",
                         client_id=None)
    client = app.test_client()
    page = sign_in(client, consultant).get(f"/messages/for/{participant.id}")
    assert "Written in" not in page.get_data(as_text=True)


def test_the_participants_page_shows_their_language(app, db, english, csrf_off, consultant,
                                                    participant):
    client = sign_in(app.test_client(), consultant)
    participant.locale = None
    db.add(participant)
    db.commit()
    page = client.get(f"/caseload/{participant.id}").get_data(as_text=True)
    assert "<dt>Language</dt>" in page and "Not chosen yet" in page
    participant.locale = "ar"
    db.add(participant)
    db.commit()
    page = client.get(f"/caseload/{participant.id}").get_data(as_text=True)
    assert '<dd><span lang="ar" dir="rtl">العربية</span></dd>' in page


def test_no_browser_language_leaves_the_choice_open(app, db, csrf_off, participant):
    participant.locale = None
    db.add(participant)
    db.commit()
    sign_in(app.test_client(), participant)
    assert db.exec(select(User.locale).where(User.id == participant.id)).one() is None
