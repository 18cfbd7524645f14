"""Configuration read from the environment (documented in README.md)."""

from __future__ import annotations

import base64
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


def _vapid_keys(instance_path: Path) -> tuple[str, str]:
    """The VAPID key pair that signs Web Push requests, as base64url (raw private key,
    uncompressed public point: the form `web-push generate-vapid-keys` prints).

    Like SECRET_KEY: from the environment in production, where every app server must use the same
    pair (browsers subscribed with its public key); otherwise generated once and kept on disk.
    """
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
    if not private:
        path = instance_path / "vapid_private_key"
        if not path.exists():
            instance_path.mkdir(parents=True, exist_ok=True)
            raw = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
            path.write_text(_b64url(raw.to_bytes(32, "big")))
            path.chmod(0o600)
        private = path.read_text().strip()
    number = int.from_bytes(base64.urlsafe_b64decode(private + "=" * (-len(private) % 4)), "big")
    point = ec.derive_private_key(number, ec.SECP256R1()).public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint
    )
    public = _b64url(point)
    configured = os.environ.get("VAPID_PUBLIC_KEY", "").strip().rstrip("=")
    if configured and configured != public:
        raise RuntimeError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY.")
    return private, public


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path) -> dict:
    secure = _flag("COOKIE_SECURE", True)
    participant_days = int(os.environ.get("PARTICIPANT_SESSION_DAYS", 30))
    vapid_private, vapid_public = _vapid_keys(instance_path)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # Web Push (see README): the key pair and the contact push services may write to.
        "VAPID_PRIVATE_KEY": vapid_private,
        "VAPID_PUBLIC_KEY": vapid_public,
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:admin@example.org"),
        "PUSH_TIMEOUT_SECONDS": float(os.environ.get("PUSH_TIMEOUT_SECONDS", 5)),
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
