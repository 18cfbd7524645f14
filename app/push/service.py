"""Web Push notices: recorded once under a unique key, held back in quiet hours, sent by
whichever run claims them first.

A notice never carries personal content: a phone shows it on the lock screen, so it says only
that there is something to see in Trædesten, in the recipient's language, and links to the page.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import requests
from flask import after_this_request, current_app, has_app_context, has_request_context, url_for
from flask_babel import force_locale
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, event, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.db import write_transaction
from app.i18n import _l
from app.models import (
    AftercareCheckIn,
    Enrolment,
    GoalPlan,
    Meeting,
    PushNotice,
    PushSubscription,
    Responsible,
    SubGoal,
    User,
    utcnow,
)
from app.timeutil import LOCAL_TZ

log = logging.getLogger(__name__)

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
TTL_SECONDS = 12 * 60 * 60  # a reminder nobody's phone picked up in half a day is stale
# A push service that is down or busy is asked again at the next send-reminders run (every 15
# minutes) the same day, before quiet hours and while the notice is under 12 hours old, so a
# reminder about "tomorrow" is never sent on the day itself.
RETRY_AFTER = timedelta(minutes=15)
RETRY_FOR = timedelta(seconds=TTL_SECONDS)
TEXTS = {
    "message": _l("You have a new message in Trædesten."),
    "contact-request": _l("Someone has asked you to get in touch. See Trædesten."),
    "meeting-tomorrow": _l("You have a meeting tomorrow. See the time in Trædesten."),
    "checkin-due": _l("It is time for a check-in in Trædesten."),
    "subgoal-tomorrow": _l("A sub-goal in your plan is due tomorrow."),
    "subgoal-today": _l("A sub-goal in your plan is due today."),
}


# --- Quiet hours -------------------------------------------------------------------------------

def is_quiet(moment: datetime) -> bool:
    """Between 21:00 and 08:00 Copenhagen time nothing is sent."""
    local = moment.astimezone(LOCAL_TZ).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def send_time(moment: datetime) -> datetime:
    """`moment` itself outside quiet hours, else the next 08:00 Copenhagen time (in UTC)."""
    if not is_quiet(moment):
        return moment
    local = moment.astimezone(LOCAL_TZ)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=LOCAL_TZ).astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC moments a Copenhagen calendar day starts and ends (23 or 25 hours at DST)."""
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


# --- Subscriptions -----------------------------------------------------------------------------

def _b64url_length(value: str) -> int | None:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, TypeError):
        return None


def subscription_problem(data: object) -> str | None:
    """Why a posted subscription cannot be used, or None (push services are https)."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        return "shape"
    endpoint, keys = data.get("endpoint"), data["keys"]
    if not isinstance(endpoint, str) or not endpoint.startswith("https://") \
            or len(endpoint) > 1000:
        return "endpoint"
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or _b64url_length(p256dh) != 65:
        return "p256dh"
    if not isinstance(auth, str) or _b64url_length(auth) != 16:
        return "auth"
    return None


def save_subscription(session: Session, *, user: User, endpoint: str, p256dh: str,
                      auth: str) -> PushSubscription:
    """Keep the browser's subscription; the same browser signed in as someone else now belongs
    to them (one endpoint, one person)."""
    subscription = session.exec(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).first()
    if subscription is None:
        subscription = PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh,
                                        auth=auth)
    else:
        subscription.user_id, subscription.p256dh, subscription.auth = user.id, p256dh, auth
    session.add(subscription)
    try:
        session.commit()
    except IntegrityError:  # saved at the same moment by a parallel request
        session.rollback()
        return save_subscription(session, user=user, endpoint=endpoint, p256dh=p256dh,
                                 auth=auth)
    return subscription


def remove_subscriptions(session: Session, *, user: User, endpoint: str | None = None) -> None:
    """Turn push off for one browser, or (no endpoint) for every device of `user`."""
    statement = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        statement = statement.where(PushSubscription.endpoint == endpoint)
    session.exec(statement)
    session.commit()


def subscription_count(session: Session, user_id: int) -> int:
    return len(session.exec(
        select(PushSubscription.id).where(PushSubscription.user_id == user_id)
    ).all())


# --- Recording notices -------------------------------------------------------------------------

def _path(endpoint: str, **values) -> str:
    """A same-origin path; the CLI has no request to build it from."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def record_notice(session: Session, *, key: str, user_id: int, kind: str, now: datetime,
                  endpoint: str, **values) -> PushNotice | None:
    """Record a notice for `user_id` once per `key`, to go out now or after quiet hours; it
    links to the page `endpoint`.

    Nothing is recorded for someone without a subscription, or when `key` exists already: the
    unique key is the claim, so two runs at the same moment cannot both make it.
    """
    if subscription_count(session, user_id) == 0:
        return None
    notice = PushNotice(key=key, user_id=user_id, kind=kind, url=_path(endpoint, **values),
                        created_at=now, send_after=send_time(now))
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        return None
    return notice


