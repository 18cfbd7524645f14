"""Programme events as plain functions: the order of days, phases, history, aftercare, replays."""

import uuid
from datetime import date

import pytest
from sqlmodel import select

from app.caseload.service import enrolment_of
from app.models import AftercareCheckIn, Outcome, Phase, PhaseChange
from app.programme import service
from app.programme.service import OutOfOrder, order_conflict
from tests.conftest import rows

START = date(2026, 1, 5)


def _days(**given):
    return {name: None for name in service.ORDER} | {"started_on": START} | given


def test_days_in_order_have_no_conflict():
    days = _days(placement_started_on=date(2026, 2, 2), paid_hours_started_on=date(2026, 3, 2),
                 job_started_on=date(2026, 4, 1), ended_on=date(2026, 7, 1))
    assert all(order_conflict(days, field) is None for field in service.ORDER[1:])


def test_the_same_day_for_two_events_is_fine():
    assert order_conflict(_days(job_started_on=START, ended_on=START), "ended_on") is None


def test_no_job_start_before_the_programme_start():
    conflict = order_conflict(_days(job_started_on=date(2026, 1, 4)), "job_started_on")
    assert conflict == OutOfOrder("started_on", START, "after")


def test_no_end_before_a_recorded_event():
    days = _days(placement_started_on=date(2026, 2, 2), ended_on=date(2026, 2, 1))
    assert order_conflict(days, "ended_on") == OutOfOrder("placement_started_on",
                                                          date(2026, 2, 2), "after")


def test_a_correction_cannot_pass_a_later_event():
    days = _days(placement_started_on=date(2026, 5, 1), job_started_on=date(2026, 4, 1))
    assert order_conflict(days, "placement_started_on") == OutOfOrder(
        "job_started_on", date(2026, 4, 1), "before")


def test_events_not_recorded_are_skipped():
    assert order_conflict(_days(job_started_on=date(2026, 2, 1)), "job_started_on") is None


@pytest.fixture
def enrolment(app, db, participant):
    found = enrolment_of(db, participant.id)
    found.started_on = START
    db.commit()
    return found


def _record(db, consultant, enrolment, event, day, client_id=None, outcome=None):
    return service.record_event(db, staff=consultant, enrolment=enrolment, event=event, day=day,
                                client_id=client_id or uuid.uuid4(), outcome=outcome)


def test_events_move_the_phase_and_keep_history(db, consultant, enrolment):
    assert _record(db, consultant, enrolment, "placement", date(2026, 2, 2))
    assert enrolment.phase == Phase.placement
    _record(db, consultant, enrolment, "paid_hours", date(2026, 3, 2))
    assert enrolment.phase == Phase.paid_hours
    _record(db, consultant, enrolment, "job", date(2026, 4, 1))
    assert enrolment.phase == Phase.aftercare
    _record(db, consultant, enrolment, "end", date(2026, 7, 1), outcome=Outcome.job)
    assert (enrolment.phase, enrolment.outcome) == (Phase.ended, Outcome.job)
    # Ordered: PostgreSQL keeps no row order, least of all after an update.
    history = [(c.phase, c.started_on)
               for c in rows(db, select(PhaseChange).order_by(PhaseChange.id))]
    assert history[0][0] == Phase.preparation
    assert history[1:] == [(Phase.placement, date(2026, 2, 2)),
                       (Phase.paid_hours, date(2026, 3, 2)), (Phase.aftercare, date(2026, 4, 1)),
                       (Phase.ended, date(2026, 7, 1))]
    assert {c.recorded_by_id for c in rows(db, PhaseChange)} == {consultant.id}


def test_a_job_start_schedules_the_aftercare_check_ins(db, consultant, enrolment, participant):
    _record(db, consultant, enrolment, "job", date(2026, 1, 31))
    check_ins = rows(db, AftercareCheckIn)
    assert [(c.sequence, c.due_on) for c in check_ins] == [
        (1, date(2026, 2, 7)), (2, date(2026, 2, 28)), (3, date(2026, 4, 30))]
    assert {c.participant_id for c in check_ins} == {participant.id}


def test_a_corrected_job_start_moves_check_ins_not_yet_held(db, consultant, enrolment):
    _record(db, consultant, enrolment, "job", date(2026, 3, 2))
    first = rows(db, select(AftercareCheckIn).order_by(AftercareCheckIn.sequence))[0]
    first.held_by_id = consultant.id
    db.commit()
    _record(db, consultant, enrolment, "job", date(2026, 3, 9))
    assert [c.due_on for c in rows(db, select(AftercareCheckIn)
                                    .order_by(AftercareCheckIn.sequence))] == [
        date(2026, 3, 9), date(2026, 4, 9), date(2026, 6, 9)]
    assert enrolment.job_started_on == date(2026, 3, 9)
    # A correction moves the history's day; it adds no second job start.
    assert [c.started_on for c in rows(db, PhaseChange) if c.phase == Phase.aftercare] == [
        date(2026, 3, 9)]


def test_a_replay_or_the_same_day_changes_nothing_twice(db, consultant, enrolment):
    client_id = uuid.uuid4()
    assert _record(db, consultant, enrolment, "job", date(2026, 3, 2), client_id)
    assert not _record(db, consultant, enrolment, "job", date(2026, 3, 2), client_id)
    assert not _record(db, consultant, enrolment, "job", date(2026, 3, 2))
    assert len(rows(db, AftercareCheckIn)) == 3
    assert len(rows(db, PhaseChange)) == 2


def test_a_day_out_of_order_writes_nothing(db, consultant, enrolment):
    with pytest.raises(OutOfOrder):
        _record(db, consultant, enrolment, "job", date(2026, 1, 1))
    db.rollback()
    assert enrolment_of(db, enrolment.participant_id).job_started_on is None
    assert rows(db, AftercareCheckIn) == []
