"""Authorization checked for every route in the URL map, so a new route cannot be forgotten."""

from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import sign_in

# Reachable without signing in, on purpose.
PUBLIC = {"static", "auth.login", "auth.login_post", "auth.activate", "auth.activate_post",
          "core.set_language", "core.healthz", "pwa.service_worker", "pwa.manifest", "pwa.offline",
          "push.worker"}


def _routes():
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "map-only"})
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.rule, sorted(rule.arguments)
    app.extensions["engine"].dispose()


ROUTES = list(_routes())
PRIVATE = [route for route in ROUTES if route[0] not in PUBLIC]
ADMIN = [route for route in PRIVATE if route[0].startswith("admin.")]
STAFF = [route for route in PRIVATE if "participant_id" in route[3] and route not in ADMIN]


def _url(rule: str, participant_id: int) -> str:
    # Unknown ids are fine: the checks must answer before any object is looked at.
    return (rule.replace("<int:participant_id>", str(participant_id))
            .replace("<int:subgoal_id>", "1").replace("<int:step_id>", "1")
            .replace("<int:absence_id>", "1").replace("<int:meeting_id>", "1")
            .replace("<int:user_id>", "1").replace("<event>", "job")
            .replace("<int:day_off_id>", "1")
            .replace("<int:phrase_id>", "1").replace("<int:group_id>", "1")
            .replace("<int:check_in_id>", "1"))


def test_the_map_is_covered():
    assert len(PRIVATE) > 30 and len(STAFF) > 10
    leftovers = [rule for _e, _m, rule, _a in PRIVATE if "<" in _url(rule, 1)]
    assert leftovers == [], "add the new URL argument to _url()"


@pytest.mark.parametrize(("endpoint", "method", "rule", "args"), PRIVATE)
def test_every_private_route_needs_sign_in(app, csrf_off, endpoint, method, rule, args):
    response = app.test_client().open(_url(rule, 1), method=method)
    assert response.status_code == 303, endpoint
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("endpoint", "method", "rule", "args"), STAFF)
def test_staff_routes_refuse_participants(app, csrf_off, participant, endpoint, method, rule,
                                          args):
    client = sign_in(app.test_client(), participant)
    assert client.open(_url(rule, participant.id), method=method).status_code == 403, endpoint


@pytest.mark.parametrize(("endpoint", "method", "rule", "args"), STAFF)
def test_staff_routes_hide_other_caseloads(app, csrf_off, other_consultant, participant,
                                           endpoint, method, rule, args):
    client = sign_in(app.test_client(), other_consultant)
    assert client.open(_url(rule, participant.id), method=method).status_code == 404, endpoint


@pytest.mark.parametrize(("endpoint", "method", "rule", "args"), ADMIN)
def test_admin_routes_refuse_consultants_and_participants(app, csrf_off, consultant, participant,
                                                          endpoint, method, rule, args):
    for user in (consultant, participant):
        client = sign_in(app.test_client(), user)
        assert client.open(_url(rule, participant.id), method=method).status_code == 403, endpoint
