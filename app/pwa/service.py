"""What the manifest says and what the service worker keeps, per deploy and language."""

from __future__ import annotations

import hashlib

from flask import current_app, url_for

from app.assets import static_files, static_hash
from app.i18n import _, text_direction

THEME = "#2f5d50"
BACKGROUND = "#f7f5f0"
# The participant's pages that stay readable offline, from what was last seen.
OFFLINE_PAGES = ("plan.home", "attendance.week", "walks.index", "messages.thread")
# Fetched once at install: the shell every page needs, so an offline copy looks right.
PRECACHE = ("css/app.css", "js/app.js", "js/outbox.js", "js/push.js",
            "vendor/htmx/htmx-2.0.11.min.js", "icons/icon.svg", "icons/icon-192.png")


def manifest(lang: str) -> dict:
    """The web app manifest in `lang`: what a phone shows when the app is installed."""
    def icon(filename: str, size: int, purpose: str = "any") -> dict:
        return {"src": url_for("static", filename=filename), "sizes": f"{size}x{size}",
                "type": "image/png", "purpose": purpose}

    return {
        "id": "/",
        "name": "Trædesten",
        "short_name": "Trædesten",
        "description": _("Your plan, attendance, walks and messages with your consultant."),
        "lang": lang,
        "dir": text_direction(lang),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            icon("icons/icon-192.png", 192),
            icon("icons/icon-512.png", 512),
            icon("icons/icon-maskable-512.png", 512, "maskable"),
        ],
    }


def deploy_version() -> str:
    """Changes whenever a static file or the service worker changes, so a new deploy installs a
    new worker (and new caches) by itself."""
    digest = hashlib.sha256()
    for name in static_files():
        digest.update(f"{name}={static_hash(name)};".encode())
    loader = current_app.jinja_env.loader
    digest.update(loader.get_source(current_app.jinja_env, "pwa/sw.js")[0].encode())
    return digest.hexdigest()[:12]


def worker_settings() -> dict:
    """What sw.js needs to know, rendered into it."""
    return {
        "version": deploy_version(),
        "precache": [url_for("static", filename=name) for name in PRECACHE],
        "outbox_script": url_for("static", filename="js/outbox.js"),
        "offline_pages": [url_for(endpoint) for endpoint in OFFLINE_PAGES],
        "offline_prefix": url_for("pwa.offline", lang="da")[:-len("da")],
    }
