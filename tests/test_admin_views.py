"""The admin's pages: who may open them, consultants, a change of consultant, the access log."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.caseload.service import enrolment_of
from app.models import AccessLog, ConsultantChange, Organisation, Role, User
from app.timeutil import local_today
from tests.conftest import PASSWORD, cid, rows, sign_in, text

PAGES = ["/admin/consultants", "/admin/participants", "/admin/access-log"]


@pytest.fixture
def admin_user(make_staff):
    return make_staff(Role.admin, email="admin@example.org", name="Anne Admin")


@pytest.fixture
def boss(app, csrf_off, english, admin_user):
    return sign_in(app.test_client(), admin_user)


def test_the_admin_opens_every_page(boss, participant):
    for page in PAGES + [f"/admin/participants/{participant.id}/consultant"]:
        assert boss.get(page).status_code == 200, page


def test_nobody_else_opens_them(app, csrf_off, consultant, other_consultant, participant):
    clients = [sign_in(app.test_client(), user)
               for user in (consultant, other_consultant, participant)]
    for page in PAGES + [f"/admin/participants/{participant.id}/consultant"]:
        assert app.test_client().get(page).status_code == 303
        for client in clients:
            assert client.get(page).status_code == 403, page
    for client in clients:
        assert client.post(f"/admin/consultants/{consultant.id}/deactivate").status_code == 403


def test_only_admins_see_the_admin_links(app, boss, staff):
    assert 'href="/admin/access-log"' in text(boss.get("/caseload/"))
    assert 'href="/admin/access-log"' not in text(staff.get("/caseload/"))


def test_another_organisations_people_are_not_found(app, db, boss):
    elsewhere = Organisation(name="Et andet fiktivt sted")
    db.add(elsewhere)
    db.commit()
    stranger = User(organisation_id=elsewhere.id, role=Role.consultant, login="x@example.org",
                    display_name="X")
    db.add(stranger)
    db.commit()
    assert boss.post(f"/admin/consultants/{stranger.id}/deactivate").status_code == 404
    assert boss.post(f"/admin/consultants/{stranger.id}/reactivate").status_code == 404


def test_a_new_consultant_chooses_their_own_password(app, db, boss):
    response = boss.post("/admin/consultants", data={"name": "Lise Opdigtet", "client_id": cid(),
                                                     "email": " Lise@Example.org "})
    assert response.status_code == 200
    code = re.search(r'id="activation-code">([A-Z0-9-]+)<', text(response)).group(1)
    [lise] = rows(db, select(User).where(User.login == "lise@example.org"))
    assert (lise.role, lise.password_hash, lise.display_name) == (Role.consultant, None, "Lise")
    phone = app.test_client()
    page = phone.post("/auth/activate", data={"code": code, "password": PASSWORD,
                                              "confirm": PASSWORD})
    assert page.status_code == 303
    assert sign_in(app.test_client(), lise).get("/caseload/").status_code == 200


def test_deactivation_ends_an_unused_activation_code_for_good(app, db, boss):
    response = boss.post("/admin/consultants", data={"name": "Lise Opdigtet", "client_id": cid(),
                                                     "email": "lise@example.org"})
    code = re.search(r'id="activation-code">([A-Z0-9-]+)<', text(response)).group(1)
    [lise] = rows(db, select(User).where(User.login == "lise@example.org"))
    assert boss.post(f"/admin/consultants/{lise.id}/deactivate").status_code == 303
    assert boss.post(f"/admin/consultants/{lise.id}/reactivate").status_code == 303
    page = app.test_client().post("/auth/activate", data={"code": code, "password": PASSWORD,
                                                          "confirm": PASSWORD})
    assert page.status_code == 422


def test_a_double_submit_makes_one_consultant_and_the_code_shown_works(app, db, boss):
    # The code is shown once; a double tap once answered "e-mail taken" and lost it for good.
    data = {"name": "Lise Opdigtet", "email": "lise@example.org", "client_id": cid()}
    first, second = boss.post("/admin/consultants", data=data), boss.post(
        "/admin/consultants", data=data)
    assert (first.status_code, second.status_code) == (200, 200)
    code = re.search(r'id="activation-code">([A-Z0-9-]+)<', text(second)).group(1)
    assert len(rows(db, select(User).where(User.login == "lise@example.org"))) == 1
    page = app.test_client().post("/auth/activate", data={"code": code, "password": PASSWORD,
                                                          "confirm": PASSWORD})
    assert page.status_code == 303


def test_a_new_consultant_needs_a_client_id(boss):
    response = boss.post("/admin/consultants", data={"name": "Lise", "email": "lise@example.org"})
    assert response.status_code == 400


def test_a_taken_or_bad_email_is_refused_and_kept(boss, consultant):
    response = boss.post("/admin/consultants", data={"name": "Mette To", "client_id": cid(),
                                                     "email": "konsulent@example.org"})
    assert response.status_code == 422
    assert "Someone already signs in with this e-mail." in text(response)
    assert 'value="Mette To"' in text(response)
    response = boss.post("/admin/consultants",
                         data={"name": "Mette To", "email": "mette", "client_id": cid()})
    assert response.status_code == 422
    assert "Write a whole e-mail address" in text(response)


def test_a_consultant_with_participants_stays_active(boss, db, consultant, participant):
    response = boss.post(f"/admin/consultants/{consultant.id}/deactivate")
    assert response.status_code == 422
    assert "still the consultant of 1 participant" in text(response)
    assert rows(db, select(User.active).where(User.id == consultant.id)) == [True]


def test_deactivation_ends_sessions_and_sign_in(app, boss, other_consultant):
    desk = sign_in(app.test_client(), other_consultant)
    assert boss.post(f"/admin/consultants/{other_consultant.id}/deactivate").status_code == 303
    assert desk.get("/caseload/").status_code == 303
    refused = app.test_client().post("/auth/login", data={"login": other_consultant.login,
                                                          "password": PASSWORD})
    assert refused.status_code == 422
    assert "Deactivated" in text(boss.get("/admin/consultants"))
    assert boss.post(f"/admin/consultants/{other_consultant.id}/reactivate").status_code == 303
    assert sign_in(app.test_client(), other_consultant).get("/caseload/").status_code == 200


def _change(boss, participant, to, days="14"):
    return boss.post(f"/admin/participants/{participant.id}/consultant",
                     data={"consultant": str(to.id), "overlap_days": days})


def test_a_change_of_consultant_with_overlap(app, db, boss, consultant, other_consultant,
                                             participant):
    response = _change(boss, participant, other_consultant, "10")
    assert response.status_code == 303
    assert _change(boss, participant, other_consultant, "10").status_code == 303  # double submit
    [change] = rows(db, ConsultantChange)
    assert change.overlap_until == local_today() + timedelta(days=10)
    old = sign_in(app.test_client(), consultant)
    new = sign_in(app.test_client(), other_consultant)
    assert old.get(f"/caseload/{participant.id}").status_code == 200
    assert new.get(f"/caseload/{participant.id}").status_code == 200
    assert "handing over until" in text(boss.get("/admin/participants"))
    db.rollback()  # signing in read the expired users: start a fresh look before writing
    enrolment = enrolment_of(db, participant.id)
    enrolment.handover_until = local_today() - timedelta(days=1)
    db.commit()
    assert old.get(f"/caseload/{participant.id}").status_code == 404
    assert new.get(f"/caseload/{participant.id}").status_code == 200


def test_the_participant_is_told_who_their_new_consultant_is(app, boss, english,
                                                             other_consultant, participant):
    _change(boss, participant, other_consultant)
    phone = sign_in(app.test_client(), participant)
    for page in ("/plan/", "/me/"):
        assert "Your new consultant is Jonas. Mette also follows you until" in text(
            phone.get(page)), page


def test_no_notice_without_a_change(participant_client):
    assert 'id="new-consultant"' not in text(participant_client.get("/plan/"))


def test_a_bad_change_is_refused_and_kept(boss, db, consultant, other_consultant, participant):
    response = _change(boss, participant, other_consultant, "365")
    assert response.status_code == 422
    assert "Write a number of days from 0 to 90." in text(response)
    assert f'<option selected value="{other_consultant.id}">' in text(response)
    response = boss.post(f"/admin/participants/{participant.id}/consultant",
                         data={"consultant": "0", "overlap_days": "14"})
    assert response.status_code == 422
    assert rows(db, ConsultantChange) == []


def test_reading_a_participant_is_logged_but_the_log_is_not(boss, db, admin_user, participant):
    boss.get(f"/admin/participants/{participant.id}/consultant")
    [read] = rows(db, AccessLog)
    assert (read.actor_id, read.participant_id, read.action, read.what) == (
        admin_user.id, participant.id, "read", "consultant")
    page = text(boss.get("/admin/access-log"))
    assert "read: consultant" in page and "Anne Admin" in page
    assert len(rows(db, AccessLog)) == 1


def test_the_log_filters(boss, db, admin_user, consultant, participant, other_participant):
    for person in (participant, other_participant):
        db.add(AccessLog(actor_id=consultant.id, participant_id=person.id, action="read",
                         what="plan", purpose="casework"))
    db.commit()
    page = text(boss.get(f"/admin/access-log?participant={other_participant.id}"))
    assert "<td>Ahmad</td>" in page and "<td>Sara</td>" not in page
    page = text(boss.get(f"/admin/access-log?staff={admin_user.id}"))
    assert "Nothing in the log for this choice." in page
    today = date.today()
    response = boss.get(f"/admin/access-log?since={today}&until={today - timedelta(days=1)}")
    assert response.status_code == 422
    assert "Choose a day on or after the first day." in text(response)


@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31"])
def test_a_day_at_the_calendars_end_is_refused_not_a_500(boss, query):
    response = boss.get(f"/admin/access-log?{query}")
    assert response.status_code == 422
    assert "Choose days from ten years back to a year ahead." in text(response)


def test_a_page_mark_beyond_any_id_starts_from_the_newest(boss, db, consultant, participant):
    db.add(AccessLog(actor_id=consultant.id, participant_id=participant.id, action="read",
                     what="plan", purpose="casework"))
    db.commit()
    response = boss.get("/admin/access-log?before=99999999999999999999")
    assert response.status_code == 200 and "read: plan" in text(response)


def test_the_log_pages_on(boss, db, consultant, participant):
    for _ in range(55):
        db.add(AccessLog(actor_id=consultant.id, participant_id=participant.id, action="read",
                         what="plan", purpose="casework"))
    db.commit()
    first = text(boss.get(f"/admin/access-log?participant={participant.id}"))
    older = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert f"participant={participant.id}" in older
    second = text(boss.get(older))
    assert second.count("read: plan") == 5 and 'rel="next"' not in second


def test_the_log_reads_in_the_admins_language(app, csrf_off, db, admin_user, consultant,
                                              participant):
    db.add(AccessLog(actor_id=consultant.id, participant_id=participant.id, action="read",
                     what="record", purpose="report"))
    db.commit()
    page = text(sign_in(app.test_client(), admin_user).get("/admin/access-log"))
    assert "læst: opgørelse" in page and "rapport til jobcentret" in page