def _consultant_id(session: Session, participant_id: int) -> int | None:
    from app.caseload.service import consultant_of

    consultant = consultant_of(session, participant_id)
    return consultant.id if consultant else None


def notify_new_message(session: Session, *, participant_id: int, sender: User, message_id: int,
                       now: datetime) -> None:
    """A new message, in the caller's transaction: a push to the other side (the participant,
    or their consultant), sent once the caller commits; in quiet hours it waits for 08:00."""
    if sender.id == participant_id:
        recipient = _consultant_id(session, participant_id)
        target = {"endpoint": "messages.staff_thread", "participant_id": participant_id}
    else:
        recipient, target = participant_id, {"endpoint": "messages.thread"}
    if recipient is not None:
        _send_after_commit(session, record_notice(
            session, key=f"message:{message_id}:{recipient}", user_id=recipient,
            kind="message", now=now, **target,
        ))


def notify_contact_request(session: Session, *, participant_id: int, reference: str,
                           now: datetime | None = None) -> None:
    """A participant asked to be contacted (e.g. in an aftercare answer), in the caller's
    transaction: a push to their consultant once the caller commits. `reference` makes the
    request unique (such as "checkin:<id>"), so a repeated call sends nothing twice."""
    consultant_id = _consultant_id(session, participant_id)
    if consultant_id is not None:
        _send_after_commit(session, record_notice(
            session, key=f"contact-request:{participant_id}:{reference}", user_id=consultant_id,
            kind="contact-request", now=now or utcnow(), endpoint="messages.staff_thread",
            participant_id=participant_id,
        ))


def _send_after_commit(session: Session, notice: PushNotice | None) -> None:
    if notice is not None:
        notice_id = notice.id
        event.listen(session, "after_commit", lambda _session: send_soon([notice_id]),
                     once=True)


def send_soon(notice_ids: list[int]) -> None:
    """Send after the response has gone out (in a request), or at once (a CLI command). A push
    service that is slow or down never fails or delays the person's own request; without an
    app (a bare service call) the next send-reminders run sends it."""
    if not has_app_context():
        return
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            try:
                send_notices(notice_ids, now=utcnow())
            except Exception:  # noqa: BLE001 — logged; the send-reminders run is the safety net
                log.exception("Sending push notices failed")

    if has_request_context():
        after_this_request(lambda response: (response.call_on_close(send), response)[1])
    else:
        send()


# --- Reminders ---------------------------------------------------------------------------------

def plan_reminders(session: Session, now: datetime) -> int:
    """Record the reminders due at `now`: a meeting tomorrow, a check-in due today, a sub-goal
    due tomorrow or today. Only outside quiet hours, so "tomorrow" is said on the day before."""
    if is_quiet(now):
        return 0
    today = now.astimezone(LOCAL_TZ).date()
    tomorrow = today + timedelta(days=1)
    recorded = 0
    for key, user_id, kind in _due(session, today, tomorrow):
        recorded += record_notice(session, key=key, user_id=user_id, kind=kind, now=now,
                                  endpoint=REMINDER_PAGES[kind]) is not None
    session.commit()
    return recorded


# The page each reminder opens.
REMINDER_PAGES = {"meeting-tomorrow": "walks.index", "checkin-due": "aftercare.check_in",
                  "subgoal-today": "plan.home", "subgoal-tomorrow": "plan.home"}


def _due(session: Session, today: date, tomorrow: date) -> Iterable[tuple[str, int, str]]:
    subscribed = select(PushSubscription.user_id)
    start, end = local_day_bounds(tomorrow)
    meetings = session.exec(
        select(Meeting).join(User, User.id == Meeting.participant_id)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, User.active,
               Meeting.participant_id.in_(subscribed))
    ).all()
    for meeting in meetings:
        yield f"meeting-tomorrow:{meeting.id}:{tomorrow}", meeting.participant_id, \
            "meeting-tomorrow"

    checkins = session.exec(
        select(AftercareCheckIn).join(Enrolment, Enrolment.id == AftercareCheckIn.enrolment_id)
        .where(AftercareCheckIn.due_on == today, AftercareCheckIn.answered_at.is_(None),
               AftercareCheckIn.held_by_id.is_(None),
               or_(Enrolment.aftercare_closed_on.is_(None),
                   Enrolment.aftercare_closed_on > today),
               AftercareCheckIn.participant_id.in_(subscribed))
    ).all()
    for checkin in checkins:
        yield f"checkin-due:{checkin.id}:{today}", checkin.participant_id, "checkin-due"

    subgoals = session.exec(
        select(SubGoal, GoalPlan.participant_id).join(GoalPlan, GoalPlan.id == SubGoal.plan_id)
        .where(SubGoal.due_on.in_([today, tomorrow]), SubGoal.done_at.is_(None),
               SubGoal.responsible == Responsible.participant,
               GoalPlan.participant_id.in_(subscribed))
    ).all()
    for subgoal, participant_id in subgoals:
        when = "today" if subgoal.due_on == today else "tomorrow"
        yield f"subgoal-{when}:{subgoal.id}:{subgoal.due_on}", participant_id, f"subgoal-{when}"


