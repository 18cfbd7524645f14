from tests.conftest import PASSWORD, sign_in


def test_login_and_home_redirects_participant_to_plan(app, csrf_off, participant):
    client = sign_in(app.test_client(), participant)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plan/")
