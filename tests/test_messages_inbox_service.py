"""The inbox, the domain: a thread awaits a reply from the participant's first unanswered
message until staff reply or mark it handled; the inbox lists the caseload's threads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.messages import service
from app.models import Enrolment, MessageThread, Role, User


def say(db, participant: User, sender: User, body: str = "Hej") -> None:
    service.send_message(db, participant_id=participant.id, sender=sender, body=body,
                         client_id=None)


def thread_of(db, participant: User) -> MessageThread:
    db.expire_all()
    thread = db.exec(select(MessageThread).where(
        MessageThread.participant_id == participant.id)).one()
    db.commit()
    return thread


def test_the_first_unanswered_message_starts_the_wait(app, db, participant, consultant):
    assert service.awaiting_since(db, participant_id=participant.id) is None
    say(db, participant, participant, "Hej Mette")
    first = thread_of(db, participant).awaiting_reply_since
    assert first is not None
    assert service.awaiting_since(db, participant_id=participant.id) == first
    say(db, participant, participant, "Er du der?")
    assert thread_of(db, participant).awaiting_reply_since == first  # a second does not reset


def test_a_staff_reply_ends_the_wait_and_the_next_message_starts_a_new_one(
    app, db, participant, consultant,
):
    say(db, participant, participant)
    say(db, participant, consultant, "Hej Sara")
    assert thread_of(db, participant).awaiting_reply_since is None
    say(db, participant, participant, "Tak")
    thread = thread_of(db, participant)
    assert thread.awaiting_reply_since == thread.last_message_at


def test_staff_writing_first_never_starts_a_wait(app, db, participant, consultant):
    say(db, participant, consultant, "Velkommen")
    assert thread_of(db, participant).awaiting_reply_since is None


def test_marking_handled_ends_the_wait_without_a_message(app, db, participant, consultant):
    say(db, participant, participant)
    service.mark_handled(db, participant_id=participant.id)
    thread = thread_of(db, participant)
    assert thread.awaiting_reply_since is None and thread.last_message_at is not None
    service.mark_handled(db, participant_id=participant.id)  # twice changes nothing
    assert thread_of(db, participant).awaiting_reply_since is None


def set_waiting(db, participant: User, since: datetime | None, last: datetime | None) -> None:
    thread = thread_of(db, participant)
    thread.awaiting_reply_since, thread.last_message_at = since, last
    db.add(thread)
    db.commit()


def test_inbox_puts_the_longest_waiting_first_then_the_latest(
    app, db, make_participant, participant, consultant, other_participant,
):
    ida, bo, cem = (make_participant(name) for name in ("Ida", "Bo", "Cem"))
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    for who in (participant, ida, bo):
        say(db, who, who)
    say(db, other_participant, other_participant)  # another caseload: never listed
    set_waiting(db, participant, now - timedelta(hours=1), now - timedelta(hours=1))
    set_waiting(db, ida, now - timedelta(days=2), now - timedelta(minutes=5))
    set_waiting(db, bo, None, now - timedelta(hours=3))

    found = service.inbox(db, consultant)
    assert [row.name for row in found.awaiting] == ["Ida", "Sara"]
    assert [row.name for row in found.others] == ["Bo", "Cem"]  # Cem has no message yet
    sara = found.awaiting[1]
    assert (sara.participant_id, sara.unread, sara.awaiting_since) == (
        participant.id, 1, now - timedelta(hours=1))
    assert found.others[1].last_message_at is None and found.others[1].unread == 0
    assert found.unread == 3
    assert cem.id not in {row.participant_id for row in found.awaiting}


def test_inbox_follows_the_caseload_rule_with_a_handover(
    app, db, participant, consultant, other_consultant,
):
    say(db, participant, participant)
    assert service.inbox(db, other_consultant).awaiting == []
    enrolment = db.exec(select(Enrolment)).one()
    enrolment.consultant_id, enrolment.previous_consultant_id = other_consultant.id, consultant.id
    enrolment.handover_until = date.today() + timedelta(days=7)
    db.add(enrolment)
    db.commit()
    # During the overlap both see the thread; it awaits one reply, from either of them.
    for staff in (consultant, other_consultant):
        assert [row.name for row in service.inbox(db, staff).awaiting] == ["Sara"]


def test_an_admin_sees_every_thread_of_the_organisation(
    app, db, make_staff, participant, other_participant,
):
    admin = make_staff(role=Role.admin, email="admin@example.org", name="Admin Fiktiv")
    say(db, other_participant, other_participant)
    found = service.inbox(db, admin)
    assert [row.name for row in found.awaiting] == ["Ahmad"]
    assert [row.name for row in found.others] == ["Sara"]


def consultant_with(away_until: date | None) -> User:
    return User(organisation_id=1, role=Role.consultant, login="x", display_name="Mette",
                work_days="0,1,2,3,4", work_start=time(8, 30), work_end=time(15, 30),
                away_until=away_until)


def test_days_away_are_no_working_days(app):
    cph = ZoneInfo("Europe/Copenhagen")
    tuesday_morning = datetime(2025, 6, 3, 10, 0, tzinfo=cph)  # inside hours
    away = consultant_with(date(2025, 6, 4))  # a Wednesday, the last day away
    assert service.next_working_time(away, tuesday_morning) == datetime(
        2025, 6, 5, 8, 30, tzinfo=cph)
    # Back on a Saturday: the next working day is the Monday after.
    weekend = consultant_with(date(2025, 6, 7))
    assert service.next_working_time(weekend, tuesday_morning) == datetime(
        2025, 6, 9, 8, 30, tzinfo=cph)
    # A day away in the past changes nothing.
    assert service.next_working_time(consultant_with(date(2025, 6, 2)), tuesday_morning) is None
    with app.test_request_context(headers={"Accept-Language": "en"}):
        note = service.answer_expected_note(away, tuesday_morning)
        long_leave = service.answer_expected_note(consultant_with(date(2025, 6, 20)),
                                                  tuesday_morning)
    assert note == ("Mette is away until and including Wednesday, June 4. "
                    "You can expect an answer Thursday from 8:30\u202fAM.")
    assert long_leave.endswith("You can expect an answer Monday, June 23 from 8:30\u202fAM.")
