"""The consultant answers from the inbox in real Chromium while the participant's phone shows
the answer without a reload: two browser contexts, two people."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from app.messages import phrases, service
from app.models import Message, MessageThread
from tests.conftest import submit_sign_in

pytestmark = pytest.mark.browser


def test_consultant_replies_from_the_inbox_and_the_phone_shows_it(
    live_server, browser, phone, db, participant, consultant,
):
    service.send_message(db, participant_id=participant.id, sender=participant,
                         body="Hej Mette, jeg er syg i dag.", client_id=None)
    phrases.add_phrase(db, owner=consultant, text="God bedring.", client_id=uuid.uuid4())

    # The participant's phone is on the thread; the page is never reloaded after this.
    submit_sign_in(phone, participant.login, at=f"{live_server}/auth/login")
    phone.clock.install()  # the phone's clock is moved on below, instead of waiting for it
    phone.goto(f"{live_server}/messages/")
    phone.evaluate("window.notReloaded = true")

    laptop_context = browser.new_context(viewport={"width": 1280, "height": 800},
                                         locale="da-DK")
    laptop = laptop_context.new_page()
    laptop.set_default_timeout(10_000)
    errors = []
    laptop.on("console", lambda m: m.type == "error" and errors.append(m.text))
    laptop.on("pageerror", lambda e: errors.append(str(e)))
    try:
        submit_sign_in(laptop, consultant.login, at=f"{live_server}/auth/login")
        laptop.click(".staff-nav a[href='/messages/inbox']")
        laptop.wait_for_url(f"{live_server}/messages/inbox")
        laptop.evaluate("window.notReloaded = true")
        row = laptop.locator(f"#inbox-row-{participant.id}")
        assert "1" in row.locator(".tag").inner_text()

        # Open the thread in the panel; the list follows: the message is read now.
        row.locator("a.inbox-link").click()
        laptop.locator("#reply-panel #message-list", has_text="jeg er syg i dag").wait_for()
        laptop.locator(f"#inbox-row-{participant.id} .tag").wait_for(state="detached")

        # A quick phrase goes into the box at once, after what was typed.
        laptop.fill("#reply-panel textarea[name=body]", "Tak fordi du skriver.")
        laptop.click("#reply-panel button[data-phrase]")
        box = laptop.locator("#reply-panel textarea[name=body]")
        assert box.input_value() == "Tak fordi du skriver. God bedring."
        laptop.click("#reply-panel #message-compose button.primary")
        laptop.locator("#reply-panel #message-list", has_text="God bedring.").wait_for()
        assert laptop.locator("#reply-panel textarea[name=body]").input_value() == ""
        laptop.locator(f"#inbox-row-{participant.id} .waiting").wait_for(state="detached")
        assert laptop.url == f"{live_server}/messages/inbox"
        assert laptop.evaluate("window.notReloaded") is True
        assert errors == []
    finally:
        laptop_context.close()

    # The phone's thread polls every 15 seconds and shows the reply in place.
    phone.clock.run_for(16_000)
    phone.locator("#message-list", has_text="God bedring.").wait_for()
    assert phone.evaluate("window.notReloaded") is True
    assert phone.console_errors == []
    bodies = db.exec(select(Message.body).order_by(Message.id)).all()
    thread = db.exec(select(MessageThread)).one()
    db.commit()
    assert bodies == ["Hej Mette, jeg er syg i dag.", "Tak fordi du skriver. God bedring."]
    assert thread.awaiting_reply_since is None
