"""Sign-in, activation, sessions and rate limits as a user meets them."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from sqlmodel import select

from app.auth import service
from app.models import ActivationCode, LoginSession, User, utcnow
from tests.conftest import PASSWORD, htmx_headers, sign_in


def test_participant_signs_in_and_lands_on_plan(app, csrf_off, participant):
    client = sign_in(app.test_client(), participant)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plan/")


def test_staff_signs_in_with_email_in_any_case(app, csrf_off, consultant):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": " Konsulent@Example.org ",
                                                "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/").headers["Location"].endswith("/caseload/")


def test_wrong_password_is_refused_with_message_and_login_kept(app, csrf_off, participant):
    response = app.test_client().post(
        "/auth/login", data={"login": participant.login, "password": "forkert-kodeord"},
        headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not right" in page
    assert f'value="{participant.login}"' in page


def test_empty_fields_get_field_errors(app, csrf_off):
    response = app.test_client().post("/auth/login", data={"login": "", "password": ""},
                                      headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write your e-mail or user name." in page
    assert 'aria-invalid="true"' in page


def test_login_is_rate_limited_per_name(app, csrf_off, participant):
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"login": participant.login, "password": "nej-nej-nej"})
    response = client.post("/auth/login", data={"login": participant.login, "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/plan/").status_code == 303  # still signed out


def test_next_parameter_only_allows_local_paths(app, csrf_off, participant):
    client = app.test_client()
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"login": participant.login, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/walks/",
                           data={"login": participant.login, "password": PASSWORD})
    assert response.headers["Location"] == "/walks/"


# Browsers read a backslash as a slash and drop tabs and newlines, so each of these would
# leave the site.
OFFSITE = ["/\\evil.example/x", "/%5Cevil.example/x", "/%09/evil.example/x", "https://evil.example"]


@pytest.mark.parametrize("target", OFFSITE)
def test_next_never_leads_off_the_site(app, csrf_off, participant, target):
    client = app.test_client()
    response = client.post(f"/auth/login?next={target}",
                           data={"login": participant.login, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    response = client.post("/language", data={"lang": "en", "next": unquote(target)})
    assert response.headers["Location"] == "/"


def test_unauthenticated_page_redirects_and_htmx_gets_hx_redirect(app):
    client = app.test_client()
    response = client.get("/plan/")
    assert response.status_code == 303
    assert "/auth/login?next=/plan/" in response.headers["Location"]
    response = client.get("/plan/", headers=htmx_headers())
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/auth/login")
    assert response.get_data() == b""


def test_activation_sets_password_and_signs_in(app, csrf_off, db, consultant):
    from app.caseload.service import create_participant

    with app.test_request_context():
        participant, code = create_participant(db, consultant=consultant, display_name="Søren")
        db.commit()
    assert participant.login.startswith("soren-")
    client = app.test_client()
    response = client.post("/auth/activate", data={
        "code": code.lower().replace("-", " "), "password": "mit-nye-kodeord",
        "confirm": "mit-nye-kodeord"})
    assert response.status_code == 303
    welcome = client.get("/welcome").get_data(as_text=True)
    assert participant.login in welcome
    # The code is single-use.
    client.post("/auth/logout")
    again = app.test_client().post("/auth/activate", data={
        "code": code, "password": "et-andet-kodeord", "confirm": "et-andet-kodeord"})
    assert again.status_code == 422
    # The chosen password works.
    sign_in(app.test_client(), participant, "mit-nye-kodeord")


def _new_participant_code(app, db, consultant) -> tuple[User, str]:
    from app.caseload.service import create_participant

    with app.test_request_context():
        participant, code = create_participant(db, consultant=consultant, display_name="Ib")
        db.commit()
    return participant, code


def _refused(app, code: str) -> None:
    response = app.test_client().post("/auth/activate", data={
        "code": code, "password": "mit-nye-kodeord", "confirm": "mit-nye-kodeord"},
        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "does not work" in response.get_data(as_text=True)


def test_a_deactivated_persons_code_sets_no_password(app, csrf_off, db, consultant):
    participant, code = _new_participant_code(app, db, consultant)
    participant.active = False
    db.commit()
    _refused(app, code)
    db.expire_all()
    assert db.get(User, participant.id).password_hash is None
    assert db.get(ActivationCode, db.exec(select(ActivationCode.id)).one()).used_at is None


def test_activation_errors_keep_the_code(app, csrf_off):
    response = app.test_client().post("/auth/activate", data={
        "code": "ABCD-2345", "password": "kort", "confirm": "andet"},
        headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at least 8 characters" in page
    assert "not the same" in page
    assert 'value="ABCD-2345"' in page


def test_expired_activation_code_is_refused(app, csrf_off, db, consultant):
    _participant, code = _new_participant_code(app, db, consultant)
    row = db.exec(select(ActivationCode)).one()
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    _refused(app, code)


def test_logout_revokes_the_session_on_the_server(app, csrf_off, db, participant):
    client = sign_in(app.test_client(), participant)
    cookie = client.get_cookie("traedesten")
    client.post("/auth/logout")
    assert db.exec(select(LoginSession)).one().revoked_at is not None
    # Replaying the old cookie does not bring the session back.
    replay = app.test_client()
    replay.set_cookie("traedesten", cookie.value)
    assert replay.get("/plan/").status_code == 303


def test_staff_session_ends_after_idle_minutes(app, csrf_off, db, consultant):
    client = sign_in(app.test_client(), consultant)
    assert client.get("/caseload/").status_code == 200
    row = db.exec(select(LoginSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["STAFF_IDLE_MINUTES"] + 1)
    db.commit()
    assert client.get("/caseload/").status_code == 303


def test_participant_session_lasts_weeks_and_slides(app, csrf_off, db, participant):
    client = sign_in(app.test_client(), participant)
    row = db.exec(select(LoginSession)).one()
    assert row.expires_at - utcnow() > timedelta(days=27)
    row.last_seen_at = utcnow() - timedelta(days=10)
    row.expires_at = utcnow() + timedelta(days=20)
    db.commit()
    assert client.get("/plan/").status_code == 200
    db.refresh(row)
    assert row.expires_at - utcnow() > timedelta(days=29)


def test_deactivated_user_is_signed_out(app, csrf_off, db, participant):
    client = sign_in(app.test_client(), participant)
    db.get(User, participant.id).active = False
    db.commit()
    assert client.get("/plan/").status_code == 303


def test_password_hash_is_argon2id(app, db, participant):
    assert db.get(User, participant.id).password_hash.startswith("$argon2id$")
    with app.app_context():
        assert service.verify_password(participant, PASSWORD)
        assert not service.verify_password(participant, PASSWORD + "x")
