"""Aftercare and the weekly check-in as plain functions: the schedule (the default and the
organisation's own), due and overdue across month ends, answers kept once, the end of
aftercare, contact requests, and the weekly check-in's weeks and phases."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select
from werkzeug.exceptions import NotFound

from app.aftercare import service
from app.aftercare.forms import schedule_text
from app.aftercare.service import DEFAULT_SCHEDULE, add_months, aftercare_due
from app.caseload.service import enrolment_of
from app.models import AftercareCheckIn, Enrolment, Organisation, Phase, WeeklyCheckIn
from app.programme.service import record_event
from tests.conftest import rows


def _check_ins(db) -> list[AftercareCheckIn]:
    """In order: PostgreSQL returns rows in no set order, least of all after an update."""
    return rows(db, select(AftercareCheckIn).order_by(AftercareCheckIn.participant_id,
                                                      AftercareCheckIn.sequence))


def test_the_default_schedule_is_a_week_a_month_and_three_months():
    assert aftercare_due(date(2026, 3, 2)) == [date(2026, 3, 9), date(2026, 4, 2),
                                               date(2026, 6, 2)]
    assert len(DEFAULT_SCHEDULE) == 3


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),   # clamped to the month's end
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # a leap year
    (date(2026, 1, 30), 1, date(2026, 2, 28)),
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the new year
    (date(2027, 11, 29), 3, date(2028, 2, 29)),
    (date(2026, 12, 31), 1, date(2027, 1, 31)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 5, 15), 0, date(2026, 5, 15)),
])
def test_months_clamp_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_a_job_start_at_a_month_end():
    assert aftercare_due(date(2026, 1, 31)) == [date(2026, 2, 7), date(2026, 2, 28),
                                                date(2026, 4, 30)]
    assert aftercare_due(date(2027, 12, 31)) == [date(2028, 1, 7), date(2028, 1, 31),
                                                 date(2028, 3, 31)]
    assert aftercare_due(date(2027, 11, 30))[2] == date(2028, 2, 29)


def test_the_organisation_can_choose_its_own_schedule():
    assert aftercare_due(date(2026, 1, 31), schedule=((0, 14), (6, 0))) == [
        date(2026, 2, 14), date(2026, 7, 31)]


# The organisation's schedule

@pytest.mark.parametrize(("raw", "expected"), [
    (None, DEFAULT_SCHEDULE), ("", DEFAULT_SCHEDULE), ("0:14,6:0", ((0, 14), (6, 0))),
    ("0:7, 1:0, 3:0", DEFAULT_SCHEDULE),
])
def test_a_schedule_reads_from_its_text(raw, expected):
    assert service.parse_schedule(raw) == expected


@pytest.mark.parametrize("raw", [
    "0:0",          # on the day of the job start
    "1:0,0:30",     # earlier than the one before
    "1:0,1:0",      # the same day twice
    "25:0",         # too far ahead
    "0:-3",
    "a:b", "1", "1:2:3",
    ",".join(["1:0"] * 9),
])
def test_a_bad_schedule_is_refused(raw):
    with pytest.raises(service.BadSchedule):
        service.parse_schedule(raw)


def test_the_organisation_schedule_falls_back_to_the_default():
    assert service.organisation_schedule(None) == DEFAULT_SCHEDULE
    assert service.organisation_schedule(Organisation(name="X")) == DEFAULT_SCHEDULE
    assert service.organisation_schedule(Organisation(name="X", aftercare_schedule="2:0")) == (
        (2, 0),)
    broken = Organisation(name="X", aftercare_schedule="nonsense")
    assert service.organisation_schedule(broken) == DEFAULT_SCHEDULE


def test_the_schedule_in_words(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert schedule_text(DEFAULT_SCHEDULE) == "1 week, 1 month, 3 months"
        assert schedule_text(((1, 14),)) == "1 month and 2 weeks"
        assert schedule_text(((0, 10),)) == "10 days"


@pytest.fixture
def enrolment(db, participant):
    found = enrolment_of(db, participant.id)
    found.started_on = date(2026, 1, 5)
    db.commit()
    return found


def _job(db, consultant, enrolment, day):
    record_event(db, staff=consultant, enrolment=enrolment, event="job", day=day,
                 client_id=uuid.uuid4())


def test_a_job_start_uses_the_organisation_schedule_as_it_is_then(db, org, consultant,
                                                                  enrolment):
    service.set_schedule(db, organisation=org, schedule=((0, 14), (2, 0)))
    _job(db, consultant, enrolment, date(2026, 1, 31))
    assert [(c.sequence, c.due_on) for c in _check_ins(db)] == [
        (1, date(2026, 2, 14)), (2, date(2026, 3, 31))]
    # A later change of schedule leaves the planned check-ins alone.
    service.set_schedule(db, organisation=org, schedule=((6, 0),))
    assert [c.due_on for c in _check_ins(db)] == [date(2026, 2, 14),
                                                              date(2026, 3, 31)]


def test_the_default_is_stored_as_no_choice(db, org):
    service.set_schedule(db, organisation=org, schedule=((0, 14),))
    service.set_schedule(db, organisation=org, schedule=DEFAULT_SCHEDULE)
    assert org.aftercare_schedule is None


def test_a_corrected_job_start_under_a_shorter_schedule_drops_check_ins_not_held(
        db, org, consultant, enrolment):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    service.set_schedule(db, organisation=org, schedule=((1, 0),))
    _job(db, consultant, enrolment, date(2026, 3, 9))
    assert [c.due_on for c in _check_ins(db)] == [date(2026, 4, 9)]


# Status of a check-in

def _check_in(due_on, **answers):
    return AftercareCheckIn(enrolment_id=1, participant_id=1, sequence=1, due_on=due_on,
                            **answers)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 2, 27), "upcoming"),
    (date(2026, 2, 28), "due"),          # a job start on 31 January: one month is 28 February
    (date(2026, 3, 6), "due"),
    (date(2026, 3, 7), "overdue"),
])
def test_due_overdue_and_upcoming_across_a_month_end(today, expected):
    due = service.aftercare_due(date(2026, 1, 31))[1]
    assert due == date(2026, 2, 28)
    assert service.status(_check_in(due), today) == expected


def test_answered_held_and_not_asked():
    moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert service.status(_check_in(date(2026, 2, 28), answered_at=moment),
                          date(2026, 4, 1)) == "answered"
    assert service.status(_check_in(date(2026, 2, 28), answered_at=moment, held_by_id=2),
                          date(2026, 4, 1)) == "held"
    assert service.status(_check_in(date(2026, 2, 28)), date(2026, 4, 1), ended=True) == (
        "not_asked")


def test_aftercare_ends_when_the_last_is_answered_or_it_is_closed():
    moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
    enrolment = Enrolment(participant_id=1, consultant_id=2, organisation_id=1,
                          phase=Phase.aftercare, started_on=date(2026, 1, 5))
    open_one = [_check_in(date(2026, 2, 1), answered_at=moment), _check_in(date(2026, 3, 1))]
    assert not service.aftercare_ended(enrolment, open_one)
    assert not service.aftercare_ended(enrolment, [])
    all_done = [_check_in(date(2026, 2, 1), answered_at=moment),
                _check_in(date(2026, 3, 1), answered_at=moment, held_by_id=2)]
    assert service.aftercare_ended(enrolment, all_done)
    enrolment.aftercare_closed_on = date(2026, 2, 10)
    assert service.aftercare_ended(enrolment, open_one)


# Answering

def test_a_check_in_is_asked_from_its_day_only(db, consultant, enrolment, participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    assert service.due_check_in(db, participant.id, date(2026, 3, 8)) is None
    asked = service.due_check_in(db, participant.id, date(2026, 3, 9))
    assert (asked.sequence, asked.due_on) == (1, date(2026, 3, 9))
    # Missed ones come first; the next is asked once the first is answered.
    assert service.due_check_in(db, participant.id, date(2026, 4, 10)).sequence == 1


def _answer(db, participant, check_in, client_id=None, wants_contact=True, today=None):
    return service.answer_check_in(
        db, participant=participant, check_in_id=check_in.id, today=today or check_in.due_on,
        client_id=client_id or uuid.uuid4(),
        answers=service.Answers(how_it_goes=4, hours_per_week=18.5, what_is_hard=" Bussen ",
                                wants_contact=wants_contact))


def test_answers_are_kept_once(db, consultant, enrolment, participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    first = service.due_check_in(db, participant.id, date(2026, 3, 9))
    same = uuid.uuid4()
    _answer(db, participant, first, client_id=same)
    answered_at = _check_ins(db)[0].answered_at
    _answer(db, participant, first, client_id=same, wants_contact=False)  # a replay
    _answer(db, participant, first, wants_contact=False)  # another tab: the first answer stands
    stored = _check_ins(db)[0]
    assert (stored.how_it_goes, stored.hours_per_week, stored.what_is_hard,
            stored.wants_contact, stored.answered_at) == (4, 18.5, "Bussen", True, answered_at)
    assert service.due_check_in(db, participant.id, date(2026, 3, 9)) is None


def test_a_check_in_not_yet_due_cannot_be_answered(app, db, consultant, enrolment, participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    later = _check_ins(db)[2]
    with app.test_request_context(), pytest.raises(NotFound):
        _answer(db, participant, later, today=date(2026, 3, 9))


def test_after_the_last_answer_or_closing_nothing_more_is_asked(db, consultant, enrolment,
                                                               participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    for check_in in _check_ins(db)[:2]:
        _answer(db, participant, check_in, today=date(2026, 6, 2), wants_contact=False)
    assert service.due_check_in(db, participant.id, date(2026, 6, 2)).sequence == 3
    service.close_aftercare(db, enrolment=enrolment, day=date(2026, 5, 1))
    assert service.due_check_in(db, participant.id, date(2026, 6, 2)) is None


def test_a_held_check_in_is_recorded_with_a_note(db, consultant, enrolment, participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    first = _check_ins(db)[0]
    service.record_held(db, staff=consultant, participant_id=participant.id,
                        check_in_id=first.id, how="phone", note="Ringede i frokostpausen",
                        client_id=uuid.uuid4(),
                        answers=service.Answers(how_it_goes=None, wants_contact=True))
    held = _check_ins(db)[0]
    assert (held.held_by_id, held.held_how, held.note) == (consultant.id, "phone",
                                                           "Ringede i frokostpausen")
    assert held.answered_at is not None and held.contact_done_at is not None
    assert service.status(held, date(2026, 3, 9)) == "held"
    assert service.open_contact_requests(db, participant.id) == []


def test_contact_requests_wait_until_marked_done(db, consultant, enrolment, participant):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    _answer(db, participant, _check_ins(db)[0])
    assert len(service.open_contact_requests(db, participant.id)) == 1
    service.mark_contact_done(db, participant_id=participant.id)
    assert service.open_contact_requests(db, participant.id) == []


# The weekly check-in

@pytest.mark.parametrize(("moment", "monday"), [
    # Across the year end: ISO week 53 of 2026 runs Monday 28 December to Sunday 3 January.
    (datetime(2026, 12, 31, 12, tzinfo=UTC), date(2026, 12, 28)),
    (datetime(2027, 1, 3, 22, 30, tzinfo=UTC), date(2026, 12, 28)),  # 23:30 Sunday locally
    (datetime(2027, 1, 3, 23, 30, tzinfo=UTC), date(2027, 1, 4)),    # 00:30 Monday locally
    # Summer time begins Sunday 29 March 2026: Monday 00:30 local is 22:30 UTC on Sunday.
    (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), date(2026, 3, 23)),
    (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), date(2026, 3, 30)),
    # Summer time ends Sunday 25 October 2026: Monday 00:30 local is 23:30 UTC on Sunday.
    (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), date(2026, 10, 19)),
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26)),
])
def test_the_week_is_the_local_iso_week(moment, monday):
    assert service.week_starting(moment) == monday


@pytest.mark.parametrize(("phase", "asked"), [
    (Phase.preparation, True), (Phase.placement, True), (Phase.paid_hours, True),
    (Phase.job, False), (Phase.aftercare, False), (Phase.ended, False),
])
def test_which_phases_get_the_weekly_check_in(phase, asked):
    enrolment = Enrolment(participant_id=1, consultant_id=2, organisation_id=1, phase=phase,
                          started_on=date(2026, 1, 5))
    assert service.weekly_applies(enrolment, date(2026, 3, 4)) is asked


def test_no_weekly_check_in_after_the_programme_end():
    enrolment = Enrolment(participant_id=1, consultant_id=2, organisation_id=1,
                          phase=Phase.placement, started_on=date(2026, 1, 5),
                          ended_on=date(2026, 3, 3))
    assert not service.weekly_applies(enrolment, date(2026, 3, 4))
    assert not service.weekly_applies(None, date(2026, 3, 4))


def _week(db, participant, moment, how=3, talk=False, client_id=None):
    return service.answer_week(db, participant=participant, how_it_went=how, wants_to_talk=talk,
                               client_id=client_id or uuid.uuid4(), now=moment)


def test_one_weekly_answer_per_week_the_latest_counts(db, participant, enrolment):
    monday = datetime(2026, 3, 2, 8, tzinfo=UTC)
    _week(db, participant, monday, how=2, talk=True)
    service.mark_contact_done(db, participant_id=participant.id)
    _week(db, participant, monday + timedelta(days=4), how=4, talk=False)
    stored = rows(db, WeeklyCheckIn)
    assert [(w.week_of, w.how_it_went, w.wants_to_talk) for w in stored] == [
        (date(2026, 3, 2), 4, False)]
    # A new "yes" the same week asks again, even after the earlier one was handled.
    _week(db, participant, monday + timedelta(days=5), how=1, talk=True)
    assert len(service.open_contact_requests(db, participant.id)) == 1
    _week(db, participant, monday + timedelta(days=7))
    assert [w.week_of for w in service.weekly_answers(db, participant.id)] == [
        date(2026, 3, 9), date(2026, 3, 2)]


def test_a_replayed_weekly_answer_changes_nothing(db, participant, enrolment):
    same = uuid.uuid4()
    monday = datetime(2026, 3, 2, 8, tzinfo=UTC)
    _week(db, participant, monday, how=2, client_id=same)
    _week(db, participant, monday, how=5, client_id=same)
    assert [w.how_it_went for w in rows(db, WeeklyCheckIn)] == [2]


def test_no_weekly_answer_in_aftercare(app, db, consultant, participant, enrolment):
    _job(db, consultant, enrolment, date(2026, 3, 2))
    with app.test_request_context(), pytest.raises(NotFound):
        _week(db, participant, datetime(2026, 3, 4, 8, tzinfo=UTC))


@pytest.mark.parametrize(("moment", "ask"), [
    (datetime(2026, 3, 4, 12, tzinfo=UTC), False),   # Wednesday: the week is not over yet
    (datetime(2026, 3, 4, 23, 30, tzinfo=UTC), True),  # already Thursday in Copenhagen
    (datetime(2026, 3, 8, 12, tzinfo=UTC), True),    # Sunday
])
def test_the_week_is_asked_in_front_from_thursday_until_answered(db, participant, enrolment,
                                                                 moment, ask):
    assert service.prompts(db, participant.id, moment).ask_week is ask
    _week(db, participant, moment)
    asked = service.prompts(db, participant.id, moment)
    assert (asked.weekly, asked.ask_week, asked.answer.how_it_went) == (True, False, 3)
