"""Caseload routes: the list, a new participant with its one-time code, the overview."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from app.models import (
    Absence,
    AbsenceReason,
    AccessLog,
    ActivationCode,
    AftercareCheckIn,
    Attendance,
    DayOff,
    Enrolment,
    GoalPlan,
    LoginSession,
    Meeting,
    Message,
    MessageThread,
    Phase,
    PhaseChange,
    Role,
    SubGoal,
    User,
    Walk,
    utcnow,
)
from app.timeutil import LOCAL_TZ, local_today
from tests.conftest import PASSWORD, cid, htmx_headers, rows, sign_in

STAFF_ROUTES = [("get", "/caseload/"), ("get", "/caseload/new"), ("post", "/caseload/new"),
                ("get", "/caseload/{pid}"), ("post", "/caseload/{pid}/activation")]
CODE = re.compile(r'id="activation-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')



pytestmark = pytest.mark.usefixtures("english")



@contextmanager
def count_queries(app) -> Iterator[list[str]]:
    """The SQL statements run on the app's engine inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def logs(db, participant_id: int) -> list[tuple[str, str]]:
    return [(a.action, a.what) for a in rows(
        db, select(AccessLog).where(AccessLog.participant_id == participant_id)
        .order_by(AccessLog.id))]


# The list

def test_caseload_lists_own_participants_with_phase_and_last_seen(
        consultant_client, db, make_participant, participant, other_participant):
    seen = make_participant("Bilal")
    seen.full_name = "Bilal Eksempelsen"
    seen.last_seen_at = utcnow() - timedelta(days=3)
    db.add(seen)
    db.commit()
    page = consultant_client.get("/caseload/").get_data(as_text=True)
    assert "Sara" in page and "Bilal" in page and "Bilal Eksempelsen" in page
    assert "Ahmad" not in page  # the other consultant's participant
    assert "never opened the app" in page and "opened the app 3 days ago" in page
    assert "Preparation" in page
    assert f'href="/caseload/{participant.id}"' in page
    assert page.index("Bilal") < page.index("Sara")


def test_admin_sees_every_participant_of_the_organisation(
        app, csrf_off, make_staff, participant, other_participant):
    admin = make_staff(Role.admin, "admin@example.org", "Anne Admin")
    page = sign_in(app.test_client(), admin).get("/caseload/").get_data(as_text=True)
    assert "Sara" in page and "Ahmad" in page


def test_empty_caseload_invites_to_add_one(consultant_client):
    page = consultant_client.get("/caseload/").get_data(as_text=True)
    assert "You have no participants yet." in page and 'href="/caseload/new"' in page


def _long_history(db, person, consultant, days: int = 60) -> None:
    """Two months of attendance, absences, messages, meetings, walks and sub-goals."""
    today = local_today()
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == person.id)).one()
    thread = db.exec(select(MessageThread).where(MessageThread.participant_id == person.id)).one()
    for back in range(1, days + 1):
        day = today - timedelta(days=back)
        if back % 4:
            db.add(Attendance(participant_id=person.id, day=day, minutes=240,
                              recorded_by_id=person.id))
        else:
            db.add(Absence(participant_id=person.id, day=day, reason=AbsenceReason.ill,
                           reported_by_id=person.id))
        sender = person.id if back % 2 else consultant.id
        db.add(Message(thread_id=thread.id, sender_id=sender, body="Hej",
                       sent_at=utcnow() - timedelta(days=back)))
        if back % 10 == 0:
            db.add(Meeting(participant_id=person.id, consultant_id=consultant.id,
                           starts_at=utcnow() - timedelta(days=back), milestone=back == 30))
            db.add(Walk(participant_id=person.id, walked_on=day, minutes=30,
                        with_consultant=True, recorded_by_id=consultant.id))
            db.add(SubGoal(plan_id=plan.id, title="Ring til jobcentret", due_on=day,
                           created_by_id=consultant.id))
            db.add(DayOff(organisation_id=person.organisation_id, participant_id=person.id,
                          day=day, created_by_id=consultant.id))
    enrolment = db.exec(select(Enrolment).where(Enrolment.participant_id == person.id)).one()
    enrolment.phase, enrolment.placement_started_on = Phase.placement, today - timedelta(weeks=9)
    db.add(enrolment)
    db.add(AftercareCheckIn(enrolment_id=enrolment.id, participant_id=person.id, sequence=1,
                            due_on=today - timedelta(days=3)))
    db.commit()


