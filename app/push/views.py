"""Turning push notifications on and off for this browser (staff and participants alike)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from app.db import get_session
from app.i18n import _
from app.push import service
from app.web import see_other

bp = Blueprint("push", __name__, url_prefix="/push")


def _settings_page() -> str:
    return url_for("settings.index") if current_user.is_staff else url_for("account.index")


@bp.post("/subscription")
@login_required
def subscribe():
    """The subscription pushManager.subscribe gave the page, posted as JSON with the CSRF
    header."""
    data = request.get_json(silent=True)
    if problem := service.subscription_problem(data):
        return jsonify(error=problem), 422
    service.save_subscription(get_session(), user=current_user, endpoint=data["endpoint"],
                              p256dh=data["keys"]["p256dh"], auth=data["keys"]["auth"])
    return Response(status=204)


@bp.post("/subscription/delete")
@login_required
def unsubscribe():
    """From the page's script: this browser's endpoint (JSON). From the plain form: every
    device of mine."""
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    service.remove_subscriptions(get_session(), user=current_user,
                                 endpoint=endpoint if isinstance(endpoint, str) else None)
    if data is not None:
        return Response(status=204)
    flash(_("Notifications are turned off on all your devices."))
    return see_other(_settings_page())


@bp.get("/worker.js")
def worker():
    """The push worker: public like /sw.js, and the same for everyone."""
    body = render_template("push/worker.js",
                           icon=url_for("static", filename="icons/icon-192.png"))
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
