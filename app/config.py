"""Configuration read from the environment (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment; on a developer machine, one generated and kept on disk.

    Several app servers must share one key, so production sets SECRET_KEY; the file is only the
    embedded default's convenience and never a shared, well-known value.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path) -> dict:
    secure = _flag("COOKIE_SECURE", True)
    participant_days = int(os.environ.get("PARTICIPANT_SESSION_DAYS", 30))
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'traedesten.sqlite3'}"
        ),
        "SQL_ECHO": _flag("SQL_ECHO", False),
        # Cookies: HttpOnly, SameSite=Lax and Secure; the __Host- prefix pins them to this host.
        "SESSION_COOKIE_NAME": "__Host-traedesten" if secure else "traedesten",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # The cookie may live as long as the longest server-side session; the server decides.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=participant_days),
        "PARTICIPANT_SESSION_DAYS": participant_days,
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", 30)),
        "STAFF_SESSION_HOURS": int(os.environ.get("STAFF_SESSION_HOURS", 12)),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "ACTIVATION_CODE_DAYS": int(os.environ.get("ACTIVATION_CODE_DAYS", 7)),
        # CSRF tokens are bound to the server-side session, so they live as long as it does; a
        # queued offline write can fetch a fresh one from /csrf-token (see README).
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": secure,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", 10)),
        "LOGIN_WINDOW_MINUTES": int(os.environ.get("LOGIN_WINDOW_MINUTES", 15)),
        "MAX_CONTENT_LENGTH": 256 * 1024,
    }