def run(now: datetime | None = None) -> tuple[int, int]:
    """What `flask send-reminders` does: record due reminders, send what is queued and due.
    Returns (recorded, sent)."""
    now = now or utcnow()
    with write_transaction() as session:
        recorded = plan_reminders(session, now)
    return recorded, send_due(now)


# --- Sending -----------------------------------------------------------------------------------

def send_due(now: datetime) -> int:
    """Send every queued notice whose time has come; none in quiet hours."""
    if is_quiet(now):
        return 0
    with write_transaction() as session:
        ids = session.exec(
            select(PushNotice.id).where(PushNotice.status == "queued",
                                        PushNotice.send_after <= now).order_by(PushNotice.id)
        ).all()
    return send_notices(list(ids), now=now)


def _claim(notice_id: int, now: datetime) -> bool:
    """Move a due notice from queued to sending in its own short transaction; only the one run
    whose UPDATE changed the row sends it (PostgreSQL re-checks the condition after the row lock,
    SQLite takes the write lock up front)."""
    with write_transaction() as session:
        result = session.exec(
            update(PushNotice)
            .where(PushNotice.id == notice_id, PushNotice.status == "queued",
                   PushNotice.send_after <= now)
            .values(status="sending")
        )
        return result.rowcount == 1


def send_notices(notice_ids: list[int], *, now: datetime) -> int:
    """Send the given notices that are due and not claimed by another run; returns how many
    reached at least one device. No transaction stays open while the push service is asked, so
    a slow one never holds up other writers."""
    sent = 0
    for notice_id in notice_ids:
        if is_quiet(now) or not _claim(notice_id, now):
            continue
        with write_transaction() as session:
            notice = session.get(PushNotice, notice_id)
            user = session.get(User, notice.user_id)
            subscriptions = session.exec(
                select(PushSubscription).where(PushSubscription.user_id == user.id)
            ).all() if user.active else []
            data = json.dumps(payload(notice, user), ensure_ascii=False)
            created_at = notice.created_at
        outcomes = {subscription.id: _push(subscription, data) for subscription in subscriptions}
        with write_transaction() as session:
            _record_outcomes(session, outcomes, now)
            session.exec(update(PushNotice).where(PushNotice.id == notice_id)
                         .values(**_after_sending(outcomes, created_at, now)))
        sent += "sent" in outcomes.values()
    return sent


def _after_sending(outcomes: dict[int, str], created_at: datetime, now: datetime) -> dict:
    """The notice's new state: sent when one device took it; queued again when a push service
    was down or busy and the next try is still today, outside quiet hours and young enough;
    otherwise failed."""
    if "sent" in outcomes.values():
        return {"status": "sent", "sent_at": now}
    retry_at = now + RETRY_AFTER
    if ("failed" in outcomes.values() and not is_quiet(retry_at)
            and retry_at <= created_at + RETRY_FOR):
        return {"status": "queued", "send_after": retry_at}
    return {"status": "failed"}


def payload(notice: PushNotice, user: User) -> dict:
    """What the service worker shows: the app's name, a line without personal content in the
    recipient's language, and the page to open."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(user.locale or default):
        body = str(TEXTS[notice.kind])
    return {"title": "Trædesten", "body": body, "url": notice.url, "tag": notice.kind}


def _push(subscription: PushSubscription, data: str) -> str:
    """Encrypt and send to one browser's push service: "sent"; "gone" (the browser dropped
    the subscription); "failed" (no answer, 429 or 5xx: worth another try); or "refused"
    (any other answer: trying again would get the same)."""
    config = current_app.config
    try:
        webpush(
            {"endpoint": subscription.endpoint,
             "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data, vapid_private_key=config["VAPID_PRIVATE_KEY"],
            vapid_claims={"sub": config["VAPID_SUBJECT"]},
            ttl=TTL_SECONDS, timeout=config["PUSH_TIMEOUT_SECONDS"],
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):  # the browser dropped it: the push service says gone
            return "gone"
        log.warning("Push to subscription %s failed: %s", subscription.id, status)
        return "failed" if status is None or status == 429 or status >= 500 else "refused"
    except requests.RequestException as error:
        log.warning("Push to subscription %s failed: %s", subscription.id, error)
        return "failed"
    return "sent"


def _record_outcomes(session: Session, outcomes: dict[int, str], now: datetime) -> None:
    def having(outcome: str) -> list[int]:
        return [id_ for id_, result in outcomes.items() if result == outcome]

    session.exec(delete(PushSubscription).where(PushSubscription.id.in_(having("gone"))))
    session.exec(update(PushSubscription).where(PushSubscription.id.in_(having("sent")))
                 .values(last_success_at=now))
