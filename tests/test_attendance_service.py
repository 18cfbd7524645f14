"""Attendance domain rules, called directly."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.attendance import service
from app.models import Absence, AbsenceReason, Attendance, ClientWrite, GoalPlan, StepUpStep


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("elapsed", "minutes"), [
    (timedelta(hours=5, minutes=27), 325),
    (timedelta(hours=5, minutes=28), 330),
    (timedelta(minutes=2, seconds=29), 0),
    (timedelta(minutes=2, seconds=30), 5),  # halves round up
    (timedelta(0), 0),
    (timedelta(minutes=-10), 0),  # a clock skew never gives negative time
])
def test_rounded_minutes(elapsed, minutes):
    start = at(2026, 3, 2, 8, 0)
    assert service.rounded_minutes(start, start + elapsed) == minutes


def test_rounded_minutes_counts_real_time_across_the_autumn_dst_change():
    # 01:30 summer time to 03:30 winter time on 25 October 2026 is three real hours.
    checked_in = at(2026, 10, 24, 23, 30)
    checked_out = at(2026, 10, 25, 2, 30)
    assert service.rounded_minutes(checked_in, checked_out) == 180


@pytest.mark.parametrize(("raw", "minutes"), [
    ("6,5", 390), ("6.5", 390), (" 7 ", 420), ("0", 0), ("24", 1440), ("0,25", 15),
    ("7,75", 465),
    # From an Arabic or a Persian keyboard: their digits and decimal separator.
    ("\u0666\u066b\u0665", 390), ("\u06f6\u066b\u06f5", 390), ("\u06f7", 420),
])
def test_parse_hours_accepts_comma_and_dot(raw, minutes):
    assert service.parse_hours(raw) == minutes


@pytest.mark.parametrize("raw", ["", None, "abc", "-1", "24,25", "6,3", "nan", "inf", "6,5,5"])
def test_parse_hours_rejects_out_of_bounds_and_odd_steps(raw):
    with pytest.raises(ValueError):
        service.parse_hours(raw)


def test_hours_day_window():
    today = date(2026, 3, 4)
    assert service.hours_day_allowed(today, today=today)
    assert service.hours_day_allowed(today - timedelta(days=14), today=today)
    assert not service.hours_day_allowed(today - timedelta(days=15), today=today)
    assert not service.hours_day_allowed(today + timedelta(days=1), today=today)


def test_absence_day_window():
    today = date(2026, 3, 4)
    assert service.absence_day_allowed(today, today=today)
    assert service.absence_day_allowed(today + timedelta(days=60), today=today)
    assert not service.absence_day_allowed(today + timedelta(days=61), today=today)
    assert not service.absence_day_allowed(today - timedelta(days=1), today=today)


def test_can_withdraw_today_and_later_only():
    today = date(2026, 3, 4)
    assert service.can_withdraw(Absence(day=today, reason=AbsenceReason.ill), today=today)
    assert not service.can_withdraw(
        Absence(day=today - timedelta(days=1), reason=AbsenceReason.ill), today=today
    )


@pytest.mark.parametrize(("raw", "monday"), [
    ("2026-10-21", date(2026, 10, 19)),
    ("2026-10-25", date(2026, 10, 19)),  # Sunday belongs to the week before
    ("2026-10-26", date(2026, 10, 26)),
    ("not-a-date", date(2026, 3, 2)),
    (None, date(2026, 3, 2)),
    # The page links the weeks either side: at the calendar's ends they would overflow.
    ("9999-12-31", date(2026, 3, 2)),
    ("0001-01-03", date(2026, 3, 2)),
])
def test_parse_week(raw, monday):
    assert service.parse_week(raw, today=date(2026, 3, 4)) == monday


def test_check_in_and_out_compute_rounded_minutes(db, participant):
    service.check_in(db, participant=participant, client_id=uuid.uuid4(),
                     now=at(2026, 3, 4, 8, 2))
    row = service.check_out(db, participant=participant, client_id=uuid.uuid4(),
                            now=at(2026, 3, 4, 13, 29))
    assert row.day == date(2026, 3, 4)
    assert row.minutes == 325
    assert row.checked_in_at == at(2026, 3, 4, 8, 2)


def test_check_in_uses_the_local_day_on_the_dst_night(db, participant):
    # 23:30 UTC on 24 October is 01:30 on 25 October in Copenhagen.
    row = service.check_in(db, participant=participant, client_id=uuid.uuid4(),
                           now=at(2026, 10, 24, 23, 30))
    assert row.day == date(2026, 10, 25)
    row = service.check_out(db, participant=participant, client_id=uuid.uuid4(),
                            now=at(2026, 10, 25, 2, 30))
    assert row.minutes == 180


def test_second_check_in_keeps_the_first_time(db, participant):
    service.check_in(db, participant=participant, client_id=uuid.uuid4(), now=at(2026, 3, 4, 8))
    row = service.check_in(db, participant=participant, client_id=uuid.uuid4(),
                           now=at(2026, 3, 4, 9))
    assert row.checked_in_at == at(2026, 3, 4, 8)
    assert len(db.exec(select(Attendance)).all()) == 1


def test_check_out_without_check_in_is_refused(db, participant):
    with pytest.raises(service.AttendanceError):
        service.check_out(db, participant=participant, client_id=uuid.uuid4(),
                          now=at(2026, 3, 4, 15))


def test_replayed_check_out_changes_nothing(db, participant):
    service.check_in(db, participant=participant, client_id=uuid.uuid4(), now=at(2026, 3, 4, 8))
    client_id = uuid.uuid4()
    service.check_out(db, participant=participant, client_id=client_id, now=at(2026, 3, 4, 12))
    row = service.check_out(db, participant=participant, client_id=client_id,
                            now=at(2026, 3, 4, 14))
    assert row.minutes == 240
    assert row.checked_out_at == at(2026, 3, 4, 12)
    assert len(db.exec(select(ClientWrite)).all()) == 2


def test_report_hours_replaces_computed_minutes(db, participant):
    service.check_in(db, participant=participant, client_id=uuid.uuid4(), now=at(2026, 3, 4, 8))
    service.check_out(db, participant=participant, client_id=uuid.uuid4(), now=at(2026, 3, 4, 9))
    row = service.report_hours(db, participant=participant, day=date(2026, 3, 4), minutes=390,
                               client_id=uuid.uuid4())
    assert row.minutes == 390
    assert len(db.exec(select(Attendance)).all()) == 1


def _attend(db, participant, day: date, minutes: int) -> None:
    db.add(Attendance(participant_id=participant.id, day=day, minutes=minutes,
                      recorded_by_id=participant.id))


def test_week_summary_across_sunday_monday_and_the_dst_week(db, participant, other_participant):
    _attend(db, participant, date(2026, 10, 18), 60)  # Sunday of the week before
    _attend(db, participant, date(2026, 10, 19), 240)  # Monday
    _attend(db, participant, date(2026, 10, 25), 185)  # Sunday, the night clocks go back
    _attend(db, participant, date(2026, 10, 26), 300)  # next Monday
    _attend(db, other_participant, date(2026, 10, 21), 480)
    db.add(Absence(participant_id=participant.id, day=date(2026, 10, 22),
                   reason=AbsenceReason.doctor, reported_by_id=participant.id))
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == participant.id)).one()
    db.add(StepUpStep(plan_id=plan.id, starts_on=date(2026, 10, 1), hours_per_week=9))
    db.add(StepUpStep(plan_id=plan.id, starts_on=date(2026, 10, 26), hours_per_week=16))
    db.commit()

    week = service.week_summary(db, participant.id, date(2026, 10, 22))  # any day of the week

    assert week.monday == date(2026, 10, 19)
    assert week.sunday == date(2026, 10, 25)
    assert [d.day for d in week.days] == [date(2026, 10, 19) + timedelta(days=n) for n in range(7)]
    assert week.total_minutes == 425
    assert week.target_hours == 9
    assert week.days[3].absences[0].reason == AbsenceReason.doctor
    assert week.days[6].minutes == 185
    assert (week.previous_monday, week.next_monday) == (date(2026, 10, 12), date(2026, 10, 26))

    following = service.week_summary(db, participant.id, date(2026, 10, 26))
    assert following.total_minutes == 300
    assert following.target_hours == 16


def test_week_summary_without_a_plan_has_no_target(db, participant):
    week = service.week_summary(db, participant.id, date(2026, 3, 2))
    assert week.target_hours is None
    assert week.total_minutes == 0
    assert all(d.attendance is None and d.absences == [] for d in week.days)


def test_week_summary_uses_a_constant_number_of_queries(app, db, participant):
    engine = app.extensions["engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_rest) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not BEGIN
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        service.week_summary(db, participant.id, date(2026, 3, 2))
        empty = len(statements)
        for n in range(7):
            _attend(db, participant, date(2026, 3, 2) + timedelta(days=n), 60)
            db.add(Absence(participant_id=participant.id, day=date(2026, 3, 2) + timedelta(days=n),
                           reason=AbsenceReason.ill, reported_by_id=participant.id))
        db.commit()
        statements.clear()
        service.week_summary(db, participant.id, date(2026, 3, 2))
        assert len(statements) == empty == 4
    finally:
        event.remove(engine, "before_cursor_execute", count)
