"""Aftercare and weekly check-ins over HTTP: the participant answers when due, bad input keeps
the other answers, replays change nothing, other people's ids are 404; the consultant's page,
held check-ins, contact done, closing aftercare; the admin's schedule; Today's order."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.caseload.service import enrolment_of
from app.models import (
    AccessLog,
    AftercareCheckIn,
    Enrolment,
    Organisation,
    PushNotice,
    PushSubscription,
    Role,
    WeeklyCheckIn,
)
from app.programme.service import record_event
from app.timeutil import local_today
from tests.conftest import cid, rows, sign_in, text

pytestmark = pytest.mark.usefixtures("english")

def _check_ins(db) -> list[AftercareCheckIn]:
    """In order: PostgreSQL returns rows in no set order, least of all after an update."""
    return rows(db, select(AftercareCheckIn).order_by(AftercareCheckIn.participant_id,
                                                      AftercareCheckIn.sequence))


def _job(db, consultant, person, days_ago: int) -> list[AftercareCheckIn]:
    enrolment = enrolment_of(db, person.id)
    enrolment.started_on = local_today() - timedelta(days=200)
    db.commit()
    record_event(db, staff=consultant, enrolment=enrolment, event="job",
                 day=local_today() - timedelta(days=days_ago), client_id=uuid.uuid4())
    check_ins = list(db.exec(select(AftercareCheckIn)
                             .where(AftercareCheckIn.participant_id == person.id)
                             .order_by(AftercareCheckIn.sequence)))
    db.commit()  # no expire_all (as rows() does): a later read of `person` would begin a
    # transaction, and its snapshot would miss what the requests write next
    return check_ins


@pytest.fixture
def due(db, consultant, participant) -> AftercareCheckIn:
    """Sara started a job 8 days ago: the one-week check-in is due since yesterday."""
    return _job(db, consultant, participant, 8)[0]


ANSWERS = {"how_it_goes": "4", "hours_per_week": "18,5", "what_is_hard": "Bussen om morgenen",
           "wants_contact": "yes"}


# The participant

def test_a_due_check_in_is_offered_on_the_plan(me, due):
    page = text(me.get("/plan/"))
    assert "Your consultant asks how work is going" in page
    assert 'href="/aftercare/check-in"' in page
    assert 'href="/aftercare/week"' not in page  # not in aftercare


def test_no_check_in_before_it_is_due(me, db, consultant, participant):
    _job(db, consultant, participant, 2)
    assert "Your consultant asks how work is going" not in text(me.get("/plan/"))
    page = text(me.get("/aftercare/check-in"))
    assert "There is no check-in for you right now" in page and "<form" not in page.split(
        "<main")[1].split("</main>")[0].replace('action="/auth/logout"', "")


def test_the_check_in_asks_with_words(me, due):
    page = text(me.get("/aftercare/check-in"))
    assert f'action="/aftercare/check-in/{due.id}"' in page
    for words in ("Hard", "Not so good", "Okay", "Good", "Really well",
                  "Do you want your consultant to contact you?"):
        assert words in page
    assert 'name="client_id"' in page


def test_answering_a_check_in(me, db, due):
    response = me.post(f"/aftercare/check-in/{due.id}", data={**ANSWERS, "client_id": cid()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/aftercare/thanks?contact=yes")
    stored = _check_ins(db)[0]
    assert (stored.how_it_goes, stored.hours_per_week, stored.what_is_hard,
            stored.wants_contact) == (4, 18.5, "Bussen om morgenen", True)
    assert "Your consultant will get in touch with you" in text(
        me.get("/aftercare/thanks?contact=yes"))
    assert "Your consultant asks how work is going" not in text(me.get("/plan/"))


def test_bad_answers_are_422_and_the_rest_is_kept(me, db, due):
    response = me.post(f"/aftercare/check-in/{due.id}", data={
        "hours_per_week": "mange", "what_is_hard": "Kollegerne taler hurtigt",
        "wants_contact": "yes", "client_id": cid()})
    assert response.status_code == 422
    page = text(response)
    assert "Choose the answer that fits best." in page
    assert page.count("Write the hours as a number") == 2  # in the summary and by the field
    assert "from 0 to 80" not in page
    assert "Kollegerne taler hurtigt" in page and 'checked id="wants_contact-0"' in page
    assert _check_ins(db)[0].answered_at is None


def test_a_replay_changes_nothing(me, db, due):
    same = cid()
    me.post(f"/aftercare/check-in/{due.id}", data={**ANSWERS, "client_id": same})
    me.post(f"/aftercare/check-in/{due.id}", data={**ANSWERS, "how_it_goes": "1",
                                                   "client_id": same})
    assert _check_ins(db)[0].how_it_goes == 4


def test_another_participants_check_in_is_404(app, db, due, other_consultant,
                                              other_participant, other_participant_client):
    theirs = other_participant_client.post(f"/aftercare/check-in/{due.id}",
                                           data={**ANSWERS, "client_id": cid()})
    assert theirs.status_code == 404
    bad = other_participant_client.post(f"/aftercare/check-in/{due.id}", data={})
    assert bad.status_code == 404  # not a 422 that would show someone else's form
    assert _check_ins(db)[0].answered_at is None


def test_a_check_in_not_yet_due_is_404(me, due, db):
    later = _check_ins(db)[2]
    response = me.post(f"/aftercare/check-in/{later.id}", data={**ANSWERS, "client_id": cid()})
    assert response.status_code == 404


def test_the_thread_stays_open_in_aftercare(me, due):
    assert me.post("/messages/", data={"body": "Det går fint", "client_id": cid()}
                   ).status_code == 303


def test_the_weekly_check_in_in_preparation(me, db, participant):
    page = text(me.get("/plan/"))
    assert 'href="/aftercare/week"' in page
    response = me.post("/aftercare/week", data={"how_it_went": "2", "wants_to_talk": "yes",
                                                "client_id": cid()})
    assert response.status_code == 303
    stored = rows(db, WeeklyCheckIn)
    assert [(w.how_it_went, w.wants_to_talk) for w in stored] == [(2, True)]
    assert "you have told your consultant how your week was" in text(me.get("/plan/"))
    page = text(me.get("/aftercare/week"))
    assert "You have answered this week" in page and 'checked id="how_it_went-1"' in page
    me.post("/aftercare/week", data={"how_it_went": "4", "wants_to_talk": "no",
                                     "client_id": cid()})
    assert [(w.how_it_went, w.wants_to_talk) for w in rows(db, WeeklyCheckIn)] == [(4, False)]


def test_a_bad_weekly_answer_is_422_and_keeps_the_other(me, db, participant):
    response = me.post("/aftercare/week", data={"wants_to_talk": "yes", "client_id": cid()})
    assert response.status_code == 422
    assert "Choose the answer that fits best." in text(response)
    assert 'checked id="wants_to_talk-0"' in text(response)
    assert rows(db, WeeklyCheckIn) == []


def test_no_weekly_check_in_in_aftercare(me, due):
    assert me.get("/aftercare/week").status_code == 404
    assert me.post("/aftercare/week", data={"how_it_went": "3", "wants_to_talk": "no",
                                            "client_id": cid()}).status_code == 404


def test_a_write_without_client_id_is_400(me, due):
    assert me.post(f"/aftercare/check-in/{due.id}", data=ANSWERS).status_code == 400


# The consultant

def _answer(me, check_in, **changes):
    me.post(f"/aftercare/check-in/{check_in.id}",
            data={**ANSWERS, **changes, "client_id": cid()})


def test_the_consultant_sees_check_ins_and_answers(me, staff, db, due, participant):
    _answer(me, due)
    page = text(staff.get(f"/aftercare/for/{participant.id}"))
    assert "Asks you to get in touch" in page
    assert "answered in the app" in page and "not due yet" in page
    assert "Good" in page and "18.5" in page and "Bussen om morgenen" in page
    assert ("read", "aftercare") in [(a.action, a.what) for a in rows(db, AccessLog)]


def test_due_and_overdue_are_told_apart(staff, db, consultant, participant):
    _job(db, consultant, participant, 40)
    page = text(staff.get(f"/aftercare/for/{participant.id}"))
    assert "overdue" in page and ">due<" not in page.replace(" ", "")


def test_contact_requests_go_first_on_today_until_done(app, me, staff, db, due, participant,
                                                       make_participant):
    writes = make_participant("Bo")
    sign_in(app.test_client(), writes).post("/messages/", data={"body": "Hej",
                                                                "client_id": cid()})
    _answer(me, due)
    page = text(staff.get("/caseload/"))
    needing = page[page.index('id="needs-heading"'):]
    assert needing.index("Sara") < needing.index("Bo")
    assert f'href="/aftercare/for/{participant.id}"' in needing
    assert "Asks you to get in touch" in needing
    response = staff.post(f"/aftercare/for/{participant.id}/contact-done")
    assert response.status_code == 303
    assert _check_ins(db)[0].contact_done_at is not None
    assert "Asks you to get in touch" not in text(staff.get("/caseload/"))
    assert ("change", "aftercare") in [(a.action, a.what) for a in rows(db, AccessLog)]


def test_a_weekly_yes_goes_first_too(me, staff, participant):
    me.post("/aftercare/week", data={"how_it_went": "1", "wants_to_talk": "yes",
                                     "client_id": cid()})
    page = text(staff.get("/caseload/"))
    assert "Asks you to get in touch" in page[page.index('id="needs-heading"'):]
    page = text(staff.get(f"/aftercare/for/{participant.id}"))
    assert "Weekly check-in, the week of" in page and "Hard" in page


def test_recording_a_held_check_in(staff, db, due, participant, consultant):
    response = staff.post(
        f"/aftercare/for/{participant.id}/check-ins/{due.id}/held",
        data={f"held{due.id}-how": "visit", f"held{due.id}-how_it_goes": "3",
              f"held{due.id}-note": "Mødtes på arbejdspladsen", "client_id": cid()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#check-in-{due.id}")
    held = _check_ins(db)[0]
    assert (held.held_by_id, held.held_how, held.how_it_goes, held.note) == (
        consultant.id, "visit", 3, "Mødtes på arbejdspladsen")
    assert "Visit" in text(staff.get(f"/aftercare/for/{participant.id}"))


def test_a_held_check_in_without_how_is_422_and_keeps_the_note(staff, db, due, participant):
    response = staff.post(f"/aftercare/for/{participant.id}/check-ins/{due.id}/held",
                          data={f"held{due.id}-note": "Ringede", "client_id": cid()})
    assert response.status_code == 422
    assert "Choose phone or visit." in text(response) and "Ringede" in text(response)
    assert _check_ins(db)[0].answered_at is None


def test_the_participants_own_answers_are_not_written_over(me, staff, db, due, participant):
    _answer(me, due)
    response = staff.post(f"/aftercare/for/{participant.id}/check-ins/{due.id}/held",
                          data={f"held{due.id}-how": "phone", "client_id": cid()})
    assert response.status_code == 409
    assert _check_ins(db)[0].how_it_goes == 4


def test_another_participants_check_in_on_my_participants_page_is_404(
        staff, db, due, consultant, make_participant):
    mine_too = make_participant("Cem")
    response = staff.post(f"/aftercare/for/{mine_too.id}/check-ins/{due.id}/held",
                          data={f"held{due.id}-how": "phone", "client_id": cid()})
    assert response.status_code == 404


def test_closing_aftercare_ends_the_questions(me, staff, db, due, participant):
    response = staff.post(f"/aftercare/for/{participant.id}/close")
    assert response.status_code == 303
    assert rows(db, select(Enrolment))[0].aftercare_closed_on == local_today()
    assert "Your consultant asks how work is going" not in text(me.get("/plan/"))
    assert me.post(f"/aftercare/check-in/{due.id}",
                   data={**ANSWERS, "client_id": cid()}).status_code == 404
    assert "no more check-ins are asked" in text(staff.get(f"/aftercare/for/{participant.id}"))


def test_closing_without_a_job_start_is_404(staff, participant):
    assert staff.post(f"/aftercare/for/{participant.id}/close").status_code == 404


def test_the_page_before_a_job_start(staff, participant):
    page = text(staff.get(f"/aftercare/for/{participant.id}"))
    assert "Aftercare begins when a job start is recorded" in page
    assert "No weekly answers yet" in page


def test_other_consultants_and_participants_are_refused(app, db, due, participant,
                                                        other_consultant, participant_client):
    other = sign_in(app.test_client(), other_consultant)
    assert other.get(f"/aftercare/for/{participant.id}").status_code == 404
    assert other.post(f"/aftercare/for/{participant.id}/contact-done").status_code == 404
    assert participant_client.get(f"/aftercare/for/{participant.id}").status_code == 403
    assert app.test_client().get("/aftercare/check-in").status_code == 303


def test_the_download_holds_check_ins_and_weekly_answers(me, db, due):
    _answer(me, due)
    data = json.loads(me.get("/me/export.json").get_data())
    assert data["aftercare_check_ins"][0]["how_it_goes"] == 4
    assert data["aftercare_check_ins"][0]["wants_contact"] is True
    assert "weekly_check_ins" in data


# The admin's schedule

@pytest.fixture
def boss(app, csrf_off, make_staff):
    return sign_in(app.test_client(), make_staff(Role.admin, email="admin@example.org",
                                                 name="Anne Admin"))


def _rows(*pairs):
    data = {}
    for index, (months, days) in enumerate(pairs):
        data[f"check_ins-{index}-months"], data[f"check_ins-{index}-days"] = months, days
    return data


def test_the_admin_changes_the_schedule(boss, db, org):
    page = text(boss.get("/admin/aftercare"))
    assert "1 week, 1 month, 3 months" in page and "job starts recorded from now on" in page
    response = boss.post("/admin/aftercare", data=_rows(("0", "14"), ("2", ""), ("", "")))
    assert response.status_code == 303
    assert rows(db, Organisation)[0].aftercare_schedule == "0:14,2:0"
    assert "2 weeks, 2 months" in text(boss.get("/admin/aftercare"))


def test_a_bad_schedule_is_422_and_kept(boss, db, org):
    response = boss.post("/admin/aftercare", data=_rows(("3", "0"), ("1", "0")))
    assert response.status_code == 422
    assert "each later than the one before" in text(response)
    assert 'value="3"' in text(response)
    response = boss.post("/admin/aftercare", data=_rows(("30", "x")))
    assert response.status_code == 422
    assert "Write 0 to 24 months." in text(response)
    assert rows(db, Organisation)[0].aftercare_schedule is None


def test_consultants_cannot_change_the_schedule(staff):
    assert staff.get("/admin/aftercare").status_code == 403
    assert staff.post("/admin/aftercare", data=_rows(("1", "0"))).status_code == 403


def _subscribe(db, user) -> None:
    db.add(PushSubscription(user_id=user.id, endpoint=f"https://push.example/{user.id}",
                            p256dh="k" * 87, auth="a" * 22))
    db.commit()


def test_a_wish_for_contact_tells_the_consultant_once(me, db, consultant, due):
    _subscribe(db, consultant)
    answers = {**ANSWERS, "client_id": cid()}
    me.post(f"/aftercare/check-in/{due.id}", data=answers)
    me.post(f"/aftercare/check-in/{due.id}", data=answers)  # a replay
    notices = rows(db, select(PushNotice).where(PushNotice.kind == "contact-request"))
    assert [(n.user_id, n.key) for n in notices] == [
        (consultant.id, f"contact-request:{due.participant_id}:checkin:{due.id}")]


def test_no_wish_for_contact_tells_nobody(me, db, consultant, due):
    _subscribe(db, consultant)
    me.post(f"/aftercare/check-in/{due.id}",
            data={**ANSWERS, "wants_contact": "no", "client_id": cid()})
    assert rows(db, select(PushNotice)) == []


def test_a_weekly_yes_tells_the_consultant_and_a_no_does_not(me, db, consultant, participant):
    _subscribe(db, consultant)
    me.post("/aftercare/week", data={"how_it_went": "3", "wants_to_talk": "no",
                                     "client_id": cid()})
    assert rows(db, select(PushNotice)) == []
    answer = {"how_it_went": "2", "wants_to_talk": "yes", "client_id": cid()}
    me.post("/aftercare/week", data=answer)
    me.post("/aftercare/week", data=answer)  # a replay
    notices = rows(db, select(PushNotice))
    assert [(n.user_id, n.kind) for n in notices] == [(consultant.id, "contact-request")]
