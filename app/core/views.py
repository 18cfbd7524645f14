"""Pages that belong to no single feature: the start, language choice, tokens, health."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from app.db import get_session
from app.i18n import LANGUAGES
from app.models import Role
from app.web import local_path, render, see_other

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home():
    if current_user.role == Role.participant:
        return redirect(url_for("plan.home"))
    return redirect(url_for("caseload.index"))


@bp.get("/welcome")
@login_required
def welcome():
    """Shown once after activation: the user name to sign in with next time."""
    show = session.pop("show_login_name", False)
    if not show:
        return redirect(url_for("core.home"))
    return render("core/welcome.html")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        db = get_session()
        user = current_user._get_current_object()
        user.locale = lang
        db.add(user)
        db.commit()
    return see_other(local_path(request.form.get("next"), url_for("core.home")))


@bp.get("/csrf-token")
@login_required
def csrf_token():
    """A fresh CSRF token for a page that has been open long, or an offline queue replaying.

    It names the user it is for, so a queue made by one person is never sent as another.
    """
    response = jsonify(csrf_token=generate_csrf(), user_id=current_user.id)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    get_session().exec(text("SELECT 1"))
    return {"status": "ok"}
