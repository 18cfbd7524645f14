"""Sign in, activate a participant's phone, sign out."""

from __future__ import annotations

from flask import Blueprint, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import service
from app.auth.forms import ActivateForm, LoginForm
from app.db import get_session
from app.i18n import LANGUAGES, _, browser_locale
from app.web import local_path, render, see_other

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _sign_in(user) -> None:
    # The language is kept with the user: one just chosen on this phone, or, for someone who
    # never chose, the one their browser asks for. Every device then opens in it, and the
    # consultant sees it.
    if session.get("lang") in LANGUAGES:
        user.locale = session["lang"]
    elif user.locale is None:
        user.locale = browser_locale()
    service.start_session(get_session(), user, request.user_agent.string)
    session.clear()  # a fresh session (and CSRF token) at every sign-in: no fixation
    session.permanent = True
    login_user(user)


def _safe_next() -> str:
    return local_path(request.args.get("next"), url_for("core.home"))


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return see_other(url_for("core.home"))
    return render("auth/login.html", form=LoginForm())


@bp.post("/login")
def login_post():
    form = LoginForm()
    if not form.validate():
        return render("auth/login.html", form=form, status=422)
    db = get_session()
    keys = [f"login:{form.login.data.strip().lower()}", f"ip:{request.remote_addr}"]
    if service.is_rate_limited(db, keys):
        form.form_errors.append(_("Too many tries. Wait 15 minutes, or ask your consultant."))
        return render("auth/login.html", form=form, status=429)
    user = service.authenticate(db, form.login.data, form.password.data)
    if user is None:
        service.record_failure(db, keys)
        form.form_errors.append(_("The user name or password is not right. Try again."))
        return render("auth/login.html", form=form, status=422)
    service.clear_failures(db, keys[:1])
    _sign_in(user)
    return see_other(_safe_next())


@bp.get("/activate")
def activate():
    return render("auth/activate.html", form=ActivateForm())


@bp.post("/activate")
def activate_post():
    form = ActivateForm()
    if not form.validate():
        return render("auth/activate.html", form=form, status=422)
    db = get_session()
    keys = [f"ip:{request.remote_addr}"]
    if service.is_rate_limited(db, keys):
        form.form_errors.append(_("Too many tries. Wait 15 minutes, or ask your consultant."))
        return render("auth/activate.html", form=form, status=429)
    activation = service.find_activation(db, form.code.data)
    if activation is None:
        service.record_failure(db, keys)
        form.code.errors.append(
            _("This code does not work. It may be used or too old. "
              "Ask your consultant for a new one.")
        )
        return render("auth/activate.html", form=form, status=422)
    user = service.activate(db, activation, form.password.data)
    _sign_in(user)
    session["show_login_name"] = True
    return see_other(url_for("core.welcome"))


@bp.post("/logout")
@login_required
def logout():
    service.end_session(get_session(), current_user.get_id())
    logout_user()
    session.clear()
    response = see_other(url_for("auth.login"))
    # Offline copies and the outbox go from the phone too (app.js clears them first when it can).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
