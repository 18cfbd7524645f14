"""Trædesten: the app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request, url_for
from flask_babel import format_datetime, format_decimal, format_time
from flask_login import current_user

from app import access, assets, db, web
from app.config import ROOT, load_config
from app.extensions import babel, csrf, htmx, login_manager
from app.i18n import (
    LANGUAGES,
    _l,
    format_day,
    language_choices,
    language_name,
    select_locale,
    text_direction,
)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)

    db.init_app(app)
    access.init_app(app)
    web.init_app(app)
    assets.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _init_login(app)
    _init_templates(app)
    _register_blueprints(app)
    _register_errors(app)

    from app.cli import register as register_cli

    register_cli(app)
    return app


def _init_login(app: Flask) -> None:
    from app.auth.service import load_session

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are checked on the server instead

    @login_manager.user_loader
    def _load(token: str):
        return load_session(db.get_session(), token) if token else None

    @login_manager.unauthorized_handler
    def _unauthorized():
        target = url_for("auth.login", next=request.full_path.rstrip("?"))
        if htmx:
            # An expired session in an htmx request: to the sign-in page, not into a fragment.
            return "", 401, {"HX-Redirect": target}
        return web.see_other(target)


def _init_templates(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # matches babel.cfg's extraction
    app.jinja_env.filters.update(
        day=format_day, datetime=format_datetime, time=format_time, number=format_decimal,
        language_name=language_name, text_direction=text_direction,
    )

    @app.context_processor
    def _globals() -> dict:
        locale = select_locale()
        return {
            "languages": LANGUAGES,
            "language_choices": language_choices(),
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "current_user": current_user,
        }


def _register_blueprints(app: Flask) -> None:
    from app.account.views import bp as account_bp
    from app.admin.views import bp as admin_bp
    from app.aftercare.views import bp as aftercare_bp
    from app.attendance.views import bp as attendance_bp
    from app.auth.views import bp as auth_bp
    from app.caseload.views import bp as caseload_bp
    from app.core.views import bp as core_bp
    from app.groups.views import bp as groups_bp
    from app.messages.views import bp as messages_bp
    from app.observations.views import bp as observations_bp
    from app.plan.views import bp as plan_bp
    from app.programme.views import bp as programme_bp
    from app.push.views import bp as push_bp
    from app.pwa.views import bp as pwa_bp
    from app.records.views import bp as records_bp
    from app.settings.views import bp as settings_bp
    from app.walks.views import bp as walks_bp

    for blueprint in (core_bp, auth_bp, plan_bp, attendance_bp, walks_bp, messages_bp,
                      account_bp, caseload_bp, settings_bp, programme_bp, admin_bp, groups_bp,
                      observations_bp, records_bp, pwa_bp, aftercare_bp, push_bp):
        app.register_blueprint(blueprint)


def _register_errors(app: Flask) -> None:
    from flask import render_template

    for code in (400, 403, 404, 409, 413, 429, 500):
        app.register_error_handler(
            code, lambda error, code=code: (render_template("errors/error.html", code=code), code)
        )
