"""Notifications in real Chromium: the page asks for permission, subscribes with the app's VAPID
public key and posts the subscription, which lands in the database; the push worker shows what
is pushed to it.

Chromium offers no Push API in a private (Playwright) window and has no push service to reach
on a machine without internet, so the test puts a stand-in for PushManager.subscribe into the
page that records what it was asked for and answers with a subscription made here. Everything
else is the browser's own: the permission prompt, the worker's registration, the page's POST
with its CSRF header, and the worker's push event, delivered through DevTools.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from sqlmodel import select

from app.models import PushSubscription
from tests.conftest import submit_sign_in
from tests.test_browser_offline import _sign_in
from tests.test_push import Browser, b64url

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

ENDPOINT = "https://push.example.org/send/this-phone"

STAND_IN = """
(() => {
  const made = %s;
  const subscription = {
    endpoint: made.endpoint,
    toJSON: () => ({ endpoint: made.endpoint, expirationTime: null, keys: made.keys }),
    unsubscribe: async () => { sessionStorage.removeItem("push-made"); return true; },
  };
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    sessionStorage.setItem("push-made", JSON.stringify({
      userVisibleOnly: options.userVisibleOnly,
      key: btoa(String.fromCharCode(...key)),
      scope: this === (await navigator.serviceWorker.getRegistration("/push/")).pushManager,
    }));
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return sessionStorage.getItem("push-made") ? subscription : null;
  };
})();
"""


@pytest.fixture
def participant(participant, db):
    participant.locale = "en"
    db.add(participant)
    db.commit()
    return participant


def _saved(db) -> list[PushSubscription]:
    found = db.exec(select(PushSubscription)).all()
    db.commit()
    return found


def test_turning_notifications_on_and_off(live_server, phone, db, participant, app):
    browser = Browser()
    made = {"endpoint": ENDPOINT, "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}}
    phone.context.add_init_script(STAND_IN % json.dumps(made))
    phone.context.grant_permissions(["notifications"], origin=live_server)
    _sign_in(phone, live_server, participant)
    phone.goto(f"{live_server}/me/")
    card = phone.locator("#notifications")
    expect(card.get_by_text("Notifications are not available in this browser.")).to_be_hidden()
    expect(card.get_by_text("Notifications are off for this device.")).to_be_visible()

    card.get_by_role("button", name="Turn on notifications").click()
    expect(card.get_by_text("Notifications are on for this device.")).to_be_visible()
    asked = json.loads(phone.evaluate("sessionStorage.getItem('push-made')"))
    public_key = app.config["VAPID_PUBLIC_KEY"]
    assert base64.b64decode(asked["key"]) == base64.urlsafe_b64decode(public_key + "==")
    assert asked["userVisibleOnly"] is True and asked["scope"] is True
    [saved] = _saved(db)
    assert (saved.user_id, saved.endpoint, saved.p256dh, saved.auth) == (
        participant.id, ENDPOINT, made["keys"]["p256dh"], made["keys"]["auth"])

    # The worker shows a push with the text it got and nothing else.
    _deliver_push(phone, live_server, {"title": "Trædesten", "body": "You have a new message.",
                                       "url": "https://elsewhere.example/x", "tag": "message"})
    shown = _shown_notifications(phone)
    assert shown == [{"title": "Trædesten", "body": "You have a new message.", "tag": "message",
                      "url": "/"}]  # a link to another site opens the start page instead

    card.get_by_role("button", name="Turn off notifications").click()
    expect(card.get_by_text("Notifications are off for this device.")).to_be_visible()
    assert _saved(db) == []
    assert phone.console_errors == []


def _shown_notifications(phone) -> list[dict]:
    """What the push worker has shown, once it has shown something (it takes a moment)."""
    for _ in range(250):
        shown = phone.evaluate("""async () => {
            const registration = await navigator.serviceWorker.getRegistration('/push/');
            return (await registration.getNotifications()).map(
                (n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url }));
        }""")
        if shown:
            return shown
        phone.wait_for_timeout(20)
    return []


def _deliver_push(phone, live_server: str, payload: dict) -> None:
    cdp = phone.context.new_cdp_session(phone)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    phone.wait_for_timeout(200)
    [push] = [r for r in registrations if r["scopeURL"].endswith("/push/") and not r["isDeleted"]]
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server, "registrationId": push["registrationId"],
        "data": json.dumps(payload),
    })


def test_staff_keep_their_push_worker(live_server, phone, db, consultant):
    """Staff browsers keep no offline worker, but the push worker (which keeps nothing) stays."""
    browser = Browser()
    made = {"endpoint": ENDPOINT, "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}}
    phone.context.add_init_script(STAND_IN % json.dumps(made))
    phone.context.grant_permissions(["notifications"], origin=live_server)
    submit_sign_in(phone, consultant.login, at=f"{live_server}/auth/login")
    phone.goto(f"{live_server}/settings/")
    card = phone.locator("#notifications")
    card.get_by_role("button", name=re.compile("notifications|notifikationer", re.I)).click()
    phone.wait_for_function("""() => !document.querySelector('[data-push-on]:not([hidden])')""")
    [saved] = _saved(db)
    assert saved.user_id == consultant.id
    phone.goto(f"{live_server}/settings/")
    phone.wait_for_timeout(300)  # app.js clears the staff's other workers on load
    scopes = phone.evaluate("""async () => (await navigator.serviceWorker.getRegistrations())
        .map((r) => new URL(r.scope).pathname)""")
    assert scopes == ["/push/"]
