"""The one thread between a participant and their fixed consultant: sending, reading, polling.

A message is "mine" for whoever looks at it from the same side: the participant's own messages
for the participant, every staff message for staff (a consultant may be replaced or helped by
an admin, and the participant only sees "my consultant's side").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import inf

from babel.dates import get_day_names
from babel.lists import format_list
from flask_babel import format_time, get_locale
from sqlalchemy import ColumnElement, and_, case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.access import caseload_participant_ids
from app.db import write_transaction
from app.i18n import _, format_day
from app.idempotency import claim
from app.models import Message, MessageThread, User, utcnow
from app.push.service import notify_new_message
from app.timeutil import LOCAL_TZ

MAX_BODY = 4000  # Message.body's max_length
PAGE_SIZE = 50


@dataclass(frozen=True)
class ShownMessage:
    message: Message
    sender_name: str
    mine: bool


@dataclass(frozen=True)
class ThreadPage:
    """Up to PAGE_SIZE messages, oldest first, and the thread's state for the next poll."""

    messages: list[ShownMessage]
    has_older: bool
    last_id: int  # newest message id in the whole thread (0 when empty)
    own_read: int  # how many of the viewer's side's messages the other side has read


def _from_participant(participant_id: int) -> ColumnElement[bool]:
    return Message.sender_id == participant_id


def _mine(participant_id: int, viewer: User) -> ColumnElement[bool]:
    from_participant = _from_participant(participant_id)
    return from_participant if viewer.id == participant_id else ~from_participant


def _reachable_by(staff: User) -> ColumnElement[bool]:
    """The thread belongs to a participant `staff` may work with (the rule of app.access)."""
    return MessageThread.participant_id.in_(caseload_participant_ids(staff))


def _thread(session: Session, participant_id: int) -> MessageThread:
    """The participant's thread; made here if the participant predates threads."""
    query = select(MessageThread).where(MessageThread.participant_id == participant_id)
    thread = session.exec(query).first()
    if thread is None:
        try:
            with session.begin_nested():
                thread = MessageThread(participant_id=participant_id)
                session.add(thread)
        except IntegrityError:  # made at the same moment by a parallel request
            thread = session.exec(query).one()
    return thread


def send_message(
    session: Session, *, participant_id: int, sender: User, body: str,
    client_id: uuid.UUID | None, language: str | None = None,
) -> None:
    """Add `body` (already validated), written with the interface in `language`, to the
    participant's thread; a replayed client_id adds nothing."""
    if client_id is not None and claim(
        session, user=sender, client_id=client_id, kind="message"
    ) is not None:
        return
    thread = _thread(session, participant_id)
    now = utcnow()
    message = Message(thread_id=thread.id, sender_id=sender.id, body=body, sent_at=now,
                      language=language)
    session.add(message)
    thread.last_message_at = now
    if sender.id != participant_id:
        thread.awaiting_reply_since = None
    elif thread.awaiting_reply_since is None:
        # The first unanswered message counts: a second one does not reset the wait.
        thread.awaiting_reply_since = now
    session.add(thread)
    session.flush()
    notify_new_message(session, participant_id=participant_id, sender=sender,
                       message_id=message.id, now=now)
    session.commit()


def mark_handled(session: Session, *, participant_id: int) -> None:
    """Staff saw to the thread without a reply (a phone call, say): it no longer awaits one."""
    session.exec(
        update(MessageThread)
        .where(MessageThread.participant_id == participant_id)
        .values(awaiting_reply_since=None)
    )
    session.commit()


def mark_read(session: Session, *, participant_id: int, reader: User) -> None:
    """Mark the other side's messages read, from a GET request (nothing may be pending).

    The write runs in a short transaction of its own (a GET's transaction is a reader, see
    app.db). The request's transaction is ended first, so the rest of the request (the thread,
    the unread badge) starts a fresh one that sees the change.
    """
    other_side = ~_mine(participant_id, reader)
    threads = select(MessageThread.id).where(MessageThread.participant_id == participant_id)
    if reader.is_staff:
        threads = threads.where(_reachable_by(reader))  # never on an outsider's say-so
    session.commit()
    with write_transaction() as writer:
        writer.exec(
            update(Message)
            .where(Message.thread_id.in_(threads), other_side, Message.read_at.is_(None))
            .values(read_at=utcnow())
        )


