"""Passwords, server-side sessions, activation codes and sign-in rate limits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, delete, func, select

from app.db import write_transaction
from app.models import ActivationCode, LoginAttempt, LoginSession, Role, User, utcnow

# Letters and digits that cannot be mistaken for each other when read aloud or typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_MIN = 8
PASSWORD_MAX = 128
TOUCH_EVERY = timedelta(minutes=1)


def _hasher() -> PasswordHasher:
    # argon2id; tests lower the memory cost through ARGON2_MEMORY_KIB to stay fast.
    memory = current_app.config.get("ARGON2_MEMORY_KIB", 65536)
    return PasswordHasher(memory_cost=memory, time_cost=3 if memory >= 65536 else 1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        _hasher().hash(password)  # same cost as a real check: no timing hint that it is unset
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, user_agent: str = "") -> str:
    """Create a server-side session for `user`; returns the token the cookie will carry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    config = current_app.config
    if user.role == Role.participant:
        expires = now + timedelta(days=config["PARTICIPANT_SESSION_DAYS"])
    else:
        expires = now + timedelta(hours=config["STAFF_SESSION_HOURS"])
    session.add(
        LoginSession(
            token_hash=_digest(token), user_id=user.id, expires_at=expires,
            user_agent=user_agent[:300],
        )
    )
    user.last_seen_at = now
    session.add(user)
    session.commit()
    user._session_token = token
    return token


def load_session(session: Session, token: str) -> User | None:
    """The user behind a cookie's token, if the session is still valid; one query.

    Participants stay signed in on their own phone for weeks (sliding); staff sessions end after
    some idle minutes and at most after a working day.
    """
    row = session.exec(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    login_session, user = row
    now = utcnow()
    idle_limit = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    if (
        login_session.revoked_at is not None
        or login_session.expires_at <= now
        or not user.active
        or (user.is_staff and now - login_session.last_seen_at > idle_limit)
    ):
        return None
    if now - login_session.last_seen_at > TOUCH_EVERY:
        _touch(login_session.id, user, now)
    user._session_token = token
    return user


def _touch(session_id: int, user: User, now: datetime) -> None:
    # In its own short write transaction: a GET's transaction is a reader (see app.db).
    with write_transaction() as writer:
        login_session = writer.get(LoginSession, session_id)
        login_session.last_seen_at = now
        if user.role == Role.participant:
            days = current_app.config["PARTICIPANT_SESSION_DAYS"]
            login_session.expires_at = now + timedelta(days=days)
        writer.get(User, user.id).last_seen_at = now
    # Show the new value without making the request's own (reading) session write it again.
    set_committed_value(user, "last_seen_at", now)


def end_session(session: Session, token: str) -> None:
    login_session = session.exec(
        select(LoginSession).where(LoginSession.token_hash == _digest(token))
    ).first()
    if login_session is not None and login_session.revoked_at is None:
        login_session.revoked_at = utcnow()
        session.commit()


def revoke_all_sessions(session: Session, user: User) -> None:
    """Sign a user out everywhere (used when a new activation code replaces the password)."""
    for login_session in session.exec(
        select(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
        )
    ):
        login_session.revoked_at = utcnow()


def authenticate(session: Session, login: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.login == login.strip().lower())).first()
    if user is None:
        _hasher().hash(password)  # same cost as a real check
        return None
    if not user.active or not verify_password(user, password):
        return None
    return user


def is_rate_limited(session: Session, keys: list[str]) -> bool:
    """True when any key (a login name, an address) has too many recent failures."""
    config = current_app.config
    since = utcnow() - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    count = session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key.in_(keys), LoginAttempt.at > since)
        .group_by(LoginAttempt.key)
        .order_by(func.count().desc())
    ).first()
    return (count or 0) >= config["LOGIN_MAX_FAILURES"]


def record_failure(session: Session, keys: list[str]) -> None:
    for key in keys:
        session.add(LoginAttempt(key=key[:300]))
    session.commit()


def clear_failures(session: Session, keys: list[str]) -> None:
    session.exec(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
    session.commit()


def new_activation_code(session: Session, *, participant: User, created_by: User) -> str:
    """A one-time code for the participant to choose a password; earlier codes stop working."""
    now = utcnow()
    for old in session.exec(
        select(ActivationCode).where(
            ActivationCode.user_id == participant.id, ActivationCode.used_at.is_(None)
        )
    ):
        old.used_at = now
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    days = current_app.config["ACTIVATION_CODE_DAYS"]
    session.add(
        ActivationCode(
            user_id=participant.id, code_hash=_digest(normalise_code(raw)),
            created_by_id=created_by.id, expires_at=now + timedelta(days=days),
        )
    )
    session.commit()
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def find_activation(session: Session, code: str) -> ActivationCode | None:
    """The unused, unexpired activation code of a person still active, or None.

    A deactivated person's code stays unusable, so an old letter cannot set a password."""
    found = session.exec(
        select(ActivationCode)
        .join(User, User.id == ActivationCode.user_id)
        .where(ActivationCode.code_hash == _digest(normalise_code(code)), User.active)
    ).first()
    if found is None or found.used_at is not None or found.expires_at <= utcnow():
        return None
    return found


def activate(session: Session, activation: ActivationCode, password: str) -> User:
    """Use the code: set the participant's password and end their older sessions."""
    user = session.get(User, activation.user_id)
    activation.used_at = utcnow()
    user.password_hash = hash_password(password)
    revoke_all_sessions(session, user)
    session.commit()
    return user
