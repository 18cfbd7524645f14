"""CSRF, security headers, cookies and the strict CSP the templates must keep."""

from __future__ import annotations

import re
from pathlib import Path

from app import create_app
from app.models import Role
from tests.conftest import PASSWORD, csrf_token, sign_in

ROOT = Path(__file__).resolve().parent.parent


def test_post_without_csrf_token_is_refused(app, participant):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": participant.login, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/plan/").status_code == 303  # not signed in


def test_csrf_token_in_form_or_htmx_header_is_accepted(app, participant):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/auth/login", data={"login": participant.login, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 303
    # After sign-in the session (and so the token) is new; htmx sends it as a header.
    page = client.get("/plan/").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/language", data={"lang": "en", "next": "/plan/"},
                           headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/plan/"


def test_fresh_csrf_token_endpoint_needs_sign_in(app, csrf_off, participant):
    client = app.test_client()
    assert client.get("/csrf-token").status_code == 303
    sign_in(client, participant)
    response = client.get("/csrf-token")
    assert response.json["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_security_headers_and_strict_csp(app, csrf_off, participant):
    client = sign_in(app.test_client(), participant)
    response = client.get("/plan/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_production_cookies_are_secure_host_only_and_lax(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("COOKIE_SECURE", raising=False)
    app = create_app({"DATABASE_URL": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-traedesten"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"].total_seconds() == 0
    with app.test_client() as client:
        response = client.get("/auth/login", base_url="https://localhost")
        cookie = response.headers.get("Set-Cookie", "")
        assert "Strict-Transport-Security" in response.headers
        if cookie:  # a CSRF token in the session sets the cookie
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["engine"].dispose()


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template}: inline script")
        if re.search(r"\sstyle=", text) or "<style" in text:
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=", text) or "hx-on" in text or "js:" in text:
            offenders.append(f"{template}: inline handler")
    assert offenders == []


def test_htmx_is_self_hosted_pinned_with_licence(app):
    client = app.test_client()
    with client.get("/static/vendor/htmx/htmx-2.0.11.min.js") as response:
        assert response.status_code == 200
        assert b"2.0.11" in response.data
    assert (ROOT / "static/vendor/htmx/LICENSE").read_text().startswith("Zero-Clause BSD")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "/static/vendor/htmx/htmx-2.0.11.min.js" in page
    assert '"allowEval": false' in page and '"historyCacheSize": 0' in page


BEYOND_ANY_ID = "99999999999999999999"


def test_an_id_too_big_for_the_database_is_not_found(app, csrf_off, consultant, make_staff):
    # The database's integers are 32-bit: such an id once reached a query and answered 500.
    staff = sign_in(app.test_client(), consultant)
    for url in (f"/caseload/{BEYOND_ANY_ID}", f"/groups/{BEYOND_ANY_ID}",
                f"/messages/for/{2**31}"):
        assert staff.get(url).status_code == 404, url
    admin = sign_in(app.test_client(), make_staff(Role.admin, email="admin@example.org"))
    assert admin.get(f"/admin/participants/{BEYOND_ANY_ID}/consultant").status_code == 404