def awaiting_since(session: Session, *, participant_id: int) -> datetime | None:
    """Since when the participant's thread has awaited a reply (None: it does not)."""
    return session.exec(
        select(MessageThread.awaiting_reply_since)
        .where(MessageThread.participant_id == participant_id)
    ).first()


def poll_state(session: Session, *, participant_id: int, viewer: User) -> tuple[int, int]:
    """(newest message id, the viewer side's messages read so far) in one indexed query.

    For staff, a participant outside their caseload looks like an empty thread.
    """
    read_mine = and_(_mine(participant_id, viewer), Message.read_at.is_not(None))
    own_read = func.count(case((read_mine, 1)))
    query = (
        select(func.max(Message.id), own_read)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(MessageThread.participant_id == participant_id)
    )
    if viewer.is_staff:
        query = query.where(_reachable_by(viewer))
    last_id, read = session.exec(query).one()
    return last_id or 0, read


def poll(session: Session, *, participant_id: int, viewer: User, after: int, read: int) -> bool:
    """Whether the thread changed since the viewer's page showed message `after` with `read` of
    their side's messages read. New messages are marked read, as the viewer will see them."""
    last_id, own_read = poll_state(session, participant_id=participant_id, viewer=viewer)
    if last_id > after:
        mark_read(session, participant_id=participant_id, reader=viewer)
        return True
    return own_read != read


