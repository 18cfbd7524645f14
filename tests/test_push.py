"""Web Push: quiet hours and due dates in Copenhagen time, reminders recorded once and sent once
(also by two runs at the same moment), a real encrypted round trip to a local push service, and
the routes that turn notifications on and off."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlmodel import select

from app.models import (
    AftercareCheckIn,
    Enrolment,
    GoalPlan,
    Meeting,
    PushNotice,
    PushSubscription,
    SubGoal,
)
from app.push import service
from app.timeutil import LOCAL_TZ
from tests.conftest import csrf_token, rows


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- A push service on this machine ------------------------------------------------------------

class PushService:
    """Answers like a push service: 201, or the status set in `answers` for an endpoint's
    path (410 gone, 503 busy, 403 refused)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = outer.answers.get(self.path, 201)
                if status == 201:
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    outer.received.append({"path": self.path, "headers": headers, "body": body})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service() -> Iterator[PushService]:
    server = PushService()
    yield server
    server.close()


class Browser:
    """A browser's side of a subscription: its own ECDH key pair and auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = secrets.token_bytes(16)

    @property
    def p256dh(self) -> str:
        return b64url(self.key.public_key().public_bytes(Encoding.X962,
                                                         PublicFormat.UncompressedPoint))

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                 version="aes128gcm")
        return json.loads(plain)


@pytest.fixture
def subscribe(app, db, push_service):
    def make(user, path: str = "/push/one") -> Browser:
        browser = Browser()
        with app.app_context():
            service.save_subscription(db, user=user, endpoint=push_service.origin + path,
                                      p256dh=browser.p256dh, auth=b64url(browser.auth))
        return browser
    return make


# --- Quiet hours and days in Copenhagen time ---------------------------------------------------

@pytest.mark.parametrize(("hour", "minute", "quiet"), [
    (20, 59, False), (21, 0, True), (7, 59, True), (8, 0, False), (0, 0, True), (12, 0, False),
])
def test_quiet_hours_are_21_to_8_local_time(hour, minute, quiet):
    for day in (date(2026, 1, 15), date(2026, 7, 15)):  # winter (UTC+1) and summer (UTC+2)
        assert service.is_quiet(local(day, hour, minute)) is quiet


def test_what_is_made_in_quiet_hours_waits_for_8_local():
    day = date(2026, 6, 10)
    assert service.send_time(local(day, 20, 59)) == local(day, 20, 59)
    assert service.send_time(local(day, 21, 0)) == local(day + timedelta(days=1), 8)
    assert service.send_time(local(day, 7, 59)) == local(day, 8)
    assert service.send_time(local(day, 8, 0)) == local(day, 8)


@pytest.mark.parametrize(("evening", "morning_utc"), [
    # The last Sunday of March: clocks go forward, 08:00 is 06:00 UTC again.
    (date(2026, 3, 28), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
    # The last Sunday of October: clocks go back, 08:00 is 07:00 UTC.
    (date(2026, 10, 24), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
])
def test_quiet_hours_across_daylight_saving_changes(evening, morning_utc):
    assert service.send_time(local(evening, 22, 30)) == morning_utc
    # 02:30 on the night of the change (in October it happens twice) is quiet too.
    night = morning_utc - timedelta(hours=4, minutes=30)
    assert service.is_quiet(night) and service.send_time(night) == morning_utc


def test_days_of_23_and_25_hours():
    start, end = service.local_day_bounds(date(2026, 3, 29))
    assert end - start == timedelta(hours=23)
    start, end = service.local_day_bounds(date(2026, 10, 25))
    assert end - start == timedelta(hours=25)
    assert start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)


# --- Reminders ---------------------------------------------------------------------------------

def _meeting(db, participant, consultant, starts_at: datetime) -> Meeting:
    meeting = Meeting(participant_id=participant.id, consultant_id=consultant.id,
                      starts_at=starts_at)
    db.add(meeting)
    db.commit()
    return meeting


def _subgoal(db, participant, due_on: date, **extra) -> SubGoal:
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == participant.id)).first()
    if plan is None:
        plan = GoalPlan(participant_id=participant.id)
        db.add(plan)
        db.flush()
    subgoal = SubGoal(plan_id=plan.id, title="Ring til fiktiv arbejdsgiver", due_on=due_on,
                      created_by_id=participant.id, **extra)
    db.add(subgoal)
    db.commit()
    return subgoal


def _planned(app, now: datetime) -> list[str]:
    with app.app_context():
        service.run(now)
    with app.app_context():
        from app.db import get_session
        return sorted(n.key for n in get_session().exec(select(PushNotice)).all())


def test_a_meeting_tomorrow_across_a_month_end(app, db, participant, consultant, subscribe):
    subscribe(participant)
    first = _meeting(db, participant, consultant, local(date(2026, 2, 1), 9, 30))
    _meeting(db, participant, consultant, local(date(2026, 2, 2), 9, 30))  # the day after
    assert _planned(app, local(date(2026, 1, 31), 10)) == [
        f"meeting-tomorrow:{first.id}:2026-02-01"
    ]


def test_a_meeting_tomorrow_on_the_night_clocks_go_forward(app, db, participant, consultant,
                                                           subscribe):
    subscribe(participant)
    late = _meeting(db, participant, consultant, local(date(2026, 3, 29), 23, 30))
    _meeting(db, participant, consultant, local(date(2026, 3, 30), 0, 30))
    _meeting(db, participant, consultant, local(date(2026, 3, 28), 23, 30))  # today
    assert _planned(app, local(date(2026, 3, 28), 12)) == [
        f"meeting-tomorrow:{late.id}:2026-03-29"
    ]


def test_sub_goals_due_tomorrow_and_today_across_february(app, db, participant, subscribe):
    subscribe(participant)
    tomorrow = _subgoal(db, participant, date(2026, 3, 1))
    today = _subgoal(db, participant, date(2026, 2, 28))
    _subgoal(db, participant, date(2026, 2, 28), done_at=datetime(2026, 2, 27, tzinfo=UTC))
    _subgoal(db, participant, date(2026, 3, 1), responsible="consultant")
    _subgoal(db, participant, date(2026, 3, 2))
    assert _planned(app, local(date(2026, 2, 28), 9)) == sorted([
        f"subgoal-today:{today.id}:2026-02-28", f"subgoal-tomorrow:{tomorrow.id}:2026-03-01",
    ])


def test_an_open_check_in_due_today(app, db, participant, subscribe):
    subscribe(participant)
    enrolment = db.exec(select(Enrolment).where(Enrolment.participant_id == participant.id)).one()
    due = AftercareCheckIn(enrolment_id=enrolment.id, participant_id=participant.id, sequence=1,
                           due_on=date(2026, 4, 30))
    answered = AftercareCheckIn(enrolment_id=enrolment.id, participant_id=participant.id,
                                sequence=2, due_on=date(2026, 4, 30),
                                answered_at=datetime(2026, 4, 29, tzinfo=UTC))
    later = AftercareCheckIn(enrolment_id=enrolment.id, participant_id=participant.id,
                             sequence=3, due_on=date(2026, 5, 1))
    db.add_all([due, answered, later])
    db.commit()
    assert _planned(app, local(date(2026, 4, 30), 8)) == [f"checkin-due:{due.id}:2026-04-30"]
    enrolment.aftercare_closed_on = date(2026, 4, 30)
    db.add(enrolment)
    db.commit()
    assert _planned(app, local(date(2026, 5, 1), 8)) == [f"checkin-due:{due.id}:2026-04-30"]


def test_no_reminders_are_made_in_quiet_hours_nor_for_people_without_push(
        app, db, participant, consultant, subscribe):
    _meeting(db, participant, consultant, local(date(2026, 5, 6), 10))
    assert _planned(app, local(date(2026, 5, 5), 12)) == []  # no subscription
    subscribe(participant)
    assert _planned(app, local(date(2026, 5, 5), 21)) == []  # "tomorrow" is said by day


# --- Sending once ------------------------------------------------------------------------------

def test_send_reminders_twice_sends_once(app, db, participant, consultant, subscribe,
                                         push_service):
    browser = subscribe(participant)
    _meeting(db, participant, consultant, local(date(2026, 5, 6), 10))
    now = local(date(2026, 5, 5), 12)
    with app.app_context():
        assert service.run(now) == (1, 1)
        assert service.run(now + timedelta(minutes=15)) == (0, 0)
    assert len(push_service.received) == 1
    message = browser.decrypt(push_service.received[0]["body"])
    assert message == {"title": "Trædesten", "tag": "meeting-tomorrow", "url": "/walks/",
                       "body": message["body"]}
    notice = rows(db, PushNotice)[0]
    assert notice.status == "sent" and notice.sent_at == now


def test_two_runs_at_the_same_moment_send_once(app, db, participant, consultant, subscribe,
                                               push_service):
    subscribe(participant)
    _meeting(db, participant, consultant, local(date(2026, 5, 6), 10))
    now = local(date(2026, 5, 5), 12)
    start = threading.Barrier(2)
    results = []

    def run() -> None:
        with app.app_context():
            start.wait()
            results.append(service.run(now))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One run recorded it; either may have sent it, but only one did.
    assert sum(recorded for recorded, _sent in results) == 1
    assert sum(sent for _recorded, sent in results) == 1
    assert len(push_service.received) == 1
    assert [n.status for n in rows(db, PushNotice)] == ["sent"]


def test_queued_in_quiet_hours_goes_out_at_8(app, db, participant, consultant, subscribe,
                                              push_service, monkeypatch):
    browser = subscribe(participant)
    evening = local(date(2026, 10, 24), 21, 0)
    monkeypatch.setattr(service, "utcnow", lambda: evening)
    from app.messages import service as messages
    monkeypatch.setattr(messages, "utcnow", lambda: evening)
    with app.test_request_context():
        messages.send_message(db, participant_id=participant.id, sender=consultant,
                              body="Hej Sara, vi ses i morgen.", client_id=None)
    notice = rows(db, PushNotice)[0]
    assert notice.status == "queued"
    assert notice.send_after == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # 08:00 after DST
    with app.app_context():
        assert service.run(local(date(2026, 10, 25), 7, 59)) == (0, 0)
        assert service.run(local(date(2026, 10, 25), 8, 0)) == (0, 1)
    [received] = push_service.received
    assert browser.decrypt(received["body"])["url"] == "/messages/"


# --- A real round trip -------------------------------------------------------------------------

def _verify_vapid(header: str, public_key: str, audience: str) -> dict:
    """The Authorization header: `vapid t=<JWT signed ES256>, k=<the app's public key>`."""
    scheme, _, params = header.partition(" ")
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == public_key
    head, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                    int.from_bytes(raw[32:], "big")),
               f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == audience
    return decoded


def test_a_message_reaches_the_phone_encrypted_and_without_its_content(
        app, participant, consultant, subscribe, push_service, monkeypatch):
    browser = subscribe(participant)
    monkeypatch.setattr(service, "is_quiet", lambda _moment: False)
    client = app.test_client()
    from tests.conftest import sign_in
    sign_in(client, consultant)
    token = csrf_token(client, f"/messages/for/{participant.id}")
    response = client.post(f"/messages/for/{participant.id}", data={
        "body": "Hej Sara, husk lægeattesten", "csrf_token": token,
        "client_id": str(uuid.uuid4()),
    })
    assert response.status_code == 303 and push_service.received == []  # not before the answer
    response.close()  # as a WSGI server does once the answer is sent
    [received] = push_service.received
    assert received["headers"]["content-encoding"] == "aes128gcm"
    claims = _verify_vapid(received["headers"]["authorization"], app.config["VAPID_PUBLIC_KEY"],
                           push_service.origin)
    assert claims["sub"] == app.config["VAPID_SUBJECT"]
    message = browser.decrypt(received["body"])
    assert message["url"] == "/messages/" and message["tag"] == "message"
    assert "Trædesten" in message["body"]
    for personal in ("Sara", "lægeattest", consultant.display_name, "Mette"):
        assert personal not in json.dumps(message, ensure_ascii=False)


def test_the_consultant_hears_of_a_participants_message(app, db, participant, consultant,
                                                        subscribe, push_service, monkeypatch):
    browser = subscribe(consultant)
    monkeypatch.setattr(service, "is_quiet", lambda _moment: False)
    from app.messages import service as messages
    with app.test_request_context():
        messages.send_message(db, participant_id=participant.id, sender=participant,
                              body="Jeg er syg i dag", client_id=None)
    with app.app_context():  # outside a request the cron run sends it
        assert service.run()[1] == 1
    assert browser.decrypt(push_service.received[0]["body"])["url"] == \
        f"/messages/for/{participant.id}"


def test_a_gone_subscription_is_removed(app, db, participant, subscribe, push_service):
    subscribe(participant, "/push/gone")
    kept = subscribe(participant, "/push/kept")
    push_service.answers["/push/gone"] = 410
    with app.test_request_context():
        service.notify_contact_request(db, participant_id=participant.id, reference="x")
        db.commit()
    # The contact request goes to the consultant, who has no subscription: nothing recorded.
    assert rows(db, PushNotice) == []
    with app.test_request_context():
        service.record_notice(db, key="test:1", user_id=participant.id, kind="message",
                              now=local(date(2026, 5, 5), 12), endpoint="plan.home")
        db.commit()
    with app.app_context():
        assert service.send_due(local(date(2026, 5, 5), 12)) == 1
    assert [s.endpoint for s in rows(db, PushSubscription)] == [push_service.origin + "/push/kept"]
    assert kept.decrypt(push_service.received[0]["body"])["tag"] == "message"


def test_a_contact_request_reaches_the_consultant_once(app, db, participant, consultant,
                                                       subscribe, push_service, monkeypatch):
    browser = subscribe(consultant)
    monkeypatch.setattr(service, "is_quiet", lambda _moment: False)
    with app.app_context():  # outside a request: sent as soon as the caller commits
        for _ in range(2):
            service.notify_contact_request(db, participant_id=participant.id,
                                           reference="checkin:7")
            db.commit()
    [received] = push_service.received
    message = browser.decrypt(received["body"])
    assert message["tag"] == "contact-request"
    assert message["url"] == f"/messages/for/{participant.id}"


def test_no_push_service_breaks_a_message(app, db, participant, consultant, subscribe,
                                          push_service, monkeypatch):
    subscribe(participant)
    push_service.close()  # nobody listens any more
    monkeypatch.setattr(service, "is_quiet", lambda _moment: False)
    client = app.test_client()
    from tests.conftest import sign_in
    sign_in(client, consultant)
    token = csrf_token(client, f"/messages/for/{participant.id}")
    response = client.post(f"/messages/for/{participant.id}",
                           data={"body": "Hej", "csrf_token": token,
                                 "client_id": str(uuid.uuid4())})
    assert response.status_code == 303
    response.close()
    assert [n.status for n in rows(db, PushNotice)] == ["queued"]  # asked again later


def test_a_busy_push_service_is_asked_again_the_same_day(
        app, db, participant, consultant, subscribe, push_service):
    subscribe(participant, "/push/busy")
    push_service.answers["/push/busy"] = 503
    _meeting(db, participant, consultant, local(date(2026, 5, 6), 10))
    now = local(date(2026, 5, 5), 12)
    with app.app_context():
        assert service.run(now) == (1, 0)
    [notice] = rows(db, PushNotice)
    assert (notice.status, notice.send_after) == ("queued", now + service.RETRY_AFTER)
    with app.app_context():
        assert service.run(now + timedelta(minutes=5)) == (0, 0)  # not before its time
        push_service.answers.clear()
        assert service.run(now + service.RETRY_AFTER) == (0, 1)
    db.expire_all()
    assert [(n.status, n.sent_at) for n in rows(db, PushNotice)] == [
        ("sent", now + service.RETRY_AFTER)]
    assert len(push_service.received) == 1


@pytest.mark.parametrize(("created", "tried", "why"), [
    # The next try would fall in quiet hours: "tomorrow" would then be said on the day itself.
    (local(date(2026, 5, 5), 12), local(date(2026, 5, 5), 20, 50), "quiet hours"),
    # Made at night, first tried at 08:00; past 12 hours a notice is stale.
    (local(date(2026, 5, 4), 22), local(date(2026, 5, 5), 9, 50), "stale"),
])
def test_a_busy_push_service_is_not_asked_past_quiet_hours_or_half_a_day(
        app, db, participant, subscribe, push_service, created, tried, why):
    subscribe(participant, "/push/busy")
    push_service.answers["/push/busy"] = 503
    with app.test_request_context():
        service.record_notice(db, key="message:1", user_id=participant.id, kind="message",
                              now=created, endpoint="messages.thread")
        db.commit()
        assert service.send_due(tried) == 0
    db.expire_all()
    assert rows(db, select(PushNotice.status)) == ["failed"], why


def test_a_push_service_that_refuses_is_not_asked_again(app, db, participant, consultant,
                                                        subscribe, push_service):
    subscribe(participant, "/push/refused")
    push_service.answers["/push/refused"] = 403
    _meeting(db, participant, consultant, local(date(2026, 5, 6), 10))
    with app.app_context():
        assert service.run(local(date(2026, 5, 5), 12)) == (1, 0)
    assert rows(db, select(PushNotice.status)) == ["failed"]
    assert len(rows(db, PushSubscription)) == 1  # kept: a refusal is not a phone gone


# --- Turning it on and off ---------------------------------------------------------------------

def _subscription_json(endpoint: str = "https://push.example.org/send/abc") -> dict:
    browser = Browser()
    return {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh,
                                           "auth": b64url(browser.auth)}}


def test_a_browser_subscribes_with_the_csrf_header(app, db, participant):
    from tests.conftest import sign_in
    participant_id = participant.id  # read now: a lazy load later would hold a read snapshot
    client = sign_in(app.test_client(), participant)
    token = csrf_token(client, "/me/")
    assert client.post("/push/subscription", json=_subscription_json()).status_code == 400
    response = client.post("/push/subscription", json=_subscription_json(),
                           headers={"X-CSRFToken": token})
    assert response.status_code == 204
    # The same browser again, with new keys: still one row.
    response = client.post("/push/subscription", json=_subscription_json(),
                           headers={"X-CSRFToken": token})
    assert response.status_code == 204
    [saved] = rows(db, PushSubscription)
    assert saved.user_id == participant_id
    page = client.get("/me/").get_data(as_text=True)
    assert 'data-public-key="' + app.config["VAPID_PUBLIC_KEY"] + '"' in page
    response = client.post("/push/subscription/delete",
                           json={"endpoint": saved.endpoint}, headers={"X-CSRFToken": token})
    assert response.status_code == 204 and rows(db, PushSubscription) == []


@pytest.mark.parametrize("bad", [
    {"endpoint": "http://push.example.org/x"},
    {"keys": {"p256dh": "abc"}},
    {"keys": {"auth": b64url(b"short")}},
    "not a subscription",
])
def test_a_bad_subscription_is_refused(me, db, bad):
    data = _subscription_json()
    if isinstance(bad, dict):
        keys = {**data["keys"], **bad.pop("keys", {})}
        data = {**data, **bad, "keys": keys}
    else:
        data = bad
    assert me.post("/push/subscription", json=data).status_code == 422
    assert rows(db, PushSubscription) == []


def test_staff_turn_it_off_on_every_device_without_javascript(app, db, staff, consultant):
    for path in ("a", "b"):
        with app.app_context():
            service.save_subscription(db, user=consultant, endpoint=f"https://p.example/{path}",
                                      p256dh="x", auth="y")
    page = staff.get("/settings/").get_data(as_text=True)
    assert "Notifications are on for 2 devices." in page
    assert "Notifications are not available in this browser." in page
    response = staff.post("/push/subscription/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/settings/"
    assert rows(db, PushSubscription) == []


def test_the_push_worker_is_served_and_opens_only_this_site(app):
    response = app.test_client().get("/push/worker.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert "showNotification" in body and "self.location.origin" in body


def test_vapid_keys_come_from_the_environment(monkeypatch, tmp_path):
    from app.config import _b64url, _vapid_keys

    key = ec.generate_private_key(ec.SECP256R1())
    private = _b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = _b64url(key.public_key().public_bytes(Encoding.X962,
                                                   PublicFormat.UncompressedPoint))
    monkeypatch.setenv("VAPID_PRIVATE_KEY", private)
    monkeypatch.setenv("VAPID_PUBLIC_KEY", public)
    assert _vapid_keys(tmp_path) == (private, public)
    assert not (tmp_path / "vapid_private_key").exists()
    monkeypatch.setenv("VAPID_PUBLIC_KEY", "not-the-pair")
    with pytest.raises(RuntimeError):
        _vapid_keys(tmp_path)
    monkeypatch.delenv("VAPID_PRIVATE_KEY")
    monkeypatch.delenv("VAPID_PUBLIC_KEY")
    generated = _vapid_keys(tmp_path)
    assert _vapid_keys(tmp_path) == generated  # kept, not made anew
