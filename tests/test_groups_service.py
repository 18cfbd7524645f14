"""Group days domain rules, called directly: weekdays, members, and the roll-call's rule."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select
from werkzeug.exceptions import NotFound

from app.attendance import service as attendance
from app.caseload.attention import parse_weekdays
from app.groups import service
from app.models import (
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    Enrolment,
    Group,
    GroupMember,
    Phase,
    Role,
)

DAY = date(2026, 3, 4)  # a Wednesday


def make_group(db, leader, **overrides) -> Group:
    return service.create_group(
        db, leader=leader, client_id=uuid.uuid4(),
        **{"name": "Onsdagsholdet", "weekdays": [0, 2], "starts_at": time(9, 30),
           "place": "Værkstedet", **overrides})


def test_weekdays_text_round_trips():
    assert service.weekdays_text([4, 0, 2, 2]) == "0,2,4"
    assert parse_weekdays(service.weekdays_text([1, 3])) == {1, 3}


def test_meets_on(db, consultant):
    group = make_group(db, consultant)
    assert service.meets_on(group, DAY)
    assert not service.meets_on(group, DAY + timedelta(days=1))


def test_create_group_is_idempotent(db, consultant):
    client_id = uuid.uuid4()
    first = service.create_group(db, leader=consultant, name=" Holdet ", weekdays=[1],
                                 starts_at=time(9), place="", client_id=client_id)
    again = service.create_group(db, leader=consultant, name="Holdet", weekdays=[1],
                                 starts_at=time(9), place="", client_id=client_id)
    assert again.id == first.id and first.name == "Holdet"
    assert len(db.exec(select(Group)).all()) == 1


def test_groups_are_the_leaders_own(db, consultant, other_consultant, make_staff):
    mine, theirs = make_group(db, consultant), make_group(db, other_consultant, name="Andet")
    assert service.my_groups(db, consultant) == [mine]
    assert service.group_of(db, staff=consultant, group_id=mine.id) == mine
    with pytest.raises(NotFound):
        service.group_of(db, staff=consultant, group_id=theirs.id)
    with pytest.raises(NotFound):
        service.group_of(db, staff=consultant, group_id=9999)
    admin = make_staff(Role.admin, email="admin@example.org", name="Ada Admin")
    assert service.group_of(db, staff=admin, group_id=theirs.id) == theirs


def test_members_add_remove_and_rejoin(db, consultant, make_participant):
    group = make_group(db, consultant)
    sara, omar = make_participant("Sara"), make_participant("Omar")
    service.add_member(db, group=group, participant=sara, today=DAY)
    service.add_member(db, group=group, participant=sara, today=DAY)  # a double tap
    service.add_member(db, group=group, participant=omar, today=DAY)
    assert service.members(db, staff=consultant, group=group) == [omar, sara]
    service.remove_member(db, group=group, participant=sara, today=DAY + timedelta(days=7))
    service.remove_member(db, group=group, participant=sara, today=DAY + timedelta(days=8))
    assert service.members(db, staff=consultant, group=group) == [omar]
    assert service.addable(db, staff=consultant, group=group) == [sara]
    service.add_member(db, group=group, participant=sara, today=DAY + timedelta(days=14))
    [row] = db.exec(select(GroupMember).where(GroupMember.participant_id == sara.id)).all()
    assert (row.joined_on, row.left_on) == (DAY + timedelta(days=14), None)


def test_members_outside_the_caseload_drop_off(db, consultant, other_consultant, make_participant):
    group = make_group(db, consultant)
    sara = make_participant("Sara")
    service.add_member(db, group=group, participant=sara, today=DAY)
    enrolment = db.exec(select(Enrolment).where(Enrolment.participant_id == sara.id)).one()
    enrolment.consultant_id = other_consultant.id  # moved, no overlap
    db.commit()
    assert service.members(db, staff=consultant, group=group) == []


def test_addable_puts_preparation_first_and_leaves_out_ended(db, consultant, make_participant):
    group = make_group(db, consultant)
    anna, bo, carl = make_participant("Anna"), make_participant("Bo"), make_participant("Carl")
    for person, phase in ((anna, Phase.placement), (carl, Phase.ended)):
        enrolment = db.exec(select(Enrolment).where(Enrolment.participant_id == person.id)).one()
        enrolment.phase = phase
    db.commit()
    assert service.addable(db, staff=consultant, group=group) == [bo, anna]


def test_mark_creates_the_day_as_staff(db, consultant, participant):
    row = service.mark(db, staff=consultant, participant=participant,
                       status=AttendanceStatus.late, day=DAY, client_id=uuid.uuid4())
    assert (row.status, row.recorded_by_id, row.checked_in_at) == (
        AttendanceStatus.late, consultant.id, None)
    assert db.exec(select(AttendanceCorrection)).all() == []


def test_mark_keeps_the_participants_own_times_and_keeps_the_original(db, consultant,
                                                                     participant):
    came = datetime(2026, 3, 4, 8, 40, tzinfo=UTC)
    db.add(Attendance(participant_id=participant.id, day=DAY, checked_in_at=came, minutes=300,
                      recorded_by_id=participant.id))
    db.commit()
    row = service.mark(db, staff=consultant, participant=participant,
                       status=AttendanceStatus.late, day=DAY, client_id=uuid.uuid4())
    assert (row.status, row.checked_in_at, row.minutes, row.recorded_by_id) == (
        AttendanceStatus.late, came, 300, participant.id)
    [correction] = db.exec(select(AttendanceCorrection)).all()
    assert (correction.original_status, correction.new_status, correction.changed_by_id) == (
        AttendanceStatus.present, AttendanceStatus.late, consultant.id)
    assert correction.original_minutes == correction.new_minutes == 300


def test_mark_replay_and_same_status_change_nothing(db, consultant, participant):
    client_id = uuid.uuid4()
    for _ in range(2):
        service.mark(db, staff=consultant, participant=participant,
                     status=AttendanceStatus.absent, day=DAY, client_id=client_id)
    service.mark(db, staff=consultant, participant=participant,
                 status=AttendanceStatus.absent, day=DAY, client_id=uuid.uuid4())
    assert len(db.exec(select(Attendance)).all()) == 1
    assert db.exec(select(AttendanceCorrection)).all() == []
    # A replay of an earlier tap does not undo a later one.
    service.mark(db, staff=consultant, participant=participant,
                 status=AttendanceStatus.present, day=DAY, client_id=uuid.uuid4())
    row = service.mark(db, staff=consultant, participant=participant,
                       status=AttendanceStatus.absent, day=DAY, client_id=client_id)
    assert row.status == AttendanceStatus.present


def test_a_check_in_after_being_marked_absent_makes_the_day_late(db, consultant, participant):
    service.mark(db, staff=consultant, participant=participant, status=AttendanceStatus.absent,
                 day=DAY, client_id=uuid.uuid4())
    came = datetime(2026, 3, 4, 9, 40, tzinfo=UTC)
    row = attendance.check_in(db, participant=participant, client_id=uuid.uuid4(), now=came)
    assert (row.status, row.checked_in_at) == (AttendanceStatus.late, came)


def test_roll_call_shows_each_member_with_the_day(db, consultant, make_participant):
    group = make_group(db, consultant)
    sara, omar = make_participant("Sara"), make_participant("Omar")
    for person in (sara, omar):
        service.add_member(db, group=group, participant=person, today=DAY)
    service.mark(db, staff=consultant, participant=sara, status=AttendanceStatus.present,
                 day=DAY, client_id=uuid.uuid4())
    rows = service.roll_call(db, staff=consultant, group=group, day=DAY)
    assert [(r.participant.display_name, r.status) for r in rows] == [
        ("Omar", None), ("Sara", AttendanceStatus.present)]


def test_an_ended_group_leaves_the_list(db, consultant):
    group = make_group(db, consultant)
    service.end_group(db, group=group)
    assert service.my_groups(db, consultant) == []
    with pytest.raises(NotFound):
        service.group_of(db, staff=consultant, group_id=group.id)
