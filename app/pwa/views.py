"""/sw.js at the root scope, the manifest per language, and the offline page per language."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import force_locale

from app.i18n import LANGUAGES, select_locale, text_direction
from app.models import utcnow
from app.pwa import service

bp = Blueprint("pwa", __name__)
# The time a page was made, for "offline — last updated HH:MM" on its offline copy.
bp.record_once(lambda state: state.app.jinja_env.globals.update(rendered_at=utcnow))


@bp.get("/sw.js")
def service_worker():
    body = render_template("pwa/sw.js", settings=service.worker_settings())
    response = Response(body, mimetype="text/javascript")
    # The browser checks for a new worker on every visit; the worker itself must never be stale.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else select_locale()
    with force_locale(lang):
        response = jsonify(service.manifest(lang))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline/<lang>")
def offline(lang: str):
    """Shown by the service worker for a page it has no copy of; the same for everyone, so it
    holds nothing personal and sets no cookie."""
    if lang not in LANGUAGES:
        abort(404)
    with force_locale(lang):
        body = render_template("pwa/offline.html", current_locale=lang,
                               text_direction=text_direction(lang))
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response