def test_caseload_runs_the_same_number_of_queries_for_any_size_and_history(
        app, consultant_client, consultant, db, make_participant):
    def grow_to(size: int) -> None:
        for n in range(len(rows(db, select(User.id).where(User.role == Role.participant))),
                       size):
            _long_history(db, make_participant(f"Deltager {n:02}"), consultant)

    grow_to(5)
    with count_queries(app) as small:
        assert consultant_client.get("/caseload/").status_code == 200
    grow_to(40)
    with count_queries(app) as large:
        page = consultant_client.get("/caseload/").get_data(as_text=True)
    assert "Deltager 39" in page and "unread messages" in page and "Aftercare" in page
    assert len(large) == len(small) <= 12, large


def test_caseload_page_is_a_full_page_when_boosted(consultant_client, participant):
    page = consultant_client.get("/caseload/", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert "<html" in page.get_data(as_text=True)
    assert page.headers["Vary"].count("HX-Request") == 1


def test_staff_nav_offers_new_participant(consultant_client):
    page = consultant_client.get("/caseload/").get_data(as_text=True)
    assert 'class="staff-nav"' in page and "New participant" in page


# A new participant

def test_new_participant_form_defaults_to_today_and_preparation(consultant_client):
    page = consultant_client.get("/caseload/new").get_data(as_text=True)
    assert f'value="{local_today().isoformat()}"' in page
    assert '<option selected value="preparation">' in page
    assert "What they want to be called" in page


def test_creating_a_participant_shows_the_code_once(app, consultant_client, consultant, db):
    response = consultant_client.post("/caseload/new", data={
        "display_name": "Søren", "full_name": "Søren Prøvesen", "client_id": cid(),
        "started_on": "2025-03-03", "phase": "placement"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    code = CODE.search(page).group(1)
    person = rows(db, select(User).where(User.display_name == "Søren"))[0]
    assert person.role == Role.participant and person.full_name == "Søren Prøvesen"
    assert person.login.startswith("soren-") and person.login in page
    assert "Use the code from your consultant" in page
    expires = rows(db, select(ActivationCode).where(ActivationCode.user_id == person.id))[0]
    day = expires.expires_at.astimezone(LOCAL_TZ).date()
    assert f"{day.strftime('%B')} {day.day}, {day.year}" in page
    # Never stored in plain text.
    assert code.replace("-", "") not in expires.code_hash
    enrolment = rows(db, select(Enrolment).where(Enrolment.participant_id == person.id))[0]
    assert enrolment.consultant_id == consultant.id and enrolment.phase == Phase.placement
    assert enrolment.started_on.isoformat() == "2025-03-03"
    assert rows(db, select(PhaseChange.phase).where(PhaseChange.enrolment_id == enrolment.id)) \
        == [Phase.placement]
    assert logs(db, person.id) == [("change", "account")]
    # The code works on the participant's phone.
    phone = app.test_client()
    activated = phone.post("/auth/activate", data={"code": code, "password": PASSWORD,
                                                   "confirm": PASSWORD})
    assert activated.status_code == 303


@pytest.mark.parametrize("data, message", [
    ({"display_name": "", "full_name": "Kept Fullname"}, "Write the name they want to be called."),
    ({"display_name": "x" * 81, "full_name": "Kept Fullname"}, "At most 80 characters."),
    ({"display_name": "Mona", "full_name": "Kept Fullname", "phase": "holiday"},
     "Choose one of the options."),
    ({"display_name": "Mona", "full_name": "Kept Fullname", "started_on": "not a day"},
     "date"),
    ({"display_name": "Mona", "full_name": "Kept Fullname", "started_on": "9999-12-31"},
     "Choose days from ten years back to a year ahead."),
    ({"display_name": "Mona", "full_name": "Kept Fullname", "started_on": "0001-01-01"},
     "Choose days from ten years back to a year ahead."),
])
def test_bad_new_participant_is_shown_again_with_input_kept(consultant_client, db, data,
                                                            message):
    form = {"started_on": "2025-03-03", "phase": "preparation", "client_id": cid(), **data}
    response = consultant_client.post("/caseload/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and 'class="error-summary"' in page
    assert 'value="Kept Fullname"' in page
    assert rows(db, select(func.count(User.id)).where(User.role == Role.participant)) == [0]


def test_a_double_submit_makes_one_participant_and_the_code_shown_works(app, consultant_client,
                                                                        db):
    # The code is shown once: a double tap made a second "Søren", and the first code was lost.
    data = {"display_name": "Søren", "started_on": "2025-03-03", "phase": "preparation",
            "client_id": cid()}
    consultant_client.post("/caseload/new", data=data)
    second = consultant_client.post("/caseload/new", data=data)
    assert second.status_code == 200
    assert rows(db, select(func.count(User.id)).where(User.role == Role.participant)) == [1]
    code = CODE.search(second.get_data(as_text=True)).group(1)
    activated = app.test_client().post("/auth/activate", data={
        "code": code, "password": PASSWORD, "confirm": PASSWORD})
    assert activated.status_code == 303


def test_a_new_participant_needs_a_client_id(consultant_client):
    response = consultant_client.post("/caseload/new", data={
        "display_name": "Søren", "started_on": "2025-03-03", "phase": "preparation"})
    assert response.status_code == 400


def test_full_name_over_200_characters_is_refused(consultant_client):
    response = consultant_client.post("/caseload/new", data={
        "display_name": "Mona", "full_name": "y" * 201, "started_on": "2025-03-03",
        "phase": "preparation", "client_id": cid()})
    assert response.status_code == 422 and "At most 200 characters." in response.get_data(
        as_text=True)


# One participant

def test_overview_shows_the_participant_and_links_and_is_logged(consultant_client, db,
                                                                 participant):
    page = consultant_client.get(f"/caseload/{participant.id}").get_data(as_text=True)
    pid = participant.id
    assert "Sara" in page and participant.login in page and "Preparation" in page
    for link in (f"/plan/for/{pid}", f"/attendance/for/{pid}", f"/walks/for/{pid}",
                 f"/messages/for/{pid}", f"/caseload/{pid}/activation"):
        assert f'"{link}"' in page
    assert 'href="/caseload/"' in page
    assert logs(db, pid) == [("read", "overview")]


def test_overview_of_someone_else_is_not_found(consultant_client, db, other_participant,
                                               consultant):
    assert consultant_client.get(f"/caseload/{other_participant.id}").status_code == 404
    assert consultant_client.get(f"/caseload/{consultant.id}").status_code == 404
    assert consultant_client.get("/caseload/999999").status_code == 404
    assert consultant_client.post(f"/caseload/{other_participant.id}/activation").status_code \
        == 404
    assert logs(db, other_participant.id) == []


def test_new_activation_code_signs_the_participant_out_and_replaces_password(
        app, consultant_client, db, participant):
    pid, login = participant.id, participant.login  # read before rows() expires the object
    phone = sign_in(app.test_client(), participant)
    old = rows(db, select(ActivationCode.id).where(ActivationCode.user_id == pid))
    response = consultant_client.post(f"/caseload/{pid}/activation")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    code = CODE.search(page).group(1)
    assert "signed out on every phone" in page and login in page
    # The lost phone is signed out, and the old password no longer works.
    assert phone.get("/me/").status_code == 303
    assert rows(db, select(func.count(LoginSession.id)).where(
        LoginSession.user_id == pid, LoginSession.revoked_at.is_(None))) == [0]
    assert app.test_client().post("/auth/login", data={
        "login": login, "password": PASSWORD}).status_code == 422
    unused = rows(db, select(ActivationCode).where(ActivationCode.user_id == pid,
                                                   ActivationCode.used_at.is_(None)))
    assert len(unused) == 1 and unused[0].id not in old
    assert logs(db, pid) == [("change", "account")]
    activated = app.test_client().post("/auth/activate", data={
        "code": code.lower(), "password": "nyt-kodeord-1", "confirm": "nyt-kodeord-1"})
    assert activated.status_code == 303


# Guards

@pytest.mark.parametrize("method, path", STAFF_ROUTES)
def test_staff_routes_need_sign_in(app, csrf_off, participant, method, path):
    client = app.test_client()
    url = path.format(pid=participant.id)
    response = getattr(client, method)(url)
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    response = getattr(client, method)(url, headers=htmx_headers())
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize("method, path", STAFF_ROUTES)
def test_staff_routes_refuse_participants(participant_client, participant, method, path):
    response = getattr(participant_client, method)(path.format(pid=participant.id))
    assert response.status_code == 403



def test_caseload_shows_unread_messages_per_participant(app, csrf_off, db, consultant,
                                                        participant):
    from tests.conftest import sign_in

    me = sign_in(app.test_client(), participant)
    for text in ("Hej", "Er du der?"):
        me.post("/messages/", data={"body": text, "client_id": str(uuid.uuid4())})
    staff = sign_in(app.test_client(), consultant)
    page = staff.get("/caseload/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2 unread messages" in page
    assert f"/messages/for/{participant.id}" in page
