"""My data: the page and the download of everything about me."""

from __future__ import annotations

import json

import pytest

from app.timeutil import local_today
from tests.conftest import htmx_headers

pytestmark = pytest.mark.usefixtures("english")


def test_my_data_shows_consultant_me_and_language(participant_client, participant):
    page = participant_client.get("/me/").get_data(as_text=True)
    assert "Mette Fiktiv" in page and ">MF<" in page  # the consultant and initials
    assert "Sara" in page and participant.login in page
    assert 'lang="en">English<' in page
    assert "Only your consultant can see it" in page
    # A file download must not be boosted into the page.
    assert 'href="/me/export.json" hx-boost="false" download' in page


def test_my_data_is_a_full_page_when_boosted(participant_client):
    response = participant_client.get("/me/", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in response.get_data(as_text=True)


def test_export_is_a_private_json_download(participant_client, participant):
    response = participant_client.get("/me/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=traedesten-my-data-{local_today().isoformat()}.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["login"] == participant.login
    assert data["enrolments"][0]["consultant"] == "Mette"


def test_export_holds_only_my_own_data(participant_client, other_participant_client):
    mine = participant_client.get("/me/export.json").get_data(as_text=True)
    theirs = other_participant_client.get("/me/export.json").get_data(as_text=True)
    assert '"Sara"' in mine and "Ahmad" not in mine
    assert '"Ahmad"' in theirs and "Sara" not in theirs


@pytest.mark.parametrize("path", ["/me/", "/me/export.json"])
def test_my_data_needs_sign_in(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    response = app.test_client().get(path, headers=htmx_headers())
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("path", ["/me/", "/me/export.json"])
def test_my_data_is_for_participants_only(consultant_client, path):
    assert consultant_client.get(path).status_code == 403
