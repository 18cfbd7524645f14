"""Workplace observations: the domain rules directly, then the routes."""

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import AccessLog, GoalPlan, WorkplaceObservation
from app.observations import service
from app.observations.service import ObservationInput
from app.timeutil import local_today
from tests.conftest import cid, rows, sign_in, text

DAY = date(2026, 3, 4)


def test_observed_day_window():
    assert service.observed_day_allowed(DAY, today=DAY)
    assert service.observed_day_allowed(DAY - timedelta(days=90), today=DAY)
    assert not service.observed_day_allowed(DAY - timedelta(days=91), today=DAY)
    assert not service.observed_day_allowed(DAY + timedelta(days=1), today=DAY)


def test_levels_are_one_to_five_or_not_observed():
    ObservationInput(observed_on=DAY, employer_contact="Kim", pace=5, quality=None)
    with pytest.raises(ValueError):
        ObservationInput(observed_on=DAY, employer_contact="Kim", pace=6)


def test_record_is_idempotent_and_lists_newest_first(db, consultant, participant):
    client_id = uuid.uuid4()
    data = ObservationInput(observed_on=DAY, employer_contact="  Kim, mester ", pace=3,
                            accommodations_kept=False, note=" Gik godt ")
    first = service.record(db, staff=consultant, participant=participant, data=data,
                           client_id=client_id)
    assert service.record(db, staff=consultant, participant=participant, data=data,
                          client_id=client_id) is None
    assert (first.employer_contact, first.note, first.pace, first.accommodations_kept,
            first.recorded_by_id) == ("Kim, mester", "Gik godt", 3, False, consultant.id)
    later = service.record(db, staff=consultant, participant=participant, client_id=uuid.uuid4(),
                           data=ObservationInput(observed_on=DAY + timedelta(days=7),
                                                 employer_contact="Kim"))
    listed = service.observations_of(db, participant.id)
    assert [(obs.id, who.id) for obs, who in listed] == [(later.id, consultant.id),
                                                         (first.id, consultant.id)]


def observation_data(**overrides) -> dict:
    data = {
        "client_id": cid(), "observed_on": local_today().isoformat(),
        "employer_contact": "Kim Opdigtet, værkfører", "understands_instructions": "4",
        "works_independently": "3", "works_with_others": "", "breaks_count": "3",
        "breaks_minutes": "45", "pace": "2", "quality": "4", "wellbeing": "5",
        "pain_or_signs": "Ondt i ryggen efter løft", "accommodations_kept": "yes",
        "accommodations_note": "Ingen tunge løft", "note": "Møder til tiden",
    }
    return {**data, **overrides}


def test_new_observation_is_saved_and_listed_with_words(staff, db, participant, consultant):
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == participant.id)).one()
    plan.accommodations = "Ingen løft over 10 kg"
    db.commit()
    form = text(staff.get(f"/observations/for/{participant.id}/new"))
    assert "Needs much support" in form and "Ingen løft over 10 kg" in form
    response = staff.post(f"/observations/for/{participant.id}", data=observation_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/observations/for/{participant.id}")
    [obs] = rows(db, WorkplaceObservation)
    assert (obs.understands_instructions, obs.works_independently, obs.works_with_others,
            obs.breaks_count, obs.breaks_minutes, obs.pace, obs.accommodations_kept) == (
        4, 3, None, 3, 45, 2, True)
    page = text(staff.get(f"/observations/for/{participant.id}"))
    for words in ("Mostly by themself", "Needs a little support", "Not observed",
                  "Some way from what the job needs", "Very well", "3 breaks a day",
                  "45 min in all", "Ondt i ryggen efter løft", "Ingen tunge løft",
                  "Kim Opdigtet, værkfører", "Mette"):
        assert words in page, words
    changes = rows(db, select(AccessLog).where(AccessLog.action == "change"))
    assert [(c.what, c.participant_id) for c in changes] == [("observations", participant.id)]


def test_list_is_newest_first(staff, db, participant):
    for days, contact in ((10, "Ældre samtale"), (1, "Nyere samtale")):
        staff.post(f"/observations/for/{participant.id}", data=observation_data(
            observed_on=(local_today() - timedelta(days=days)).isoformat(),
            employer_contact=contact))
    page = text(staff.get(f"/observations/for/{participant.id}"))
    assert page.index("Nyere samtale") < page.index("Ældre samtale")


def test_the_same_client_id_saves_once(staff, db, participant):
    data = observation_data()
    for _ in range(2):
        assert staff.post(f"/observations/for/{participant.id}", data=data).status_code == 303
    assert len(rows(db, WorkplaceObservation)) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("employer_contact", "", "Write who you talked with, for example the name and role."),
    ("observed_on", "", "Choose the day."),
    ("observed_on", (date.today() + timedelta(days=3)).isoformat(),
     "Choose today or a day in the last 90 days."),
    ("breaks_count", "21", "Write a whole number from 0 to 20."),
    ("breaks_minutes", "mange", "Write a whole number."),
    ("pace", "7", "Choose one of the options."),
])
def test_bad_input_is_422_and_keeps_the_rest(staff, db, participant, field, value, message):
    response = staff.post(f"/observations/for/{participant.id}",
                          data=observation_data(**{field: value}))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert "Møder til tiden" in page and 'checked id="understands_instructions-3"' in page
    assert rows(db, WorkplaceObservation) == []
    reads = rows(db, select(AccessLog.action))
    assert "change" not in reads


def test_no_breaks_with_minutes_is_refused(staff, db, participant):
    response = staff.post(f"/observations/for/{participant.id}",
                          data=observation_data(breaks_count="0", breaks_minutes="30"))
    assert response.status_code == 422
    assert "With no breaks, leave the minutes empty or write 0." in text(response)


def test_the_list_read_is_logged(staff, db, participant, consultant):
    staff.get(f"/observations/for/{participant.id}")
    [log] = rows(db, AccessLog)
    assert (log.action, log.what, log.actor_id) == ("read", "observations", consultant.id)


def test_another_consultant_gets_not_found(app, csrf_off, db, participant, other_consultant):
    client = sign_in(app.test_client(), other_consultant)
    for path in (f"/observations/for/{participant.id}",
                 f"/observations/for/{participant.id}/new"):
        assert client.get(path).status_code == 404
    assert client.post(f"/observations/for/{participant.id}",
                       data=observation_data()).status_code == 404
    assert rows(db, WorkplaceObservation) == []


def test_participants_are_refused(me, participant):
    assert me.get(f"/observations/for/{participant.id}").status_code == 403
    assert me.post(f"/observations/for/{participant.id}",
                   data=observation_data()).status_code == 403


def test_signed_out_goes_to_login(app, participant):
    response = app.test_client().get(f"/observations/for/{participant.id}")
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
