"""Quick phrases: replies a staff member keeps for themself and inserts into a message with one
tap. Only the owner ever reaches a phrase (another's id answers 404)."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import func
from sqlmodel import Session, select

from app.idempotency import claim
from app.models import QuickPhrase, User

MAX_TEXT = 500  # QuickPhrase.text's max_length
MAX_PHRASES = 30  # a short list one can scan on a phone


def phrases_of(session: Session, owner: User) -> list[QuickPhrase]:
    """The owner's phrases in their chosen order."""
    return list(session.exec(
        select(QuickPhrase).where(QuickPhrase.owner_id == owner.id)
        .order_by(QuickPhrase.position, QuickPhrase.id)
    ).all())


def phrase_of(session: Session, owner: User, phrase_id: int) -> QuickPhrase:
    phrase = session.get(QuickPhrase, phrase_id)
    if phrase is None or phrase.owner_id != owner.id:
        abort(404)
    return phrase


def count_of(session: Session, owner: User) -> int:
    return session.exec(
        select(func.count(QuickPhrase.id)).where(QuickPhrase.owner_id == owner.id)
    ).one()


def add_phrase(
    session: Session, *, owner: User, text: str, client_id: uuid.UUID
) -> None:
    """Add `text` (already validated) at the end of the list; a replayed client_id adds nothing."""
    if claim(
        session, user=owner, client_id=client_id, kind="quick_phrase"
    ) is not None:
        return
    last = session.exec(
        select(func.max(QuickPhrase.position)).where(QuickPhrase.owner_id == owner.id)
    ).one()
    session.add(QuickPhrase(owner_id=owner.id, text=text, position=(last or 0) + 1))
    session.commit()


def remove_phrase(session: Session, *, owner: User, phrase_id: int) -> None:
    session.delete(phrase_of(session, owner, phrase_id))
    session.commit()


def move_phrase(session: Session, *, owner: User, phrase_id: int, up: bool) -> None:
    """Swap the phrase with its neighbour above (or below); at the end of the list, nothing."""
    phrases = phrases_of(session, owner)
    index = next((i for i, p in enumerate(phrases) if p.id == phrase_id), None)
    if index is None:
        abort(404)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(phrases):
        return
    phrases[index], phrases[other] = phrases[other], phrases[index]
    # Renumbering the whole (short) list also mends positions that were equal.
    for position, phrase in enumerate(phrases, start=1):
        phrase.position = position
        session.add(phrase)
    session.commit()


def insert_phrase(body: str | None, text: str) -> str:
    """The reply box's text with the phrase added at the end (static/js/app.js does the same at
    the cursor)."""
    body = (body or "").rstrip()
    return f"{body} {text}" if body else text
