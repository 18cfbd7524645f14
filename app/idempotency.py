"""Writes from the phone carry a client-made UUID; a replay or double tap changes nothing twice."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.models import ClientWrite, User


def parse_client_id(raw: str | None) -> uuid.UUID:
    """The form's client_id; a missing or malformed one is a client bug, answered with 400."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        abort(400)


def claim(session: Session, *, user: User, client_id: uuid.UUID, kind: str) -> ClientWrite | None:
    """Record `client_id` in the current transaction.

    Returns None when the write is new (go ahead, then commit), or the earlier ClientWrite when
    this is a replay (do nothing). Two requests racing with the same id meet the primary key:
    the loser waits for the winner's commit and then sees a replay.
    """
    existing = session.get(ClientWrite, client_id)
    if existing is None:
        write = ClientWrite(client_id=client_id, user_id=user.id, kind=kind)
        try:
            with session.begin_nested():
                session.add(write)
            return None
        except IntegrityError:
            existing = session.get(ClientWrite, client_id)
    if existing is None or existing.user_id != user.id:
        abort(409)  # someone else's id: never act on it, never reveal it
    return existing
