"""Messages, the domain: working hours, sending, read state, polling, unread counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from app.messages import service
from app.models import Message, MessageThread, Role, User

CPH = ZoneInfo("Europe/Copenhagen")


def consultant_with(days: str = "0,1,2,3,4", start: time = time(8, 30),
                    end: time = time(15, 30)) -> User:
    return User(organisation_id=1, role=Role.consultant, login="x", display_name="Mette",
                work_days=days, work_start=start, work_end=end)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)


# 2025-06-02 is a Monday; 2025-06-06 a Friday.
@pytest.mark.parametrize(("now", "expected"), [
    (local(2025, 6, 3, 10, 0), None),  # inside hours
    (local(2025, 6, 3, 8, 30), None),  # exactly at start: at work
    (local(2025, 6, 3, 15, 30), local(2025, 6, 4, 8, 30)),  # exactly at end: tomorrow
    (local(2025, 6, 3, 7, 0), local(2025, 6, 3, 8, 30)),  # before start: today
    (local(2025, 6, 3, 0, 0), local(2025, 6, 3, 8, 30)),  # just after midnight
    (local(2025, 6, 3, 21, 45), local(2025, 6, 4, 8, 30)),  # evening
    (local(2025, 6, 6, 16, 0), local(2025, 6, 9, 8, 30)),  # Friday evening: Monday
    (local(2025, 6, 7, 12, 0), local(2025, 6, 9, 8, 30)),  # Saturday
    (local(2025, 6, 8, 23, 59), local(2025, 6, 9, 8, 30)),  # Sunday night
])
def test_next_working_time(now, expected):
    assert service.next_working_time(consultant_with(), now) == expected


def test_next_working_time_over_the_spring_dst_weekend():
    # Clocks go forward on Sunday 30 March 2025: Friday is +01:00, Monday +02:00.
    found = service.next_working_time(consultant_with(), local(2025, 3, 28, 18, 0))
    assert found == local(2025, 3, 31, 8, 30)
    assert found.utcoffset().total_seconds() == 2 * 3600
    assert found.astimezone(UTC).hour == 6


def test_next_working_time_over_the_autumn_dst_weekend():
    # Clocks go back on Sunday 26 October 2025: Monday is +01:00 again.
    found = service.next_working_time(consultant_with(), local(2025, 10, 25, 10, 0))
    assert found.astimezone(UTC) == datetime(2025, 10, 27, 7, 30, tzinfo=UTC)


def test_next_working_time_takes_any_timezone_and_gaps_between_days():
    tuesday_thursday = consultant_with(days="1,3", start=time(9, 0), end=time(12, 0))
    # Tuesday 12:30 in Copenhagen, given in UTC: next is Thursday 9:00.
    now = datetime(2025, 6, 3, 10, 30, tzinfo=UTC)
    assert service.next_working_time(tuesday_thursday, now) == local(2025, 6, 5, 9, 0)
    assert service.next_working_time(tuesday_thursday, local(2025, 6, 3, 11, 0)) is None


def test_next_working_time_without_working_days_says_nothing():
    assert service.next_working_time(consultant_with(days=""), local(2025, 6, 7, 12, 0)) is None


def test_answer_expected_note_in_plain_words(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        friday_evening = service.answer_expected_note(consultant_with(), local(2025, 6, 6, 16, 0))
        tuesday_early = service.answer_expected_note(consultant_with(), local(2025, 6, 3, 7, 0))
        tuesday_late = service.answer_expected_note(consultant_with(), local(2025, 6, 3, 17, 0))
        at_work = service.answer_expected_note(consultant_with(), local(2025, 6, 3, 9, 0))
        gaps = service.describe_work_days(consultant_with(days="0,2,4"))
    assert friday_evening.startswith("Mette works Monday to Friday 8:30")
    assert "You can expect an answer Monday from 8:30" in friday_evening
    assert "You can expect an answer today from 8:30" in tuesday_early
    assert "You can expect an answer tomorrow from 8:30" in tuesday_late
    assert at_work is None
    assert gaps == "Monday, Wednesday, and Friday"


def test_answer_expected_note_in_danish(app):
    with app.test_request_context(headers={"Accept-Language": "da"}):
        note = service.answer_expected_note(consultant_with(), local(2025, 6, 7, 12, 0))
    # Babel writes Danish times and day names (the sentence itself comes from the catalog).
    assert "08.30" in note and "mandag" in note


def say(db, participant: User, sender: User, body: str = "Hej") -> None:
    service.send_message(db, participant_id=participant.id, sender=sender, body=body,
                         client_id=None)


def count_messages(db) -> int:
    return db.exec(select(func.count(Message.id))).one()


def test_send_message_is_idempotent_and_sets_last_message_at(app, db, participant):
    client_id = uuid.uuid4()
    with app.test_request_context(method="POST"):
        for _ in range(2):
            service.send_message(db, participant_id=participant.id, sender=participant,
                                 body="Hej", client_id=client_id)
    assert count_messages(db) == 1
    thread = db.exec(select(MessageThread).where(
        MessageThread.participant_id == participant.id)).one()
    assert thread.last_message_at is not None


def test_thread_is_made_on_demand(app, db, participant, consultant):
    db.delete(db.exec(select(MessageThread)).one())
    db.commit()
    say(db, participant, consultant)
    assert db.exec(select(func.count(MessageThread.id))).one() == 1
    assert count_messages(db) == 1


def test_read_state_poll_and_unread_counts(app, db, participant, consultant):
    with app.app_context():  # mark_read writes through the app's engine
        say(db, participant, consultant, "Hej Sara")
        assert service.unread_count(db, participant_id=participant.id) == 1
        assert service.poll_state(db, participant_id=participant.id, viewer=consultant)[1] == 0
        last_id, _ = service.poll_state(db, participant_id=participant.id, viewer=participant)

        # The participant's page polls: the new message is shown and marked read.
        assert service.poll(db, participant_id=participant.id, viewer=participant, after=0, read=0)
        assert service.unread_count(db, participant_id=participant.id) == 0
        assert not service.poll(db, participant_id=participant.id, viewer=participant,
                                after=last_id, read=0)
        # The consultant's side sees its message read.
        assert service.poll(db, participant_id=participant.id, viewer=consultant,
                            after=last_id, read=0)
        state = service.poll_state(db, participant_id=participant.id, viewer=consultant)
        assert state == (last_id, 1)


def test_unread_counts_for_staff_cover_only_the_caseload(
    app, db, make_staff, make_participant, participant, other_participant, consultant,
    other_consultant,
):
    with app.app_context():  # mark_read writes through the app's engine
        second = make_participant("Ida")
        for who, times in ((participant, 2), (second, 1), (other_participant, 3)):
            for _ in range(times):
                say(db, who, who)
        say(db, second, consultant)  # staff's own message is not unread for staff
        admin = make_staff(role=Role.admin, email="admin@example.org", name="Admin Fiktiv")

        counts = service.unread_counts_for_staff(db, consultant)
        assert counts == {participant.id: 2, second.id: 1}
        assert service.unread_counts_for_staff(db, other_consultant) == {other_participant.id: 3}
        assert service.unread_counts_for_staff(db, admin) == {
            participant.id: 2, second.id: 1, other_participant.id: 3}

        service.mark_read(db, participant_id=participant.id, reader=consultant)
        assert service.unread_counts_for_staff(db, consultant) == {second.id: 1}


def test_staff_outside_the_caseload_can_neither_see_nor_mark_read(
    app, db, participant, other_consultant,
):
    with app.app_context():  # mark_read writes through the app's engine
        say(db, participant, participant)
        state = service.poll_state(db, participant_id=participant.id, viewer=other_consultant)
        assert state == (0, 0)
        service.mark_read(db, participant_id=participant.id, reader=other_consultant)
        db.expire_all()
        assert db.exec(select(Message)).one().read_at is None


def test_thread_page_shows_the_last_50_oldest_first(app, db, participant, consultant):
    for n in range(53):
        say(db, participant, consultant if n % 2 else participant, f"m{n}")
    page = service.thread_page(db, participant_id=participant.id, viewer=participant)
    assert [s.message.body for s in page.messages][:2] == ["m3", "m4"]
    assert page.messages[-1].message.body == "m52"
    assert page.has_older and len(page.messages) == service.PAGE_SIZE
    assert page.messages[-1].mine and not page.messages[-2].mine
    assert page.messages[-2].sender_name == "Mette"

    older = service.thread_page(db, participant_id=participant.id, viewer=consultant,
                                before=page.messages[0].message.id)
    assert [s.message.body for s in older.messages] == ["m0", "m1", "m2"]
    assert not older.has_older
    assert [s.mine for s in older.messages] == [False, True, False]
