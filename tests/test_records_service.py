"""The record's rules as plain functions: weeks, rates, targets, corrections, the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.models import (
    Absence,
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Role,
    ScaleReading,
    StepUpStep,
)
from app.records import service
from app.records.service import Period

WEEKDAYS = frozenset(range(5))
MON = date(2026, 3, 2)  # a Monday


def day(offset: int, minutes: int | None = 360, status=AttendanceStatus.present,
        row_id: int | None = None) -> Attendance:
    return Attendance(id=row_id, participant_id=1, day=MON + timedelta(days=offset),
                      minutes=minutes, status=status, recorded_by_id=1)


def step(starts_on: date, hours: float) -> StepUpStep:
    return StepUpStep(plan_id=1, starts_on=starts_on, hours_per_week=hours)


def weeks(period: Period, *, today: date | None = None, attendance=(), absences=(),
          corrected=frozenset(), steps=(), days_off=frozenset(), first_day=None, last_day=None,
          weekdays=WEEKDAYS):
    return service.week_rows(
        period, today=today or period.end, attendance=list(attendance), absences=list(absences),
        corrected_ids=set(corrected), steps=list(steps), planned_weekdays=weekdays,
        days_off=set(days_off), first_day=first_day, last_day=last_day,
    )


def test_default_period_is_four_weeks_up_to_today():
    period = service.default_period(date(2026, 3, 12))  # a Thursday
    assert period == Period(date(2026, 2, 16), date(2026, 3, 12))
    assert period.start.weekday() == 0


@pytest.mark.parametrize(("start", "end", "problem"), [
    (date(2026, 3, 2), date(2026, 3, 1), "order"),
    (date(2026, 3, 2), date(2026, 3, 2), None),
    (date(2025, 1, 1), date(2026, 1, 1), None),  # 366 days
    (date(2025, 1, 1), date(2026, 1, 2), "length"),
])
def test_period_problem(start, end, problem):
    assert service.period_problem(start, end) == problem


def test_target_is_the_step_in_force():
    steps = [step(date(2026, 3, 9), 9), step(date(2026, 3, 2), 4), step(date(2026, 3, 23), 16)]
    assert service.target_on(steps, date(2026, 3, 1)) is None
    assert service.target_on(steps, date(2026, 3, 2)) == 4
    assert service.target_on(steps, date(2026, 3, 15)) == 9
    assert service.target_on(steps, date(2026, 4, 1)) == 16


def test_a_full_week_rate_and_hours_against_the_plan():
    [week] = weeks(Period(MON, MON + timedelta(days=6)), steps=[step(MON, 20)],
                   attendance=[day(0), day(1, 240, AttendanceStatus.late), day(2),
                               day(5, 120)],  # a Saturday counts in hours, not in the rate
                   absences=[Absence(participant_id=1, day=MON + timedelta(days=3),
                                     reason=AbsenceReason.ill, reported_by_id=1)])
    assert week.minutes == 360 + 240 + 360 + 120
    assert week.planned_days == 5 and week.attended_days == 3 and week.late_days == 1
    assert week.reported_absent_days == 1 and week.unreported_absent_days == 1
    assert week.attendance_rate == pytest.approx(0.6)
    assert week.target_hours == 20 and week.expected_hours == 20
    assert week.share_of_target == pytest.approx(18 / 20)
    assert not week.partial


def test_absent_status_is_not_attendance_even_with_minutes():
    [week] = weeks(Period(MON, MON), attendance=[day(0, 60, AttendanceStatus.absent)])
    assert week.attended_days == 0 and week.minutes == 0 and week.unreported_absent_days == 1


def test_future_days_off_and_days_before_the_start_are_not_planned():
    period = Period(MON, MON + timedelta(days=6))
    [week] = weeks(period, today=MON + timedelta(days=3), days_off={MON + timedelta(days=1)},
                   first_day=MON + timedelta(days=1))
    # Monday before the start, Tuesday off, Friday still ahead: Wednesday and Thursday remain.
    assert week.planned_days == 2 and week.unreported_absent_days == 2


def test_days_after_the_programme_ended_and_other_weekdays_are_not_planned():
    [week] = weeks(Period(MON, MON + timedelta(days=6)), last_day=MON + timedelta(days=2),
                   weekdays=frozenset({0, 2, 4}))
    assert week.planned_days == 2  # Monday and Wednesday; Friday is after the end


def test_weeks_across_a_year_end_are_iso_weeks():
    period = Period(date(2025, 12, 24), date(2026, 1, 6))
    rows = weeks(period, attendance=[
        Attendance(participant_id=1, day=date(2025, 12, 31), minutes=60, recorded_by_id=1),
        Attendance(participant_id=1, day=date(2026, 1, 2), minutes=90, recorded_by_id=1),
    ])
    assert [r.monday for r in rows] == [date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 5)]
    assert [r.year_and_week for r in rows] == [(2025, 52), (2026, 1), (2026, 2)]
    assert rows[1].minutes == 150  # one week, both years
    assert rows[0].first == date(2025, 12, 24) and rows[-1].last == date(2026, 1, 6)
    assert rows[0].partial and not rows[1].partial and rows[2].partial


def test_a_week_across_a_month_end_is_one_row():
    rows = weeks(Period(date(2026, 3, 30), date(2026, 4, 5)), attendance=[
        Attendance(participant_id=1, day=date(2026, 3, 31), minutes=60, recorded_by_id=1),
        Attendance(participant_id=1, day=date(2026, 4, 1), minutes=60, recorded_by_id=1),
    ])
    assert len(rows) == 1 and rows[0].minutes == 120 and rows[0].attended_days == 2


def test_a_partial_week_expects_its_share_of_the_target():
    # Wednesday to Sunday: three of five planned weekdays.
    [week] = weeks(Period(MON + timedelta(days=2), MON + timedelta(days=6)),
                   steps=[step(MON, 10)])
    assert week.partial and week.target_hours == 10
    assert week.expected_hours == pytest.approx(6)


def test_without_a_plan_there_is_no_target():
    rows = weeks(Period(MON, MON + timedelta(days=13)), attendance=[day(0)])
    assert all(r.target_hours is None and r.expected_hours is None for r in rows)
    assert rows[0].share_of_target is None
    summary = service.totals(rows)
    assert summary.expected_hours is None and summary.share_of_target is None
    assert summary.attendance_rate == pytest.approx(1 / 10)


def test_no_planned_days_gives_no_rate():
    [week] = weeks(Period(MON + timedelta(days=5), MON + timedelta(days=6)))
    assert week.planned_days == 0 and week.attendance_rate is None


def test_a_corrected_day_counts_with_its_corrected_values_and_as_corrected():
    # Staff corrected Monday from absent to present with 6 hours; the row holds the new values.
    rows = weeks(Period(MON, MON + timedelta(days=6)),
                 attendance=[day(0, 360, AttendanceStatus.present, row_id=7), day(1, row_id=8)],
                 corrected={7})
    assert rows[0].attended_days == 2 and rows[0].minutes == 720
    assert rows[0].corrected_days == 1
    assert service.totals(rows).corrected_days == 1


def test_a_day_corrected_to_late_without_hours_still_counts_as_attended():
    rows = weeks(Period(MON, MON), attendance=[day(0, None, AttendanceStatus.late, row_id=3)],
                 corrected={3})
    assert rows[0].attended_days == 1 and rows[0].late_days == 1 and rows[0].minutes == 0
    uncorrected = weeks(Period(MON, MON), attendance=[day(0, None, row_id=3)])
    assert uncorrected[0].attended_days == 0


def test_totals_sum_the_weeks_and_the_targets_that_exist():
    rows = weeks(Period(MON, MON + timedelta(days=20)), steps=[step(MON + timedelta(days=7), 8)],
                 attendance=[day(0), day(7), day(14)])
    summary = service.totals(rows)
    assert summary.minutes == 3 * 360 and summary.planned_days == 15
    assert summary.attended_days == 3 and summary.expected_hours == 16
    assert summary.share_of_target == pytest.approx(18 / 16)


def test_chart_bars_scale_to_the_highest_value():
    rows = weeks(Period(MON, MON + timedelta(days=13)), steps=[step(MON, 4)],
                 attendance=[day(0, 480), day(7, 240)])
    chart = service.hours_chart(rows, width=200, height=100)
    assert chart.top_hours == 8 and len(chart.bars) == 2
    first, second = chart.bars
    assert first.y == 24 and first.height == chart.baseline - 24  # the top bar reaches the top
    assert second.height == pytest.approx(first.height / 2, abs=0.1)
    assert first.target_y == second.target_y == second.y
    assert first.x < second.x and first.x + first.width <= 100


def test_chart_without_hours_or_plan_draws_flat_bars():
    chart = service.hours_chart(weeks(Period(MON, MON)))
    assert chart.top_hours == 1 and chart.bars[0].height == 0 and chart.bars[0].target_y is None


def test_scale_rows_pair_the_two_sides_by_day_and_sub_goal():
    def reading(at: datetime, role: Role, value: int) -> ScaleReading:
        return ScaleReading(subgoal_id=1, recorded_by_id=1, by_role=role, value=value,
                            recorded_at=at)

    morning = datetime(2026, 3, 2, 8, tzinfo=UTC)
    rows = service.scale_rows([
        (reading(morning + timedelta(days=7), Role.participant, 6), "Køb et buskort"),
        (reading(morning, Role.participant, 3), "Køb et buskort"),
        (reading(morning + timedelta(hours=1), Role.consultant, 5), "Køb et buskort"),
        (reading(morning + timedelta(hours=2), Role.participant, 4), "Køb et buskort"),
        # 23:30 UTC on 2 March is already 3 March in Copenhagen.
        (reading(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), Role.consultant, 7), "Ring til Lise"),
    ])
    assert [(r.day, r.subgoal, r.participant, r.consultant) for r in rows] == [
        (date(2026, 3, 2), "Køb et buskort", 4, 5),
        (date(2026, 3, 3), "Ring til Lise", None, 7),
        (date(2026, 3, 9), "Køb et buskort", 6, None),
    ]


def test_a_long_period_labels_only_every_few_weeks():
    rows = weeks(Period(MON, MON + timedelta(weeks=26) - timedelta(days=1)))
    bars = service.hours_chart(rows).bars
    assert len(bars) == 26 and sum(bar.labelled for bar in bars) == 13
    assert bars[0].labelled and not bars[1].labelled
    assert all(bar.labelled for bar in service.hours_chart(rows[:13]).bars)