def thread_page(
    session: Session, *, participant_id: int, viewer: User, before: int | None = None
) -> ThreadPage:
    """The newest PAGE_SIZE messages (or those before message id `before`), oldest first."""
    query = (
        select(Message, User.display_name)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .join(User, User.id == Message.sender_id)
        .where(MessageThread.participant_id == participant_id)
        .order_by(Message.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before is not None:
        query = query.where(Message.id < before)
    rows = session.exec(query).all()
    viewer_is_participant = viewer.id == participant_id
    shown = [
        ShownMessage(message, name, (message.sender_id == participant_id) == viewer_is_participant)
        for message, name in reversed(rows[:PAGE_SIZE])
    ]
    last_id, own_read = poll_state(session, participant_id=participant_id, viewer=viewer)
    return ThreadPage(shown, len(rows) > PAGE_SIZE, last_id, own_read)


def unread_count(session: Session, *, participant_id: int) -> int:
    """Messages from staff the participant has not read yet (the bottom bar's badge)."""
    return session.exec(
        select(func.count(Message.id))
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(
            MessageThread.participant_id == participant_id,
            ~_from_participant(participant_id),
            Message.read_at.is_(None),
        )
    ).one()


def unread_counts_for_staff(session: Session, staff: User) -> dict[int, int]:
    """participant_id → unread messages from that participant, over `staff`'s caseload.

    One query; participants without unread messages are left out.
    """
    rows = session.exec(
        select(MessageThread.participant_id, func.count(Message.id))
        .join(Message, Message.thread_id == MessageThread.id)
        .where(
            _reachable_by(staff),
            Message.sender_id == MessageThread.participant_id,
            Message.read_at.is_(None),
        )
        .group_by(MessageThread.participant_id)
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class InboxRow:
    participant_id: int
    name: str
    unread: int  # messages from the participant no staff member has read
    last_message_at: datetime | None
    awaiting_since: datetime | None


@dataclass(frozen=True)
class Inbox:
    awaiting: list[InboxRow]  # the longest waiting first
    others: list[InboxRow]  # the latest message first; threads without messages last

    @property
    def unread(self) -> int:
        return sum(row.unread for row in self.awaiting + self.others)


def inbox(session: Session, staff: User) -> Inbox:
    """Every thread of `staff`'s caseload (also a participant who has none yet), in one query.

    Names, counts and times only: no message text, so the list reads nothing sensitive.
    """
    unread = (
        select(Message.thread_id, func.count(Message.id).label("unread"))
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(_reachable_by(staff), Message.sender_id == MessageThread.participant_id,
               Message.read_at.is_(None))
        .group_by(Message.thread_id)
        .subquery()
    )
    query = (
        select(User.id, User.display_name, func.coalesce(unread.c.unread, 0),
               MessageThread.last_message_at, MessageThread.awaiting_reply_since)
        .outerjoin(MessageThread, MessageThread.participant_id == User.id)
        .outerjoin(unread, unread.c.thread_id == MessageThread.id)
        .where(User.id.in_(caseload_participant_ids(staff)))
    )
    rows = [InboxRow(*row) for row in session.exec(query).all()]
    awaiting = sorted((r for r in rows if r.awaiting_since), key=lambda r: r.awaiting_since)
    others = [r for r in rows if not r.awaiting_since]
    others.sort(key=lambda r: r.name.casefold())
    others.sort(key=lambda r: -r.last_message_at.timestamp() if r.last_message_at else inf)
    return Inbox(awaiting, others)


def work_days(consultant: User) -> list[int]:
    """The consultant's working weekdays, Monday = 0, sorted."""
    days = {int(d) for d in consultant.work_days.split(",") if d.strip().isdigit()}
    return sorted(days & set(range(7)))


def next_working_time(consultant: User, now_local: datetime) -> datetime | None:
    """When the consultant's working hours next begin, in Copenhagen time; None while they are
    at work (start included, end excluded) or when they have no working days. Days up to and
    including `away_until` are no working days."""
    now = now_local.astimezone(LOCAL_TZ)
    days = work_days(consultant)
    if not days:
        return None
    away = is_away(consultant, now.date())
    at_work_today = now.weekday() in days and not away
    if at_work_today and consultant.work_start <= now.time() < consultant.work_end:
        return None
    start_today = at_work_today and now.time() < consultant.work_start
    day: date = now.date() if start_today else now.date() + timedelta(days=1)
    if away:
        day = max(day, consultant.away_until + timedelta(days=1))
    while day.weekday() not in days:
        day += timedelta(days=1)
    # Combining the wall-clock time with the zone gives the right offset across a DST change.
    return datetime.combine(day, consultant.work_start, tzinfo=LOCAL_TZ)


def is_away(consultant: User, today: date) -> bool:
    return consultant.away_until is not None and consultant.away_until >= today


def _day_names() -> dict[int, str]:
    return get_day_names("wide", locale=get_locale())  # keyed by weekday, Monday = 0


def describe_work_days(consultant: User) -> str:
    """E.g. "Monday to Friday", or "Monday, Wednesday and Friday" when the days have gaps."""
    days = work_days(consultant)
    names = _day_names()
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s", first=names[days[0]], last=names[days[-1]])
    return format_list([names[d] for d in days], locale=get_locale())


def answer_expected_note(consultant: User, now_local: datetime) -> str | None:
    """Outside working hours or while the consultant is away: when they work (or until when
    they are away) and when to expect an answer."""
    next_time = next_working_time(consultant, now_local)
    if next_time is None:
        return None
    today = now_local.astimezone(LOCAL_TZ).date()
    start = format_time(consultant.work_start, "short")
    if is_away(consultant, today):
        works = _("%(name)s is away until and including %(day)s.", name=consultant.display_name,
                  day=format_day(consultant.away_until))
    else:
        works = _(
            "%(name)s works %(days)s %(start)s–%(end)s.", name=consultant.display_name,
            days=describe_work_days(consultant), start=start,
            end=format_time(consultant.work_end, "short"),
        )
    days_ahead = (next_time.date() - today).days
    if days_ahead == 0:
        expect = _("You can expect an answer today from %(time)s.", time=start)
    elif days_ahead == 1:
        expect = _("You can expect an answer tomorrow from %(time)s.", time=start)
    else:
        # A weekday name is clear within the week; further ahead the date says it.
        day = _day_names()[next_time.weekday()] if days_ahead < 7 else format_day(next_time)
        expect = _("You can expect an answer %(day)s from %(time)s.", day=day, time=start)
    return f"{works} {expect}"

