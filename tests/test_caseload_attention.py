"""Today's reasons, one rule at a time, on facts made by hand (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.caseload import attention
from app.caseload.attention import Facts, Need
from app.models import Enrolment, Phase, Role, User
from app.timeutil import LOCAL_TZ

# Wednesday 12 March 2025; Monday 10 March starts the week.
WEDNESDAY = date(2025, 3, 12)


def at(day: date = WEDNESDAY, hour: int = 11, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def days_ago(n: int) -> date:
    return WEDNESDAY - timedelta(days=n)


def facts(phase: Phase = Phase.preparation, weekdays: str | None = "0,1,2,3,4",
          started_on: date = date(2025, 1, 6), **kwargs) -> Facts:
    person = User(id=1, organisation_id=1, role=Role.participant, login="sara-1000",
                  display_name="Sara", created_at=datetime(2025, 1, 6, tzinfo=UTC),
                  last_seen_at=at() - timedelta(hours=1))
    enrolment = Enrolment(participant_id=1, consultant_id=2, organisation_id=1, phase=phase,
                          started_on=started_on, **{k: kwargs.pop(k) for k in list(kwargs)
                                                    if hasattr(Enrolment, k)})
    planned = None if weekdays is None else attention.parse_weekdays(weekdays)
    # Present every weekday before today unless told otherwise.
    kwargs.setdefault("present_days", {days_ago(n) for n in range(1, 43)})
    return Facts(person, enrolment, planned, **kwargs)


def needs(f: Facts, now: datetime | None = None) -> list[Need]:
    return [reason.need for reason in attention.reasons_for(f, now or at())]


def test_a_participant_who_is_doing_well_needs_nothing():
    doing_well = facts(present_days={days_ago(n) for n in range(43)},
                       last_meeting_at=at() - timedelta(days=6))
    assert needs(doing_well) == []


# Unread messages

def test_unread_messages_say_how_many_and_since_when():
    sent = at() - timedelta(hours=3)
    reason = attention.unread_messages(facts(unread=2, oldest_unread_at=sent), at())
    assert reason.need == Need.unread and reason.count == 2 and reason.since == sent


def test_unread_messages_count_even_after_the_programme_ended():
    ended = facts(phase=Phase.ended, unread=1, oldest_unread_at=at(), ended_on=days_ago(30),
                  present_days=set(), last_meeting_at=None)
    assert needs(ended) == [Need.unread]


# Absence today without notice

def test_absent_today_after_ten_without_check_in_or_notice():
    f = facts()
    assert attention.absent_today(f, at(hour=10)).need == Need.absent_today
    assert attention.absent_today(f, at(hour=9, minute=59)) is None


@pytest.mark.parametrize("change", [
    {"present_days": {WEDNESDAY}},
    {"reported_absence_days": {WEDNESDAY}},
    {"days_off": {WEDNESDAY}},  # the participant's own day off, or the organisation's
    {"weekdays": "0,1,3,4"},  # Wednesday is not a planned day
    {"weekdays": None},  # no goal plan yet
    {"phase": Phase.job},
    {"phase": Phase.ended},
    {"ended_on": days_ago(1)},
    {"started_on": WEDNESDAY + timedelta(days=1)},  # starts tomorrow
])
def test_no_absence_today_when(change):
    present = change.pop("present_days", set())
    assert attention.absent_today(facts(present_days=present, **change), at()) is None


def test_no_absence_on_a_weekend():
    saturday = date(2025, 3, 15)
    assert attention.absent_today(facts(present_days=set()), at(saturday)) is None
    weekend_plan = facts(weekdays="5", present_days=set())
    assert attention.absent_today(weekend_plan, at(saturday)).need == Need.absent_today


def test_a_roll_call_absent_is_not_a_check_in():
    # present_days holds only present or late days; a roll-call "absent" leaves it out.
    assert attention.absent_today(facts(present_days=set()), at()) is not None


# Repeated absence

def test_absent_on_two_of_the_last_five_planned_days():
    # Planned Mon–Fri: the last five before Wednesday are Tue, Mon, Fri, Thu, Wed before.
    present = {days_ago(n) for n in range(1, 43)} - {days_ago(1), days_ago(5)}
    reason = attention.repeated_absence(facts(present_days=present), at())
    assert (reason.count, reason.of, reason.day) == (2, 5, days_ago(1))


def test_one_absence_is_not_repeated():
    present = {days_ago(n) for n in range(1, 43)} - {days_ago(1)}
    assert attention.repeated_absence(facts(present_days=present), at()) is None


def test_reported_absence_still_counts_as_absence():
    present = {days_ago(n) for n in range(1, 43)} - {days_ago(1), days_ago(2)}
    f = facts(present_days=present, reported_absence_days={days_ago(1), days_ago(2)})
    assert attention.repeated_absence(f, at()).count == 2


def test_weekends_and_days_off_are_skipped_when_looking_back():
    # Absent last Friday and Thursday, but Thursday was a holiday for everyone: one absence.
    present = {days_ago(n) for n in range(1, 43)} - {days_ago(5), days_ago(6)}
    f = facts(present_days=present, days_off={days_ago(6)})
    assert attention.recent_planned_days(f, WEDNESDAY) == [
        days_ago(1), days_ago(2), days_ago(5), days_ago(7), days_ago(8)]
    assert attention.repeated_absence(f, at()) is None


def test_one_planned_weekday_looks_back_weeks():
    # Only Mondays: the last five Mondays, two of them missed.
    mondays = [days_ago(2 + 7 * n) for n in range(5)]
    f = facts(weekdays="0", present_days=set(mondays[2:]))
    assert attention.recent_planned_days(f, WEDNESDAY) == mondays
    assert attention.repeated_absence(f, at()).count == 2


def test_days_before_the_start_are_not_absences():
    f = facts(started_on=days_ago(1), present_days=set())
    assert attention.recent_planned_days(f, WEDNESDAY) == [days_ago(1)]
    assert attention.repeated_absence(f, at()) is None


def test_no_repeated_absence_without_a_plan_or_when_ended():
    assert attention.repeated_absence(facts(weekdays=None, present_days=set()), at()) is None
    assert attention.repeated_absence(facts(phase=Phase.ended, present_days=set()), at()) is None
    assert attention.repeated_absence(facts(weekdays="", present_days=set()), at()) is None


# Aftercare

def test_aftercare_check_in_due_or_overdue():
    assert attention.aftercare_due(facts(aftercare_due_on=WEDNESDAY), at()).day == WEDNESDAY
    assert attention.aftercare_due(facts(aftercare_due_on=days_ago(9)), at()).day == days_ago(9)
    assert attention.aftercare_due(facts(aftercare_due_on=None), at()) is None
    closed = facts(aftercare_due_on=days_ago(9), aftercare_closed_on=days_ago(1))
    assert attention.aftercare_due(closed, at()) is None


# Milestone meeting

def test_milestone_meeting_shows_a_week_before_it_is_due():
    start = WEDNESDAY - timedelta(weeks=8) + timedelta(days=7)  # due in a week
    reason = attention.milestone_due(facts(Phase.placement, placement_started_on=start), at())
    assert reason.day == WEDNESDAY + timedelta(days=7)
    earlier = facts(Phase.placement, placement_started_on=start + timedelta(days=1))
    assert attention.milestone_due(earlier, at()) is None


def test_milestone_meeting_booked_or_held_since_the_placement_start():
    start = WEDNESDAY - timedelta(weeks=9)
    booked = facts(Phase.placement, placement_started_on=start,
                   last_milestone_at=at() + timedelta(days=3))
    assert attention.milestone_due(booked, at()) is None
    before_placement = facts(Phase.paid_hours, placement_started_on=start,
                             last_milestone_at=at(start - timedelta(days=30)))
    assert attention.milestone_due(before_placement, at()).day == start + timedelta(weeks=8)
    not_in_placement = facts(Phase.preparation, placement_started_on=start)
    assert attention.milestone_due(not_in_placement, at()) is None


# Sub-goals

def test_overdue_subgoals_unless_ended():
    reason = attention.overdue_subgoals(facts(overdue_subgoals=2, oldest_due_on=days_ago(4)),
                                        at())
    assert (reason.count, reason.day) == (2, days_ago(4))
    assert attention.overdue_subgoals(facts(), at()) is None
    ended = facts(phase=Phase.ended, overdue_subgoals=2, oldest_due_on=days_ago(4))
    assert attention.overdue_subgoals(ended, at()) is None


# 1:1 conversation

def test_no_conversation_for_more_than_fourteen_days():
    last = at() - timedelta(days=15)
    reason = attention.no_conversation(facts(last_meeting_at=last), at())
    assert (reason.count, reason.day) == (15, days_ago(15))
    assert attention.no_conversation(facts(last_meeting_at=at() - timedelta(days=14)),
                                     at()) is None


def test_a_walk_with_the_consultant_is_a_conversation():
    f = facts(last_meeting_at=at() - timedelta(days=30), last_walk_on=days_ago(3))
    assert attention.no_conversation(f, at()) is None


def test_a_booked_meeting_is_enough():
    f = facts(last_meeting_at=None, next_meeting_at=at() + timedelta(days=2))
    assert attention.no_conversation(f, at()) is None


def test_never_a_conversation_counts_from_the_start():
    reason = attention.no_conversation(facts(started_on=days_ago(20)), at())
    assert (reason.count, reason.day) == (20, None)
    assert attention.no_conversation(facts(started_on=days_ago(10)), at()) is None
    assert attention.no_conversation(facts(Phase.aftercare, started_on=days_ago(99)),
                                     at()) is None


# The app

def test_app_not_opened_for_seven_days():
    f = facts(last_meeting_at=at())
    f.participant.last_seen_at = at() - timedelta(days=7)
    reason = attention.app_unopened(f, at())
    assert (reason.count, reason.day) == (7, days_ago(7))
    f.participant.last_seen_at = at() - timedelta(days=6)
    assert attention.app_unopened(f, at()) is None


def test_app_not_opened_matters_only_while_attendance_is_expected():
    for phase in (Phase.job, Phase.aftercare, Phase.ended):
        f = facts(phase)
        f.participant.last_seen_at = at() - timedelta(days=30)
        assert attention.app_unopened(f, at()) is None


def test_app_never_opened_counts_from_the_account():
    f = facts()
    f.participant.last_seen_at = None
    f.participant.created_at = datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert attention.app_unopened(f, at()) == attention.Reason(Need.app_unopened, count=11)
    f.participant.created_at = datetime(2025, 3, 10, 12, tzinfo=UTC)
    assert attention.app_unopened(f, at()) is None


# Order

def test_reasons_come_most_urgent_first():
    present = {days_ago(n) for n in range(1, 43)} - {days_ago(1), days_ago(2), WEDNESDAY}
    f = facts(present_days=present, overdue_subgoals=1, oldest_due_on=days_ago(2),
              unread=1, oldest_unread_at=at() - timedelta(minutes=5))
    assert needs(f) == [Need.unread, Need.absent_today, Need.repeated_absence,
                        Need.overdue_subgoal, Need.no_conversation]


def test_parse_weekdays_ignores_rubbish():
    assert attention.parse_weekdays("0, 2,x,9,,6") == frozenset({0, 2, 6})
    assert attention.parse_weekdays(None) == frozenset()


# A wish for contact

def test_a_wish_for_contact_comes_before_everything():
    asked = at() - timedelta(days=2)
    f = facts(contact_requested_at=asked, unread=3, oldest_unread_at=at() - timedelta(days=5),
              aftercare_due_on=days_ago(9))
    reason = attention.contact_requested(f, at())
    assert reason.need == Need.contact_requested and reason.since == asked
    assert needs(f)[:2] == [Need.contact_requested, Need.unread]
    assert attention.contact_requested(facts(), at()) is None
