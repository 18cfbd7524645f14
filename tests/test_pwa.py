"""Installable and offline, from the server's side: manifest, service worker, offline page,
fingerprinted static files, the replay token and signing out."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.assets import IMMUTABLE
from app.models import Attendance
from app.pwa.service import OFFLINE_PAGES
from tests.conftest import rows, sign_in, text


def test_manifest_per_language(app):
    client = app.test_client()
    response = client.get("/manifest.webmanifest?lang=ar")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.json
    assert manifest["name"] == manifest["short_name"] == "Trædesten"
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    icons = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert icons == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get("/manifest.webmanifest?lang=da").json["dir"] == "ltr"


def test_manifest_without_a_known_language_follows_the_browser(app):
    client = app.test_client()
    manifest = client.get("/manifest.webmanifest?lang=xx",
                          headers={"Accept-Language": "en"}).json
    assert manifest["lang"] == "en"


def test_pages_link_the_manifest_in_their_language(app):
    page = text(app.test_client().get("/auth/login", headers={"Accept-Language": "ar"}))
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=ar">' in page


def test_service_worker_at_the_root_never_stale(app):
    response = app.test_client().get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response.headers
    body = text(response)
    settings = re.search(r"const SETTINGS = (\{.*\});", body)
    assert settings, "the settings line is rendered"
    assert "skipWaiting" in body and "clients.claim" in body


def test_service_worker_precaches_fingerprinted_files_that_exist(app):
    client = app.test_client()
    body = text(client.get("/sw.js"))
    urls = re.findall(r'"(/static/[^"]+)"', body)
    assert urls and all("?v=" in url for url in urls)
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_a_changed_static_file_is_a_new_deploy(app, tmp_path):
    from app.pwa.service import deploy_version

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body {}")
    app.static_folder = str(tmp_path)
    with app.test_request_context():
        before = deploy_version()
        (tmp_path / "css" / "app.css").write_text("body { color: black }")
        assert deploy_version() != before


@pytest.mark.parametrize(("lang", "direction"), [("da", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_offline_page_in_each_language(app, lang, direction):
    response = app.test_client().get(f"/offline/{lang}")
    assert response.status_code == 200
    page = text(response)
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert "<form" not in page and "Set-Cookie" not in response.headers
    assert 'href="/plan/"' in page


def test_offline_page_is_in_english_for_english(app):
    assert "No connection right now" in text(app.test_client().get("/offline/en"))


def test_offline_page_for_an_unknown_language_is_404(app):
    assert app.test_client().get("/offline/xx").status_code == 404


def test_static_urls_carry_a_content_hash(app):
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="css/app.css")
        assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", url)
        assert url_for("static", filename="no/such.file") == "/static/no/such.file"
    page = text(app.test_client().get("/auth/login"))
    assert re.search(r'href="/static/css/app\.css\?v=[0-9a-f]{12}"', page)


def test_fingerprinted_static_files_are_cached_for_a_year(app):
    client = app.test_client()
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="js/app.js")
    with client.get(url) as response:
        assert response.headers["Cache-Control"] == IMMUTABLE
    # Without the fingerprint, or with an old one: today's file, checked on every use.
    for stale in ("/static/js/app.js", "/static/js/app.js?v=000000000000"):
        with client.get(stale) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-cache"


def test_csrf_token_names_the_user_it_is_for(app, csrf_off, participant, other_participant):
    client = sign_in(app.test_client(), participant)
    answer = client.get("/csrf-token").json
    assert answer["user_id"] == participant.id and answer["csrf_token"]
    other = sign_in(app.test_client(), other_participant)
    assert other.get("/csrf-token").json["user_id"] == other_participant.id


def test_a_fresh_token_lets_a_queued_write_through(app, db, participant):
    """The outbox's replay: no form token, the fresh one as a header, as htmx would; sent
    twice (the page and Background Sync racing), it is saved once."""
    client = sign_in(app.test_client(), participant)
    token = client.get("/csrf-token").json["csrf_token"]
    data = {"client_id": "5b0c8f5e-5f57-4f6a-9d52-3a6a2d1c7e10"}
    headers = {"X-CSRFToken": token, "HX-Request": "true"}
    first = client.post("/attendance/check-in", data=data, headers=headers)
    again = client.post("/attendance/check-in", data=data, headers=headers)
    assert first.status_code == again.status_code == 200
    assert len(rows(db, select(Attendance).where(Attendance.participant_id == participant.id))) == 1


def test_signing_out_clears_the_site_data(app, csrf_off, participant):
    client = sign_in(app.test_client(), participant)
    response = client.post("/auth/logout")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_participant_pages_carry_the_outbox_and_whose_it_is(app, csrf_off, participant):
    page = text(sign_in(app.test_client(), participant).get("/plan/"))
    assert f'data-user="{participant.id}"' in page
    assert 'id="outbox"' in page and 'class="notice offline-banner"' in page
    assert 'id="install-hint"' in page and "data-sign-out" in page


def test_staff_pages_keep_nothing_offline(app, csrf_off, consultant):
    client = sign_in(app.test_client(), consultant)
    page = text(client.get("/caseload/"))
    assert "data-user" not in page and 'id="outbox"' not in page
    # The service worker keeps copies only of these participant pages; staff never get them.
    with app.test_request_context():
        from flask import url_for

        paths = [url_for(endpoint) for endpoint in OFFLINE_PAGES]
    assert all(client.get(path).status_code == 403 for path in paths)
