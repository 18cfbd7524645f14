"""The aftercare schedule: one week, one month and three months after the job start."""

from datetime import date

import pytest

from app.aftercare.service import DEFAULT_SCHEDULE, add_months, aftercare_due


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
