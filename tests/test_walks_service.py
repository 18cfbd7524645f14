"""Walks and meetings domain rules, called directly."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from app.models import Meeting, MeetingKind, Walk
from app.walks import service


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_walk_day_window():
    today = date(2026, 3, 4)
    assert service.walk_day_allowed(today, today=today)
    assert service.walk_day_allowed(today - timedelta(days=60), today=today)
    assert not service.walk_day_allowed(today - timedelta(days=61), today=today)
    assert not service.walk_day_allowed(today + timedelta(days=1), today=today)


def test_meeting_day_window():
    today = date(2026, 3, 4)
    assert service.meeting_day_allowed(today + timedelta(days=365), today=today)
    assert service.meeting_day_allowed(today - timedelta(days=365), today=today)
    assert not service.meeting_day_allowed(date(2062, 3, 4), today=today)


@pytest.mark.parametrize(("raw", "km"), [
    ("2,5", 2.5), ("2.5", 2.5), ("0,1", 0.1), ("100", 100.0), ("", None), ("  ", None),
    (None, None),
])
def test_parse_distance(raw, km):
    assert service.parse_distance(raw) == km


@pytest.mark.parametrize("raw", ["0,05", "0", "100,1", "-2", "two", "2,5 km"])
def test_parse_distance_rejects(raw):
    with pytest.raises(ValueError):
        service.parse_distance(raw)


@pytest.mark.parametrize(("day", "clock", "utc"), [
    (date(2026, 6, 15), time(10, 0), at(2026, 6, 15, 8, 0)),  # summer time, UTC+2
    (date(2026, 12, 15), time(10, 0), at(2026, 12, 15, 9, 0)),  # winter time, UTC+1
    (date(2026, 10, 24), time(10, 0), at(2026, 10, 24, 8, 0)),  # Saturday before the change
    (date(2026, 10, 25), time(10, 0), at(2026, 10, 25, 9, 0)),  # the Sunday clocks go back
    (date(2026, 10, 25), time(2, 30), at(2026, 10, 25, 0, 30)),  # twice that night: the first
    (date(2026, 3, 29), time(10, 0), at(2026, 3, 29, 8, 0)),  # the Sunday clocks go forward
    (date(2026, 3, 29), time(2, 30), at(2026, 3, 29, 1, 30)),  # does not exist: read as 03:30
])
def test_local_to_utc_across_dst(day, clock, utc):
    result = service.local_to_utc(day, clock)
    assert result == utc
    assert result.tzinfo is UTC


def _meeting(db, participant, consultant, starts_at, summary="") -> Meeting:
    meeting = Meeting(participant_id=participant.id, consultant_id=consultant.id,
                      kind=MeetingKind.walk, starts_at=starts_at, summary=summary)
    db.add(meeting)
    db.commit()
    return meeting


def test_upcoming_meetings_soonest_first_from_now(db, participant, other_participant, consultant):
    now = at(2026, 10, 25, 9, 0)
    later = _meeting(db, participant, consultant, at(2026, 11, 2, 9))
    soon = _meeting(db, participant, consultant, at(2026, 10, 26, 9))
    right_now = _meeting(db, participant, consultant, now)
    _meeting(db, participant, consultant, at(2026, 10, 25, 8, 59))  # just passed
    _meeting(db, other_participant, consultant, at(2026, 10, 27, 9))

    upcoming = service.upcoming_meetings(db, participant.id, now=now)
    assert [m.id for m in upcoming] == [right_now.id, soon.id, later.id]


def test_upcoming_meetings_are_limited_to_ten(db, participant, consultant):
    now = at(2026, 3, 1, 9)
    for n in range(12):
        _meeting(db, participant, consultant, now + timedelta(days=12 - n))
    upcoming = service.upcoming_meetings(db, participant.id, now=now)
    assert len(upcoming) == 10
    assert upcoming[0].starts_at == now + timedelta(days=1)


def test_past_meetings_latest_first_and_summary_filter(db, participant, consultant):
    now = at(2026, 3, 10, 9)
    older = _meeting(db, participant, consultant, at(2026, 3, 1, 9), summary="Vi gik en tur.")
    newer = _meeting(db, participant, consultant, at(2026, 3, 8, 9))
    _meeting(db, participant, consultant, at(2026, 3, 12, 9), summary="Not yet held")

    assert [m.id for m in service.past_meetings(db, participant.id, now=now,
                                                with_summary_only=False)] == [newer.id, older.id]
    assert [m.id for m in service.past_meetings(db, participant.id, now=now,
                                                with_summary_only=True)] == [older.id]


def test_can_summarise_only_once_begun():
    meeting = Meeting(starts_at=at(2026, 3, 10, 9))
    assert service.can_summarise(meeting, now=at(2026, 3, 10, 9))
    assert not service.can_summarise(meeting, now=at(2026, 3, 10, 8, 59))


def _walk(db, participant, day: date, minutes: int) -> None:
    db.add(Walk(participant_id=participant.id, walked_on=day, minutes=minutes,
                recorded_by_id=participant.id))


def test_week_walk_minutes_counts_monday_to_sunday(db, participant, other_participant):
    _walk(db, participant, date(2026, 10, 18), 30)  # Sunday before
    _walk(db, participant, date(2026, 10, 19), 40)  # Monday
    _walk(db, participant, date(2026, 10, 25), 25)  # Sunday
    _walk(db, participant, date(2026, 10, 26), 50)  # next Monday
    _walk(db, other_participant, date(2026, 10, 21), 90)
    db.commit()
    assert service.week_walk_minutes(db, participant.id, today=date(2026, 10, 22)) == 65
    assert service.week_walk_minutes(db, participant.id, today=date(2026, 11, 4)) == 0


def test_recent_walks_newest_first_and_limited(db, participant):
    for n in range(25):
        _walk(db, participant, date(2026, 3, 1) + timedelta(days=n), 10 + n)
    db.commit()
    walks = service.recent_walks(db, participant.id)
    assert len(walks) == 20
    assert walks[0].walked_on == date(2026, 3, 25)


def test_log_walk_replay_writes_once(db, participant):
    client_id = uuid.uuid4()
    for _ in range(2):
        service.log_walk(db, actor=participant, participant_id=participant.id,
                         walked_on=date(2026, 3, 4), minutes=45, distance_km=2.5,
                         with_consultant=False, agreed_note="  Ring til jobcentret  ",
                         client_id=client_id)
    [walk] = db.exec(select(Walk)).all()
    assert (walk.minutes, walk.distance_km, walk.agreed_note) == (45, 2.5, "Ring til jobcentret")


def test_plan_meeting_replay_writes_once(db, participant, consultant):
    client_id = uuid.uuid4()
    for _ in range(2):
        service.plan_meeting(db, consultant=consultant, participant_id=participant.id,
                             kind=MeetingKind.video, starts_at=at(2026, 3, 4, 9),
                             place=" Online ", client_id=client_id)
    [meeting] = db.exec(select(Meeting)).all()
    assert (meeting.consultant_id, meeting.kind, meeting.place) == (
        consultant.id, MeetingKind.video, "Online")
